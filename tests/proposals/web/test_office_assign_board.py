"""交办台 and the panel's 交办 (issue 8): nothing is chosen beforehand; the suggested units are
shown with their reason and taken with one click; the units come in a searchable list grouped by
system; the board stays short (one row open at a time); 交办 and 通过并送达 say what will happen
before it does and report it afterwards."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.workdays import add_months
from apps.organisation.models import UnitSystem
from apps.proposals.models import Assignment, AssignmentRole, ProposalStatus
from tests.factories import HandlingUnitFactory
from tests.proposals.test_similar import PLANTED, QUERY

from .conftest import db_state, fresh, messages_of, pending_reply, refused

pytestmark = pytest.mark.django_db

BOARD = "/proposals/office/assign/"


def url(name: str, *args: int) -> str:
    return reverse(f"proposals:{name}", args=args)


def body_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def row_of(body: str, pk: int) -> str:
    row = body[body.index(f'id="board-row-{pk}"') :]
    return row[: row.index("</li>")]


def _similar_history(build) -> None:
    """Three handled proposals about the matter of QUERY, all answered by 市教育局."""
    for index in range(3):
        build.assigned(**{**PLANTED, "title": f"{PLANTED['title']}（{index}）"})


def _new(build):
    return build.accepted(title=QUERY["title"], grounds=QUERY["text"], suggestions="开展试点。")


def test_board_rows_are_short_and_one_opens_at_a_time(office, build, health_unit):
    proposals = [build.accepted(title=f"关于第{n}件待交办事项的建议") for n in range(3)]
    body = body_of(office.get(BOARD))
    assert "data-assign-form" not in body  # no form, no unit list until a row is opened
    assert 'name="unit"' not in body and "<select" not in body.split('id="board-results"')[1]
    for proposal in proposals:
        assert f"?open={proposal.pk}" in row_of(body, proposal.pk)
    body = body_of(office.get(BOARD, {"open": proposals[1].pk}))
    assert body.count("data-assign-form") == 1
    assert "data-assign-form" in row_of(body, proposals[1].pk)
    assert "data-assign-form" not in row_of(body, proposals[0].pk)
    assert "收起" in row_of(body, proposals[1].pk)


def test_an_htmx_open_swaps_only_the_results(office, build):
    proposal = build.accepted()
    response = office.get(BOARD, {"open": proposal.pk}, headers={"HX-Request": "true"})
    body = body_of(response)
    assert body.lstrip().startswith('<section id="board-results"')
    assert "data-assign-form" in body


def test_open_row_suggests_units_with_their_reason_and_chooses_nothing(office, build, health_unit):
    _similar_history(build)
    build.assigned(title="关于托育服务的建议", plan=[(health_unit.pk, "sole")])
    waiting = _new(build)
    row = row_of(body_of(office.get(BOARD, {"open": waiting.pk})), waiting.pk)
    assert "相似的 3 件提案由市教育局主办" in row
    assert f'data-pick-unit="{build.unit_id}" data-pick-as="main"' in row
    assert f'data-pick-unit="{build.unit_id}" data-pick-as="others"' in row
    # Nothing is chosen for the office: no radio, box or option is preselected.
    assert " selected" not in row
    assert re.search(r'name="(unit|others)" value="\d+"[^>]*checked', row) is None


def test_the_panel_suggests_and_chooses_nothing_either(office, build):
    _similar_history(build)
    waiting = _new(build)
    body = body_of(office.get(f"/proposals/{waiting.pk}/"))
    form = body[
        body.index("data-assign-form") : body.index("</form>", body.index("data-assign-form"))
    ]
    assert "相似的 3 件提案由市教育局主办" in form
    assert f'data-pick-unit="{build.unit_id}"' in form
    assert re.search(r'name="(unit|others)" value="\d+"[^>]*checked', form) is None


def test_without_similar_proposals_the_category_history_is_the_reason(office, build, health_unit):
    for n in range(2):
        build.assigned(title=f"关于第{n}件的建议", plan=[(health_unit.pk, "sole")])
    waiting = build.accepted(
        title="关于城区道路积水治理的建议",
        grounds="暴雨后低洼路段积水严重。",
        suggestions="改造排水管网，增设泵站。",
    )
    row = row_of(body_of(office.get(BOARD, {"open": waiting.pk})), waiting.pk)
    assert "市卫生健康委员会" in row and "近年办理同类提案2件" in row
    assert f'data-pick-unit="{health_unit.pk}"' in row


def test_units_are_listed_by_system_with_a_search_box(office, build, city):
    HandlingUnitFactory(committee=city, name="市委宣传部", system=UnitSystem.PARTY)
    HandlingUnitFactory(committee=city, name="市人大常委会办公厅", system=UnitSystem.CONGRESS)
    HandlingUnitFactory(committee=city, name="市中级人民法院", system=UnitSystem.COURT)
    HandlingUnitFactory(committee=city, name="市人民检察院", system=UnitSystem.PROCURATORATE)
    HandlingUnitFactory(committee=city, name="市工商联", system=UnitSystem.OTHER)
    waiting = build.accepted()
    row = row_of(body_of(office.get(BOARD, {"open": waiting.pk})), waiting.pk)
    assert "data-unit-filter" in row and 'type="search"' in row
    headings = re.findall(r'<th scope="rowgroup" colspan="3">([^<]+)</th>', row)
    assert headings == ["党群", "政府", "人大", "法院", "检察院", "其他"]
    group = row[row.index(">政府<") : row.index(">人大<")]
    assert 'data-unit-name="市教育局"' in group
    # Each unit: one radio (单办 or 主办) and one box (分办 or 会办), both labelled.
    assert f'for="assign-{waiting.pk}-unit-{build.unit_id}"' in row
    assert 'aria-label="市教育局（分办或会办）"' in row


def test_board_assign_shows_what_will_happen_first_and_changes_nothing(office, build, health_unit):
    proposal = build.accepted()
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {
            "board": "1",
            "next": BOARD,
            "mode": "lead_co",
            "unit": build.unit_id,
            "others": [health_unit.pk],
        },
        headers={"HX-Request": "true"},
    )
    body = body_of(response)
    assert body.lstrip().startswith(
        f'<li class="card mb-2 border-primary" id="board-row-{proposal.pk}"'
    )
    assert "请确认交办" in body
    today = timezone.localdate()
    lead_deadline, co_deadline = add_months(today, 3), add_months(today, 1)
    assert f"市教育局</strong>（主办）：办理期限至{_date(lead_deadline)}" in body
    assert (
        f"市卫生健康委员会</strong>（会办）：{_date(co_deadline)}前向主办单位提供会办意见" in body
    )
    assert 'name="confirm" value="1"' in body and "确认交办" in body and "返回修改" in body
    assert db_state() == before  # nothing assigned, no notice, no audit event yet
    assert fresh(proposal).status == ProposalStatus.ACCEPTED

    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {
            "board": "1",
            "next": BOARD,
            "mode": "lead_co",
            "unit": build.unit_id,
            "others": [health_unit.pk],
            "confirm": "1",
        },
        headers={"HX-Request": "true"},
    )
    body = body_of(response)
    assert "已交办：" in body and "各单位已收到交办通知" in body
    assert fresh(proposal).status == ProposalStatus.ASSIGNED
    roles = dict(
        Assignment.objects.filter(proposal=proposal).values_list("handling_unit_id", "role")
    )
    assert roles == {build.unit_id: AssignmentRole.LEAD, health_unit.pk: AssignmentRole.CO}


def test_going_back_from_the_confirmation_keeps_the_choices(office, build, health_unit):
    proposal = build.accepted()
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {
            "board": "1",
            "mode": "lead_co",
            "unit": build.unit_id,
            "others": [health_unit.pk],
            "confirm": "1",
            "edit": "1",
        },
        headers={"HX-Request": "true"},
    )
    body = body_of(response)
    assert "data-assign-form" in body and "请确认交办" not in body
    assert re.search(rf'name="unit" value="{build.unit_id}"[^>]*checked', body)
    assert re.search(rf'name="others" value="{health_unit.pk}"[^>]*checked', body)
    assert db_state() == before


def test_panel_assign_confirms_then_reports(office, build):
    proposal = build.accepted()
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk), {"mode": "sole", "unit": build.unit_id}
    )
    body = body_of(response)
    assert "请确认交办" in body and "市教育局</strong>（单办）" in body
    assert db_state() == before
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {"mode": "sole", "unit": build.unit_id, "confirm": "1"},
    )
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("已交办：市教育局（单办）；办理期限至")
    assert fresh(proposal).status == ProposalStatus.ASSIGNED


def test_no_confirmation_for_a_step_that_would_be_refused(office, build):
    proposal = build.submitted()
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk), {"mode": "sole", "unit": build.unit_id}
    )
    body = refused(response, 409)
    assert "不能交办" in body and "请确认交办" not in body
    assert db_state() == before


def test_an_incomplete_plan_gets_its_error_not_a_confirmation(office, build):
    proposal = build.accepted()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {"board": "1", "mode": "lead_co", "unit": build.unit_id},
        headers={"HX-Request": "true"},
    )
    body = refused(response, 422)
    assert "主办 + 会办须选择至少一个会办单位" in body and "请确认交办" not in body


def test_reply_approval_says_what_will_happen_and_reports_it(office, build):
    reply = pending_reply(build)
    proposal = reply.assignment.proposal
    page = body_of(office.get(f"/proposals/{proposal.pk}/"))
    form = page[page.index(url("office_reply_approve", reply.pk)) - 300 :]
    assert 'data-confirm="确定审核通过市教育局的答复' in form
    assert "通过后，答复将送达提案人" in form
    queue = body_of(office.get(reverse("proposals:office_replies")))
    assert 'data-confirm="确定审核通过市教育局的答复' in queue
    response = office.post(url("office_reply_approve", reply.pk))
    assert messages_of(response) == ["答复已审核通过并送达提案人，提案进入评价阶段。"]


def test_board_with_an_open_row_keeps_a_fixed_number_of_queries(office, build, health_unit):
    _similar_history(build)
    waiting = _new(build)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get(BOARD, {"open": waiting.pk}).status_code == 200
        return len(captured)

    def grow(n: int) -> None:
        for index in range(n):
            build.accepted(title=f"关于待交办第{index}件的建议")
            build.assigned(
                plan=[(build.unit_id, "lead"), (health_unit.pk, "co")],
                **{**PLANTED, "title": f"{PLANTED['title']}（又{index}）"},
            )

    grow(2)
    count()  # the first request also saves the session
    before = count()
    grow(6)
    body = body_of(office.get(BOARD, {"open": waiting.pk}))
    assert body.count('id="board-row-') == 9  # the rows the page lists did grow
    assert count() == before
