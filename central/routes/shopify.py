"""``POST /v1/integration/shopify/webhooks``: Shopify's webhooks, as Shopify sends them
(``central.integration.shopify``). No bearer token: each shop's shared secret signs the
body (``X-Shopify-Hmac-Sha256``), verified over the raw bytes before anything is parsed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from central.integration import shopify
from central.problems import ProblemError
from central.routes.deps import CentralDep

router = APIRouter(tags=["integration"])


@router.post(
    "/v1/integration/shopify/webhooks",
    summary="Receive a Shopify webhook",
    responses={401: {"description": "Unknown shop, or the HMAC does not match the body"}},
)
async def shopify_webhook(
    request: Request,
    central: CentralDep,
    x_shopify_topic: Annotated[str | None, Header()] = None,
    x_shopify_hmac_sha256: Annotated[str | None, Header()] = None,
    x_shopify_shop_domain: Annotated[str | None, Header()] = None,
    x_shopify_webhook_id: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Verified, deduplicated by ``X-Shopify-Webhook-Id``, mapped to integration records
    and applied; answers 200 with what became of it (``applied``, ``duplicate`` or
    ``ignored`` with a reason: Shopify retries anything else)."""
    body = await request.body()
    try:
        outcome = await run_in_threadpool(
            shopify.receive,
            central.db,
            shop=x_shopify_shop_domain,
            topic=x_shopify_topic,
            webhook_id=x_shopify_webhook_id,
            hmac_header=x_shopify_hmac_sha256,
            body=body,
        )
    except shopify.Unauthorized:
        raise ProblemError(
            401,
            "bad_signature",
            "The shop is not configured here, or X-Shopify-Hmac-Sha256 does not match the body.",
        ) from None
    answer: dict[str, Any] = {"status": outcome.status, "results": outcome.results}
    if outcome.reason:
        answer["reason"] = outcome.reason
    return answer
