"""The messaging routes: the SMS/WhatsApp provider's webhooks and the unsubscribe page.

``POST /v1/messaging/{provider}/status`` and ``.../inbound`` take no bearer token: the
provider signs the raw body with its token (HMAC-SHA256, hex, in ``X-Signature-SHA256``),
checked before the body is parsed: a bad signature is 401, a body that is not the
expected JSON 422, a provider central has no configuration for 404. Neither logs a phone
number or a text. ``GET /u/{token}`` is the link in every email: it withdraws the
shopper's email consent once and says so in a plain page.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from central.db import CentralDB
from central.entities import Entities
from central.messaging import inbound, render
from central.messaging.config import PROVIDER_CHANNELS, MessagingConfig, ProviderSettings
from central.messaging.providers import SIGNATURE_HEADER, signature_matches
from central.problems import ProblemError
from central.routes.deps import CentralDep
from central.state import Central

log = logging.getLogger("clienteling.central.messaging")

router = APIRouter(tags=["messaging"])


def _provider(request: Request, provider: str) -> ProviderSettings:
    config: MessagingConfig | None = request.app.state.messaging
    settings = config.providers.get(provider) if config is not None else None
    if provider not in PROVIDER_CHANNELS or settings is None:
        raise ProblemError(
            404, "not_found", f"Central has no provider '{provider[:20]}' configured."
        )
    return settings


async def _verified(request: Request, provider: str, given: str | None) -> bytes:
    settings = _provider(request, provider)
    body = await request.body()
    if not signature_matches(settings.token, body, given):
        log.warning("%s webhook refused: the signature does not match the body", provider)
        raise ProblemError(
            401, "bad_signature", f"{SIGNATURE_HEADER} does not match the body for this provider."
        )
    return body


def _parse(model: type[BaseModel], body: bytes, provider: str) -> BaseModel:
    try:
        return model.model_validate_json(body)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "body" for e in error.errors()})
        log.warning("%s webhook refused: unexpected body (fields: %s)", provider, ", ".join(fields))
        raise ProblemError(
            422,
            "invalid_body",
            f"The webhook body is not what central expects ({', '.join(fields)}).",
        ) from None


@router.post(
    "/v1/messaging/{provider}/status",
    summary="A provider reports what became of a message",
    responses={401: {"description": "The signature does not match the body"}},
)
async def status(
    provider: str,
    request: Request,
    central: CentralDep,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
) -> dict[str, Any]:
    return await _receive(
        request, central, provider, signature, inbound.StatusReport, inbound.apply_status
    )


@router.post(
    "/v1/messaging/{provider}/inbound",
    summary="A shopper's text to us, through the provider (STOP withdraws consent)",
    responses={401: {"description": "The signature does not match the body"}},
)
async def inbound_text(
    provider: str,
    request: Request,
    central: CentralDep,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
) -> dict[str, Any]:
    return await _receive(
        request, central, provider, signature, inbound.InboundText, inbound.apply_inbound
    )


async def _receive(
    request: Request,
    central: Central,
    provider: str,
    signature: str | None,
    model: type[BaseModel],
    apply: Callable[[CentralDB, Entities, str, Any], inbound.Outcome],
) -> dict[str, Any]:
    """Verify, parse as ``model`` and ``apply`` one webhook; what became of it."""
    body = await _verified(request, provider, signature)
    parsed = _parse(model, body, provider)
    outcome = await run_in_threadpool(apply, central.db, central.entities, provider, parsed)
    return {"status": outcome.status, **({"reason": outcome.reason} if outcome.reason else {})}


def _page(title: str, text: str, status_code: int = 200) -> HTMLResponse:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head>"
        f"<body style='font-family: sans-serif; max-width: 36em; margin: 3em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status_code)


@router.get("/u/{token}", response_class=HTMLResponse, summary="Unsubscribe from a message's link")
@router.post("/u/{token}", response_class=HTMLResponse, summary="One-click unsubscribe (RFC 8058)")
async def unsubscribe(token: str, central: CentralDep, request: Request) -> HTMLResponse:
    secret = await run_in_threadpool(render.link_secret, central.db)
    found = render.read_unsubscribe_token(secret, token)
    if found is None:
        return _page(
            "This link does not work",
            "We could not read this unsubscribe link. Reply to the message or contact "
            "your store, and we will take you off the list.",
            404,
        )
    message_id, channel = found
    done = await run_in_threadpool(
        inbound.unsubscribe, central.db, central.entities, message_id, channel
    )
    if done is None:
        return _page(
            "This link does not work",
            "We no longer know this message. Contact your store and we will take you off the list.",
            404,
        )
    request.app.state.live.poke()
    words = "emails" if channel == "email" else "messages"
    if done:
        return _page("You are unsubscribed", f"We will send you no more {words} like this one.")
    return _page("You were already unsubscribed", f"We send you no {words} like this one.")
