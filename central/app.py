"""The v1 HTTP API of the reference central services (FastAPI).

Every body is a ``sync.wire`` model; every error is problem details (``central.problems``).
All routes but health and enroll need ``Authorization: Bearer <device token>``, and a
device sees only its own store's scope in the changes feed. A kiosk never gets
associates, notes, or a shopper's email and phone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request

from central import __version__, auth, commands, expiry
from central.db import CentralDB
from central.entities import Entities, fts_query, shopper_query
from central.problems import BodyLimit, ProblemError, install
from sync import wire
from sync.rules.geo import distance_km
from sync.rules.signin import pin_matches

SESSION_HOURS = 12
DEFAULT_ENROLLMENT_CODE = "DEMO-2026"

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": wire.Problem, "description": text}
    for status, text in {
        401: "No or unknown device token",
        404: "Not found (or not in this device's scope)",
        422: "Invalid request",
        413: "Request too large",
    }.items()
}


def _enrollment_codes() -> frozenset[str]:
    try:
        from central import demo_data

        return frozenset({str(demo_data.DEMO_ENROLLMENT_CODE)})
    except (ImportError, AttributeError):  # pragma: no cover - demo data not installed
        return frozenset({DEFAULT_ENROLLMENT_CODE})


class Central:
    """The state one app instance serves from."""

    def __init__(self, db_path: Path | str) -> None:
        self.db = CentralDB(db_path)
        self.entities = Entities(self.db)
        epoch = self.db.meta("epoch")
        if epoch is None:
            epoch = uuid.uuid4().hex[:12]
            self.db.set_meta("epoch", epoch)
        self.epoch = epoch
        self.enrollment_codes = _enrollment_codes()

    # cursors are "<epoch>.<seq>": a cursor from another database restarts from the start
    def parse_cursor(self, cursor: str | None) -> int:
        if not cursor:
            return 0
        epoch, _, seq = cursor.partition(".")
        if not seq.isdigit() or len(seq) > 18:
            raise ProblemError(400, "bad_cursor", "The sync cursor is not one central gave.")
        return int(seq) if epoch == self.epoch else 0

    def cursor(self, seq: int) -> str:
        return f"{self.epoch}.{seq}"


def device(request: Request) -> auth.Device:
    """The enrolled device behind the request's bearer token (401 problem otherwise)."""
    central: Central = request.app.state.central
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(
            401,
            "no_token",
            "This route needs the device token (Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = auth.device_for_token(central.db, token.strip())
    if found is None:
        raise ProblemError(
            401,
            "unknown_token",
            "This device token is not known; enroll the device again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


DeviceDep = Annotated[auth.Device, Depends(device)]


def create_app(
    db_path: Path | str, *, expire_every: float | None = expiry.DEFAULT_EVERY_S
) -> FastAPI:
    """The FastAPI app serving the database at ``db_path`` (created if missing).

    ``expire_every``: seconds between reservation expiry sweeps, run by a background task
    for as long as the app's lifespan lasts (the first at start-up); ``None`` or ``0``
    for none (``central.expiry.expire_reservations`` can still be called directly).
    """
    central = Central(db_path)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not expire_every or expire_every <= 0:
            yield
            return
        task = asyncio.create_task(
            expiry.sweep_forever(central.db, central.entities, expire_every),
            name="reservation-expiry",
        )
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(
        title="Clienteling central services",
        version=__version__,
        description="Reference implementation of the Clienteling v1 API.",
        responses=_PROBLEMS,
        lifespan=lifespan,
    )
    app.state.central = central
    install(app)
    app.add_middleware(BodyLimit, max_bytes=1_000_000)

    @app.get("/v1/health", response_model=wire.Health, tags=["meta"])
    def health() -> wire.Health:
        return wire.Health(status="ok", version=__version__, time=wire.utc_now())

    @app.post("/v1/devices/enroll", response_model=wire.EnrollResponse, tags=["devices"])
    def enroll(body: wire.EnrollRequest) -> wire.EnrollResponse:
        if body.enrollment_code not in central.enrollment_codes:
            raise ProblemError(403, "bad_enrollment_code", "This enrollment code is not valid.")
        if not central.entities.is_store(body.store_id):
            raise ProblemError(404, "unknown_store", f"There is no store {body.store_id}.")
        dev, token = auth.enroll_device(central.db, body.store_id, body.mode, body.device_name)
        return wire.EnrollResponse(
            device_id=dev.id, token=token, store_id=dev.store_id, mode=body.mode
        )

    @app.post("/v1/sessions", response_model=wire.SessionResponse, tags=["devices"])
    def sign_in(body: wire.SessionRequest, dev: DeviceDep) -> wire.SessionResponse:
        locked = auth.locked_for(central.db, body.staff_id)
        if locked > 0:
            raise _locked(locked)
        associate = central.entities.get("associate", body.staff_id)
        # who may sign in here is settled before the PIN is checked, and every failure
        # (unknown, other store, inactive, wrong PIN) gets the same answer: no oracle
        if (
            associate is None
            or not associate.get("active", True)
            or associate.get("store_id") != dev.store_id
        ):
            pin_matches(body.pin, auth.DUMMY_PIN)  # about the same time
            associate = None
        elif not auth.verify_pin(body.pin, associate):
            associate = None
        if associate is None:
            lock = auth.record_failure(central.db, body.staff_id)
            if lock > 0:
                raise _locked(lock)
            raise ProblemError(401, "wrong_pin", "The staff id or the PIN is not right.")
        auth.clear_failures(central.db, body.staff_id)
        expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
        return wire.SessionResponse(
            staff_id=associate["id"],
            name=associate["name"],
            store_id=associate["store_id"],
            role=associate["role"],
            expires_at=expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    @app.get("/v1/shoppers", response_model=wire.ShopperSearchResult, tags=["look-ups"])
    def search_shoppers(
        dev: DeviceDep,
        q: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=100)] = 25,
    ) -> wire.ShopperSearchResult:
        text = q.strip()
        if dev.mode == "kiosk":
            # a kiosk finds a shopper by their loyalty number only, never by name
            digits = text.replace(" ", "")
            match = f'loyalty_id:"{digits}"' if digits.isdigit() and len(digits) == 12 else None
        else:
            match = shopper_query(text)
        if match is None:
            return wire.ShopperSearchResult(shoppers=[])
        found = central.entities.search_shoppers(match, limit)
        kiosk = dev.mode == "kiosk"  # a kiosk never gets contact details
        return wire.ShopperSearchResult(
            shoppers=[
                wire.ShopperSummary(
                    id=s["id"],
                    first_name=s["first_name"],
                    last_name=s["last_name"],
                    email="" if kiosk else s["email"],
                    phone="" if kiosk else s["phone"],
                    loyalty_id=s["loyalty_id"],
                    tier=s["tier"],
                    home_store_id=s["home_store_id"],
                    last_visit_at=s.get("last_visit_at"),
                )
                for s in found
            ]
        )

    @app.get("/v1/shoppers/{shopper_id}", response_model=wire.ShopperProfile, tags=["look-ups"])
    def shopper_profile(shopper_id: str, dev: DeviceDep) -> wire.ShopperProfile:
        shopper = central.entities.get("shopper", shopper_id)
        if shopper is None:
            raise ProblemError(404, "unknown_shopper", "There is no such shopper.")
        e = central.entities
        if dev.mode == "kiosk":
            shopper = for_kiosk("shopper", shopper)
        return wire.ShopperProfile(
            shopper=wire.Shopper.model_validate(shopper),
            carts=[wire.Cart.model_validate(c) for c in e.for_shopper(shopper_id, "cart")],
            wishlist=[
                wire.WishlistItem.model_validate(w)
                for w in e.for_shopper(shopper_id, "wishlist_item")
            ],
            orders=[wire.Order.model_validate(o) for o in e.for_shopper(shopper_id, "order")],
            reservations=[
                wire.Reservation.model_validate(r) for r in e.for_shopper(shopper_id, "reservation")
            ],
            # associates' notes are for associates, not for the shopper at a kiosk
            notes=[]
            if dev.mode == "kiosk"
            else [wire.Note.model_validate(n) for n in e.for_shopper(shopper_id, "note")],
        )

    @app.get("/v1/products", response_model=wire.ProductSearchResult, tags=["look-ups"])
    def search_products(
        dev: DeviceDep,
        q: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> wire.ProductSearchResult:
        match = fts_query(q) if q.strip() else None
        if q.strip() and match is None:
            return wire.ProductSearchResult(products=[])
        rows = central.entities.search_products(match, limit)
        return wire.ProductSearchResult(products=[wire.Product.model_validate(p) for p in rows])

    @app.get("/v1/inventory", response_model=wire.InventoryAnswer, tags=["look-ups"])
    def inventory(
        dev: DeviceDep,
        sku: Annotated[str, Query(min_length=1, max_length=64)],
        near_store: Annotated[str | None, Query(max_length=64)] = None,
    ) -> wire.InventoryAnswer:
        if central.entities.get("product", sku) is None:
            raise ProblemError(404, "unknown_sku", f"There is no product with SKU {sku}.")
        here_id = near_store or dev.store_id
        stores = {
            s["id"]: s
            for s in (central.entities.get("store", sid) for sid in central.entities.store_kinds())
            if s
        }
        here = stores.get(here_id)
        if here is None:
            raise ProblemError(404, "unknown_store", f"There is no store {here_id}.")
        answer: list[tuple[float, wire.StoreStock]] = []
        for store in stores.values():
            inv = central.entities.get("inventory", f"{store['id']}:{sku}")
            online = store["kind"] != "store"
            distance = (
                None
                if online
                else distance_km(wire.Store.model_validate(here), wire.Store.model_validate(store))
            )
            answer.append(
                (
                    math.inf if distance is None else distance,
                    wire.StoreStock(
                        store_id=store["id"],
                        store_name=store["name"],
                        distance_km=None if distance is None else round(distance, 1),
                        on_hand=inv["on_hand"] if inv else 0,
                        reserved=inv["reserved"] if inv else 0,
                        available=inv["available"] if inv else 0,
                        updated_at=inv["updated_at"] if inv else store["updated_at"],
                    ),
                )
            )
        answer.sort(key=lambda pair: (pair[1].store_id != here_id, pair[0], pair[1].store_id))
        return wire.InventoryAnswer(sku=sku, stores=[stock for _, stock in answer])

    @app.get("/v1/sync/changes", response_model=wire.ChangesPage, tags=["sync"])
    def changes(
        dev: DeviceDep,
        cursor: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1)] = 500,
    ) -> wire.ChangesPage:
        after = central.parse_cursor(cursor)
        kiosk = dev.mode == "kiosk"
        rows, has_more, total = central.entities.changes(
            dev.store_id, after, min(limit, 2000), kiosk=kiosk
        )
        page: list[wire.Change] = []
        for seq, entity, id_, version, deleted, data in rows:
            value = None if deleted else _loads(data)
            if kiosk and value is not None:
                value = for_kiosk(entity, value)
            page.append(
                wire.Change.model_construct(
                    seq=seq,
                    entity=entity,
                    id=id_,
                    version=version,
                    deleted=bool(deleted),
                    data=value,
                )
            )
        last = rows[-1][0] if rows else after
        return wire.ChangesPage.model_construct(
            changes=page,
            next_cursor=central.cursor(last),
            has_more=has_more,
            total_estimate=total,
        )

    @app.post("/v1/sync/commands", response_model=wire.CommandsResponse, tags=["sync"])
    def post_commands(body: wire.CommandsRequest, dev: DeviceDep) -> wire.CommandsResponse:
        ordered = sorted(body.commands, key=lambda c: c.number)
        try:
            return commands.apply_batch(central.db, central.entities, dev, ordered)
        except commands.CommandFailed as failed:  # logged once where it happened
            raise ProblemError(
                500,
                "internal_error",
                f"Central failed to apply command {failed.number} ({failed.name});"
                " nothing of it was kept. Send it again later.",
            ) from None

    return app


def for_kiosk(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a kiosk may see of an entity: a shopper without email and phone (served
    blank, never changed in storage; id and version stay, so the change still checks)."""
    if entity == "shopper":
        return {**data, "email": "", "phone": ""}
    return data


def _loads(raw: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(raw)
    return value


def _locked(seconds: float) -> ProblemError:
    minutes = max(1, math.ceil(seconds / 60))
    return ProblemError(
        429,
        "locked",
        f"Too many wrong PINs: this staff id is locked for {minutes} more minute(s).",
        headers={"Retry-After": str(math.ceil(seconds))},
    )
