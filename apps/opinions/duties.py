"""What social-opinion reports tell the duties app (履职档案, 考评) through the registry's duty
source: one fact per member and report they are credited on, in the year the report was first
submitted — the same counting as the maintained statistics (services.stats):

- role "first" (报送人) or "co" (联名): the report counts as submitted for them; a duplicate
  merged into another still counts as submitted for its own people;
- role "merged": credited on a report because their duplicate was merged into it — it is not
  submitted again, but its use, adoptions and 批示 count for them;
- accepted: published in the committee's bulletin (编发: 已编入期刊 / 已报送);
- adopted: the levels above the bulletin it was adopted at, and instructions: its 批示 — both
  only for used reports.

The committee's list of those levels is handed to the duties app too (the hand-off
"duty_adoption_levels"), so its scoring rules can give points per level; a level renamed on the
settings page is followed by the records adopted at it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from apps.core.clock import year_bounds
from apps.core.registry import DutyFact, audit_event_label, register_duty_source, register_handoff

from .models import (
    Adoption,
    AdoptionLevel,
    Contributor,
    Instruction,
    OpinionReport,
    ReportStatus,
)

USED = frozenset({ReportStatus.COMPILED, ReportStatus.REPORTED})


def opinion_duty_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """The year's report facts of these memberships (three queries)."""
    start, end = year_bounds(year)
    credits = list(
        Contributor.objects.filter(
            membership_id__in=list(membership_ids),
            report__first_submitted_at__gte=start,
            report__first_submitted_at__lt=end,
        )
        .exclude(report__status=ReportStatus.DRAFT)
        .select_related("report")
        .order_by("report_id", "id")
    )
    used_ids = [c.report_id for c in credits if c.report.status in USED]
    upper: dict[int, list[str]] = defaultdict(list)
    for report_id, name in (
        Adoption.objects.filter(report_id__in=used_ids, level__auto_on_publish=False)
        .order_by("level__sort_order", "level_id")
        .values_list("report_id", "level__name")
    ):
        upper[report_id].append(name)
    instructed = dict(
        Instruction.objects.filter(report_id__in=used_ids)
        .values_list("report_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    facts = []
    for credit in credits:
        report = credit.report
        assert credit.membership_id is not None and report.first_submitted_at is not None
        used = report.status in USED
        facts.append(
            DutyFact(
                membership_id=credit.membership_id,
                year=year,
                kind="opinion",
                source_key=f"opinion:{report.pk}",
                date=timezone.localdate(report.first_submitted_at),
                label=(report.title or str(report))[:200],
                source_url=reverse("opinions:detail", args=[report.pk]),
                role=credit.kind,
                accepted=used,
                adopted=tuple(upper.get(report.pk, ())) if used else (),
                instructions=int(instructed.get(report.pk, 0)) if used else 0,
            )
        )
    return facts


def opinion_duty_affected(event: Any) -> set[int]:
    """The members credited on the report an audit event concerns (for an issue of the
    bulletin: on every report in it)."""
    try:
        pk = int(event.object_id)
    except (TypeError, ValueError):
        return set()
    label = audit_event_label(event)
    if label == "opinions.BulletinIssue":
        credits = Contributor.objects.filter(report__issue_id=pk)
    elif label == AdoptionLevel._meta.label:  # renamed: the records carry the level's name
        credits = Contributor.objects.filter(
            report_id__in=Adoption.objects.filter(level_id=pk).values("report_id")
        )
    elif label == OpinionReport._meta.label:
        credits = Contributor.objects.filter(Q(report_id=pk) | Q(merged_from_id=pk))
    else:
        return set()
    return {member for member in credits.values_list("membership_id", flat=True) if member}


def opinion_duty_levels(*, committee_id: int) -> list[dict[str, Any]]:
    """The committee's adoption levels above its bulletin (those not recorded by publication
    itself), lowest first, switched-off ones included: {key, name, active}. The key is the
    level's id, which stays when it is renamed. One query once the defaults are seeded."""
    from .selectors.config import adoption_level_list

    return [
        {"key": str(level.pk), "name": level.name, "active": level.is_active}
        for level in adoption_level_list(committee=committee_id, include_inactive=True)
        if not level.auto_on_publish
    ]


def register(*, app: str) -> None:
    """Offer the report facts and the adoption levels to the duties app (called from
    OpinionsConfig.ready)."""
    register_duty_source(
        "opinion",
        facts=opinion_duty_facts,
        affected=opinion_duty_affected,
        models=[OpinionReport._meta.label, "opinions.BulletinIssue", AdoptionLevel._meta.label],
        app=app,
    )
    register_handoff("duty_adoption_levels", opinion_duty_levels, app=app)
