"""The store's KPIs computed offline on a seeded cache (``tests/sync/kpi_seed.py``): every
figure equals the answer hand-checked from the seed's rows, the period follows the
store's time zone, leak lists, the rows behind a figure and their CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.apply import apply_page
from sync.export import to_csv
from sync.read.kpi_figures import KEYS
from sync.read.kpi_types import KpiTable, StoreKpis, period_for
from sync.store import Cache
from tests.sync.helpers import change, page
from tests.sync.kpi_seed import BRIAN, LAST_SYNC, local_now, reservation, seed

DAYS = [date(2026, 11, d) for d in range(16, 23)]  # 7d in Berlin: 16..22 Nov


@pytest.fixture
def store(empty_cache: Cache) -> Cache:
    return seed(empty_cache)


def week(cache: Cache) -> StoreKpis:
    now = local_now(cache)
    return cache.store_kpis("S001", period_for("7d", now), now)


def series(kpis: StoreKpis, key: str) -> list[float]:
    got = kpis.get(key).series
    assert [d for d, _ in got] == DAYS
    return [v for _, v in got]


def test_every_figure_is_there_once_and_says_how_it_is_computed(store: Cache) -> None:
    kpis = week(store)
    assert [k.key for k in kpis.figures] == list(KEYS)
    assert set(KEYS) == {
        "reservations_created", "reservations_collected", "reservations_expired",
        "reservation_conversion", "endless_aisle_orders", "endless_aisle_revenue",
        "pay_links_sent", "pay_links_paid", "carts_recovered", "messages_sent",
        "message_sales", "influenced_sales", "cross_channel_conversion", "channel_adoption",
        "returns_by_channel",
    }  # fmt: skip
    for k in kpis.figures:
        assert k.how.endswith(".") and len(k.how) > 30, k.key


def test_as_of_is_the_last_sync_and_it_works_without_central(store: Cache) -> None:
    # the device's central_url is a closed port: nothing here talks to a server
    assert week(store).as_of == LAST_SYNC


def test_reservations(store: Cache) -> None:
    k = week(store)
    # created 16..22 Nov local: R1 (17th, Aoife), R2 (18th, Aoife), R5 (19th, Brian), R3
    # (21st 23:30Z = 22nd 00:30 in Berlin, kiosk); R7 at 15th 22:30Z = 23:30 local on the
    # 15th is before; R4 created on the 10th; R6 is S002's
    assert k.get("reservations_created").value == 4
    assert series(k, "reservations_created") == [0, 1, 1, 1, 0, 0, 1]
    assert k.get("reservations_created").breakdown == [("Aoife", 2), ("Brian", 1), ("Kiosk", 1)]
    # collected in the period: R4 on the 16th (made before), R1 on the 18th
    assert k.get("reservations_collected").value == 2
    assert series(k, "reservations_collected") == [1, 0, 1, 0, 0, 0, 0]
    # expired: R2 on the 20th (R6 is S002's)
    assert k.get("reservations_expired").value == 1
    assert series(k, "reservations_expired") == [0, 0, 0, 0, 1, 0, 0]
    assert k.get("reservations_expired").leak == "expired_holds"
    # ended of those created: R1 collected, R2 expired, R5 cancelled -> 1 / 3
    assert k.get("reservation_conversion").value == 33.3
    assert k.get("reservation_conversion").unit == "percent"
    assert series(k, "reservation_conversion") == [0, 100, 0, 0, 0, 0, 0]


def test_endless_aisle(store: Cache) -> None:
    k = week(store)
    # O1 home 120.00 (Aoife), O2 to store 50.00 (Brian), O5 home 80.00 (Aoife); O3 carried
    # out, O4 cancelled
    assert k.get("endless_aisle_orders").value == 3
    assert k.get("endless_aisle_revenue").value == 25000
    assert k.get("endless_aisle_revenue").unit == "cents"
    assert k.get("endless_aisle_revenue").breakdown == [("Aoife", 20000), ("Brian", 5000)]
    assert series(k, "endless_aisle_revenue") == [0, 12000, 0, 0, 5000, 8000, 0]


def test_pay_links_and_messages(store: Cache) -> None:
    k = week(store)
    # sent: M1 (sms, link to O2 unpaid), M2 (email, link to O5 paid), M3 (whatsapp); M4
    # failed, M5 before the period, M6 S002's
    assert k.get("pay_links_sent").value == 2
    assert k.get("pay_links_paid").value == 1
    assert series(k, "pay_links_paid") == [0, 0, 0, 0, 0, 1, 0]
    assert k.get("messages_sent").value == 3
    assert k.get("messages_sent").breakdown == [("email", 1), ("sms", 1), ("whatsapp", 1)]
    # credited to a message from S001: O8 40.00 (Brian); O7's credit is S002's
    assert k.get("message_sales").value == 4000
    assert k.get("message_sales").breakdown == [("Brian", 4000)]


def test_carts_influence_and_cross_channel(store: Cache) -> None:
    k = week(store)
    # C1 converted on the 19th, ten hours after Aoife's cart edit; C2 touched by S002 only
    assert k.get("carts_recovered").value == 1
    assert k.get("carts_recovered").breakdown == [("Aoife", 1)]
    # credits of S001: O6 90.00 (Aoife), O8 40.00 (Brian)
    assert k.get("influenced_sales").value == 13000
    assert k.get("influenced_sales").breakdown == [("Aoife", 9000), ("Brian", 4000)]
    # touched here: P1 (19th, then O6 on the web), P2 (20th, nothing online), P3 (22nd
    # local; her app order O7 came before) -> 1 / 3
    assert k.get("cross_channel_conversion").value == 33.3
    assert k.get("cross_channel_conversion").breakdown == [("web", 1)]


def test_channel_adoption(store: Cache) -> None:
    k = week(store)
    # book of 4: P1 store (O1) + web (O6, C1) on the 19th; P2 store (O2) + web (C3) on the
    # 21st; P5 app (O8) + store (O5) on the 21st; P3 app only (last visit the 10th)
    assert k.get("channel_adoption").value == 75.0
    assert series(k, "channel_adoption") == [0, 0, 0, 25, 25, 75, 75]
    assert k.get("channel_adoption").breakdown == [("store + web", 2), ("app + store", 1)]
    rows = store.kpi_table("channel_adoption", "S001", k.period, local_now(store)).rows
    assert rows == [
        ("Ann Able", "store + web", "2026-11-19T20:00:00Z"),
        ("Ben Bell", "store + web", "2026-11-21T08:00:00Z"),
        ("Eve East", "app + store", "2026-11-21T10:00:00Z"),
    ]


def test_returns_by_channel(store: Cache) -> None:
    k = week(store)
    # RT1 (store order) and RT2 (web order) taken back here; RT3 at S002
    assert k.get("returns_by_channel").value == 2
    assert k.get("returns_by_channel").breakdown == [("store", 1), ("web", 1)]


def test_today_starts_at_the_stores_midnight(store: Cache) -> None:
    now = local_now(store)
    k = store.store_kpis("S001", period_for("today", now), now)
    # only R3 (00:30 Berlin on the 22nd) was made today
    assert k.get("reservations_created").value == 1
    assert k.get("endless_aisle_orders").value == 0
    assert k.period.label == "Today"


def test_a_custom_range(store: Cache) -> None:
    now = local_now(store)
    period = period_for("custom", now, date(2026, 11, 17), date(2026, 11, 18))
    k = store.store_kpis("S001", period, now)
    assert k.get("reservations_created").value == 2  # R1 and R2
    assert k.get("endless_aisle_revenue").value == 12000  # O1
    assert [d for d, _ in k.get("messages_sent").series] == [date(2026, 11, 17), date(2026, 11, 18)]
    with pytest.raises(ValueError):
        period_for("custom", now, date(2026, 11, 18), date(2026, 11, 17))
    with pytest.raises(ValueError):
        period_for("custom", now, date(2026, 12, 1), date(2026, 12, 2))


def test_leak_lists(store: Cache) -> None:
    now = local_now(store)
    period = period_for("7d", now)
    held = store.leak_list("expired_holds", "S001", period, now)
    assert [(r.shopper_name, r.ref_id, r.action) for r in held] == [("Ben Bell", "R2", "reach_out")]
    assert "Fleece" in held[0].what
    links = store.leak_list("unpaid_links", "S001", period, now)
    assert [(r.shopper_name, r.ref_id, r.action) for r in links] == [
        ("Ben Bell", "O2", "resend_link")
    ]
    carts = store.leak_list("abandoned_carts", "S001", period, now)  # C4 is not the book's
    assert [(r.shopper_name, r.ref_id, r.action) for r in carts] == [("Ben Bell", "C3", "offer")]
    assert "€100.00" in carts[0].what
    rejected = store.leak_list("rejected", "S001", period, now)  # the dismissed one is not
    assert [(r.shopper_name, r.ref_id, r.action) for r in rejected] == [
        ("Cara Cole", "cmd-1", "resolve")
    ]


def test_the_rows_behind_a_figure_and_their_csv_round_trip(store: Cache) -> None:
    now = local_now(store)
    table = store.kpi_table("endless_aisle_revenue", "S001", period_for("7d", now), now)
    assert [r[0] for r in table.rows] == ["N-O1", "N-O2", "N-O5"]
    back = list(csv.reader(io.StringIO(to_csv(table))))
    assert back[0] == table.columns
    assert [row[0] for row in back[1:]] == ["N-O1", "N-O2", "N-O5"]
    assert sum(int(row[table.columns.index("Total (cents)")]) for row in back[1:]) == 25000
    for key in KEYS:  # every figure has its table, with as many cells as columns
        t = store.kpi_table(key, "S001", period_for("7d", now), now)
        assert all(len(row) == len(t.columns) for row in t.rows), key
        text = to_csv(t)  # names as the screen shows them, never contact details
        assert "@example.com" not in text and "+35387" not in text, key
    with pytest.raises(KeyError):
        store.kpi_table("nope", "S001", period_for("7d", now), now)


def test_csv_is_injection_safe_and_quotes_what_it_must(tmp_path: Path) -> None:
    table = KpiTable(
        ["Name", "Note", "Total"],
        [('=HYPERLINK("x")', 'a, "quoted"\nline', 1200), ("+1", "@sum", -5), ("-x", None, 0.5)],
    )
    text = to_csv(table)
    assert text.endswith("\r\n")
    back = list(csv.reader(io.StringIO(text)))
    assert back == [
        ["Name", "Note", "Total"],
        ['\'=HYPERLINK("x")', 'a, "quoted"\nline', "1200"],
        ["'+1", "'@sum", "-5"],
        ["'-x", "", "0.5"],
    ]


def test_periods_in_the_stores_time_zone() -> None:
    from zoneinfo import ZoneInfo

    now = datetime(2026, 3, 29, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # after DST began
    month = period_for("30d", now)
    assert len(month.days()) == 30 and month.days()[-1] == date(2026, 3, 29)
    assert month.start == datetime(2026, 2, 28, tzinfo=ZoneInfo("Europe/Berlin"))
    assert month.utc_bounds() == ("2026-02-27T23:00:00Z", "2026-03-29T07:30:01Z")
    midnight = period_for("today", datetime(2026, 3, 29, tzinfo=ZoneInfo("Europe/Berlin")))
    assert midnight.days() == [date(2026, 3, 29)]
    custom = period_for("custom", now, date(2026, 3, 1), date(2026, 3, 31))
    assert custom.label == "1 Mar – 31 Mar" and custom.end == now + timedelta(
        seconds=1
    )  # never past now
    with pytest.raises(ValueError):
        period_for("7d", datetime(2026, 3, 29, 9, 30))  # naive
    with pytest.raises(ValueError):
        period_for("custom", now, date(2025, 1, 1), date(2026, 3, 1))  # over a year


def test_a_sync_that_brings_a_reservation_shows_in_the_same_periods_figures(store: Cache) -> None:
    now = local_now(store)
    period = period_for("7d", now)
    assert store.store_kpis("S001", period, now).get("reservations_created").value == 4
    made = reservation("R8", "P2", "SKU2", "2026-11-22T10:00:00Z", "pending", by=BRIAN)
    apply_page(store.db, page([change(99, "reservation", made)]))
    assert store.store_kpis("S001", period, now).get("reservations_created").value == 5
    table = store.kpi_table("reservations_created", "S001", period, now)
    assert table.rows[-1][0] == "R8"


@given(st.lists(st.tuples(st.text(max_size=20), st.integers(-(10**9), 10**9)), max_size=20))
def test_any_table_reads_back_cell_for_cell(rows: list[tuple[str, int]]) -> None:
    back = list(
        csv.reader(io.StringIO(to_csv(KpiTable(["Text", "Number"], list(rows))), newline=""))
    )
    assert back[0] == ["Text", "Number"]
    assert len(back) == len(rows) + 1
    for (text, number), (got_text, got_number) in zip(rows, back[1:], strict=True):
        unsafe = text.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert got_text == ("'" + text if unsafe else text)
        assert int(got_number) == number
