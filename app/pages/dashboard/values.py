"""A figure's value as people read it, by its unit (``Kpi.unit``): a count ``1,204``,
money ``€1,204.50``, a percentage ``42%`` (values are percentages, 0-100)."""

from __future__ import annotations

from collections.abc import Callable

from app import format as fmt


def value_text(value: float, unit: str) -> str:
    if unit == "cents":
        return fmt.money(round(value))
    if unit == "percent":
        return f"{value:.0f}%" if value >= 10 or value == 0 else f"{value:.1f}%"
    return f"{value:,.0f}"


def formatter(unit: str) -> Callable[[float], str]:
    """``value_text`` for one unit (what a chart labels its values with)."""
    return lambda value: value_text(value, unit)
