"""``redeem_points``: central's side (FOUNDATION SKELETON: built on its feature branch)."""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.redeem_points import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    raise Reject("not_allowed", "Not built yet.")


COMMAND = Declaration("redeem_points", handle, touches="(skeleton)")
