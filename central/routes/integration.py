"""The integration API for the retailer's systems (``central.integration``): records in,
events out. Every route needs ``Authorization: Bearer <integration key>``; a device token
is refused here (403 ``device_token``), as an integration key is on the device routes.
The page for a retailer's developers: ``docs/integration-api.md``.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from central import auth
from central.integration import keys
from central.integration.events import MAX_EVENTS_PAGE, BadCursor, events_after
from central.integration.models import EventsPage, RecordsRequest, RecordsResponse
from central.integration.records import apply_records
from central.messaging import links
from central.problems import ProblemError
from central.routes.deps import CentralDep, central
from sync import wire

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": wire.Problem, "description": "No, unknown or revoked integration key"},
    403: {"model": wire.Problem, "description": "A device token: this API takes integration keys"},
}

log = logging.getLogger("clienteling.central")

router = APIRouter(tags=["integration"], responses=_PROBLEMS)


def integration_key(request: Request) -> keys.IntegrationKey:
    """The live integration key behind the request's bearer token (401 ``no_key``,
    ``unknown_key`` or ``key_revoked``; 403 ``device_token`` for a device's token)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token:
        raise ProblemError(
            401,
            "no_key",
            "The integration API needs an integration key (Authorization: Bearer <key>);"
            " an operator creates one with python -m central integrations create NAME.",
            headers=challenge,
        )
    db = central(request).db
    found = keys.key_for(db, token)
    if found is None:
        if auth.device_for_token(db, token) is not None:
            raise ProblemError(
                403,
                "device_token",
                "This is a device token; the integration API takes integration keys only.",
            )
        raise ProblemError(
            401, "unknown_key", "This integration key is not known.", headers=challenge
        )
    if found.revoked_at is not None:
        raise ProblemError(
            401,
            "key_revoked",
            f"This integration key ({found.name}) was revoked at {found.revoked_at}.",
            headers=challenge,
        )
    return found


KeyDep = Annotated[keys.IntegrationKey, Depends(integration_key)]


@router.post("/v1/integration/records", response_model=RecordsResponse)
def post_records(body: RecordsRequest, key: KeyDep, central: CentralDep) -> RecordsResponse:
    """Apply records from the retailer's system, in order: one result per record
    (``applied``, ``unchanged``, ``stale`` or ``rejected`` with a problem), a bad record
    rejected alone. Versions are kept per key name (the source)."""
    results = apply_records(central.db, body.records, source=key.name, entities=central.entities)
    counts = Counter(r.status for r in results)
    log.info(
        "integration %s: %d record(s): %s",
        key.name,
        len(results),
        ", ".join(f"{n} {status}" for status, n in sorted(counts.items())),
    )
    return RecordsResponse(results=results)


@router.get("/v1/integration/events", response_model=EventsPage)
def get_events(
    key: KeyDep,
    central: CentralDep,
    cursor: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_EVENTS_PAGE)] = 100,
) -> EventsPage:
    """What stores did, after ``cursor`` (empty: from the first event), in one total order;
    send ``next_cursor`` back to read on. A replayed command never makes a second event."""
    try:
        return events_after(central.db, cursor, limit)
    except BadCursor:
        raise ProblemError(
            400, "bad_cursor", "The events cursor is not one central gave."
        ) from None


@router.get(
    "/v1/integration/links/{token}",
    response_model=links.LinkOpens,
    responses={
        404: {"model": wire.Problem, "description": "A link central did not sign or make"},
        410: {"model": wire.Problem, "description": "The link has expired"},
    },
)
def get_link(
    key: KeyDep,
    central: CentralDep,
    token: Annotated[str, Path(max_length=links.MAX_TOKEN)],
) -> links.LinkOpens:
    """What a link central put in a message opens (``central.messaging.links``): the cart
    as the associate left it, a look's products, an order's pay link, or a product, for
    the shopper it was sent to. 404 ``unknown_link`` for a token central did not sign or
    does not know (a forged one alike), 410 ``link_expired`` after its 30 days. The token
    is never logged."""
    with central.db.reading() as conn:
        link = links.resolve(conn, token)
        if link is None:
            raise ProblemError(404, "unknown_link", "This link is not one central made.")
        if link.expired():
            raise ProblemError(
                410, "link_expired", f"This link expired at {link.expires_at}; ask for a new one."
            )
        found = links.opened(conn, link)
    log.info("integration %s: opened a %s link", key.name, link.kind)
    return found
