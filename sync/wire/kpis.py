"""Chain-wide comparison of a few store figures (``GET /v1/stores/{store_id}/kpis/chain``):
what needs every store's data is computed by central; each store's own figures are
computed on its tablets (``sync.read.kpis``) with the same definitions
(``sync.read.kpi_figures``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.wire.base import Id, Model, ShortText, Timestamp

ChainPeriod = Literal["today", "7d", "30d"]
CHAIN_KEYS = ("reservation_conversion", "endless_aisle_revenue", "returns_by_channel")
"""The figures compared across the chain (comparable between stores of any size)."""


class StoreFigure(Model):
    """One store's value of a figure."""

    store_id: Id
    store_name: ShortText
    value: float


class ChainFigure(Model):
    """A figure of every store of the chain, and the chain's median."""

    key: Annotated[str, Field(min_length=1, max_length=64)]
    label: ShortText
    unit: Literal["count", "cents", "percent"]
    how: Annotated[str, Field(min_length=1, max_length=500)]
    median: float
    stores: Annotated[list[StoreFigure], Field(max_length=1000)]


class ChainKpis(Model):
    """The comparison for the asking store's period ``kind`` (each store's period in its
    own time zone), as of central's ``as_of``."""

    store_id: Id
    kind: ChainPeriod
    as_of: Timestamp
    figures: Annotated[list[ChainFigure], Field(max_length=20)]
