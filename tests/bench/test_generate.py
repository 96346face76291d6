"""The benchmark's generator at a tiny scale (it must not rot): it loads, and what it loads keeps
the portal's invariants — committees match, numbers are unique and without gaps per series,
every state has the rows it implies, and the stored text vectors are what apps.core.text makes.
No timing here: speed is measured by bench/run only."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q

from apps.accounts.models import User
from apps.consultations.models import Invitation, Meeting
from apps.core.text import keyword_vector, search_text
from apps.members.models import Member, Membership
from apps.opinions.models import BulletinIssue, Contributor, OpinionReport
from apps.organisation.models import Committee
from apps.proposals.models import (
    Assignment,
    Cosigner,
    Evaluation,
    Proposal,
    ProposalNumberSeries,
    Reply,
)
from bench.generate import Generator, plan_province
from bench.textbank import Composer, TextIndexer, themes

NUMBERED = {"accepted", "assigned", "replied", "rehandling", "evaluated", "closed", "merged"}
HANDLED = {"replied", "evaluated", "closed"}
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """One tiny province (scale 0.001: 3 committees), loaded once for the module's tests inside
    a transaction that is rolled back afterwards (each test runs in a savepoint within it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        generator = Generator(scale=0.001, seed=7, today=TODAY, out=io.StringIO())
        yield generator.run()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_it_loads_every_kind_of_row(province):
    for label in (
        "organisation.HandlingUnit",
        "accounts.User",
        "members.Membership",
        "proposals.Proposal",
        "proposals.Cosigner",
        "proposals.Assignment",
        "proposals.Reply",
        "proposals.Evaluation",
        "core.AuditEvent",
        "consultations.Meeting",
        "consultations.Invitation",
        "opinions.OpinionReport",
        "opinions.BulletinIssue",
        "duties.DutyRecord",
        "duties.DutySummary",
        "dashboards.LeadershipSnapshot",
    ):
        assert province.get(label, 0) > 0, label
    assert Committee.objects.count() == 3
    assert set(Committee.objects.values_list("level", flat=True)) == {"province", "city", "county"}


def test_the_plan_scales_to_the_province():
    full = plan_province(1.0)
    assert len(full) == 100
    assert [p.level for p in full].count("city") == 15
    assert sum(p.members for p in full) == pytest.approx(30_000, rel=0.01)
    assert sum(p.proposals for p in full) == 300_000
    assert sum(p.meetings for p in full) == 20_000
    assert sum(p.reports for p in full) == 200_000


def test_every_proposal_belongs_to_its_proposers_committee_and_term(province):
    wrong = Proposal.objects.filter(first_proposer__isnull=False).exclude(
        committee_id=F("first_proposer__committee_id"), term_id=F("first_proposer__term_id")
    )
    assert not wrong.exists()
    assert not Cosigner.objects.exclude(
        membership__committee_id=F("proposal__committee_id"),
        membership__term_id=F("proposal__term_id"),
    ).exists()
    assert not Cosigner.objects.filter(membership_id=F("proposal__first_proposer_id")).exists()
    assert not Assignment.objects.exclude(
        committee_id=F("proposal__committee_id"),
        handling_unit__committee_id=F("proposal__committee_id"),
    ).exists()
    assert (
        not Proposal.objects.filter(plenary_session__isnull=False)
        .exclude(plenary_session__term_id=F("term_id"))
        .exists()
    )


def test_numbers_are_unique_and_without_gaps_per_series(province):
    series = defaultdict(list)
    for committee_id, key, number in Proposal.objects.filter(number__isnull=False).values_list(
        "committee_id", "number_series", "number"
    ):
        series[(committee_id, key)].append(number)
    assert series
    last = {(s.committee_id, s.key): s.last_number for s in ProposalNumberSeries.objects.all()}
    for key, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert last[key] == len(numbers)
    labels = list(
        Proposal.objects.filter(number__isnull=False).values_list("committee_id", "number_label")
    )
    assert len(set(labels)) == len(labels)


def test_states_are_consistent_with_their_rows(province):
    statuses = Counter(Proposal.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "accepted", "assigned", "replied", "closed"} <= set(statuses)
    assert not Proposal.objects.filter(status__in=NUMBERED, number__isnull=True).exists()
    assert not Proposal.objects.exclude(status__in=NUMBERED).filter(number__isnull=False).exists()
    assert not Proposal.objects.filter(status="draft", submitted_at__isnull=False).exists()
    assert not Proposal.objects.exclude(status="draft").filter(submitted_at__isnull=True).exists()
    assert not Proposal.objects.filter(status="merged", merged_into__isnull=True).exists()
    assert not Proposal.objects.filter(merged_into__status="merged").exists()
    assigned_or_later = Proposal.objects.filter(status__in={"assigned", "rehandling", *HANDLED})
    assert not assigned_or_later.annotate(n=Count("assignments")).filter(n=0).exists()
    assert (
        not Proposal.objects.exclude(status__in={"assigned", "rehandling", *HANDLED})
        .filter(assignments__isnull=False)
        .exists()
    )
    # Handled: every answering unit replied, with an approved reply; replied_at set.
    answering = Assignment.objects.filter(
        proposal__status__in=HANDLED, role__in=("sole", "lead", "split")
    )
    assert answering.exists()
    assert not answering.exclude(status="replied").exists()
    assert not answering.exclude(replies__review_status="approved").exists()
    assert not Proposal.objects.filter(status__in=HANDLED, replied_at__isnull=True).exists()
    assert not Proposal.objects.filter(status="closed", closed_at__isnull=True).exists()
    assert not Proposal.objects.filter(status="rehandling").exclude(handling_round=2).exists()
    rated = Proposal.objects.filter(status="evaluated", kind__in=("individual", "joint"))
    assert not rated.annotate(n=Count("evaluations")).filter(n=0).exists()
    assert not Evaluation.objects.exclude(
        proposal__status__in={"evaluated", "closed", "rehandling"}
    ).exists()
    assert not Reply.objects.filter(
        review_status="approved", reviewed_at__lt=F("submitted_at")
    ).exists()
    # Co-signers of a draft may still be invited; after submission each has answered.
    assert not Cosigner.objects.exclude(proposal__status="draft").filter(status="invited").exists()
    assert not Cosigner.objects.exclude(proposal__kind="joint").exists()


def test_every_member_has_an_account_and_staff_have_roles(province):
    assert not Member.objects.filter(user__isnull=True).exists()
    assert not Membership.objects.exclude(committee_id=F("member__committee_id")).exists()
    assert not Member.objects.exclude(user__committee_id=F("committee_id")).exists()
    staff = User.objects.filter(member__isnull=True)
    assert staff.exists()
    assert not staff.filter(groups__isnull=True).exists()
    unenrolled = staff.exclude(authenticator__type="totp")
    assert not unenrolled.exists()
    assert (
        not User.objects.filter(handling_unit__isnull=False)
        .exclude(handling_unit__committee_id=F("committee_id"))
        .exists()
    )


def test_meetings_invite_their_own_committees_members(province):
    assert not Invitation.objects.exclude(
        committee_id=F("meeting__committee_id"),
        membership__committee_id=F("meeting__committee_id"),
    ).exists()
    assert not Invitation.objects.filter(meeting__status="draft").exists()
    held = Invitation.objects.filter(meeting__status__in=("ended", "outcome_sent", "closed"))
    assert held.exists()
    assert not held.filter(attendance="").exists()
    assert not Meeting.objects.filter(ends_at__lte=F("starts_at")).exists()


def test_reports_credit_their_committees_members_and_bulletins_have_no_gaps(province):
    assert (
        not Contributor.objects.filter(membership__isnull=False)
        .exclude(membership__committee_id=F("report__committee_id"))
        .exists()
    )
    assert not OpinionReport.objects.filter(
        status__in=("compiled", "reported"), issue__isnull=True
    ).exists()
    assert not OpinionReport.objects.filter(status="merged", merged_into__isnull=True).exists()
    numbers = defaultdict(list)
    for issue in BulletinIssue.objects.all():
        numbers[(issue.committee_id, issue.series, issue.year)].append(issue.number)
    assert numbers
    for key, values in numbers.items():
        assert sorted(values) == list(range(1, len(values) + 1)), key
    assert not OpinionReport.objects.filter(
        Q(status="draft") & Q(submitted_at__isnull=False)
    ).exists()


def test_stored_vectors_are_what_apps_core_text_makes(province):
    sample = list(Proposal.objects.order_by("id")[:25])
    for proposal in sample:
        text = "\n".join([proposal.title, proposal.title, proposal.grounds, proposal.suggestions])
        assert proposal.keyword_vector == keyword_vector(text)
    # The search vector equals the one the drafting service builds (title A, body B).
    with connection.cursor() as cursor:
        for proposal in sample:
            cursor.execute(
                "SELECT search_vector = setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') FROM proposals_proposal WHERE id = %s",
                [
                    search_text(proposal.title),
                    search_text(f"{proposal.grounds}\n{proposal.suggestions}"),
                    proposal.pk,
                ],
            )
            assert cursor.fetchone()[0] is True
    report = OpinionReport.objects.order_by("id").first()
    assert report is not None
    text = "\n".join([report.title, report.title, report.situation, report.analysis,
                      report.suggestion])  # fmt: skip
    assert report.keyword_vector == keyword_vector(text)


def test_texts_vary_and_are_reproducible():
    import random

    def draw(seed: int) -> list[tuple[str, str, str]]:
        composer = Composer(random.Random(seed), "临江市", "市")
        return [composer.proposal(theme) for theme in themes() * 20]

    first, again = draw(1), draw(1)
    assert first == again
    titles = {title for title, _, _ in first}
    assert len(titles) > len(first) * 0.8
    indexer = TextIndexer()
    for title, grounds, suggestions in first[:40]:
        assert indexer.search_text(grounds) == search_text(grounds)
        text = "\n".join([title, title, grounds, suggestions])
        assert indexer.keyword_vector(text) == keyword_vector(text)


def test_every_benchmark_page_answers_its_persona(province, client):
    """bench/run's targets (bench.prepare) exist and answer 200 on the tiny province, so the
    benchmark does not measure error pages. The PDF is left to tests/proposals (its fonts take
    seconds to load); its URL is checked to resolve."""
    from django.urls import resolve

    from bench.prepare import people, targets

    committee = Committee.objects.get(level="province")
    who = people(committee)
    checked = set()
    for target in targets(committee, who):
        client.force_login(who[target["persona"]])
        for path in target["paths"]:
            if target["kind"] == "pdf":
                assert resolve(path.split("?")[0]).url_name
                continue
            response = client.get(path)
            assert response.status_code == 200, (target["name"], path, response.status_code)
        checked.add(target["name"])
    assert {
        "我的提案",
        "office all proposals",
        "我的会议",
        "我的社情民意",
        "我的履职",
        "leadership dashboard",
        "学习材料 (member)",
        "集体提案召集人",
    } <= checked
