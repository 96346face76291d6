"""The demo seeder: about 150 reports in every state on the real demo committee (the
organisation, account and member seeders run first), several issues with gap-free numbers,
adoptions at every level, 批示 and 回函, two merged duplicates, the office's queues filled,
notices settled, the duplicate panel's corpus counted and every vector weighed with it; a second
run creates nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from apps.core.demo import DemoRun
from apps.core.registry import registry
from apps.core.text.vectors import Idf, analyse, weigh
from apps.notifications.models import Delivery, DeliveryStatus
from apps.opinions.models import (
    Adoption,
    BulletinIssue,
    Contributor,
    ContributorKind,
    Instruction,
    OpinionReport,
    OpinionStatsState,
    Referral,
    ReportStatus,
)
from apps.opinions.selectors import adoption_level_list, office_queue_counts

from .test_corpus import _actual, _from_scratch

pytestmark = pytest.mark.django_db


def _run(*names: str) -> DemoRun:
    from django.core.management import call_command

    call_command("seed_roles", verbosity=0)
    run = DemoRun()
    for name in names:
        registry.demo_seeders[name].seed(run)
    return run


def test_demo_reports_in_every_state_and_seeded_once():
    run = _run("organisation", "accounts", "members", "opinions")
    reports = OpinionReport.objects.all()
    assert 140 <= reports.count() <= 170
    states = Counter(reports.values_list("status", flat=True))
    assert set(states) == set(ReportStatus.values), states
    assert states[ReportStatus.MERGED] == 2

    issues = BulletinIssue.objects.filter(status="published")
    assert issues.count() >= 8
    for series in ("regular", "urgent"):
        for year in set(issues.filter(series=series).values_list("year", flat=True)):
            numbers = sorted(
                issues.filter(series=series, year=year).values_list("number", flat=True)
            )
            assert numbers == list(range(1, len(numbers) + 1))
    assert issues.filter(series="urgent").exists()

    committee = reports.first().committee
    for level in adoption_level_list(committee=committee):
        assert Adoption.objects.filter(level=level).exists(), level.name
    assert Instruction.objects.count() >= 5
    assert Referral.objects.filter(status="replied").exists()
    assert Referral.objects.filter(status="pending").exists()
    assert Contributor.objects.filter(kind=ContributorKind.MERGED).count() >= 2
    assert reports.filter(reporting_unit__isnull=False).count() >= 10

    corpus = _actual(committee.pk)
    assert corpus == _from_scratch(committee.pk)
    assert corpus[""] == reports.exclude(status__in=["draft", "merged"]).count()
    whole = Idf(documents=corpus[""], df=corpus)
    for report in reports.order_by("id")[:20]:
        analysis = analyse(title=report.title, body=report.body_text)
        assert report.keyword_vector == weigh(analysis.features, whole)

    counts = office_queue_counts(committee_id=committee.pk)
    assert counts.screen and counts.edit and counts.signoff and counts.bulletin
    assert not OpinionStatsState.objects.filter(dirty=True).exists()
    assert not Delivery.objects.filter(
        message__kind="opinion", status=DeliveryStatus.PENDING
    ).exists()
    persona = reports.filter(created_by__username="weiyuan")
    assert persona.filter(status=ReportStatus.RETURNED).exists()
    assert Instruction.objects.filter(report__in=persona).exists()

    before = (
        OpinionReport.objects.count(),
        BulletinIssue.objects.count(),
        Adoption.objects.count(),
    )
    again = DemoRun()
    registry.demo_seeders["opinions"].seed(again)
    after = (OpinionReport.objects.count(), BulletinIssue.objects.count(), Adoption.objects.count())
    assert after == before
    assert not again.counts.get("社情民意信息")
    assert run.counts["社情民意信息"] == before[0] - 2
