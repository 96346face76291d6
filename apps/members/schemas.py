"""API shapes for members. Phone and ID number are always masked here."""

from typing import Annotated

from ninja import FilterSchema, Schema
from ninja.filter_schema import FilterLookup

from apps.core.masking import mask_id_number, mask_phone

from .models import Membership


class SectorRef(Schema):
    id: int
    name: str


class MemberOut(Schema):
    """One member in one term (the id is the membership's)."""

    id: int
    member_id: int
    committee_id: int
    term_id: int
    name: str
    gender: str
    gender_label: str
    ethnicity: str
    sector: SectorRef
    party: str
    party_label: str
    position: str
    position_label: str
    status: str
    status_label: str
    special_committees: list[str]
    group: str | None
    work_unit: str
    nominated_by: str
    job_title: str
    expertise: str
    focus_areas: str
    mobile_masked: str
    id_number_masked: str

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.member.name

    @staticmethod
    def resolve_gender(obj: Membership) -> str:
        return obj.member.gender

    @staticmethod
    def resolve_gender_label(obj: Membership) -> str:
        return obj.member.get_gender_display()

    @staticmethod
    def resolve_ethnicity(obj: Membership) -> str:
        return obj.member.ethnicity

    @staticmethod
    def resolve_party_label(obj: Membership) -> str:
        return obj.get_party_display()

    @staticmethod
    def resolve_position_label(obj: Membership) -> str:
        return obj.get_position_display()

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_special_committees(obj: Membership) -> list[str]:
        return [sc.name for sc in obj.special_committees.all()]

    @staticmethod
    def resolve_group(obj: Membership) -> str | None:
        return obj.group.name if obj.group else None

    @staticmethod
    def resolve_mobile_masked(obj: Membership) -> str:
        return mask_phone(obj.member.mobile)

    @staticmethod
    def resolve_id_number_masked(obj: Membership) -> str:
        return mask_id_number(obj.member.id_number)


class MemberFilter(FilterSchema):
    """Query parameters of GET /api/v1/members. Without `term`, each visible committee's current
    term is listed."""

    term: Annotated[int | None, FilterLookup("term_id")] = None
    sector: Annotated[int | None, FilterLookup("sector_id")] = None
    party: Annotated[str | None, FilterLookup("party")] = None
    position: Annotated[str | None, FilterLookup("position")] = None
    status: Annotated[str | None, FilterLookup("status")] = None
    q: Annotated[
        str | None,
        FilterLookup(
            [
                "member__name__icontains",
                "work_unit__icontains",
                "nominated_by__icontains",
                "expertise__icontains",
                "focus_areas__icontains",
            ]
        ),
    ] = None
