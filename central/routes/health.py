"""``GET /v1/health``: a cheap probe that needs no token."""

from __future__ import annotations

from fastapi import APIRouter

from central import __version__
from sync import wire

router = APIRouter(tags=["meta"])


@router.get("/v1/health", response_model=wire.Health)
def health() -> wire.Health:
    return wire.Health(status="ok", version=__version__, time=wire.utc_now())
