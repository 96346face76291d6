"""API schemas for committees, sectors and special committees."""

from __future__ import annotations

from ninja import Schema

from .models import Committee


class CommitteeOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    level: str
    level_label: str
    parent_id: int | None
    is_active: bool

    @staticmethod
    def resolve_level_label(obj: Committee) -> str:
        return str(obj.get_level_display())


class SectorOut(Schema):
    id: int
    committee_id: int
    name: str
    sort_order: int
    is_active: bool


class SpecialCommitteeOut(Schema):
    id: int
    committee_id: int
    name: str
    sort_order: int
    is_active: bool
