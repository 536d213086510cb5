"""``python -m central policy``: IT changes the return policy; central enforces it at once
and tablets get it through the feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.__main__ import main
from central.db import open_db
from central.policy import current
from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.central.return_support import SCARF, put_order, return_args


def _policy(location: Path | str) -> dict[str, object]:
    db = open_db(location)
    try:
        with db.transaction() as conn:
            return current(conn).model_dump(mode="json")
    finally:
        db.close()


def test_set_changes_the_return_policy_and_show_prints_it(
    central_location: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    where = str(central_location)
    before = _policy(central_location)
    code = main(
        [
            "policy",
            "set",
            "--db",
            where,
            "return_days.web=45",
            "override_days=14",
            "not_returnable_categories=accessories, footwear",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "next sync" in capsys.readouterr().out
    after = _policy(central_location)
    assert after["return_days"] == {"web": 45, "app": 30, "store": 30}
    assert after["override_days"] == 14
    assert after["not_returnable_categories"] == ["accessories", "footwear"]
    assert after["version"] == int(before["version"]) + 1  # type: ignore[call-overload]
    assert main(["policy", "set", "--db", where, "not_returnable_categories="]) == 0
    assert _policy(central_location)["not_returnable_categories"] == []
    capsys.readouterr()
    assert main(["policy", "show", "--db", where]) == 0
    shown = capsys.readouterr().out
    assert "return_days.web = 45" in shown and "override_days = 14" in shown


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("return_days.web=400", "return_days.web"),
        ("return_days=45", "say which return_days"),
        ("override_days=soon", "whole number"),
        ("refund_days=3", "no setting 'refund_days'"),
        ("version=9", "no setting 'version'"),
        ("offer_limits=x", "cannot be changed"),
        ("days", "not a setting"),
    ],
)
def test_a_bad_setting_is_one_sentence_and_changes_nothing(
    central_location: Path | str, capsys: pytest.CaptureFixture[str], setting: str, said: str
) -> None:
    before = _policy(central_location)
    assert main(["policy", "set", "--db", str(central_location), setting]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("central: ") and said in err[0], err
    assert _policy(central_location) == before


def test_a_running_central_enforces_the_new_window_at_once(
    central: CentralServer, device: Device, db: DBReader
) -> None:
    order = put_order(db, db.shopper_only_in("S001"), days_ago=10)
    where = str(central.location)
    assert main(["policy", "set", "--db", where, "return_days.web=7"]) == 0
    refused = device.run("return_items", return_args(order))
    assert (refused["status"], refused["code"]) == ("rejected", "too_late"), refused
    assert "7-day return window" in refused["message"]
    assert main(["policy", "set", "--db", where, "not_returnable_skus=" + SCARF]) == 0
    changes, _ = device.pull_all()
    synced = changes[("policy", "chain")]["data"]
    assert synced["return_days"]["web"] == 7 and synced["not_returnable_skus"] == [SCARF]
