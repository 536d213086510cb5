"""The retailer's message templates in the demo: what an associate starts a message from.

Each fills ``{first_name}``, ``{associate}`` and ``{store}`` (``sync.rules.messaging.fill``)
and says what it attaches, so the compose dialog offers the right thing. The reservation's
"ready" text is the one central sends itself (``central.messaging.service``).
"""

from __future__ import annotations

from collections.abc import Iterator

from central.messaging.service import READY_BODY, READY_SUBJECT, READY_TEMPLATE_ID

from .timeline import Row

TEMPLATES: tuple[dict[str, object], ...] = (
    {
        "id": "tpl-cart-reminder",
        "name": "Cart reminder",
        "purpose": "marketing",
        "channels": ["email", "sms", "whatsapp"],
        "subject": "Still thinking it over, {first_name}?",
        "body": "Hello {first_name}, the pieces you chose are still waiting in your cart. "
        "Finish online whenever suits you, or drop in to {store} to try them on. {associate}",
        "attaches": "cart",
    },
    {
        "id": "tpl-back-in-stock",
        "name": "Back in stock",
        "purpose": "marketing",
        "channels": ["email", "sms", "whatsapp"],
        "subject": "Back in stock for you, {first_name}",
        "body": "Good news, {first_name}: something on your wishlist is back in stock. "
        "Shall I put it aside at {store}? {associate}",
        "attaches": "back_in_stock",
    },
    {
        "id": "tpl-new-arrivals-look",
        "name": "New arrivals: a look for you",
        "purpose": "marketing",
        "channels": ["email", "whatsapp"],
        "subject": "A look I put together for you, {first_name}",
        "body": "Hello {first_name}, the new season has landed at {store} and I thought of "
        "you. Here is a look I put together; I would love to show you in store. {associate}",
        "attaches": "look",
    },
    {
        "id": "tpl-thank-you",
        "name": "Thank you after a purchase",
        "purpose": "marketing",
        "channels": ["email", "sms", "whatsapp"],
        "subject": "Thank you, {first_name}",
        "body": "Thank you for shopping with us at {store}, {first_name}. If anything needs "
        "altering or you would like to see what goes with it, just reply. {associate}",
        "attaches": "products",
    },
    {
        "id": "tpl-birthday",
        "name": "Birthday",
        "purpose": "marketing",
        "channels": ["email", "sms", "whatsapp"],
        "subject": "Happy birthday, {first_name}!",
        "body": "Happy birthday, {first_name}! Everyone at {store} wishes you a lovely day. "
        "Come and see us this month for a little something. {associate}",
        "attaches": "none",
    },
    {
        "id": READY_TEMPLATE_ID,
        "name": "Your reservation is ready",
        "purpose": "service",
        "channels": ["email", "sms"],
        "subject": READY_SUBJECT,
        "body": READY_BODY,
        "attaches": "none",
    },
    {
        "id": "tpl-pay-by-link",
        "name": "Pay by link",
        "purpose": "service",
        "channels": ["email", "sms", "whatsapp"],
        "subject": "Your order from {store}: pay online",
        "body": "Hello {first_name}, here is the link to pay for the order we placed "
        "together at {store}. Thank you! {associate}",
        "attaches": "pay_link",
    },
)


def message_templates(updated_at: str) -> Iterator[Row]:
    for template in TEMPLATES:
        yield {"version": 1, "updated_at": updated_at, "active": True, **template}
