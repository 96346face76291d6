"""Reads: who sees which proposal, fixed query counts on every list, statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.errors import NotFound
from apps.proposals import services, workflow
from apps.proposals.models import Assignment, ProposalKind
from apps.proposals.selectors import (
    ProposalFilter,
    StatsScope,
    assignment_extension_queue,
    assignment_get_for_user,
    assignment_list_for_unit,
    assignment_overdue_list,
    assignment_return_queue,
    cosign_invitations_for_user,
    proposal_get_for_user,
    proposal_key_list,
    proposal_list_mine,
    proposal_list_visible_to,
    proposal_review_queue,
    proposal_stats_by_category,
    proposal_stats_by_result_class,
    proposal_stats_by_status,
    proposal_stats_by_unit,
    proposal_transfer_pending_list,
    reply_review_queue,
)
from apps.proposals.selectors.office import (
    OfficeListFilter,
    proposal_assign_queue,
    proposal_excellent_list,
    proposal_export_rows,
    proposal_office_list,
)
from apps.proposals.selectors.timeline import proposal_ratings_due_for_user
from apps.proposals.selectors.unit import assignment_list_assigned

from .conftest import membership_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(build, member_user, cosigner_user):
    """李红梅's draft (陈志强 invited), her submitted proposal, and her assigned one (市教育局)."""
    draft = build.draft(title="关于草稿的建议")
    services.cosigners_invite(
        user=member_user, proposal_id=draft.pk, membership_ids=[membership_of(cosigner_user).pk]
    )
    submitted = build.submitted(title="关于已提交的建议")
    assigned = build.assigned(title="关于已交办的建议")
    return {"draft": draft.pk, "submitted": submitted.pk, "assigned": assigned.pk}


VISIBILITY = {
    "member_user": {"draft", "submitted", "assigned"},
    "cosigner_user": {"draft", "assigned"},
    "other_member_user": {"assigned"},
    "proposal_staff_user": {"submitted", "assigned"},
    "unit_user": {"assigned"},
    "other_unit_user": set(),
    "leader_user": {"submitted", "assigned"},
    "district_member_user": set(),
}


@pytest.mark.parametrize(("persona", "expected"), list(VISIBILITY.items()))
def test_visibility(request, three, persona, expected):
    user = request.getfixturevalue(persona)
    visible = set(proposal_list_visible_to(user=user).values_list("pk", flat=True))
    assert visible == {three[name] for name in expected}
    for name, pk in three.items():
        if name in expected:
            assert proposal_get_for_user(user=user, proposal_id=pk).pk == pk
        else:
            with pytest.raises(NotFound):
                proposal_get_for_user(user=user, proposal_id=pk)


def test_my_proposals_and_cosign_inbox(three, member_user, cosigner_user):
    assert set(proposal_list_mine(user=member_user).values_list("pk", flat=True)) == set(
        three.values()
    )
    assert list(proposal_list_mine(user=cosigner_user).values_list("pk", flat=True)) == [
        three["draft"]
    ]
    assert [c.proposal_id for c in cosign_invitations_for_user(user=cosigner_user)] == [
        three["draft"]
    ]


def test_filters(three, proposal_staff_user, category, education_unit):
    def ids(**kwargs):
        filters = ProposalFilter(**kwargs)
        return set(
            proposal_list_visible_to(user=proposal_staff_user, filters=filters).values_list(
                "pk", flat=True
            )
        )

    assert ids(status="submitted") == {three["submitted"]}
    assert ids(handling_unit_id=education_unit.pk) == {three["assigned"]}
    assert ids(category_id=category.pk) == {three["submitted"], three["assigned"]}
    assert ids(q="已交办") == {three["assigned"]}
    assert ids(q="托育") == {three["submitted"], three["assigned"]}  # in the stored text
    assert ids(q="第0001号") == {three["assigned"]}
    assert ids(is_key=True) == set()


def test_assignment_detail_scope(
    three, unit_user, other_unit_user, proposal_staff_user, other_member_user
):
    assignment = Assignment.objects.get(proposal_id=three["assigned"])
    assert assignment_get_for_user(user=unit_user, assignment_id=assignment.pk) == assignment
    assert assignment_get_for_user(user=proposal_staff_user, assignment_id=assignment.pk)
    for user in (other_unit_user, other_member_user):
        with pytest.raises(NotFound):
            assignment_get_for_user(user=user, assignment_id=assignment.pk)


def _touch_proposals(rows):
    for p in rows:
        _ = (p.first_proposer.member.name, p.category.name, p.committee.name, str(p.term))
        _ = [c.membership.member.name for c in p.confirmed_cosigners]
        _ = [a.handling_unit.name for a in p.open_assignments]
        _ = p.plenary_session.short_name if p.plenary_session else ""


def _touch_assignments(rows):
    for a in rows:
        _ = (a.handling_unit.name, a.proposal.number_label, a.proposal.first_proposer.member.name)
        _ = a.proposal.category.name


def _count(make_rows, touch):
    with CaptureQueriesContext(connection) as captured:
        rows = list(make_rows())
        touch(rows)
    return len(captured), len(rows)


ADDED = 3


def _pin(make_rows, touch, grow):
    """The same query count with few rows and with ADDED more rows of the kind the selector
    lists (each `grow()` adds exactly one); returns that count."""
    grow()
    make_rows()  # warm per-request caches (roles, committee scope)
    few_queries, few_rows = _count(make_rows, touch)
    for _ in range(ADDED):
        grow()
    many_queries, many_rows = _count(make_rows, touch)
    assert many_rows == few_rows + ADDED
    assert few_queries == many_queries, (few_queries, many_queries)
    return many_queries


def test_query_count_pins_for_proposal_lists(
    build, member_user, cosigner_user, proposal_staff_user
):
    def grow():
        build.assigned(cosigners=[cosigner_user])

    for selector in (
        lambda: proposal_list_visible_to(user=proposal_staff_user),
        lambda: proposal_list_mine(user=member_user),
        lambda: proposal_list_visible_to(user=cosigner_user),
    ):
        assert _pin(selector, _touch_proposals, grow) <= 5


def test_query_count_pins_for_queues(
    build, cosigner_user, proposal_staff_user, unit_user, leader_user
):
    def grow_submitted():
        build.submitted(cosigners=[cosigner_user])

    assert (
        _pin(
            lambda: proposal_review_queue(user=proposal_staff_user),
            _touch_proposals,
            grow_submitted,
        )
        <= 5
    )

    def grow_key():
        proposal = build.assigned()
        services.proposal_mark_key(
            user=leader_user,
            proposal_id=proposal.pk,
            supervising_leader_id=leader_user.pk,
            mode="lead",
        )

    assert _pin(lambda: assignment_list_for_unit(user=unit_user), _touch_assignments, grow_key) <= 3
    assert _pin(lambda: proposal_key_list(user=leader_user), _touch_proposals, grow_key) <= 5

    def grow_return():
        assignment = Assignment.objects.get(proposal=build.assigned())
        workflow.assignment_request_return(
            user=unit_user, assignment_id=assignment.pk, reason="理由"
        )

    assert (
        _pin(
            lambda: assignment_return_queue(user=proposal_staff_user),
            _touch_assignments,
            grow_return,
        )
        <= 3
    )

    def grow_extension():
        assignment = Assignment.objects.get(proposal=build.assigned())
        services.assignment_extension_request(
            user=unit_user, assignment_id=assignment.pk, reason="需跨部门协调"
        )

    assert (
        _pin(
            lambda: assignment_extension_queue(user=proposal_staff_user),
            _touch_assignments,
            grow_extension,
        )
        <= 3
    )

    far = timezone.localdate() + dt.timedelta(days=400)

    def grow_assigned():
        build.assigned()

    assert (
        _pin(
            lambda: assignment_overdue_list(user=proposal_staff_user, today=far),
            _touch_assignments,
            grow_assigned,
        )
        <= 3
    )

    def grow_reply():
        assignment = Assignment.objects.get(proposal=build.assigned())
        workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
        workflow.assignment_submit_reply(
            user=unit_user,
            assignment_id=assignment.pk,
            text="答复",
            result_class="A",
            letter=upload("a.pdf"),
        )

    def touch_replies(rows):
        for r in rows:
            _ = (
                r.assignment.handling_unit.name,
                r.assignment.proposal.number_label,
                r.submitted_by.name,
            )

    assert (
        _pin(lambda: reply_review_queue(user=proposal_staff_user), touch_replies, grow_reply) <= 3
    )

    def grow_transfer():
        proposal = build.submitted()
        workflow.proposal_propose_transfer(
            user=proposal_staff_user, proposal_id=proposal.pk, target="suggestion", reason="empty"
        )

    assert (
        _pin(
            lambda: proposal_transfer_pending_list(user=proposal_staff_user),
            _touch_proposals,
            grow_transfer,
        )
        <= 5
    )


def test_query_count_pins_for_member_lists(build, member_user, cosigner_user):
    def grow_invitation():
        proposal = build.draft(kind=ProposalKind.JOINT)
        services.cosigners_invite(
            user=member_user,
            proposal_id=proposal.pk,
            membership_ids=[membership_of(cosigner_user).pk],
        )

    def touch_invitations(rows):
        for c in rows:
            _ = (c.proposal.first_proposer.member.name, c.proposal.category.name, c.membership.pk)

    assert (
        _pin(
            lambda: cosign_invitations_for_user(user=cosigner_user),
            touch_invitations,
            grow_invitation,
        )
        <= 2
    )

    def grow_replied():
        build.replied(cosigners=[cosigner_user])

    assert (
        _pin(
            lambda: proposal_ratings_due_for_user(user=cosigner_user),
            _touch_proposals,
            grow_replied,
        )
        <= 5
    )


def test_query_count_pins_for_unit_lists(build, unit_user):
    def grow():
        build.assigned()

    def touch(rows):
        _touch_assignments(rows)
        for a in rows:
            _ = (a.reply_rejected, a.urgency, a.proposal.supervising_leader)

    assert _pin(lambda: assignment_list_assigned(user=unit_user), touch, grow) <= 3


def test_query_count_pins_for_office_lists(build, city, cosigner_user, proposal_staff_user):
    def grow_accepted():
        build.accepted(cosigners=[cosigner_user])

    assert (
        _pin(
            lambda: proposal_assign_queue(user=proposal_staff_user, committee_id=city.pk),
            _touch_proposals,
            grow_accepted,
        )
        <= 5
    )

    def grow_replied():
        build.replied(cosigners=[cosigner_user])

    assert (
        _pin(
            lambda: proposal_office_list(
                user=proposal_staff_user, filters=OfficeListFilter(sort="number")
            ),
            _touch_proposals,
            grow_replied,
        )
        <= 5
    )

    def touch_export(rows):
        _touch_proposals(rows)
        for p in rows:
            _ = p.first_proposer.sector.name
            _ = [(a.deadline, [r.result_class for r in a.released]) for a in p.export_assignments]
            _ = [e.process_rating for e in p.first_ratings]

    assert (
        _pin(
            lambda: proposal_export_rows(user=proposal_staff_user, filters=OfficeListFilter()),
            touch_export,
            grow_replied,
        )
        <= 9
    )

    def grow_nominated():
        proposal = build.replied()
        services.proposal_nominate_excellent(user=proposal_staff_user, proposal_id=proposal.pk)

    assert (
        _pin(
            lambda: proposal_excellent_list(user=proposal_staff_user, committee_id=city.pk),
            _touch_proposals,
            grow_nominated,
        )
        <= 5
    )


def test_overdue_list(build, proposal_staff_user):
    import datetime as dt

    proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    later = assignment.deadline + dt.timedelta(days=1)
    assert list(assignment_overdue_list(user=proposal_staff_user, today=later)) == [assignment]
    assert list(assignment_overdue_list(user=proposal_staff_user, today=assignment.deadline)) == []


def test_statistics_one_query_each(build, city, health_unit, unit_user, other_unit_user):
    build.submitted()
    build.replied()
    build.reply(build.assigned(), result_class="B")
    build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    build.draft()  # drafts are not counted
    scope = StatsScope(committee_id=city.pk)
    for selector in (
        proposal_stats_by_status,
        proposal_stats_by_category,
        proposal_stats_by_unit,
        proposal_stats_by_result_class,
    ):
        with CaptureQueriesContext(connection) as captured:
            selector(scope=scope)
        assert len(captured) == 1, selector.__name__
    by_status = {row["status"]: row["count"] for row in proposal_stats_by_status(scope=scope)}
    assert by_status["submitted"] == 1 and by_status["replied"] == 2 and by_status["assigned"] == 1
    assert "draft" not in by_status
    (category_row,) = proposal_stats_by_category(scope=scope)
    assert (category_row["name"], category_row["total"], category_row["accepted"]) == (
        "教科文卫体",
        4,
        3,
    )
    by_unit = {row["name"]: row for row in proposal_stats_by_unit(scope=scope)}
    assert by_unit["市教育局"]["total"] == 3 and by_unit["市教育局"]["replied"] == 2
    assert by_unit["市卫生健康委员会"]["open"] == 1
    by_class = {
        row["result_class"]: row["count"] for row in proposal_stats_by_result_class(scope=scope)
    }
    assert by_class == {"A": 1, "B": 1, "C": 0}


def test_detail_hides_unreleased_replies_and_co_unit_views_from_members(
    build, member_user, unit_user, other_unit_user, proposal_staff_user, health_unit
):
    proposal = build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    lead = Assignment.objects.get(proposal=proposal, role="lead")
    co = Assignment.objects.get(proposal=proposal, role="co")
    workflow.assignment_receive(user=other_unit_user, assignment_id=co.pk)
    workflow.assignment_submit_opinion(user=other_unit_user, assignment_id=co.pk, text="会办意见")
    workflow.assignment_receive(user=unit_user, assignment_id=lead.pk)
    workflow.assignment_submit_reply(
        user=unit_user, assignment_id=lead.pk, text="答复", result_class="A", letter=upload("a.pdf")
    )

    def seen(user):
        detail = proposal_get_for_user(user=user, proposal_id=proposal.pk)
        by_role = {a.role: a for a in detail.all_assignments}
        return len(by_role["lead"].visible_replies), len(by_role["co"].visible_opinions)

    assert seen(proposal_staff_user) == (1, 1)
    assert seen(unit_user) == (1, 1)  # the lead unit: its own reply and the views sent to it
    assert seen(other_unit_user) == (0, 1)  # the co-unit: its own views, not the pending reply
    assert seen(member_user) == (0, 0)
    workflow.reply_approve(user=proposal_staff_user, reply_id=lead.replies.get().pk)
    assert seen(member_user) == (1, 0)


def test_office_queues_are_empty_for_members(build, member_user, unit_user):
    proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    workflow.assignment_request_return(user=unit_user, assignment_id=assignment.pk, reason="理由")
    assert list(assignment_return_queue(user=member_user)) == []
    assert list(proposal_review_queue(user=member_user)) == []
    assert list(reply_review_queue(user=unit_user)) == []
