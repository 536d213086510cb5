"""The union of two shopper records a merge keeps (``central.shopper_merge``): points and
store credit added, the higher tier, contact details the kept record lacked, and each
channel's consent the latest change in either record's log."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from central.shopper_merge import TIERS, union_of
from sync import wire
from sync.rules.shoppers import CONSENT_WORDING

CHANNELS = tuple(CONSENT_WORDING)

changes = st.lists(
    st.tuples(st.sampled_from(CHANNELS), st.booleans(), st.integers(0, 10_000)),
    max_size=6,
)


def _record(sid: str, points: int, credit: int, tier: str, log: Any, email: str) -> dict[str, Any]:
    shopper = wire.Shopper(
        id=sid,
        version=1,
        updated_at="2026-12-01T10:00:00Z",
        first_name="Ann",
        last_name="Lee",
        email=email,
        phone="",
        loyalty_id="720000000001",
        tier=tier,  # type: ignore[arg-type]
        points=points,
        home_store_id="S001",
        sizes=wire.Sizes(),
        consent=wire.Consent(),
        created_at="2026-12-01T10:00:00Z",
        consent_log=[
            wire.ConsentChange(
                channel=channel,  # type: ignore[arg-type]
                granted=granted,
                wording=CONSENT_WORDING[channel],
                at=f"2026-11-{1 + minute // 1440:02d}T{minute % 1440 // 60:02d}:{minute % 60:02d}:00Z",
                source="tablet",
            )
            for channel, granted, minute in log
        ],
        store_credit_cents=credit,
    )
    return shopper.model_dump(mode="json")


@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.integers(0, 10**5),
    st.integers(0, 10**5),
    st.sampled_from(TIERS),
    st.sampled_from(TIERS),
    changes,
    changes,
    st.sampled_from(["", "ann@example.ie"]),
)
def test_the_kept_record_is_the_union_of_both(
    p1: int,
    p2: int,
    c1: int,
    c2: int,
    t1: str,
    t2: str,
    log1: Any,
    log2: Any,
    email: str,
) -> None:
    keep = _record("K", p1, c1, t1, log1, email)
    gone = _record("G", p2, c2, t2, log2, "lee@example.ie")
    out = wire.Shopper.model_validate(union_of(keep, gone))  # still a valid record
    assert out.id == "K" and out.points == p1 + p2 and out.store_credit_cents == c1 + c2
    assert TIERS.index(out.tier) == max(TIERS.index(t1), TIERS.index(t2))
    assert out.email == (email or "lee@example.ie")  # only what the kept record lacked
    assert len(out.consent_log) == len(log1) + len(log2)
    for channel in CHANNELS:
        seen = sorted((m, g) for c, g, m in [*log1, *log2] if c == channel)
        if seen:
            latest = max(m for m, _ in seen)
            assert getattr(out.consent, channel) in {g for m, g in seen if m == latest}
        else:
            assert getattr(out.consent, channel) is False
