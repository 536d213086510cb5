"""``python -m central integrations create|list|revoke``: a key is printed once and works,
the listing never shows it, a revoked key is refused; bad input is one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.server import CentralServer
from tests.central.test_admin import one_sentence, run
from tests.support.central_server import http_client


def test_create_list_revoke(central: CentralServer, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(central.location)
    status, out, _ = run(capsys, "integrations", "create", "webshop", "--db", db)
    assert status == 0
    key, sentence = out.strip().splitlines()
    assert key.startswith("ck_") and "shown only now" in sentence
    status, listing, _ = run(capsys, "integrations", "list", "--db", db)
    header, row = listing.strip().splitlines()
    assert header.split() == ["NAME", "ID", "CREATED", "LAST", "USED", "REVOKED"]
    assert row.split()[0] == "webshop" and row.split()[3:] == ["never", "-"]
    with http_client(central.url, key) as system:
        assert system.get("/v1/integration/events").status_code == 200
    _, listing, _ = run(capsys, "integrations", "list", "--db", db)
    assert key not in listing
    assert listing.strip().splitlines()[1].split()[3] != "never"  # last used, now
    status, out, _ = run(capsys, "integrations", "revoke", "webshop", "--db", db)
    assert (status, out.strip()) == (
        0,
        "Integration key webshop is revoked: it is refused from now on.",
    )
    with http_client(central.url, key) as system:
        assert system.get("/v1/integration/events").status_code == 401
    status, out, _ = run(capsys, "integrations", "revoke", "webshop", "--db", db)
    assert status == 0 and "already revoked" in out
    _, listing, _ = run(capsys, "integrations", "list", "--db", db)
    assert listing.strip().splitlines()[1].split()[-1] != "-"


def test_bad_input_is_one_sentence(
    central: CentralServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(central.location)
    assert run(capsys, "integrations", "create", "webshop", "--db", db)[0] == 0
    for argv, says in (
        (("create", "webshop"), "a live key named webshop exists"),
        (("create", "Web Shop!"), "is not a key name"),
        (("revoke", "nobody"), "there is no integration key named nobody"),
    ):
        status, _, err = run(capsys, "integrations", *argv, "--db", db)
        assert status == 1 and says in one_sentence(err), err
    status, _, err = run(capsys, "integrations", "list", "--db", str(tmp_path / "none.db"))
    assert status == 1 and "there is no central database" in one_sentence(err)
    assert not (tmp_path / "none.db").exists()
    status, _, err = run(capsys, "integrations", "create", "--db", db)
    assert status == 2 and "Traceback" not in err
