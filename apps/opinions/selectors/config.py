"""Per-committee settings, categories and adoption levels, created with the defaults on first use,
and the length check of a report's text."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from apps.core.text import count_chars
from apps.organisation.models import Committee

from ..models import (
    DEFAULT_ADOPTION_LEVELS,
    DEFAULT_CATEGORIES,
    AdoptionLevel,
    OpinionCategory,
    OpinionSettings,
)


def _committee_id(committee: Committee | int) -> int:
    return committee if isinstance(committee, int) else committee.pk


def opinion_settings_for(committee: Committee | int) -> OpinionSettings:
    """The committee's settings row, created with the defaults if missing (`committee` may be a
    Committee or its id). Cached on a Committee object for the request."""
    cached = getattr(committee, "_opinion_settings", None)
    if cached is not None:
        return cached
    committee_id = _committee_id(committee)
    settings = OpinionSettings.objects.filter(committee_id=committee_id).first()
    if settings is None:
        try:
            with transaction.atomic():
                settings = OpinionSettings.objects.create(committee_id=committee_id)
        except IntegrityError:  # created concurrently
            settings = OpinionSettings.objects.get(committee_id=committee_id)
    if not isinstance(committee, int):
        committee.__dict__["_opinion_settings"] = settings
    return settings


def category_list(
    *, committee: Committee | int, include_inactive: bool = False
) -> QuerySet[OpinionCategory]:
    """The committee's categories in display order; the defaults are seeded on first use."""
    committee_id = _committee_id(committee)
    queryset = OpinionCategory.objects.filter(committee_id=committee_id)
    if not queryset.exists():
        for index, name in enumerate(DEFAULT_CATEGORIES):
            OpinionCategory.objects.get_or_create(
                committee_id=committee_id, name=name, defaults={"sort_order": index}
            )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("sort_order", "id")


def adoption_level_list(
    *, committee: Committee | int, include_inactive: bool = False
) -> list[AdoptionLevel]:
    """The committee's adoption levels from the lowest (本级编发) up; defaults seeded on first
    use."""
    committee_id = _committee_id(committee)
    queryset = AdoptionLevel.objects.filter(committee_id=committee_id)
    if not queryset.exists():
        for index, (name, auto) in enumerate(DEFAULT_ADOPTION_LEVELS):
            AdoptionLevel.objects.get_or_create(
                committee_id=committee_id,
                name=name,
                defaults={"sort_order": index * 10, "auto_on_publish": auto},
            )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return list(queryset.order_by("sort_order", "id"))


@dataclass(frozen=True)
class TextCheck:
    """Lengths of a report against the committee's limits (for the counter beside the form)."""

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


def report_text_check(
    *, committee: Committee | int, title: str, situation: str, analysis: str, suggestion: str
) -> TextCheck:
    """Count title and body (基本情况 + 问题分析 + 意见建议) as a Chinese reader counts: every
    character that is not whitespace (apps.core.text.count_chars)."""
    settings = opinion_settings_for(committee)
    return TextCheck(
        title_chars=count_chars(title),
        title_max=settings.title_max_chars,
        body_chars=count_chars(situation) + count_chars(analysis) + count_chars(suggestion),
        body_max=settings.body_max_chars,
    )
