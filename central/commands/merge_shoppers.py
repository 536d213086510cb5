"""``merge_shoppers``: central's side (FOUNDATION SKELETON: built on its feature branch)."""

from __future__ import annotations

from typing import Any

from central.commands.base import Context, Declaration, Reject
from sync.commands.merge_shoppers import Args


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    raise Reject("not_allowed", "Not built yet.")


COMMAND = Declaration("merge_shoppers", handle, touches="(skeleton)")
