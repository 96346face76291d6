"""Proposals API, mounted at /api/v1/proposals: member side and handling-unit side."""

from ninja import Router

from .member import router as member_router
from .unit import router as unit_router

router = Router(tags=["提案"])
router.add_router("", member_router)
router.add_router("/unit", unit_router)
