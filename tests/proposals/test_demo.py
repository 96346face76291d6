"""The demo seeder: proposals in every state, walked through the real workflow or copied from a
walked one, consistent in every row a copy carries, with notices already delivered, and safe to
run twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.notifications.models import Delivery, DeliveryStatus, Notification, OutboxMessage
from apps.proposals.demo import seed_proposals
from apps.proposals.labels import AUDIT_VERB_LABELS
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Cosigner,
    CosignerStatus,
    Evaluation,
    Proposal,
    ProposalKind,
    ProposalNumberSeries,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from apps.proposals.selectors import proposal_raters
from apps.proposals.selectors.similar import proposal_similar
from tests.factories import MemberFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNT = 40  # every state once, then the usual mix: walks and copies


def _seed(city, city_term) -> None:
    from apps.sectors.models import Sector

    sector = Sector.objects.filter(committee=city).first()
    for index in range(8):
        user = UserFactory(username=f"demo{index}", committee=city)
        member = MemberFactory(committee=city, user=user)
        MembershipFactory(member=member, committee=city, term=city_term, sector=sector)
    assert seed_proposals(committee=city, term=city_term, count=COUNT, rng_seed=7) == COUNT


def test_demo_proposals_are_consistent_in_every_state_and_seeded_once(
    city, city_term, leader_user, roles_seeded
):
    """One seeding (it takes seconds), checked rule by rule."""
    _seed(city, city_term)
    seeded = (city, city_term)
    check_every_state_is_there()
    check_numbers_are_gap_free_per_series(seeded)
    check_every_row_of_a_proposal_fits_its_state()
    check_notices_are_seeded_as_delivered()
    check_some_proposals_have_near_duplicates(seeded, leader_user)
    check_every_audit_verb_has_a_label()
    check_timelines_carry_the_dates_of_the_record()
    check_every_rating_rates_the_units_that_answered()
    check_second_run_creates_nothing(seeded)


def check_every_state_is_there():
    assert set(Proposal.objects.values_list("status", flat=True)) == set(ProposalStatus.values)
    assignments = set(Assignment.objects.values_list("status", flat=True))
    assert {
        AssignmentStatus.PENDING,
        AssignmentStatus.RECEIVED,
        AssignmentStatus.RETURN_REQUESTED,
        AssignmentStatus.REPLIED,
    } <= assignments
    assert {AssignmentRole.SOLE, AssignmentRole.LEAD, AssignmentRole.CO} <= set(
        Assignment.objects.values_list("role", flat=True)
    )
    today = timezone.localdate()
    open_ones = Assignment.objects.filter(status=AssignmentStatus.RECEIVED, deadline__lt=today)
    assert open_ones.exists()  # 逾期
    assert Proposal.objects.filter(status=ProposalStatus.REPLIED, rating_due__gte=today).exists()
    assert Proposal.objects.filter(status=ProposalStatus.DRAFT, kind=ProposalKind.JOINT).exists()
    assert Evaluation.objects.exists()


def check_numbers_are_gap_free_per_series(seeded):
    city, _term = seeded
    numbers: dict[str, list[int]] = {}
    for series, number in Proposal.objects.exclude(number=None).values_list(
        "number_series", "number"
    ):
        numbers.setdefault(series, []).append(number)
    assert numbers
    for series, issued in numbers.items():
        assert sorted(issued) == list(range(1, len(issued) + 1)), series
        last = ProposalNumberSeries.objects.get(committee=city, key=series).last_number
        assert last == len(issued)
    numbered = set(Proposal.objects.exclude(number=None).values_list("status", flat=True))
    assert ProposalStatus.DRAFT not in numbered and ProposalStatus.SUBMITTED not in numbered


def check_every_row_of_a_proposal_fits_its_state():
    """What the workflow guarantees holds for copies as for walked proposals."""
    handled = (ProposalStatus.REPLIED, ProposalStatus.EVALUATED, ProposalStatus.CLOSED)
    for proposal in Proposal.objects.all():
        verbs = set(
            AuditEvent.objects.filter(
                content_type__model="proposal", object_id=str(proposal.pk)
            ).values_list("verb", flat=True)
        )
        assert "proposal_draft_create" in verbs, proposal.pk
        if proposal.status != ProposalStatus.DRAFT:
            assert "proposal_submit" in verbs, proposal.pk
            assert proposal.submitted_at is not None
        statuses = set(proposal.cosigners.values_list("status", flat=True))
        if proposal.kind == ProposalKind.JOINT and proposal.status != ProposalStatus.DRAFT:
            assert CosignerStatus.CONFIRMED in statuses, proposal.pk
        if proposal.status in handled:
            answering = proposal.assignments.exclude(role=AssignmentRole.CO)
            assert answering.exists()
            for assignment in answering:
                assert Reply.objects.filter(
                    assignment=assignment, review_status=ReplyReview.APPROVED
                ).exists(), proposal.pk
        if proposal.status in (ProposalStatus.EVALUATED, ProposalStatus.CLOSED):
            raters = {rater.user_id for rater in proposal_raters(proposal=proposal)}
            rated = set(proposal.evaluations.values_list("rater_id", flat=True))
            assert rated == raters, proposal.pk
        if proposal.status == ProposalStatus.MERGED:
            lead = proposal.merged_into
            assert lead is not None and lead.status in (
                ProposalStatus.ACCEPTED,
                ProposalStatus.ASSIGNED,
            )
    # Every co-signer and rater is a member of the term other than the first proposer.
    for cosigner in Cosigner.objects.select_related("proposal"):
        assert cosigner.membership_id != cosigner.proposal.first_proposer_id


def check_notices_are_seeded_as_delivered():
    assert OutboxMessage.objects.count() > COUNT
    waiting = Delivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DIGEST]
    )
    assert not waiting.exists()
    assert Notification.objects.count() == OutboxMessage.objects.count()
    keys = list(OutboxMessage.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    # Each notice about a proposal links to that proposal and goes to someone of it.
    for message in OutboxMessage.objects.filter(key__contains=":accepted"):
        proposal_id = int(message.key.split(":")[1])
        proposal = Proposal.objects.get(pk=proposal_id)
        assert message.url == f"/proposals/{proposal_id}/"
        assert proposal.first_proposer is not None
        assert message.recipient_id == proposal.first_proposer.member.user_id
        assert proposal.number_label in message.title


def check_some_proposals_have_near_duplicates(seeded, leader_user):
    city, _term = seeded
    filed = Proposal.objects.exclude(status=ProposalStatus.DRAFT)
    titles = Counter(
        title.replace("关于进一步", "关于") for title in filed.values_list("title", flat=True)
    )
    twin = next(title for title, count in titles.most_common() if count > 1)
    proposal = filed.filter(title__in=[twin, twin.replace("关于", "关于进一步", 1)]).first()
    similar = proposal_similar(user=leader_user, committee=city, proposal=proposal)
    assert similar


def check_second_run_creates_nothing(seeded):
    city, term = seeded
    counts = (
        Proposal.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
        Evaluation.objects.count(),
    )
    assert seed_proposals(committee=city, term=term, count=COUNT, rng_seed=7) == 0
    assert (
        Proposal.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
        Evaluation.objects.count(),
    ) == counts


def check_every_audit_verb_has_a_label():
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    proposal_verbs = {v for v in verbs if v.startswith(("proposal_", "assignment_"))}
    assert proposal_verbs <= set(AUDIT_VERB_LABELS)


def _events_of(proposal: Proposal) -> dict[str, list]:
    """verb → the times of the proposal's own audit events, in order."""
    found: dict[str, list] = {}
    for verb, when in (
        AuditEvent.objects.filter(content_type__model="proposal", object_id=str(proposal.pk))
        .order_by("occurred_at", "id")
        .values_list("verb", "occurred_at")
    ):
        found.setdefault(verb, []).append(when)
    return found


def check_timelines_carry_the_dates_of_the_record():
    """Issue 8: demo events happen when the record says, not all at the seeding time."""
    now = timezone.now()
    handled = Proposal.objects.filter(
        status__in=[ProposalStatus.EVALUATED, ProposalStatus.CLOSED], submitted_at__isnull=False
    )
    assert handled.exists()
    for proposal in Proposal.objects.exclude(status=ProposalStatus.DRAFT):
        events = _events_of(proposal)
        times = [when for whens in events.values() for when in whens]
        assert max(times) < now - dt.timedelta(hours=1), proposal.pk  # in the past
        # Submitted when the record says, after the draft was made.
        assert events["proposal_submit"][0] == proposal.submitted_at, proposal.pk
        assert events["proposal_draft_create"][0] <= proposal.submitted_at, proposal.pk
        assert proposal.created_at == events["proposal_draft_create"][0], proposal.pk
        assert max(times) <= proposal.updated_at < now - dt.timedelta(hours=1), proposal.pk
        if proposal.assigned_at is not None and "proposal_assign" in events:
            assert events["proposal_assign"][0] == proposal.assigned_at, proposal.pk
    for proposal in handled:
        events = _events_of(proposal)
        assert len({when.date() for whens in events.values() for when in whens}) >= 4
        replies = Reply.objects.filter(assignment__proposal=proposal).values_list(
            "submitted_at", flat=True
        )
        assert min(events["proposal_assign"]) < min(replies), proposal.pk
        if "proposal_rate" in events:
            assert min(replies) < max(events["proposal_rate"]), proposal.pk
    # Unit-side events too: a reply's event is dated with the reply.
    for reply in Reply.objects.select_related("assignment")[:50]:
        reply_events = AuditEvent.objects.filter(
            content_type__model="assignment",
            object_id=str(reply.assignment_id),
            verb="assignment_submit_reply",
        ).values_list("occurred_at", flat=True)
        assert reply.submitted_at in set(reply_events), reply.pk


def check_every_rating_rates_the_units_that_answered():
    """Every rating (not 逾期未评价) rates each answering unit of its proposal on its own."""
    rated = Evaluation.objects.filter(timed_out=False)
    assert rated.exists()
    for evaluation in rated.prefetch_related("unit_ratings"):
        units = {r.handling_unit_id for r in evaluation.unit_ratings.all()}
        answering = set(
            Assignment.objects.filter(proposal_id=evaluation.proposal_id)
            .exclude(role=AssignmentRole.CO)
            .exclude(status=AssignmentStatus.RETURNED)
            .values_list("handling_unit_id", flat=True)
        )
        assert answering <= units, evaluation.pk
