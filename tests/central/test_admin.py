"""The operator's commands, ``python -m central codes|devices``, against a served database:
each prints its outcome, and every failure is one sentence and an exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from central.__main__ import build_parser, main
from central.server import CentralServer
from central.throttle import Limits
from tests.central.helpers import DBReader, Device, new_id
from tests.central.test_auth import assert_problem
from tests.support.central_server import http_client


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``python -m central ARGV`` in this process: exit code, stdout, stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse refusing the command line
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_sentence(err: str) -> str:
    """The last line of stderr: a sentence, and no traceback before it."""
    assert "Traceback" not in err
    line = err.strip().splitlines()[-1]
    assert line.endswith("."), line
    return line


# -- codes ---------------------------------------------------------------------------------


def test_a_created_code_is_printed_once_and_enrolls(
    central: CentralServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(central.location)
    status, out, _ = run(
        capsys, "codes", "create", "--db", db, "--store", "S002", "--mode", "kiosk",
        "--uses", "5", "--expires", "7d",
    )  # fmt: skip
    assert status == 0
    code, sentence = out.strip().splitlines()
    assert "5 devices as kiosk of S002" in sentence and "shown only now" in sentence
    with http_client(central.url) as client:
        body = {"enrollment_code": code, "store_id": "S002", "mode": "kiosk", "device_name": "k"}
        assert client.post("/v1/devices/enroll", json=body).status_code == 200
    status, listing, _ = run(capsys, "codes", "list", "--db", db)
    assert status == 0
    assert code not in listing
    header, *rows = listing.strip().splitlines()
    assert header.split() == ["ID", "STORE", "MODE", "USES", "LEFT", "EXPIRES", "REVOKED", "STATE"]
    mine = [row.split() for row in rows if row.split()[1:3] == ["S002", "kiosk"]]
    assert [(r[3], r[5], r[6]) for r in mine if r[0].startswith("ec-")] == [("4", "-", "active")]
    assert len(rows) == 7  # and the six demo codes


def test_a_revoked_code_enrolls_nothing(
    central: CentralServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(central.location)
    status, out, _ = run(capsys, "codes", "revoke", "--db", db, "demo-s001-kiosk")
    assert (status, out.strip()) == (
        0,
        "Code demo-s001-kiosk is revoked: it enrolls no more devices.",
    )
    status, out, _ = run(capsys, "codes", "revoke", "--db", db, "demo-s001-kiosk")
    assert status == 0 and "already revoked" in out
    with http_client(central.url) as client:
        body = {
            "enrollment_code": "DEMO-KIOSK-2026",
            "store_id": "S001",
            "mode": "kiosk",
            "device_name": "k",
        }
        assert_problem(client.post("/v1/devices/enroll", json=body), 403, "bad_enrollment_code")
    _, listing, _ = run(capsys, "codes", "list", "--db", db)
    row = next(r.split() for r in listing.splitlines() if r.startswith("demo-s001-kiosk"))
    assert row[-1] == "revoked" and row[-2] != "-"


@pytest.mark.parametrize(
    ("argv", "status", "says"),
    [
        (["codes", "list", "--db", "{missing}"], 1, "there is no central database at"),
        (["devices", "list", "--db", "{missing}"], 1, "there is no central database at"),
        (["codes", "list", "--db", "{junk}"], 1, "cannot be opened as a central database"),
        (["codes", "revoke", "--db", "{db}", "ec-nope"], 1, "there is no enrollment code ec-nope"),
        (["devices", "revoke", "--db", "{db}", "dev-nope"], 1, "there is no device dev-nope"),
        (
            ["codes", "create", "--db", "{db}", "--store", "S999", "--mode", "kiosk"],
            1,
            "there is no store S999",
        ),
        (
            ["codes", "create", "--db", "{db}", "--store", "S001", "--mode", "kiosk",
             "--expires", "7x"],
            2,
            "'7x' is not a duration; write it like 7d, 12h or 30m",
        ),
        (
            ["codes", "create", "--db", "{db}", "--store", "S001", "--mode", "kiosk",
             "--expires", "9999d"],
            2,
            "use a duration from 1m to 3650d",
        ),
        (
            ["codes", "create", "--db", "{db}", "--store", "S001", "--mode", "kiosk",
             "--uses", "0"],
            2,
            "use 1 to 1000000",
        ),
    ],
)  # fmt: skip
def test_every_failure_is_one_sentence_and_an_exit_code(
    central: CentralServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    status: int,
    says: str,
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n")
    missing = tmp_path / "missing.db"
    paths = {"db": str(central.location), "missing": str(missing), "junk": str(junk)}
    got, out, err = run(capsys, *(arg.format(**paths) for arg in argv))
    assert got == status
    assert out == ""
    line = err.strip().splitlines()[-1]
    assert "Traceback" not in err
    assert says in line
    if status == 1:
        assert line == one_sentence(err) and len(err.strip().splitlines()) == 1
    assert not missing.exists()  # never created by an operator's command


def test_the_cli_runs_as_a_module_without_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    proc = subprocess.run(
        [sys.executable, "-m", "central", "codes", "revoke", "--db", str(missing), "ec-x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert one_sentence(proc.stderr).startswith("central: there is no central database at")


# -- devices -------------------------------------------------------------------------------


def test_a_revoked_devices_token_is_refused_and_its_commands_stay(
    central: CentralServer,
    make_device: Any,
    db: DBReader,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tablet, other = make_device("S001"), make_device("S001")
    shopper = db.shopper_only_in("S001")
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "Likes linen"}
    assert tablet.run("add_note", note)["status"] == "applied"
    device_id = tablet.info["device_id"]
    status, listing, _ = run(capsys, "devices", "list", "--db", str(central.location))
    assert status == 0
    assert tablet.info["token"] not in listing
    row = next(r.split() for r in listing.splitlines() if r.startswith(device_id))
    assert row[1:3] == ["S001", "associate"] and row[-3:] == ["demo-s001-associate", "1", "-"]

    status, out, _ = run(capsys, "devices", "revoke", "--db", str(central.location), device_id)
    assert status == 0 and "IT must enroll it again" in out

    for method, path in (("get", "/v1/sync/changes"), ("post", "/v1/sync/commands")):
        response = tablet.client.request(
            method, path, json={"commands": []} if method == "post" else None
        )
        assert_problem(response, 401, "device_revoked")
        assert "IT must enroll it again" in response.json()["detail"]
        assert response.headers["www-authenticate"] == "Bearer"
    # what it sent stays recorded; other devices go on
    assert db.rows("SELECT number, name FROM device_commands WHERE device_id = ?", device_id) == [
        (1, "add_note")
    ]
    assert db.value(
        "SELECT count(*) FROM entities WHERE entity = 'note' AND id = ?", note["note_id"]
    )
    assert other.pull(limit=1)["changes"]
    _, listing, _ = run(capsys, "devices", "list", "--db", str(central.location))
    row = next(r.split() for r in listing.splitlines() if r.startswith(device_id))
    assert row[-1] != "-"
    status, out, _ = run(capsys, "devices", "revoke", "--db", str(central.location), device_id)
    assert status == 0 and "already revoked" in out


def test_an_unknown_token_is_still_told_apart_from_a_revoked_one(device: Device) -> None:
    with http_client(device.info["url"], "y" * 43) as client:
        assert_problem(client.get("/v1/sync/changes"), 401, "unknown_token")


# -- serve's throttle ----------------------------------------------------------------------


def test_serve_takes_the_enrollment_throttle() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve", "--db", "c.db", "--enroll-throttle", "3,5,0.5"])
    assert args.enroll_throttle == Limits(per_address=3, overall=5, window_s=0.5)
    assert parser.parse_args(["serve", "--db", "c.db"]).enroll_throttle == Limits()


@pytest.mark.parametrize(
    "value", ["3,5", "3,5,0", "a,5,1", "0,5,1", "3,5,1,2", "3,5,nan", "3,5,inf"]
)
def test_a_bad_throttle_is_one_sentence(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "serve", "--db", "c.db", "--enroll-throttle", value)
    assert status == 2 and "Traceback" not in err
    assert "is not PER_ADDRESS,OVERALL,SECONDS" in err.strip().splitlines()[-1]
