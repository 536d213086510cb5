"""Outreach lists about dates: important dates coming up, purchases due a follow-up, and
reservations ready or with a hold about to end (``sync.read.outreach`` joins them).

Each takes an :class:`~sync.read.outreach_ask.Ask` and returns
:class:`~sync.read.outreach_ask.Found` rows, from an index (``_v5`` of :mod:`sync.schema`).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sync import clienteling_rules as rules
from sync import overlay, wire
from sync.commands.effects import NewReservation
from sync.read import outreach_words as say
from sync.read.base import products
from sync.read.outreach_ask import Ask, Found
from sync.read.outreach_contact import last_heard_from_us
from sync.read.reservations import confirmed_view, new_view
from sync.schema import FULFILLED_AT

# -- important dates -----------------------------------------------------------------------


def _month_days(today: date, days: int) -> list[str]:
    """The ``MM-DD`` keys of the next ``days`` days (today included); 29 February falls on
    the 28th in a year that has none."""
    keys = []
    for n in range(days + 1):
        day = today + timedelta(days=n)
        keys.append(f"{day:%m-%d}")
        if day.month == 2 and day.day == 28 and (day + timedelta(days=1)).month == 3:
            keys.append("02-29")
    return keys


def important_dates(ask: Ask) -> list[Found]:
    """Birthdays and anniversaries in the next ``important_date_days`` (across the year end)."""
    keys = _month_days(ask.today, ask.thresholds.important_date_days)
    where, params = ask.book_clause("shopper_id")
    rows = ask.conn.execute(
        f"SELECT shopper_id, kind, md, year FROM shopper_dates WHERE md IN "
        f"({','.join('?' for _ in keys)})" + where,
        [*keys, *params],
    ).fetchall()
    return _dates_found(ask, rows)


def important_dates_page(ask: Ask, limit: int, offset: int) -> tuple[list[Found], int]:
    """A page of :func:`important_dates` in its order (the soonest first, then the shopper's
    name and id), found in SQL, and the list's total; only the page's rows are worded."""
    today, lead = ask.today, ask.thresholds.important_date_days
    days_to: dict[str, int] = {}
    for md in _month_days(today, lead):
        month, day = (int(part) for part in md.split("-"))
        n = (rules.next_occurrence(month, day, today) - today).days
        if n <= lead:
            days_to[md] = n
    where, params = ask.book_clause("d.shopper_id")
    rows = ask.conn.execute(
        "SELECT count(*) OVER (), d.shopper_id, d.kind, d.md, d.year FROM shopper_dates d "
        "JOIN json_each(?) k ON k.key = d.md LEFT JOIN shoppers s ON s.id = d.shopper_id "
        f"WHERE d.md IN ({','.join('?' for _ in days_to)})" + where + " ORDER BY k.value, "
        "coalesce(s.first_name || ' ' || s.last_name, d.shopper_id), d.shopper_id, d.kind "
        "LIMIT ? OFFSET ?",
        [json.dumps(days_to), *days_to, *params, limit, offset],
    ).fetchall()
    if not rows:
        total = ask.conn.execute(
            f"SELECT count(*) FROM shopper_dates d WHERE d.md IN "
            f"({','.join('?' for _ in days_to)})" + where,
            [*days_to, *params],
        ).fetchone()[0]
        return [], int(total)
    return _dates_found(ask, [r[1:] for r in rows]), int(rows[0][0])


def _dates_found(ask: Ask, rows: list[Any]) -> list[Found]:
    """The found rows of (shopper id, kind, ``MM-DD``, year) dates, worded."""
    today, lead = ask.today, ask.thresholds.important_date_days
    result = []
    for sid, kind, md, year in rows:
        month, day = (int(part) for part in md.split("-"))
        on = rules.next_occurrence(month, day, today)
        n = (on - today).days
        if n > lead:
            continue
        when = {0: "today", 1: f"tomorrow, {say.day_label(on)}"}.get(n, f"on {say.day_label(on)}")
        what = "Birthday" if kind == "birthday" else "Anniversary"
        reason = f"{what} {when}"
        if year:
            years = on.year - int(year)
            reason += f" (turns {years})" if kind == "birthday" else f" ({years} years)"
        due = today if n <= 3 else on - timedelta(days=3)
        result.append(
            Found(sid, reason, f"{on.isoformat()}T00:00:00Z", (), 700 + lead - n, due, md)
        )
    return result


# -- follow-ups after a purchase -----------------------------------------------------------


def follow_ups(ask: Ask) -> list[Found]:
    """Orders delivered or collected ``follow_up_days`` ago or more (up to
    ``FOLLOW_UP_WINDOW_DAYS``) that nobody followed up since (:func:`last_heard_from_us`)."""
    oldest = ask.ago(rules.FOLLOW_UP_WINDOW_DAYS)
    newest = ask.ago(ask.thresholds.follow_up_days)
    where, params = ask.book_clause("shopper_id")
    rows = ask.conn.execute(
        f"SELECT id, shopper_id, data, {FULFILLED_AT} FROM orders "
        "WHERE json_extract(data, '$.status') IN ('delivered', 'collected') "
        f"AND {FULFILLED_AT} BETWEEN ? AND ?" + where,
        [oldest, newest, *params],
    ).fetchall()
    heard = last_heard_from_us(ask.conn, {r[1] for r in rows})
    latest: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for order_id, sid, data, fulfilled in rows:
        last = heard.get(sid)
        if last is not None and say.at(last) >= say.at(fulfilled):
            continue
        if sid not in latest or fulfilled > latest[sid][1]:
            latest[sid] = (order_id, fulfilled, json.loads(data))
    names = products(ask.conn, {o[2]["lines"][0]["sku"] for o in latest.values()})
    result = []
    for sid, (order_id, fulfilled, order) in latest.items():
        skus = tuple(dict.fromkeys(line["sku"] for line in order["lines"]))
        first = names.get(skus[0])
        what = f"the {first.name}" if first else "their order"
        if len(skus) > 1:
            what += f" and {say.count(len(skus) - 1, 'other item')}"
        verb = "Collected" if order["status"] == "collected" else "Received"
        ask_about = (
            "ask how it fits"
            if first and first.category != "accessories"
            else ("ask how they like it")
        )
        days = ask.days_since(fulfilled)
        result.append(
            Found(
                sid,
                f"{verb} {what} {say.days_ago(days)}: {ask_about}",
                fulfilled,
                skus,
                500 + min(days, 30),
                ask.today,
                order_id,
            )
        )
    return result


# -- reservations --------------------------------------------------------------------------


def reservations(ask: Ask) -> list[Found]:
    """Reservations here ready and not collected, and holds ending within
    ``hold_expiring_hours``, as this device shows them (one collected here leaves at once)."""
    where, params = ask.clause("r.shopper_id")
    rows = ask.conn.execute(
        "SELECT r.data FROM reservations r WHERE r.store_id = ? "
        "AND r.status IN ('pending', 'ready')" + where,
        [ask.store_id, *params],
    ).fetchall()
    ov = overlay.Overlay(ask.conn, overlay.for_table(ask.conn, "reservations"))
    confirmed = [wire.Reservation.model_validate_json(r[0]) for r in rows]
    created = [
        (a, r)
        for a, r in ov.created("reservations", NewReservation)
        if r.store_id == ask.store_id and ask.wants(r.shopper_id)
    ]
    found = products(ask.conn, {r.sku for r in confirmed} | {r.sku for _, r in created})
    views = [
        (confirmed_view(r, found.get(r.sku), "", lambda s: s, ov), _ready_since(r, ov))
        for r in confirmed
    ] + [(new_view(a, r, found.get(r.sku), "", lambda s: s, ov), None) for a, r in created]
    soon = ask.now + timedelta(hours=ask.thresholds.hold_expiring_hours)
    result = []
    for view, ready_since in views:
        hold = say.at(view.hold_until)
        expiring = hold <= soon
        if view.status not in ("pending", "ready") or (view.status == "pending" and not expiring):
            continue
        ends = say.day_and_time(hold, ask.now)
        hold_text = f"hold ended {ends}" if hold < ask.now else f"hold ends {ends}"
        if view.status == "ready":
            since = ready_since or view.created_at
            days = ask.days_since(since)
            ready = "Ready since today" if days == 0 else f"Ready for {say.count(days, 'day')}"
            reason = f"{ready}, {hold_text}" if expiring else ready
        else:
            reason = f"Not ready yet, {hold_text}"
            since = view.created_at
        item = view.product.name if view.product else view.sku
        hours_left = max(0, int((hold - ask.now).total_seconds() // 3600))
        priority = 900 + max(0, 99 - hours_left) if expiring else 800 + ask.days_since(since)
        result.append(
            Found(
                view.shopper_id,
                f"{reason} ({item})",
                view.hold_until if expiring else since,
                (view.sku,),
                priority,
                ask.today,
                view.id,
            )
        )
    return result


def _ready_since(r: wire.Reservation, ov: overlay.Overlay) -> str | None:
    """When it became ready: marked ready on this device, or its last change to ready."""
    command = ov.status_command("reservations", r.id)
    if command is not None and ov.status("reservations", r.id) == "ready":
        return command.created_at
    for change in reversed(r.changes):
        if change.status == "ready":
            return change.at
    return r.updated_at if r.status == "ready" else None
