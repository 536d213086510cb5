"""Folding one shopper record into another (a manager's ``merge_shoppers``).

Everything of the merged record moves to the kept one by being written again with the
kept shopper's id, so the changes feed carries the merge to every device and to the
events feed like any other change: orders, notes, reservations, wishlist items, messages,
offers, touches, credits, returns, redemptions, support contacts, views, and the store's
tasks naming them. Rows whose id is made from the shopper's (the cart ``cart-<id>``, a
store's client assignment ``<store>:<id>``) are re-made under the kept id: carts' lines
are added together, an assignment the kept record already has at that store stays.
The kept record first joins every store's book the merged one was in, so each of those
stores' devices receives it and what moved to it.

The merged record stays, marked ``merged_into`` (a device that had it open follows it to
the kept one, and it is out of search); the kept record takes the union of the two:
contact details it lacks, sizes, brands, dates and addresses, the points and store credit
added, the higher tier, the consent log of both (each channel's consent is then the
latest change of either).
"""

from __future__ import annotations

import json
from typing import Any

from central import search
from central.commands.base import Context
from central.entities import SHOPPER_ENTITIES
from sync import wire
from sync.rules import shoppers as rules

TIERS = ("bronze", "silver", "gold", "platinum")
MAX_CART_LINES = 100


def _rekeyed(entity: str, row_id: str, merge_id: str, keep_id: str) -> str | None:
    """The id of the kept shopper's row for a row whose id is made from the shopper's."""
    if entity == "cart" and row_id == f"cart-{merge_id}":
        return f"cart-{keep_id}"
    if entity == "client_assignment" and row_id.endswith(f":{merge_id}"):
        return row_id[: -len(merge_id)] + keep_id
    return None


def _cart_lines(kept: list[dict[str, Any]], moved: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines = {str(ln["sku"]): dict(ln) for ln in kept}
    for ln in moved:
        sku = str(ln["sku"])
        if sku in lines:
            lines[sku]["qty"] = min(99, int(lines[sku]["qty"]) + int(ln["qty"]))
        else:
            lines[sku] = dict(ln)
    return list(lines.values())[:MAX_CART_LINES]


def _move_rows(ctx: Context, merge_id: str, keep_id: str) -> int:
    rows = ctx.conn.execute(
        "SELECT entity, data FROM entities WHERE shopper_id = ? AND deleted = 0 "
        "AND entity != 'shopper' ORDER BY seq",
        (merge_id,),
    ).fetchall()
    moved = 0
    for entity, raw in rows:
        if entity not in SHOPPER_ENTITIES:
            continue
        data = json.loads(raw)
        new_id = _rekeyed(entity, str(data["id"]), merge_id, keep_id)
        if new_id is None:
            ctx.put(entity, {**data, "shopper_id": keep_id})
        else:
            there = ctx.get(entity, new_id, lock=True)
            if there is None:
                ctx.put(entity, {**data, "id": new_id, "shopper_id": keep_id})
            elif entity == "cart":
                live = there["lines"] if there.get("status") != "converted" else []
                ctx.put(
                    entity,
                    {**there, "status": "active", "lines": _cart_lines(live, data["lines"])},
                )
            ctx.delete(entity, data)
        moved += 1
    return moved


def _move_tasks(ctx: Context, merge_id: str, keep_id: str, answered: str) -> None:
    shopper = ctx.entities.db.dialect.json_text("data", "shopper_id")
    rows = ctx.conn.execute(
        f"SELECT data FROM entities WHERE entity = 'task' AND deleted = 0 AND {shopper} = ?",
        (merge_id,),
    ).fetchall()
    for (raw,) in rows:
        task = json.loads(raw)
        if task["id"] != answered:
            ctx.put("task", {**task, "shopper_id": keep_id})


def union_of(keep: dict[str, Any], gone: dict[str, Any]) -> dict[str, Any]:
    out = dict(keep)
    for name in ("email", "phone"):
        if not out.get(name) and gone.get(name):
            out[name] = gone[name]
    sizes = dict(keep.get("sizes") or {})
    for k, v in (gone.get("sizes") or {}).items():
        if not sizes.get(k) and v:
            sizes[k] = v
    out["sizes"] = sizes
    out["favourite_brands"] = list(
        dict.fromkeys([*keep.get("favourite_brands", []), *gone.get("favourite_brands", [])])
    )[:20]
    dates = {(d["kind"], d["month"], d["day"]): d for d in gone.get("important_dates", [])}
    dates.update({(d["kind"], d["month"], d["day"]): d for d in keep.get("important_dates", [])})
    out["important_dates"] = list(dates.values())[:10]
    ids = {a["id"] for a in keep.get("addresses", [])}
    extra = [{**a, "is_default": False} for a in gone.get("addresses", []) if a["id"] not in ids]
    out["addresses"] = [*keep.get("addresses", []), *extra][:10]
    out["points"] = int(keep.get("points", 0)) + int(gone.get("points", 0))
    out["store_credit_cents"] = int(keep.get("store_credit_cents", 0)) + int(
        gone.get("store_credit_cents", 0)
    )
    out["tier"] = max(keep["tier"], gone["tier"], key=TIERS.index)
    log = sorted(
        [*keep.get("consent_log", []), *gone.get("consent_log", [])], key=lambda c: c["at"]
    )
    out["consent_log"] = log[-200:]
    changes = [wire.ConsentChange.model_validate(c) for c in out["consent_log"]]
    consent = dict(keep.get("consent") or {})
    for channel in rules.CONSENT_WORDING:
        either = bool(consent.get(channel)) or bool((gone.get("consent") or {}).get(channel))
        consent[channel] = rules.consent_now(changes, channel, either)
    out["consent"] = consent
    visits = [v for v in (keep.get("last_visit_at"), gone.get("last_visit_at")) if v]
    if visits and max(visits) == gone.get("last_visit_at"):
        out["last_visit_at"] = gone["last_visit_at"]
        out["last_visit_store_id"] = gone.get("last_visit_store_id")
    return out


def merge(ctx: Context, keep: dict[str, Any], gone: dict[str, Any], task_id: str) -> int:
    """Fold ``gone`` into ``keep``; returns how many rows moved."""
    keep_id, merge_id = str(keep["id"]), str(gone["id"])
    books = {
        str(r[0])
        for r in ctx.conn.execute(
            "SELECT store_id FROM entity_scopes WHERE entity = 'shopper' AND id = ?", (merge_id,)
        ).fetchall()
    }
    ctx.entities.extend_shopper_scope(ctx.conn, keep_id, books)
    kept = ctx.put("shopper", union_of(keep, gone))
    search.index_shopper(ctx.entities.db, ctx.conn, kept)
    moved = _move_rows(ctx, merge_id, keep_id)
    _move_tasks(ctx, merge_id, keep_id, task_id)
    ctx.put("shopper", {**gone, "merged_into": keep_id, "points": 0, "store_credit_cents": 0})
    search.unindex_shopper(ctx.entities.db, ctx.conn, merge_id)
    return moved
