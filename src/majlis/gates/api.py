"""The gates part of the JSON API (mounted at /api/v1/ by ``majlis.api``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["gates"])
