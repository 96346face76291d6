"""The demo seeder (after the organisation, account and member seeders): both years' rules in
effect for both committees, last year closed; a year of verified filings per member, filings
waiting and two returned (through the real services, with evidence); every member scored, the
scores spread over every grade of the rules; notices settled; a second run adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from apps.core.demo import DemoRun
from apps.core.registry import registry
from apps.duties.models import (
    ActivityFiling,
    DutySummary,
    DutyYear,
    FilingStatus,
    RuleSetKind,
    RuleSetStatus,
    ScoringRuleSet,
)
from apps.notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


def _run(*names: str) -> DemoRun:
    from django.core.management import call_command

    call_command("seed_roles", verbosity=0)
    run = DemoRun()
    for name in names:
        registry.demo_seeders[name].seed(run)
    return run


def test_demo_duties_spread_over_the_grades_and_seeded_once(year):
    _run("organisation", "accounts", "members", "duties")
    for committee_code in ("jinan", "lixia"):
        for the_year in (year - 1, year):
            active = ScoringRuleSet.objects.filter(
                committee__code=committee_code, year=the_year, status=RuleSetStatus.ACTIVE
            )
            assert sorted(active.values_list("kind", flat=True)) == sorted(
                [RuleSetKind.SCORING, RuleSetKind.CHECKLIST]
            )
    assert ScoringRuleSet.objects.filter(year=year, status=RuleSetStatus.DRAFT).count() == 2
    assert DutyYear.objects.get(committee__code="jinan", year=year - 1).closed
    assert not DutyYear.objects.get(committee__code="jinan", year=year).closed

    # Last year (济南 2015 read for filings, 三个一 reduced to one 视察/调研): every grade occurs.
    last = DutySummary.objects.filter(committee__code="jinan", year=year - 1)
    grades = Counter(last.values_list("grade", flat=True))
    assert set(grades) == {"优秀", "称职", "不称职"}, grades
    assert all(count >= 10 for count in grades.values()), grades
    assert not last.filter(score__isnull=True).exists()
    assert last.exclude(rank_band="").count() == last.count()

    statuses = Counter(ActivityFiling.objects.values_list("status", flat=True))
    assert statuses[FilingStatus.VERIFIED] > 1000
    assert statuses[FilingStatus.SUBMITTED] >= 8
    assert statuses[FilingStatus.REJECTED] == 2
    waiting = ActivityFiling.objects.filter(status=FilingStatus.SUBMITTED)
    assert all(filing.evidence.exists() for filing in waiting)
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()

    counts = (
        ActivityFiling.objects.count(),
        ScoringRuleSet.objects.count(),
        DutySummary.objects.count(),
    )
    _run("duties")
    assert (
        ActivityFiling.objects.count(),
        ScoringRuleSet.objects.count(),
        DutySummary.objects.count(),
    ) == counts
