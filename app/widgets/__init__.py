"""Reusable widgets of the Clienteling look (buttons, badges, cards, banner, search box)."""

from app.widgets.common import Badge, Card, EmptyState, TouchButton, label

__all__ = ["Badge", "Card", "EmptyState", "TouchButton", "label"]
