"""Each KPI of the store's dashboard, defined once: its label, its unit, the sentence that
says how it is computed, its value, its per-day series, its breakdown, and the rows behind
it (``FIGURES``; :func:`figures`, :func:`table`). Counted from :class:`kpi_facts.Facts`;
the tables' rows are built by :mod:`sync.read.kpi_rows`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sync import wire
from sync.read import kpi_rows
from sync.read.kpi_facts import MESSAGE_TOUCHES, Facts, ended_as
from sync.read.kpi_types import Kpi, KpiTable, LeakKind, Unit

ENDED = ("collected", "expired", "cancelled")


def _share(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _per_day(f: Facts, items: Iterable[tuple[str, float]]) -> list[tuple[date, float]]:
    sums: dict[date, float] = defaultdict(float)
    for ts, amount in items:
        sums[f.day(ts)] += amount
    return [(d, sums.get(d, 0.0)) for d in f.period.days()]


def _share_per_day(f: Facts, items: Iterable[tuple[str, bool]]) -> list[tuple[date, float]]:
    hits: Counter[date] = Counter()
    total: Counter[date] = Counter()
    for ts, hit in items:
        total[f.day(ts)] += 1
        hits[f.day(ts)] += int(hit)
    return [(d, _share(hits[d], total[d])) for d in f.period.days()]


def _by(items: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    sums: dict[str, float] = defaultdict(float)
    for name, amount in items:
        sums[name] += amount
    return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))


def _created(f: Facts) -> list[wire.Reservation]:
    return [r for r in f.reservations if f.within(r.created_at)]


def _settled(f: Facts) -> list[wire.Reservation]:
    return [r for r in _created(f) if r.status in ENDED]


def _paid(f: Facts, m: wire.Message) -> bool:
    order = f.pay_orders.get(m.attachments.pay_order_id or "")
    return order is not None and order.payment.status == "paid"


def _links(f: Facts) -> list[wire.Message]:
    return [m for m in f.messages if m.attachments.pay_order_id]


def _message_credits(f: Facts) -> list[wire.Credit]:
    return [c for c in f.credits if c.touch_kind in MESSAGE_TOUCHES]


@dataclass(frozen=True)
class Figure:
    """One KPI's definition: ``compute`` gives (value, series, breakdown); ``rows`` the
    table behind it (``columns`` its header)."""

    key: str
    label: str
    unit: Unit
    how: str
    compute: Callable[[Facts], tuple[float, list[tuple[date, float]], list[tuple[str, float]]]]
    columns: tuple[str, ...]
    rows: Callable[[Facts], list[tuple[object, ...]]]
    leak: LeakKind | None = None


def _cross(f: Facts) -> tuple[float, list[tuple[date, float]], list[tuple[str, float]]]:
    bought = f.touched_bought
    by_channel = _by((o.channel, 1.0) for o in bought.values())
    series = _share_per_day(f, ((t, s in bought) for s, t in f.touched.items()))
    return _share(len(bought), len(f.touched)), series, by_channel


def _two_channels(f: Facts) -> dict[str, str]:
    """Book shoppers active on two or more channels -> when they reached the second."""
    return {s: sorted(times.values())[1] for s, times in f.adoption.items() if len(times) >= 2}


def _adoption(f: Facts) -> tuple[float, list[tuple[date, float]], list[tuple[str, float]]]:
    two = _two_channels(f)
    reached = Counter(f.day(t) for t in two.values())
    series, running = [], 0
    for d in f.period.days():
        running += reached[d]
        series.append((d, _share(running, f.book_size)))
    combos = _by((" + ".join(sorted(f.adoption[s])), 1.0) for s in two)
    return _share(len(two), f.book_size), series, combos


FIGURES: tuple[Figure, ...] = (
    Figure(
        "reservations_created",
        "Reservations made",
        "count",
        "Reservations for this store created in the period, by whoever made them.",
        lambda f: (
            float(len(_created(f))),
            _per_day(f, ((r.created_at, 1.0) for r in _created(f))),
            _by((kpi_rows.who(r.author), 1.0) for r in _created(f)),
        ),
        kpi_rows.RESERVATION_COLUMNS,
        lambda f: kpi_rows.reservation_rows(f, _created(f)),
    ),
    Figure(
        "reservations_collected",
        "Reservations collected",
        "count",
        "Reservations for this store that the shopper collected in the period.",
        lambda f: (
            float(len(ended_as(f, "collected"))),
            _per_day(f, ((at, 1.0) for _, at in ended_as(f, "collected"))),
            [],
        ),
        kpi_rows.RESERVATION_COLUMNS,
        lambda f: kpi_rows.reservation_rows(f, (r for r, _ in ended_as(f, "collected"))),
    ),
    Figure(
        "reservations_expired",
        "Holds expired",
        "count",
        "Reservations for this store whose hold ran out uncollected in the period.",
        lambda f: (
            float(len(ended_as(f, "expired"))),
            _per_day(f, ((at, 1.0) for _, at in ended_as(f, "expired"))),
            [],
        ),
        kpi_rows.RESERVATION_COLUMNS,
        lambda f: kpi_rows.reservation_rows(f, (r for r, _ in ended_as(f, "expired"))),
        leak="expired_holds",
    ),
    Figure(
        "reservation_conversion",
        "Reservation conversion",
        "percent",
        "Of the reservations created in the period that have ended (collected, expired or "
        "cancelled), the share collected.",
        lambda f: (
            _share(sum(r.status == "collected" for r in _settled(f)), len(_settled(f))),
            _share_per_day(f, ((r.created_at, r.status == "collected") for r in _settled(f))),
            [],
        ),
        kpi_rows.RESERVATION_COLUMNS,
        lambda f: kpi_rows.reservation_rows(f, _settled(f)),
        leak="expired_holds",
    ),
    Figure(
        "endless_aisle_orders",
        "Endless-aisle orders",
        "count",
        "Orders placed in this store for delivery (to home or to a store) in the period, "
        "cancelled ones left out.",
        lambda f: (
            float(len(f.endless_aisle)),
            _per_day(f, ((o.created_at, 1.0) for o in f.endless_aisle)),
            _by((kpi_rows.who(o.author), 1.0) for o in f.endless_aisle),
        ),
        ("Order", "Placed", "Shopper", "Fulfilment", "Status", "Total (cents)", "By"),
        kpi_rows.order_rows,
    ),
    Figure(
        "endless_aisle_revenue",
        "Endless-aisle revenue",
        "cents",
        "The totals of the endless-aisle orders placed in the period.",
        lambda f: (
            float(sum(o.total_cents for o in f.endless_aisle)),
            _per_day(f, ((o.created_at, float(o.total_cents)) for o in f.endless_aisle)),
            _by((kpi_rows.who(o.author), float(o.total_cents)) for o in f.endless_aisle),
        ),
        ("Order", "Placed", "Shopper", "Fulfilment", "Status", "Total (cents)", "By"),
        kpi_rows.order_rows,
    ),
    Figure(
        "pay_links_sent",
        "Pay links sent",
        "count",
        "Messages with a pay-by-link sent from this store in the period (failed ones left out).",
        lambda f: (
            float(len(_links(f))),
            _per_day(f, ((m.created_at, 1.0) for m in _links(f))),
            _by((m.channel, 1.0) for m in _links(f)),
        ),
        ("Message", "Sent", "Shopper", "Channel", "Status", "By", "Order", "Payment"),
        lambda f: kpi_rows.message_rows(f, _links(f)),
        leak="unpaid_links",
    ),
    Figure(
        "pay_links_paid",
        "Pay links paid",
        "count",
        "Of the pay links sent in the period, those whose order is now paid.",
        lambda f: (
            float(sum(_paid(f, m) for m in _links(f))),
            _per_day(f, ((m.created_at, float(_paid(f, m))) for m in _links(f))),
            [],
        ),
        ("Message", "Sent", "Shopper", "Channel", "Status", "By", "Order", "Payment"),
        lambda f: kpi_rows.message_rows(f, (m for m in _links(f) if _paid(f, m))),
        leak="unpaid_links",
    ),
    Figure(
        "carts_recovered",
        "Carts recovered",
        "count",
        "Online carts that turned into an order in the period within the attribution window "
        "after a touch from this store.",
        lambda f: (
            float(len(f.recovered)),
            _per_day(f, ((c.updated_at, 1.0) for c, _ in f.recovered)),
            _by(((t.staff_name or kpi_rows.KIOSK), 1.0) for _, t in f.recovered),
        ),
        ("Cart", "Converted", "Shopper", "Channel", "Touch", "Touched", "By"),
        lambda f: [
            (
                c.id,
                c.updated_at,
                f.names.get(c.shopper_id, ""),
                c.channel,
                t.kind,
                t.at,
                t.staff_name or kpi_rows.KIOSK,
            )
            for c, t in sorted(f.recovered, key=lambda ct: ct[0].updated_at)
        ],
        leak="abandoned_carts",
    ),
    Figure(
        "messages_sent",
        "Messages sent",
        "count",
        "Messages sent from this store in the period that reached the provider (sent or "
        "delivered), by channel.",
        lambda f: (
            float(len(f.messages)),
            _per_day(f, ((m.created_at, 1.0) for m in f.messages)),
            _by((m.channel, 1.0) for m in f.messages),
        ),
        ("Message", "Sent", "Shopper", "Channel", "Status", "By", "Order", "Payment"),
        lambda f: kpi_rows.message_rows(f, f.messages),
    ),
    Figure(
        "message_sales",
        "Sales from messages",
        "cents",
        "Online orders placed in the period that central credited to a message from this "
        "store (the last touch within the attribution window).",
        lambda f: (
            float(sum(c.total_cents for c in _message_credits(f))),
            _per_day(f, ((c.ordered_at, float(c.total_cents)) for c in _message_credits(f))),
            _by((kpi_rows.staff(c), float(c.total_cents)) for c in _message_credits(f)),
        ),
        kpi_rows.CREDIT_COLUMNS,
        lambda f: kpi_rows.credit_rows(f, _message_credits(f)),
    ),
    Figure(
        "influenced_sales",
        "Influenced online sales",
        "cents",
        "Web and app orders placed in the period that central credited to a touch from this "
        "store, per associate.",
        lambda f: (
            float(sum(c.total_cents for c in f.credits)),
            _per_day(f, ((c.ordered_at, float(c.total_cents)) for c in f.credits)),
            _by((kpi_rows.staff(c), float(c.total_cents)) for c in f.credits),
        ),
        kpi_rows.CREDIT_COLUMNS,
        lambda f: kpi_rows.credit_rows(f, f.credits),
    ),
    Figure(
        "cross_channel_conversion",
        "Cross-channel conversion",
        "percent",
        "Of the shoppers touched in this store in the period, the share who then ordered on "
        "the web or the app before the period's end.",
        _cross,
        ("Shopper", "First touch", "Online order", "Ordered", "Channel"),
        lambda f: [
            (
                f.names.get(s, ""),
                t,
                f.touched_bought[s].number if s in f.touched_bought else "",
                f.touched_bought[s].created_at if s in f.touched_bought else "",
                f.touched_bought[s].channel if s in f.touched_bought else "",
            )
            for s, t in sorted(f.touched.items(), key=lambda st: st[1])
        ],
    ),
    Figure(
        "channel_adoption",
        "Channel adoption",
        "percent",
        "Of the shoppers whose home store this is, the share active in the period on two or "
        "more channels (a web, app or store order, an online cart, a store visit).",
        _adoption,
        ("Shopper", "Channels", "Second channel at"),
        lambda f: [
            (f.names.get(s, ""), " + ".join(sorted(f.adoption[s])), at)
            for s, at in sorted(_two_channels(f).items(), key=lambda sa: sa[1])
        ],
    ),
    Figure(
        "returns_by_channel",
        "Returns",
        "count",
        "Returns taken back in this store in the period, by the channel the order was bought on.",
        lambda f: (
            float(len(f.returns)),
            _per_day(f, ((r.created_at, 1.0) for r in f.returns)),
            _by((r.order_channel, 1.0) for r in f.returns),
        ),
        ("Return", "Taken back", "Shopper", "Order", "Bought on", "Refund (cents)"),
        lambda f: [
            (
                r.number,
                r.created_at,
                f.names.get(r.shopper_id, ""),
                r.order_number,
                r.order_channel,
                r.refund_cents,
            )
            for r in sorted(f.returns, key=lambda r: r.created_at)
        ],
    ),
)
BY_KEY = {fig.key: fig for fig in FIGURES}
KEYS = tuple(BY_KEY)


def figures(f: Facts) -> list[Kpi]:
    """Every figure of the dashboard, in the order above."""
    out = []
    for fig in FIGURES:
        value, series, breakdown = fig.compute(f)
        out.append(Kpi(fig.key, fig.label, value, fig.unit, fig.how, series, breakdown, fig.leak))
    return out


def table(key: str, f: Facts) -> KpiTable:
    """The rows behind figure ``key`` (``KeyError`` for an unknown key)."""
    fig = BY_KEY[key]
    return KpiTable(list(fig.columns), fig.rows(f))
