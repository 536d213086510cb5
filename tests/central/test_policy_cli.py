"""``python -m central policy --show | --set``: IT reads and changes the return and loyalty
numbers; bad input is one sentence and writes nothing; a change reaches the devices' feed
and central decides with it at once (a running server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.central.points_support import entity, place_order, redeem, shopper_with_points
from tests.central.test_admin import one_sentence, run


def _shown(out: str) -> dict[str, str]:
    lines = [ln.split("  #")[0] for ln in out.strip().splitlines() if "=" in ln]
    return dict(ln.split("=", 1) for ln in lines)


def test_show_then_set_reaches_devices_and_central_decides_with_it(
    central: CentralServer, capsys: pytest.CaptureFixture[str], device: Device, db: DBReader
) -> None:
    where = str(central.location)
    status, out, _ = run(capsys, "policy", "--db", where, "--show")
    assert status == 0
    shown = _shown(out)
    assert shown["return_days.web"] == "30" and shown["min_redeem_points"] == "500"
    assert shown["max_redeem_percent"] == "50" and shown["not_returnable_skus"] == ""
    version = entity(db, "policy", "chain")["version"]
    _, cursor = device.pull_all()
    status, out, _ = run(
        capsys,
        "policy",
        "--db",
        where,
        "--set",
        "return_days.web=45",
        "--set",
        "min_redeem_points=1000",
        "--set",
        "not_returnable_categories=Underwear, Gift cards",
    )
    assert status == 0, out
    shown = _shown(out)
    assert (shown["return_days.web"], shown["return_days.app"]) == ("45", "30")
    assert shown["not_returnable_categories"] == "Underwear,Gift cards"
    assert f"Policy version {version + 1} saved" in out
    stored = entity(db, "policy", "chain")
    assert stored["return_days"]["web"] == 45 and stored["min_redeem_points"] == 1000
    changes, _ = device.pull_all(cursor)
    assert changes[("policy", "chain")]["data"]["min_redeem_points"] == 1000
    shopper = shopper_with_points(db, "S001", 5000)
    order = place_order(device, db, shopper)
    refused = device.run("redeem_points", redeem(shopper, 800, order["id"]))
    assert (refused["status"], refused["code"]) == ("rejected", "not_enough_points")
    assert refused["message"] == "Points are used 1,000 or more at a time."


@pytest.mark.sqlite_only
def test_bad_input_is_one_sentence_and_writes_nothing(
    central: CentralServer, capsys: pytest.CaptureFixture[str], db: DBReader, tmp_path: Path
) -> None:
    where = str(central.location)
    before = db.digest()
    for argv, says in (
        (("--set", "return_days.moon=3"), "there is no policy number 'return_days.moon'"),
        (("--set", "max_redeem_percent=150"), "max_redeem_percent: input should be less than"),
        (("--set", "point_value_cents=0"), "point_value_cents: input should be greater than"),
        (("--set", "return_days.web=thirty"), "return_days.web takes a whole number"),
        (("--set", "override_days"), "write 'override_days' as NAME=VALUE"),
    ):
        status, out, err = run(capsys, "policy", "--db", where, *argv)
        assert status == 1 and out == ""
        assert says in one_sentence(err), err
    assert db.digest() == before
    missing = tmp_path / "none.db"
    status, _, err = run(capsys, "policy", "--db", str(missing), "--show")
    assert status == 1 and "there is no central database" in one_sentence(err)
    assert not missing.exists()
    status, _, err = run(capsys, "policy", "--db", where)  # neither --show nor --set
    assert status == 2 and "Traceback" not in err
