"""What the compose dialog knows before sending, read once from the cache when it opens:
who the shopper is, whether each channel may carry a message of each purpose now
(``sync.rules.messaging.refusal`` under the policy this tablet last synced: the same
rule central applies), the templates, and the values a template is filled with.

``Reach.load(ctx, shopper_id)`` reads; ``refusal(channel, purpose)`` answers from memory,
so toggling a channel or the purpose never touches SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, cast

from sync import wire
from sync.commands.send_message import _NO_LIMITS as NO_LIMITS
from sync.commands.send_message import CHANNELS
from sync.rules import messaging

if TYPE_CHECKING:
    from app.context import AppContext

CHANNEL_ONLY = ("no_address", "no_consent", "unsubscribed")
"""Refusals that belong to one channel (the others, quiet hours and the cap, to them all)."""


@dataclass
class Reach:
    shopper: wire.Shopper
    store: wire.Store | None
    policy: wire.Policy
    now: datetime
    last_marketing_at: datetime | None
    associate: str
    templates: list[wire.MessageTemplate] = field(default_factory=list)
    cart_id: str | None = None
    pay_orders: list[wire.Order] = field(default_factory=list)  # waiting for a pay link

    @classmethod
    def load(cls, ctx: AppContext, shopper_id: str) -> Reach | None:
        cache = ctx.cache
        shopper = ctx.messages.read(lambda: cache.shopper(shopper_id))
        if shopper is None:
            return None
        store_id, staff_id = ctx.store_id, ctx.staff_id
        store = ctx.messages.read(lambda: cache.store(store_id))
        last = ctx.messages.read(lambda: cache.last_marketing_at(shopper_id))
        who = ctx.messages.read(lambda: cache.associate(staff_id)) if staff_id else None
        profile = ctx.messages.read(lambda: cache.shopper_profile(shopper_id))
        pay: list[wire.Order] = []
        for order in profile.orders if profile else ():
            if order.payment_method != "pay_by_link":
                continue
            row = ctx.messages.read(partial(cache.shopper_row, "orders", order.id))
            if isinstance(row, wire.Order) and _awaits_payment(row):
                pay.append(row)
        return cls(
            shopper=shopper,
            store=store,
            policy=ctx.messages.read(lambda: cache.policy() or NO_LIMITS) or NO_LIMITS,
            now=datetime.fromisoformat(cache.now()),
            last_marketing_at=datetime.fromisoformat(last) if last else None,
            associate=who.name.split(" ")[0] if who else "",
            templates=ctx.messages.read(cache.message_templates) or [],
            cart_id=profile.cart_id if profile and profile.cart else None,
            pay_orders=pay,
        )

    def refusal(self, channel: str, purpose: str) -> messaging.Refusal | None:
        return messaging.refusal(
            shopper=self.shopper,
            channel=cast(wire.MessageChannel, channel),
            purpose=cast(wire.MessagePurpose, purpose),
            policy=self.policy,
            store=self.store,
            now=self.now,
            last_marketing_at=self.last_marketing_at,
        )

    def channel_refusals(self, purpose: str) -> dict[str, messaging.Refusal | None]:
        """Each channel's own refusal (no address, no consent, unsubscribed)."""
        found: dict[str, messaging.Refusal | None] = {}
        for channel in CHANNELS:
            refused = self.refusal(channel, purpose)
            found[channel] = refused if refused and refused.code in CHANNEL_ONLY else None
        return found

    def timing(self, channel: str, purpose: str) -> messaging.Refusal | None:
        """Quiet hours or the cap: what stops a message on any channel now."""
        refused = self.refusal(channel, purpose)
        return refused if refused and refused.code not in CHANNEL_ONLY else None

    def templates_for(self, channel: str) -> list[wire.MessageTemplate]:
        return [t for t in self.templates if channel in t.channels]

    def values(self) -> dict[str, str]:
        """What ``{first_name}``, ``{associate}`` and ``{store}`` stand for."""
        return {
            "first_name": self.shopper.first_name,
            "associate": self.associate,
            "store": self.store.name if self.store else "",
        }

    def fill(self, text: str) -> str:
        return messaging.fill(text, self.values())


def _awaits_payment(order: wire.Order) -> bool:
    return order.payment.method == "pay_by_link" and order.payment.status == "pending"


def template_for(
    templates: list[wire.MessageTemplate], attaches: str
) -> wire.MessageTemplate | None:
    """The first template made for what the message attaches ("back_in_stock", "cart",
    "pay_link", "products", "look"), or None."""
    for template in templates:
        if template.attaches == attaches:
            return template
    return None
