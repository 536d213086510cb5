"""``Cache.messages``: a shopper's thread as the timeline shows it. A message queued here
shows at once (pending, with its attachments and who wrote it), ``queued`` once central
accepted it, then central's row alone once pulled (sent, delivered); a refused one stays
with central's reason, even once dismissed from the attention list; replies come in."""

from __future__ import annotations

from typing import Any

from sync import outbox, wire
from sync.apply import apply_page
from sync.queueing import Commands
from sync.store import Cache
from tests.sync.helpers import change, page
from tests.sync.test_commands import AOIFE, answer


def reachable(cache: Cache) -> tuple[str, str]:
    """A shopper with an email address, and a product to attach."""
    with cache.db.read() as conn:
        sid = conn.execute(
            "SELECT id FROM shoppers WHERE json_extract(data, '$.email') != '' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        sku = conn.execute("SELECT id FROM products ORDER BY id LIMIT 1").fetchone()[0]
    return str(sid), str(sku)


def message_row(sid: str, message_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": message_id,
        "version": 1,
        "updated_at": wire.utc_now(),
        "shopper_id": sid,
        "store_id": "S001",
        "channel": "email",
        "purpose": "service",
        "subject": "Your boots",
        "body": "They are in.",
        "status": "sent",
        "author": {"staff_id": "A1001", "name": "Aoife Byrne"},
        "created_at": "2026-11-30T10:00:00Z",
        **extra,
    }


def send(commands: Commands, sid: str, sku: str) -> Any:
    return commands.send_message(
        shopper_id=sid,
        channel="email",
        purpose="service",
        subject="Your boots",
        body="They are in.",
        attachments={"skus": [sku], "look": {"title": "Weekend", "skus": [sku]}},
    )


def test_a_queued_message_shows_pending_then_queued_then_as_central_sent_it(
    cache: Cache, commands: Commands
) -> None:
    commands.sign_in(AOIFE)
    sid, sku = reachable(cache)
    entry = send(commands, sid, sku)
    message_id = str(entry.args["message_id"])

    [shown] = cache.messages(sid)
    assert (shown.id, shown.status, shown.pending, shown.direction) == (
        message_id,
        "pending",
        True,
        "out",
    )
    assert (shown.subject, shown.body, shown.channel) == ("Your boots", "They are in.", "email")
    assert shown.skus == (sku,) and shown.look_title == "Weekend" and shown.look_skus == (sku,)
    assert shown.by is not None and shown.by.name == "Aoife Byrne"
    assert shown.command_id == entry.id

    outbox.record_results(
        cache,
        outbox.pending_batch(cache),
        answer(entry.id, 1, "applied", created={"message_id": message_id}),
    )
    [accepted] = cache.messages(sid)
    assert (accepted.status, accepted.pending) == ("queued", False)

    mark = outbox.settle_mark(cache)
    apply_page(cache.db, page([change(1, "message", message_row(sid, message_id))]))
    outbox.settle(cache, mark)
    [sent] = cache.messages(sid)
    assert (sent.id, sent.status, sent.pending, sent.command_id) == (
        message_id,
        "sent",
        False,
        None,
    )
    assert sent.by is not None and sent.by.name == "Aoife Byrne"


def test_a_refused_message_stays_in_the_thread_with_centrals_reason(
    cache: Cache, commands: Commands
) -> None:
    commands.sign_in(AOIFE)
    sid, sku = reachable(cache)
    entry = send(commands, sid, sku)
    reason = "It is 22:10 at the store: we send no marketing between 21:00 and 09:00."
    outbox.record_results(
        cache,
        outbox.pending_batch(cache),
        answer(entry.id, 1, "rejected", code="quiet_hours", message=reason),
    )
    [refused] = cache.messages(sid)
    assert (refused.status, refused.status_note, refused.pending) == ("refused", reason, False)
    assert refused.command_id == entry.id

    commands.dismiss(entry.id)  # off the attention list; the thread still tells why
    [still] = cache.messages(sid)
    assert (still.status, still.status_note) == ("refused", reason)


def test_replies_and_delivery_states_newest_first(cache: Cache) -> None:
    sid, _ = reachable(cache)
    out = message_row(sid, "m-out", status="delivered", delivered_at="2026-11-30T10:01:00Z")
    failed = message_row(
        sid,
        "m-failed",
        channel="sms",
        subject=None,
        status="failed",
        status_note="The number does not take text messages.",
        created_at="2026-11-29T09:00:00Z",
    )
    reply = message_row(
        sid,
        "m-in",
        direction="in",
        channel="email",
        status="received",
        author=None,
        reply_to="m-out",
        body="Great, I'll call in on Saturday.",
        created_at="2026-11-30T12:00:00Z",
    )
    apply_page(
        cache.db,
        page(
            [change(1, "message", out), change(2, "message", failed), change(3, "message", reply)]
        ),
    )
    thread = cache.messages(sid)
    assert [(m.id, m.status) for m in thread] == [
        ("m-in", "received"),
        ("m-out", "delivered"),
        ("m-failed", "failed"),
    ]
    assert thread[0].direction == "in" and thread[0].reply_to == "m-out" and thread[0].by is None
    assert thread[2].status_note == "The number does not take text messages."
    assert cache.messages("nobody") == []
