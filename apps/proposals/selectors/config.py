"""Per-committee settings and categories, created with the defaults on first use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from apps.core.text import count_chars
from apps.core.workdays import add_months
from apps.organisation.models import Committee, PlenarySession

from ..models import DEFAULT_CATEGORIES, ProposalCategory, ProposalSettings, SessionType


def _committee_id(committee: Committee | int) -> int:
    return committee if isinstance(committee, int) else committee.pk


def proposal_settings_for(committee: Committee | int) -> ProposalSettings:
    """The committee's settings row, created with the defaults if missing (`committee` may be a
    Committee or its id). Cached on a Committee object for the request."""
    cached = getattr(committee, "_proposal_settings", None)
    if cached is not None:
        return cached
    committee_id = _committee_id(committee)
    settings = ProposalSettings.objects.filter(committee_id=committee_id).first()
    if settings is None:
        try:
            with transaction.atomic():
                settings = ProposalSettings.objects.create(committee_id=committee_id)
        except IntegrityError:  # created concurrently
            settings = ProposalSettings.objects.get(committee_id=committee_id)
    if not isinstance(committee, int):
        committee.__dict__["_proposal_settings"] = settings  # cached for the request
    return settings


def category_list(
    *, committee: Committee | int, include_inactive: bool = False
) -> QuerySet[ProposalCategory]:
    """The committee's categories in display order; the six defaults are seeded on first use."""
    committee_id = _committee_id(committee)
    queryset = ProposalCategory.objects.filter(committee_id=committee_id)
    if not queryset.exists():
        for index, name in enumerate(DEFAULT_CATEGORIES):
            ProposalCategory.objects.get_or_create(
                committee_id=committee_id, name=name, defaults={"sort_order": index}
            )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("sort_order", "id")


@dataclass(frozen=True)
class TextCheck:
    """Lengths of a draft against the committee's limits (for the counter beside the form)."""

    title_chars: int
    title_max: int
    body_chars: int
    body_max: int

    @property
    def title_ok(self) -> bool:
        return 0 < self.title_chars <= self.title_max

    @property
    def body_ok(self) -> bool:
        return self.body_chars <= self.body_max


def proposal_text_check(
    *, committee: Committee | int, title: str, grounds: str, suggestions: str
) -> TextCheck:
    """Count title and body (情况与分析 + 具体建议) as a Chinese reader counts: every character
    that is not whitespace (apps.core.text.counting)."""
    settings = proposal_settings_for(committee)
    return TextCheck(
        title_chars=count_chars(title),
        title_max=settings.title_max_chars,
        body_chars=count_chars(grounds) + count_chars(suggestions),
        body_max=settings.body_max_chars,
    )


def session_for(
    *, committee_id: int, when: dt.datetime, window_months: int
) -> tuple[str, PlenarySession | None]:
    """(session type, plenary session or None) for a proposal submitted at `when`.

    大会提案 when submitted from `window_months` months before a plenary session's opening day
    until its proposal deadline; otherwise 平时提案.
    """
    from django.utils import timezone

    day = timezone.localdate(when)
    sessions = (
        PlenarySession.objects.filter(
            committee_id=committee_id,
            start_date__lte=add_months(day, window_months),
            proposal_deadline__gte=when,
        )
        .select_related("term")
        .order_by("start_date")
    )
    for session in sessions:
        opens = add_months(session.start_date, -window_months)
        if opens <= day:
            return SessionType.PLENARY, session
    return SessionType.INTERIM, None
