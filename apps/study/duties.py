"""What the study app tells the duties app (履职档案, 考评) through the registry's duty source:
one fact per text a member submitted (心得体会, 研讨发言, 交流发言, 读书笔记), in the year it was
submitted, linking to the member's page of the text:

- accepted: the 委员联络处 adopted it (采用);
- level "compiled": it stands in at least one compilation (汇编);

and one fact (role "reading") per reading group and book a member checked in for (读书打卡) in
the year, with the number of days, linking to the group's page.

The source follows the texts' own audit events (submitted, edited, adopted or not) and a
compilation's change of contents (its event names the texts before and after).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.clock import year_bounds
from apps.core.registry import DutyFact, audit_event_label, register_duty_source

from .models import Compilation, CompilationEntry, ReadingCheckin, Submission, SubmissionStatus


def study_duty_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """The year's submitted texts of these memberships (two queries)."""
    start, end = year_bounds(year)
    texts = list(
        Submission.objects.filter(
            membership_id__in=list(membership_ids),
            status=SubmissionStatus.SUBMITTED,
            submitted_at__gte=start,
            submitted_at__lt=end,
        )
        .select_related("request")
        .order_by("submitted_at", "id")
    )
    compiled = set(
        CompilationEntry.objects.filter(submission__in=texts).values_list(
            "submission_id", flat=True
        )
    )
    facts = []
    for text in texts:
        assert text.submitted_at is not None
        label = _("%(kind)s：%(title)s") % {
            "kind": text.request.get_kind_display(),
            "title": text.final_title or text.request.title,
        }
        facts.append(
            DutyFact(
                membership_id=text.membership_id,
                year=year,
                kind="study",
                source_key=f"study:{text.pk}",
                date=timezone.localdate(text.submitted_at),
                label=label[:200],
                source_url=reverse("study:write", args=[text.request_id]),
                role=text.request.kind,
                accepted=text.adopted,
                level="compiled" if text.pk in compiled else "",
            )
        )
    return facts + _reading_facts(membership_ids, year)


def _reading_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """One fact per (member, group, book) with check-ins in the year (one query)."""
    rows = (
        ReadingCheckin.objects.filter(membership_id__in=list(membership_ids), day__year=year)
        .values("membership_id", "group_id", "group__name", "book_id", "book__title")
        .annotate(days=Count("id"), first=Min("day"))
        .order_by("membership_id", "group_id", "book_id")
    )
    facts = []
    for row in rows:
        what = (
            _("《%(book)s》") % {"book": row["book__title"]}
            if row["book_id"]
            else row["group__name"]
        )
        facts.append(
            DutyFact(
                membership_id=row["membership_id"],
                year=year,
                kind="study",
                source_key=f"reading:{row['group_id']}:{row['book_id'] or 0}",
                date=row["first"],
                label=(_("读书打卡：%(what)s（%(days)s天）") % {"what": what, "days": row["days"]})[
                    :200
                ],
                source_url=reverse("study:group", args=[row["group_id"]]),
                role="reading",
            )
        )
    return facts


def _ids(values: Any) -> list[int]:
    if not isinstance(values, list):
        return []
    return [value for value in values if isinstance(value, int)]


def study_duty_affected(event: Any) -> set[int]:
    """The members whose texts an audit event concerns: the text's author, or for a
    compilation whose contents changed, the authors of the texts it held before and after."""
    try:
        pk = int(event.object_id)
    except (TypeError, ValueError):
        return set()
    label = audit_event_label(event)
    if label == Submission._meta.label:
        texts = Submission.objects.filter(pk=pk)
    elif label == ReadingCheckin._meta.label:
        return set(ReadingCheckin.objects.filter(pk=pk).values_list("membership_id", flat=True))
    elif label == Compilation._meta.label:
        data = event.data or {}
        texts = Submission.objects.filter(pk__in=_ids(data.get("before")) + _ids(data.get("after")))
    else:
        return set()
    return set(texts.values_list("membership_id", flat=True))


def register(*, app: str) -> None:
    """Offer the study facts to the duties app (called from StudyConfig.ready)."""
    register_duty_source(
        "study",
        facts=study_duty_facts,
        affected=study_duty_affected,
        models=[Submission._meta.label, Compilation._meta.label, ReadingCheckin._meta.label],
        app=app,
    )
