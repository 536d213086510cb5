"""``update_shopper``: central's side (FOUNDATION SKELETON: built on its feature branch)."""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.update_shopper import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    raise Reject("not_allowed", "Not built yet.")


COMMAND = Declaration("update_shopper", handle, touches="(skeleton)")
