"""The associate app's messaging screens (``tools.screenshots.associate`` walks them):
composing an email with product cards, an SMS from a back-in-stock row, a refusal at the
field (quiet hours), and the message thread in the profile's timeline (delivered with its
cards, a reply, a failed SMS, one queued, one central refused).

The retailer's templates come from central's demo data when it has them; a database
without any gets the three of ``tests.app.compose_data`` first, as central would hold them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.app.compose_data import (
    add_templates,
    emailable_shopper,
    one,
    put_at_central,
    set_policy,
)
from tools.screenshots.common import click, settle, until


def _stamp(**ago: float) -> str:
    return (datetime.now(UTC) - timedelta(**ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _texting(cache: Any) -> str:
    """A shopper of S001 who agreed to text messages, with a wishlist item."""
    return one(
        cache,
        """
            SELECT s.id FROM shoppers s JOIN wishlist_items w ON w.shopper_id = s.id
            WHERE s.home_store_id = 'S001' AND json_extract(s.data, '$.phone') != ''
              AND json_extract(s.data, '$.consent.sms') = 1
            ORDER BY s.id LIMIT 1""",
    )


async def _policy(s: Any, *, quiet_now: bool) -> None:
    set_policy(s.central.db_path, quiet_now=quiet_now)
    await until(
        lambda: (
            (p := s.ctx.cache.policy()) is not None and (p.quiet_start != p.quiet_end) == quiet_now
        ),
        30,
        "the policy on the tablet",
    )


async def _profile(s: Any, shopper_id: str) -> Any:
    s.window.show_shopper(shopper_id)
    page = s.page("shopper")
    await until(lambda: getattr(page, "shopper_id", None) == shopper_id, 20, "the profile")
    await settle()
    return page


async def compose_email(s: Any) -> Any:
    """An email from the profile: a template filled in, two product cards attached."""
    from app.dialogs.compose.reach import template_for
    from app.dialogs.compose_dialog import open_compose

    if not s.central.running:  # the walk before left the tablet offline
        s.central.restart()
        s.ctx.bridge.nudge()
        await until(lambda: s.ctx.bridge.state.online, 60, "online again")
    if not s.ctx.cache.message_templates():
        add_templates(s.central.db_path)
        await until(lambda: s.ctx.cache.message_templates(), 30, "the templates")
    await _policy(s, quiet_now=False)
    shopper_id = emailable_shopper(s.ctx.cache)
    page = await _profile(s, shopper_id)
    dialog = open_compose(s.ctx, page, shopper_id=shopper_id)
    assert dialog is not None
    # a look of products (the demo's "New arrivals" template), else products, else ours
    templates = dialog.reach.templates_for("email")
    wanted = template_for(templates, "look") or template_for(templates, "products")
    chosen = wanted.id if wanted else "tpl-hello"
    dialog.template.setCurrentIndex(max(1, dialog.template.findData(chosen)))
    if dialog.attach.look.isChecked():
        dialog.attach.look_title.setText("Weekend in Connemara")
    for sku in [c.sku for c in dialog.attach.cards.model.records()][:2]:
        dialog.attach.cards.set_chosen(sku, True)
    await settle(300)
    # the cards, under the text (the dialog scrolls at 1024x768)
    dialog.scroll_area.ensureWidgetVisible(dialog.attach.look_title)
    s.window.banner.hide()  # "Back online." after the walk before: said and gone
    return dialog


async def compose_sms(s: Any) -> Any:
    """An SMS from a back-in-stock row: its reason, its SKU and the back-in-stock template."""
    from app.dialogs.compose_dialog import open_compose

    shopper_id = _texting(s.ctx.cache)
    sku = one(
        s.ctx.cache,
        "SELECT json_extract(data, '$.sku') FROM wishlist_items WHERE shopper_id = ? LIMIT 1",
        shopper_id,
    )
    page = await _profile(s, shopper_id)
    dialog = open_compose(
        s.ctx,
        page,
        shopper_id=shopper_id,
        reason="Wished for online: back in stock here since yesterday",
        skus=(sku,),
    )
    assert dialog is not None
    click(dialog.channel.buttons["sms"])
    await settle(300)
    return dialog


async def compose_refused(s: Any) -> Any:
    """Quiet hours at the store: the field says so before anything is written."""
    from app.dialogs.compose_dialog import open_compose

    await _policy(s, quiet_now=True)
    shopper_id = emailable_shopper(s.ctx.cache)
    page = await _profile(s, shopper_id)
    dialog = open_compose(s.ctx, page, shopper_id=shopper_id, share_cart=True)
    assert dialog is not None
    click(dialog.confirm_button)
    await settle(300)
    return dialog


def _at_central(s: Any, shopper_id: str, message_id: str, **data: Any) -> None:
    put_at_central(
        s.central.db_path,
        "message",
        {
            "id": message_id,
            "shopper_id": shopper_id,
            "store_id": "S001",
            "direction": "out",
            "channel": "email",
            "purpose": "marketing",
            "author": {"staff_id": "A1001", "name": "Aoife Byrne"},
            **data,
        },
    )


async def shopper_messages(s: Any) -> None:
    """The thread in the timeline: delivered with cards and the shopper's reply, a failed
    SMS, a service message queued at central, and one central refused (quiet hours)."""
    ctx = s.ctx
    await _policy(s, quiet_now=False)
    shopper_id = emailable_shopper(ctx.cache)
    profile = ctx.cache.shopper_profile(shopper_id)
    first = profile.shopper.first_name
    skus = [line.product.sku for line in profile.cart][:2]
    _at_central(
        s,
        shopper_id,
        "shot-msg-1",
        subject=f"A few ideas for you, {first}",
        body=f"Hi {first}, I put a few things aside that I think you'll love. Aoife",
        attachments={"skus": skus},
        status="delivered",
        created_at=_stamp(days=3),
        sent_at=_stamp(days=3),
        delivered_at=_stamp(days=3),
    )
    _at_central(
        s,
        shopper_id,
        "shot-msg-2",
        direction="in",
        author=None,
        reply_to="shot-msg-1",
        subject=f"Re: A few ideas for you, {first}",
        body="Love the boots! Could you keep a 38 for Saturday morning?",
        status="received",
        created_at=_stamp(days=2, hours=20),
    )
    _at_central(
        s,
        shopper_id,
        "shot-msg-3",
        channel="sms",
        purpose="service",
        subject=None,
        body="Your boots are ready to collect at Dublin Grafton Street.",
        status="failed",
        status_note="The number did not accept text messages.",
        created_at=_stamp(days=1),
    )
    await until(lambda: len(ctx.cache.messages(shopper_id)) >= 3, 30, "the messages")
    ctx.commands.send_message(
        shopper_id=shopper_id,
        channel="email",
        purpose="service",
        subject="Your boots are ready",
        body=f"Hi {first}, your boots are ready to collect. See you Saturday! Aoife",
    )
    await until(lambda: ctx.bridge.state.pending == 0, 30, "the service message sent")
    # offline, a marketing email waits; central's quiet hours begin before it arrives
    s.central.stop()
    ctx.bridge.nudge()
    await until(lambda: not ctx.bridge.state.online, 30, "offline")
    ctx.commands.send_message(
        shopper_id=shopper_id,
        channel="email",
        purpose="marketing",
        subject=f"Your cart, {first}",
        body=f"Hi {first}, here is your cart as we left it. Aoife",
        attachments={"cart_id": profile.cart_id},
    )
    set_policy(s.central.db_path, quiet_now=True)
    s.central.restart()
    ctx.bridge.nudge()
    await until(
        lambda: any(m.status == "refused" for m in ctx.cache.messages(shopper_id)),
        60,
        "the refusal",
    )
    page = await _profile(s, shopper_id)
    page.tabs.setCurrentWidget(page.notes_tab)
    s.window.banner.hide()  # central's rejection, told once: the thread says it too
    await settle(400)
