"""Per-committee settings, forms and venues, created with the defaults on first use."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from apps.organisation.models import Committee

from ..models import DEFAULT_FORMS, ConsultationSettings, MeetingForm, Venue


def _committee_id(committee: Committee | int) -> int:
    return committee if isinstance(committee, int) else committee.pk


def consultation_settings_for(committee: Committee | int) -> ConsultationSettings:
    """The committee's settings row, created with the defaults if missing. Cached on a
    Committee object for the request."""
    cached = getattr(committee, "_consultation_settings", None)
    if cached is not None:
        return cached
    committee_id = _committee_id(committee)
    settings = ConsultationSettings.objects.filter(committee_id=committee_id).first()
    if settings is None:
        try:
            with transaction.atomic():
                settings = ConsultationSettings.objects.create(committee_id=committee_id)
        except IntegrityError:  # created concurrently
            settings = ConsultationSettings.objects.get(committee_id=committee_id)
    if not isinstance(committee, int):
        committee.__dict__["_consultation_settings"] = settings
    return settings


def meeting_form_list(
    *, committee: Committee | int, include_inactive: bool = False
) -> QuerySet[MeetingForm]:
    """The committee's forms in display order; the standard list is seeded on first use."""
    committee_id = _committee_id(committee)
    queryset = MeetingForm.objects.filter(committee_id=committee_id)
    if not queryset.exists():
        for index, (name, kind, approver) in enumerate(DEFAULT_FORMS):
            MeetingForm.objects.get_or_create(
                committee_id=committee_id,
                name=name,
                defaults={"kind": kind, "leave_approver": approver, "sort_order": index},
            )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("sort_order", "id")


def venue_list(*, committee: Committee | int, include_inactive: bool = False) -> QuerySet[Venue]:
    queryset = Venue.objects.filter(committee_id=_committee_id(committee))
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("sort_order", "id")
