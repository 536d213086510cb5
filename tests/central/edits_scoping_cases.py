"""The scoping case of ``update_shopper`` (collected by ``test_store_scoping``): a kiosk
is refused; a tablet of any store may edit a shopper central knows (serving them puts
them in its book); an unknown shopper is refused."""

from __future__ import annotations

import json
from typing import Any

from sync.wire import utc_now
from tests.central.helpers import DBReader


def _shopper(db: DBReader, shopper_id: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", shopper_id)
    return dict(json.loads(raw))


def case_update_shopper(make_device: Any, db: DBReader) -> None:
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")
    args = {
        "shopper_id": shopper,
        "edits": {"favourite_brands": ["Arc'teryx", "Veja"]},
        "changed_at": utc_now(),
    }
    seq = db.value("SELECT max(seq) FROM entities")
    refused = cork_kiosk.run("update_shopper", args, staff_id=None)
    assert refused["status"] == "rejected" and refused["code"] == "not_allowed", refused
    assert db.value("SELECT max(seq) FROM entities") == seq
    unknown = cork.run("update_shopper", {**args, "shopper_id": "no-such-shopper"})
    assert unknown["code"] == "unknown_shopper", unknown
    done = cork.run("update_shopper", args, staff_id="A1006")
    assert done["status"] == "applied", done
    assert _shopper(db, shopper)["favourite_brands"] == ["Arc'teryx", "Veja"]
    books = {r[0] for r in db.rows("SELECT store_id FROM entity_scopes WHERE id = ?", shopper)}
    assert {"S001", "S002"} <= books
