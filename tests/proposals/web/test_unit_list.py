"""The assigned list (tabs, filters, urgency, deadlines in words), its query-count pin, the unit
home card and the panel on the proposal detail page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.proposals import workflow
from apps.proposals.models import Assignment, AssignmentRole, AssignmentStatus, Proposal
from apps.proposals.web.unit import hooks

from ..conftest import upload

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
LIST = "/proposals/unit/"


def _clone(template: Assignment, count: int, *, start: int = 100, **fields) -> list[Assignment]:
    """`count` more proposals like the template's, each assigned to the same unit (rows made
    directly: the list only reads them)."""
    source = Proposal.objects.get(pk=template.proposal_id)
    made = []
    for index in range(count):
        proposal = Proposal.objects.get(pk=source.pk)
        proposal.pk = None
        proposal.id = None
        proposal.number = start + index
        proposal.number_label = f"第{start + index:04d}号"
        proposal.title = f"关于第{start + index}项民生实事的建议"
        proposal.save()
        assignment = Assignment.objects.get(pk=template.pk)
        assignment.pk = None
        assignment.id = None
        assignment.proposal = proposal
        for name, value in fields.items():
            setattr(assignment, name, value)
        assignment.save()
        made.append(assignment)
    return made


def test_tabs_filters_and_urgency(client, build, unit_user, proposal_staff_user):
    with time_machine.travel(MONDAY, tick=False):
        pending = build.assigned().assignments.get()
        received = build.assigned(title="关于加强校园周边交通安全的建议").assignments.get()
        workflow.assignment_receive(user=unit_user, assignment_id=received.pk)
        answered = build.assigned(title="关于推进中小学课后服务的建议").assignments.get()
        workflow.assignment_receive(user=unit_user, assignment_id=answered.pk)
        build.reply(Proposal.objects.get(pk=answered.proposal_id))
    # a second assignment, overdue, made by hand with an earlier deadline
    (overdue,) = _clone(
        received,
        1,
        deadline=dt.date(2026, 3, 20),
        status=AssignmentStatus.RECEIVED,
    )
    with time_machine.travel(MONDAY + dt.timedelta(days=25), tick=False):
        client.force_login(unit_user)
        response = client.get(LIST)
        html = response.content.decode()
        titles = [
            Proposal.objects.get(pk=a.proposal_id).title
            for a in (overdue, pending, received, answered)
        ]
        positions = [html.index(title) for title in titles]
        assert positions == sorted(positions), "overdue first, finished last"
        assert "已逾期 7 天" in html  # deadline 20 March, today 27 March
        assert "（剩余" in html
        assert "待签收 <span" in html

        def shown(query: dict) -> set[str]:
            page = client.get(LIST, query).content.decode()
            return {t for t in titles if t in page}

        assert shown({"tab": "pending"}) == {titles[1]}
        assert shown({"tab": "active"}) == {titles[0], titles[2]}
        assert shown({"tab": "done"}) == {titles[3]}
        assert shown({"tab": "review"}) == set()
        assert shown({"attention": "overdue"}) == {titles[0]}
        assert shown({"role": "co"}) == set()
        assert shown({"status": "pending"}) == {titles[1]}
        assert shown({"q": "校园周边"}) == {titles[2]}
        # htmx gets only the results
        partial = client.get(LIST, {"tab": "pending"}, headers={"HX-Request": "true"})
        assert partial.content.decode().lstrip().startswith('<section id="unit-results"')


def test_due_soon_and_rejected_filters(client, build, unit_user, proposal_staff_user):
    assignment = build.assigned().assignments.get()
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    reply = workflow.assignment_submit_reply(
        user=unit_user,
        assignment_id=assignment.pk,
        text="答复",
        result_class="A",
        letter=upload("答复函.pdf"),
    )
    workflow.reply_reject(user=proposal_staff_user, reply_id=reply.pk, reason="请补充。")
    from django.utils import timezone

    today = timezone.localdate()
    (soon,) = _clone(assignment, 1, deadline=today + dt.timedelta(days=5))
    client.force_login(unit_user)
    rejected_page = client.get(LIST, {"attention": "rejected"}).content.decode()
    assert "答复被驳回，需重新提交" in rejected_page
    assert Proposal.objects.get(pk=assignment.proposal_id).title in rejected_page
    soon_page = client.get(LIST, {"attention": "due_soon"}).content.decode()
    assert Proposal.objects.get(pk=soon.proposal_id).title in soon_page
    assert "剩余 5 天" in soon_page
    assert Proposal.objects.get(pk=assignment.proposal_id).title not in soon_page
    summary = hooks.home_context(_request(unit_user))["unit_card"]["summary"]
    assert (summary.rejected, summary.due_soon) == (1, 1)


def test_list_query_count_is_pinned(client, build, unit_user):
    template = build.assigned().assignments.get()
    _clone(template, 2, start=200)
    client.force_login(unit_user)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST)
    assert response.content.decode().count('href="/proposals/assignments/') == 3
    _clone(template, 27, start=300)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.content.decode().count('href="/proposals/assignments/') == 20  # one page
    assert len(few) == len(many), (len(few), len(many))
    with CaptureQueriesContext(connection) as second_page:
        client.get(LIST, {"page": 2})
    assert len(second_page) == len(many)
    assert len(many) <= 20


def test_pagination_keeps_filters(client, build, unit_user):
    template = build.assigned().assignments.get()
    _clone(template, 24, start=400)
    client.force_login(unit_user)
    html = client.get(LIST, {"role": "sole"}).content.decode()
    assert "第 1 / 2 页" in html
    assert "role=sole&amp;page=2" in html


def test_home_card_counts_and_urgent_items(client, build, unit_user, proposal_staff_user):
    from django.utils import timezone

    pending = build.assigned().assignments.get()
    today = timezone.localdate()
    _clone(pending, 1, start=500, deadline=today - dt.timedelta(days=3))  # overdue, pending
    _clone(
        pending,
        2,
        start=600,
        deadline=today + dt.timedelta(days=10),
        status=AssignmentStatus.RECEIVED,
    )
    client.force_login(unit_user)
    response = client.get("/")
    html = response.content.decode()
    card = render_to_string(
        "proposals/home/_unit.html",
        hooks.home_context(_request(unit_user)),
    )
    assert "交办提案" in card
    assert 'href="/proposals/unit/?tab=pending"' in card
    assert 'href="/proposals/unit/?attention=overdue"' in card
    summary = hooks.home_context(_request(unit_user))["unit_card"]["summary"]
    assert (summary.to_receive, summary.overdue, summary.due_soon, summary.rejected) == (2, 1, 2, 0)
    assert "已逾期 3 天" in card
    assert "最紧急的待办" in card
    # the lead includes the card on the unit home page
    assert "查看全部交办提案" in html


def test_home_card_is_empty_for_non_units(member_user):
    assert hooks.home_context(_request(member_user)) == {}


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_detail_panel_shows_own_unit_assignment_only(
    build, unit_user, other_unit_user, member_user, proposal_staff_user
):
    proposal = build.assigned(
        plan=[
            (unit_user.handling_unit_id, AssignmentRole.LEAD),
            (other_unit_user.handling_unit_id, AssignmentRole.CO),
        ]
    )
    own = proposal.assignments.get(handling_unit_id=unit_user.handling_unit_id)
    context = hooks.detail_context(_request(unit_user), proposal)
    html = render_to_string("proposals/unit/_detail_panel.html", context)
    assert "本单位办理" in html
    assert "主办" in html
    assert reverse("proposals:assignment", args=[own.pk]) in html
    assert "去签收" in html
    assert "（剩余" in html

    other = hooks.detail_context(_request(other_unit_user), proposal)
    assert [item["assignment"].role for item in other["unit_panel"]] == ["co"]
    # uses the detail page's prefetched assignments when present
    from apps.proposals.selectors import proposal_get_for_user

    loaded = proposal_get_for_user(user=unit_user, proposal_id=proposal.pk)
    with CaptureQueriesContext(connection) as queries:
        context = hooks.detail_context(_request(unit_user), loaded)
    assert len(queries) == 0
    assert context["unit_panel"][0]["assignment"].pk == own.pk

    for user in (member_user, proposal_staff_user):
        assert hooks.detail_context(_request(user), proposal) == {}
        assert render_to_string("proposals/unit/_detail_panel.html", {}).strip() == ""
