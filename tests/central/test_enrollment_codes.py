"""Enrollment codes over real HTTP: bound to one store and one mode, a number of uses, an
expiry, revocable, stored hashed; every refusal looks like a wrong code."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from central import enrollment
from central.db import CentralDB, open_db
from central.demo_data import (
    DEMO_CODE_USES,
    DEMO_CODE_VALID_DAYS,
    DEMO_ENROLLMENT_CODES,
    demo_code_id,
)
from central.server import CentralServer
from sync.wire import parse_ts
from tests.central.helpers import DBReader
from tests.central.test_auth import assert_problem


@pytest.fixture
def central_db(central: CentralServer) -> Iterator[CentralDB]:
    """A second connection to the served database, as the operator's CLI opens it."""
    db = open_db(central.location)
    yield db
    db.close()


def issue(
    db: CentralDB, store: str = "S001", mode: str = "kiosk", uses: int = 2, days: float = 7
) -> tuple[enrollment.CodeInfo, str]:
    with db.transaction() as conn:
        return enrollment.issue_code(conn, store, mode, uses, timedelta(days=days))


def request(code: str, store: str = "S001", mode: str = "kiosk") -> dict[str, Any]:
    return {"enrollment_code": code, "store_id": store, "mode": mode, "device_name": "t"}


def enroll(client: httpx.Client, code: str, store: str = "S001", mode: str = "kiosk") -> Any:
    return client.post("/v1/devices/enroll", json=request(code, store, mode))


def test_an_issued_code_enrolls_its_store_and_mode_for_its_uses(
    client: httpx.Client, central_db: CentralDB, db: DBReader
) -> None:
    info, code = issue(central_db, uses=2)
    assert len(code) == 24 and code.count("-") == 4
    first = enroll(client, code)
    assert first.status_code == 200, first.text
    assert (first.json()["store_id"], first.json()["mode"]) == ("S001", "kiosk")
    # compared without regard to case or surrounding spaces
    second = enroll(client, f"  {code.lower()} ")
    assert second.status_code == 200, second.text
    assert_problem(enroll(client, code), 403, "bad_enrollment_code")  # used up
    assert db.rows("SELECT enrollment_code_id FROM devices") == [(info.id,), (info.id,)]
    assert enrollment.find_code(central_db, info.id).uses_left == 0  # type: ignore[union-attr]


def test_central_keeps_only_the_codes_hash(central: CentralServer, central_db: CentralDB) -> None:
    _, code = issue(central_db)
    if isinstance(central.location, Path):  # every byte of the files SQLite wrote
        raw = b"".join(p.read_bytes() for p in central.location.parent.glob("central.db*"))
    else:  # every row of every table, as PostgreSQL prints it
        tables = central_db.all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        raw = "".join(
            str(row[0])
            for (table,) in tables
            for row in central_db.all(f'SELECT t::text FROM "{table}" t')
        ).encode()
    assert code.encode() not in raw
    digest = hashlib.sha256(code.encode()).hexdigest()
    assert central_db.one("SELECT 1 FROM enrollment_codes WHERE code_sha256 = ?", (digest,)) == (1,)


def test_every_refused_code_gets_the_wrong_codes_answer(
    client: httpx.Client, central_db: CentralDB, db: DBReader
) -> None:
    used_up, used_up_code = issue(central_db, uses=1)
    assert enroll(client, used_up_code).status_code == 200
    devices = db.value("SELECT count(*) FROM devices")
    _, expired = issue(central_db, days=-1 / 24)
    revoked, revoked_code = issue(central_db)
    enrollment.revoke_code(central_db, revoked.id)
    _, kiosk_code = issue(central_db)
    attempts = {
        "wrong": enroll(client, "NOPE-0000-0000"),
        "used up": enroll(client, used_up_code),
        "expired": enroll(client, expired),
        "revoked": enroll(client, revoked_code),
        "another store": enroll(client, kiosk_code, store="S002"),
        "another mode": enroll(client, kiosk_code, mode="associate"),
        "demo code of another store": enroll(client, "DEMO-2026", "S002", "associate"),
        "demo code of another mode": enroll(client, "DEMO-2026", "S001", "kiosk"),
    }
    bodies = set()
    for what, response in attempts.items():
        assert response.status_code == 403, what
        assert_problem(response, 403, "bad_enrollment_code")
        bodies.add(json.dumps(response.json(), sort_keys=True))
    assert len(bodies) == 1
    assert db.value("SELECT count(*) FROM devices") == devices
    # the code bound to S001 kiosk still has both uses: refusals spend none
    assert enroll(client, kiosk_code).status_code == 200


@pytest.mark.parametrize(("store", "mode"), sorted(DEMO_ENROLLMENT_CODES))
def test_each_demo_code_enrolls_its_own_store_and_mode(
    client: httpx.Client, db: DBReader, store: str, mode: str
) -> None:
    code = DEMO_ENROLLMENT_CODES[(store, mode)]
    response = enroll(client, code, store, mode)
    assert response.status_code == 200, response.text
    assert (response.json()["store_id"], response.json()["mode"]) == (store, mode)
    left = db.value(
        "SELECT uses_left FROM enrollment_codes WHERE id = ?", demo_code_id(store, mode)
    )
    assert left == DEMO_CODE_USES - 1
    for other_store, other_mode in DEMO_ENROLLMENT_CODES:
        if (other_store, other_mode) != (store, mode):
            assert_problem(
                enroll(client, code, other_store, other_mode), 403, "bad_enrollment_code"
            )


def test_demo_codes_have_many_uses_and_a_long_life(central_db: CentralDB) -> None:
    codes = {c.id: c for c in enrollment.list_codes(central_db)}
    assert set(codes) == {demo_code_id(s, m) for s, m in DEMO_ENROLLMENT_CODES}
    for code in codes.values():
        assert code.uses_left == DEMO_CODE_USES >= 10_000
        life = parse_ts(code.expires_at) - parse_ts(code.created_at)
        assert life == timedelta(days=DEMO_CODE_VALID_DAYS) >= timedelta(days=365)
        assert code.state() == "active"
