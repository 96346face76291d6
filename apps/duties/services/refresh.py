"""Keeping the records and scores current: `duty_refresh` gathers the facts of some members for
one year from every source, writes the differences to DutyRecord and rescores them;
`duty_rescore` scores members from their stored records (after a rule change). Both are
idempotent — running them twice writes nothing the second time — and skip closed years.

Refreshes of the same member are serialised by locking their summary rows (created first if
missing), so two workers refreshing at once cannot interleave their writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from apps.core import clock
from apps.core.registry import DutyFact
from apps.members.models import STANDING_POSITIONS, Membership

from ..models import (
    ActivityType,
    DutyRecord,
    DutySummary,
    DutyYear,
    RuleSetKind,
    RuleSetStatus,
    ScoringRuleSet,
)
from ..rules.items import ATTENDED, adoption_codes, item_labels
from ..rules.schema import definition_from_dict
from ..rules.scoring import ScoreResult, score_year
from ..sources import adoption_levels_of, gather_facts

FACT_FIELDS = (
    "kind",
    "source_url",
    "date",
    "label",
    "role",
    "meeting_type",
    "attendance",
    "level",
    "accepted",
    "is_key",
    "is_excellent",
    "adopted",
    "instructions",
    "signers",
)
RANK_BANDS = ((Decimal("0.10"), "top10"), (Decimal("0.30"), "top30"), (Decimal("0.70"), "middle"))


def memberships_of_year(*, committee_id: int, year: int) -> QuerySet[Membership]:
    """The committee's memberships whose term overlaps the calendar year."""
    return Membership.objects.filter(
        committee_id=committee_id, term__start_date__lte=dt.date(year, 12, 31)
    ).filter(Q(term__end_date__isnull=True) | Q(term__end_date__gte=dt.date(year, 1, 1)))


def closed_committees(year: int, committee_ids: Iterable[int]) -> set[int]:
    return set(
        DutyYear.objects.filter(
            committee_id__in=list(committee_ids), year=year, closed=True
        ).values_list("committee_id", flat=True)
    )


def _in_year(membership: Membership, year: int) -> bool:
    term = membership.term
    if term.start_date > dt.date(year, 12, 31):
        return False
    return term.end_date is None or term.end_date >= dt.date(year, 1, 1)


def _lock(memberships: Sequence[Membership], year: int) -> None:
    """Create the missing summary rows and lock all of them (in id order)."""
    DutySummary.objects.bulk_create(
        [
            DutySummary(committee_id=m.committee_id, membership_id=m.pk, year=year)
            for m in memberships
        ],
        ignore_conflicts=True,
    )
    list(
        DutySummary.objects.select_for_update()
        .filter(membership_id__in=[m.pk for m in memberships], year=year)
        .order_by("membership_id")
        .values_list("pk", flat=True)
    )


def _live(membership_ids: Iterable[int], year: int) -> list[Membership]:
    memberships = list(
        Membership.objects.filter(pk__in=set(membership_ids)).select_related("term").order_by("pk")
    )
    frozen = closed_committees(year, {m.committee_id for m in memberships})
    return [m for m in memberships if m.committee_id not in frozen and _in_year(m, year)]


def _fact_values(fact: DutyFact) -> dict[str, Any]:
    values = {name: getattr(fact, name) for name in FACT_FIELDS}
    values["adopted"] = list(fact.adopted)
    values["label"] = str(fact.label)[:200]
    values["source_url"] = str(fact.source_url)[:300]
    return values


def _write_records(memberships: Sequence[Membership], year: int, facts: Sequence[DutyFact]) -> int:
    """Upsert the facts as records and delete the records no source reports any more. Returns
    how many rows changed."""
    committee_of = {m.pk: m.committee_id for m in memberships}
    existing = {
        (row.membership_id, row.source_key): row
        for row in DutyRecord.objects.filter(membership_id__in=list(committee_of), year=year)
    }
    create, update = [], []
    seen: set[tuple[int, str]] = set()
    for fact in facts:
        if fact.membership_id not in committee_of:
            continue
        slot = (fact.membership_id, fact.source_key)
        seen.add(slot)
        values = _fact_values(fact)
        row = existing.get(slot)
        if row is None:
            create.append(
                DutyRecord(
                    committee_id=committee_of[fact.membership_id],
                    membership_id=fact.membership_id,
                    year=year,
                    source_key=fact.source_key,
                    **values,
                )
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            update.append(row)
    gone = [row.pk for slot, row in existing.items() if slot not in seen]
    if create:
        DutyRecord.objects.bulk_create(create, batch_size=500)
    if update:
        DutyRecord.objects.bulk_update(update, [*FACT_FIELDS, "updated_at"], batch_size=500)
    if gone:
        DutyRecord.objects.filter(pk__in=gone).delete()
    return len(create) + len(update) + len(gone)


@transaction.atomic
def duty_refresh(*, membership_ids: Iterable[int], year: int) -> int:
    """Bring the records of these members for `year` in line with their sources and rescore
    them; closed years and years outside a member's term are left alone. Who calls: the
    refresh tasks (after source events, after filings, the periodic safety net) and the demo.
    Returns how many records changed."""
    memberships = _live(membership_ids, year)
    if not memberships:
        return 0
    _lock(memberships, year)
    facts = gather_facts([m.pk for m in memberships], year)
    changed = _write_records(memberships, year, facts)
    _rescore(memberships, year)
    from .warnings import warnings_evaluate

    warnings_evaluate(membership_ids=[m.pk for m in memberships])
    return changed


@transaction.atomic
def duty_rescore(*, membership_ids: Iterable[int], year: int) -> int:
    """Score these members' stored records for `year` by the rules now in effect (closed years
    are left alone). Who calls: the recomputation after a rule change. Returns how many
    members were scored."""
    memberships = _live(membership_ids, year)
    if not memberships:
        return 0
    _lock(memberships, year)
    _rescore(memberships, year)
    from .warnings import warnings_evaluate

    # A new pass mark or rule can raise or clear a warning (below the pass mark two years).
    warnings_evaluate(membership_ids=[m.pk for m in memberships])
    return len(memberships)


def rules_in_effect(
    committee_ids: Iterable[int], year: int
) -> dict[tuple[int, str], ScoringRuleSet]:
    """(committee id, kind) → the rule set in effect for the year (one query)."""
    return {
        (rule_set.committee_id, rule_set.kind): rule_set
        for rule_set in ScoringRuleSet.objects.filter(
            committee_id__in=list(committee_ids), year=year, status=RuleSetStatus.ACTIVE
        )
    }


def labels_for(
    committee_ids: Iterable[int],
) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    """Each committee's item labels (its activity types and adoption levels included) and its
    adoption levels' item codes by level name (one query, and one per committee for the
    levels)."""
    committee_ids = set(committee_ids)
    types: dict[int, dict[str, str]] = defaultdict(dict)
    for committee_id, code, name in ActivityType.objects.filter(
        committee_id__in=list(committee_ids)
    ).values_list("committee_id", "code", "name"):
        types[committee_id][code] = name
    labels, levels = {}, {}
    for committee_id in committee_ids:
        adoption_levels = adoption_levels_of(committee_id)
        labels[committee_id] = item_labels(types.get(committee_id, {}), adoption_levels)
        levels[committee_id] = adoption_codes(adoption_levels)
    return labels, levels


def counts_of(records: Sequence[DutyRecord]) -> dict[str, int]:
    """The figures shown beside the score."""
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        counts[record.kind] += 1
        if record.kind == "meeting":
            if record.attendance in ATTENDED:
                counts["attended"] += 1
            else:
                counts[record.attendance or "absent"] += 1
            if record.meeting_type == "plenary" and record.attendance == "absent":
                counts["plenary_absent"] += 1
        elif record.kind == "proposal":
            counts["proposal_first"] += record.role == "first"
            counts["proposal_accepted"] += bool(record.accepted)
            counts["proposal_key"] += bool(record.is_key)
        elif record.kind == "opinion":
            counts["opinion_used"] += bool(record.accepted)
            counts["opinion_adopted"] += bool(record.adopted)
            counts["opinion_instructions"] += int(record.instructions or 0)
        elif record.kind == "study":
            counts["study_adopted"] += bool(record.accepted)
            counts["study_compiled"] += record.level == "compiled"
    return dict(counts)


def _progress(
    definition: Any, records: Sequence[DutyRecord], year: int, **kwargs: Any
) -> list[dict[str, Any]]:
    """The score at the end of each month so far (the chart on 我的履职), with the records of
    that month."""
    today = clock.today()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    months = []
    score: str | None = None
    scored = -1  # how many records the last score counted (a month adding none keeps it)
    for month in range(1, last + 1):
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        upto = [record for record in records if record.date < end]
        if len(upto) != scored:
            result = score_year(definition, upto, **kwargs)
            score = str(result.total) if result.total is not None else None
            scored = len(upto)
        months.append(
            {
                "month": month,
                "score": score,
                "records": sum(1 for record in upto if record.date >= dt.date(year, month, 1)),
            }
        )
    return months


def _rescore(memberships: Sequence[Membership], year: int) -> None:
    ids = [m.pk for m in memberships]
    committees = {m.committee_id for m in memberships}
    rules = rules_in_effect(committees, year)
    labels, levels = labels_for(committees)
    records: dict[int, list[DutyRecord]] = defaultdict(list)
    for record in DutyRecord.objects.filter(membership_id__in=ids, year=year).order_by(
        "date", "id"
    ):
        records[record.membership_id].append(record)
    summaries = {
        s.membership_id: s for s in DutySummary.objects.filter(membership_id__in=ids, year=year)
    }
    now = clock.now()
    changed = []
    for membership in memberships:
        mine = records.get(membership.pk, [])
        kwargs: dict[str, Any] = {
            "labels": labels[membership.committee_id],
            "levels": levels[membership.committee_id],
            "party": membership.party,
            "is_standing": membership.position in STANDING_POSITIONS,
        }
        scoring = rules.get((membership.committee_id, RuleSetKind.SCORING))
        checklist = rules.get((membership.committee_id, RuleSetKind.CHECKLIST))
        values: dict[str, Any] = {
            "rule_set_id": scoring.pk if scoring else None,
            "rule_version": scoring.version if scoring else 0,
            "records": len(mine),
            "counts": counts_of(mine),
            "score": None,
            "grade": "",
            "passed": None,
            "minimums_met": None,
            "breakdown": {},
            "progress": [],
            "checklist": [],
        }
        if scoring is not None:
            definition = definition_from_dict(scoring.definition)
            result: ScoreResult = score_year(definition, mine, **kwargs)
            values.update(
                score=result.total,
                grade=result.grade,
                passed=result.passed,
                minimums_met=result.minimums_met,
                breakdown=result.as_dict(),
                progress=_progress(definition, mine, year, **kwargs),
            )
        if checklist is not None:
            checked = score_year(
                definition_from_dict(checklist.definition), mine, checklist=True, **kwargs
            )
            values["checklist"] = checked.as_dict()["minimums"]
        summary = summaries[membership.pk]
        if _differs(summary, values):
            for name, value in values.items():
                setattr(summary, name, value)
            summary.computed_at = now
            changed.append(summary)
    if changed:
        DutySummary.objects.bulk_update(changed, [*_SUMMARY_FIELDS, "computed_at"], batch_size=200)
    for committee_id in committees:
        rank_bands_update(committee_id=committee_id, year=year)


_SUMMARY_FIELDS = (
    "rule_set_id",
    "rule_version",
    "records",
    "counts",
    "score",
    "grade",
    "passed",
    "minimums_met",
    "breakdown",
    "progress",
    "checklist",
)


def _differs(summary: DutySummary, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        current = getattr(summary, name)
        if name == "score" and current is not None and value is not None:
            if Decimal(current) != Decimal(value):
                return True
        elif current != value:
            return True
    return False


def rank_band(position: int, total: int) -> str:
    """The band of the member at `position` (0 = highest score) among `total` scored members:
    前10%, 前30%, 中间, 后30%."""
    if total <= 0:
        return ""
    share = Decimal(position + 1) / Decimal(total)
    for limit, band in RANK_BANDS:
        if share <= limit:
            return band
    return "bottom30"


def rank_bands_update(*, committee_id: int, year: int) -> int:
    """Recompute every scored member's rank band in the committee's year; equal scores share
    the better band. Two queries when nothing moved."""
    rows = list(
        DutySummary.objects.filter(committee_id=committee_id, year=year, score__isnull=False)
        .order_by("-score", "id")
        .only("id", "score", "rank_band")
    )
    total = len(rows)
    changed = []
    first_of_score: dict[Decimal, int] = {}
    for position, row in enumerate(rows):
        assert row.score is not None
        start = first_of_score.setdefault(Decimal(row.score), position)
        band = rank_band(start, total)
        if row.rank_band != band:
            row.rank_band = band
            changed.append(row)
    if changed:
        DutySummary.objects.bulk_update(changed, ["rank_band"], batch_size=500)
    DutySummary.objects.filter(committee_id=committee_id, year=year, score__isnull=True).exclude(
        rank_band=""
    ).update(rank_band="")
    return len(changed)
