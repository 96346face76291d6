"""The office's and leadership's pages: the work queues and the assignment board, the list with
its filters, sort and .xlsx export, statistics, key and excellent proposals, settings, the home
cards; query counts pinned on every list (the same for 3 and for 30 rows)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    ProposalCategory,
    ProposalSettings,
    ProposalStatus,
)
from apps.proposals.selectors import category_list
from apps.proposals.web.office import hooks
from tests.factories import HandlingUnitFactory, TermFactory

from .conftest import (
    db_state,
    extension_requested,
    fresh,
    messages_of,
    pending_reply,
    refused,
    return_requested,
)

pytestmark = pytest.mark.django_db


def body_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def pinned(client, url: str, grow, **params) -> int:
    """The query count of `url` before and after `grow()` adds rows; they must be equal."""
    client.get(url, params)  # warm per-process caches (content types, settings rows)
    before = queries(client, url, **params)
    grow()
    after = queries(client, url, **params)
    assert before == after, f"{url}: {before} queries for a few rows, {after} for many"
    return after


# Office home and queues ---------------------------------------------------------------------


def test_office_home_shows_every_queue_with_counts(office, build, leader_user):
    build.submitted(title="关于审查队列的建议")
    build.accepted(title="关于待交办的建议")
    pending_reply(build, title="关于答复待审的建议")
    return_requested(build, title="关于申退的建议")
    extension_requested(build, title="关于延期的建议")
    overdue = build.assigned(title="关于逾期的建议")
    Assignment.objects.filter(proposal=overdue).update(deadline=dt.date(2020, 1, 1))
    key = build.accepted(title="关于重点提案的建议")
    services.proposal_mark_key(
        user=leader_user, proposal_id=key.pk, supervising_leader_id=leader_user.pk, mode="lead"
    )
    body = body_of(office.get(reverse("proposals:office")))
    for title in ("待审查", "待转交确认", "待交办", "申退待处理", "延期申请", "答复待审核"):
        assert f">{title}</h2>" in body
    for text in (
        "关于审查队列的建议",
        "关于待交办的建议",
        "关于答复待审的建议",
        "关于申退的建议",
        "关于延期的建议",
        "关于逾期的建议",
        "关于重点提案的建议",
    ):
        assert text in body
    for name in ("office_review", "office_assign", "office_returns", "office_overdue"):
        assert reverse(f"proposals:{name}") in body


@pytest.mark.parametrize(
    "name", ["office_review", "office_transfers", "office_returns", "office_replies"]
)
def test_empty_queues_say_so(office, name):
    body = body_of(office.get(reverse(f"proposals:{name}")))
    assert "共 0 项" in body
    assert "没有" in body


def test_review_queue_filters_by_text_and_category(office, build, city):
    economy = category_list(committee=city).get(name="经济建设")
    build.submitted(title="关于托育服务的建议")
    build.submitted(title="关于民营经济的建议", category_id=economy.pk)
    url = reverse("proposals:office_review")
    body = body_of(office.get(url))
    assert "关于托育服务的建议" in body and "关于民营经济的建议" in body
    body = body_of(office.get(url, {"q": "民营"}))
    assert "关于托育服务的建议" not in body and "关于民营经济的建议" in body
    body = body_of(office.get(url, {"category": economy.pk}))
    assert "关于托育服务的建议" not in body and "关于民营经济的建议" in body
    partial = body_of(office.get(url, {"q": "托育"}, headers={"HX-Request": "true"}))
    assert partial.lstrip().startswith('<section id="queue-results"')
    assert "关于托育服务的建议" in partial


def test_overdue_queue_filters_by_unit(office, build, health_unit):
    mine = build.assigned(title="关于教育逾期的建议")
    theirs = build.assigned(title="关于卫健逾期的建议", plan=[(health_unit.pk, "sole")])
    Assignment.objects.filter(proposal__in=[mine, theirs]).update(deadline=dt.date(2020, 1, 1))
    url = reverse("proposals:office_overdue")
    body = body_of(office.get(url))
    assert "关于教育逾期的建议" in body and "关于卫健逾期的建议" in body
    assert "已逾期" in body
    body = body_of(office.get(url, {"unit": health_unit.pk}))
    assert "关于教育逾期的建议" not in body and "关于卫健逾期的建议" in body


def test_queue_pages_pin_query_counts(office, build, health_unit):
    def grow(n: int) -> None:
        for i in range(n):
            build.submitted(title=f"关于审查{i}的建议")
            build.accepted(title=f"关于待交办{i}的建议")
            pending_reply(build, title=f"关于答复{i}的建议")
            return_requested(build, title=f"关于申退{i}的建议")
            overdue = build.assigned(title=f"关于逾期{i}的建议")
            Assignment.objects.filter(proposal=overdue).update(deadline=dt.date(2020, 1, 1))
            extension_requested(build, title=f"关于延期{i}的建议")
            transfer = build.submitted(title=f"关于转交{i}的建议")
            workflow.proposal_propose_transfer(
                user=build.office,
                proposal_id=transfer.pk,
                target="suggestion",
                reason="private",
            )

    grow(3)
    urls = [
        reverse(f"proposals:{name}")
        for name in (
            "office",
            "office_review",
            "office_transfers",
            "office_assign",
            "office_returns",
            "office_replies",
            "office_overdue",
            "office_extensions",
        )
    ]
    before = {}
    for url in urls:
        office.get(url)
        before[url] = queries(office, url)
    grow(27)
    for url in urls:
        assert queries(office, url) == before[url], url


# The list ---------------------------------------------------------------------------------


@pytest.fixture
def listed(build, health_unit, leader_user, proposal_staff_user, city, plenary):
    economy = category_list(committee=city).get(name="经济建设")
    submitted = build.submitted(title="关于已提交提案的建议")
    accepted = build.accepted(title="关于民营经济发展的建议", category_id=economy.pk)
    assigned = build.assigned(title="关于卫健交办的建议", plan=[(health_unit.pk, "sole")])
    replied = build.reply(build.assigned(title="关于已答复提案的建议"), result_class="B")
    key = build.accepted(title="关于重点提案的建议")
    services.proposal_mark_key(
        user=leader_user, proposal_id=key.pk, supervising_leader_id=leader_user.pk, mode="lead"
    )
    services.proposal_nominate_excellent(user=proposal_staff_user, proposal_id=accepted.pk)
    build.draft(title="关于草稿的建议")
    session = build.accepted(title="关于大会提案的建议")
    session.__class__.objects.filter(pk=session.pk).update(
        plenary_session=plenary, session_type="plenary"
    )
    return {
        "submitted": submitted,
        "accepted": accepted,
        "assigned": assigned,
        "replied": replied,
        "key": key,
        "session": session,
        "economy": economy,
        "health": health_unit,
        "plenary": plenary,
    }


def _titles(body: str) -> set[str]:
    return set(re.findall(r"关于[^<]*?的建议", body))


def test_list_shows_the_committee_without_drafts(office, listed):
    body = body_of(office.get(reverse("proposals:office_list")))
    assert "共 6 件" in body
    assert "关于草稿的建议" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "submitted"}, {"submitted"}),
        ({"category": "ECONOMY"}, {"accepted"}),
        ({"unit": "HEALTH"}, {"assigned"}),
        ({"result_class": "B"}, {"replied"}),
        ({"key": "yes"}, {"key"}),
        ({"excellent": "nominated"}, {"accepted"}),
        ({"q": "民营经济"}, {"accepted"}),
        ({"session": "PLENARY"}, {"session"}),
        ({"kind": "joint"}, set()),
    ],
)
def test_list_filters(office, listed, params, expected):
    ids = {"ECONOMY": listed["economy"].pk, "HEALTH": listed["health"].pk}
    ids["PLENARY"] = listed["plenary"].pk
    params = {key: ids.get(value, value) for key, value in params.items()}
    body = body_of(office.get(reverse("proposals:office_list"), params))
    shown = _titles(body[body.index('id="list-results"') :])
    assert shown == {listed[name].title for name in expected}


def test_list_interim_session_and_terms(office, listed, city_term):
    url = reverse("proposals:office_list")
    body = body_of(office.get(url, {"session": "interim"}))
    assert listed["session"].title not in body and listed["accepted"].title in body
    body = body_of(office.get(url, {"term": ""}))  # every term
    assert "共 6 件" in body


def test_list_sorts_by_number(office, listed):
    url = reverse("proposals:office_list")
    numbered = ["accepted", "assigned", "replied", "key", "session"]
    labels = [listed[name].number_label for name in numbered]
    body = body_of(office.get(url, {"sort": "number"}))
    positions = [body.index(listed[name].title) for name in numbered]
    assert positions == sorted(positions), labels
    body = body_of(office.get(url, {"sort": "-number"}))
    positions = [body.index(listed[name].title) for name in numbered]
    assert positions == sorted(positions, reverse=True)
    assert body.index(listed["submitted"].title) > max(positions)  # unnumbered last
    assert 'aria-sort="descending"' in body


def test_list_pins_query_count(office, build):
    def grow():
        for i in range(27):
            build.assigned(title=f"关于第{i}件交办的建议")

    for i in range(3):
        build.assigned(title=f"关于前{i}件的建议")
    pinned(office, reverse("proposals:office_list"), grow)

    def grow_matching():
        for i in range(27):
            build.replied(title=f"关于第{i}件已答复的建议")

    # Filtered and sorted by number: the rows added match the filter and carry numbers.
    pinned(office, reverse("proposals:office_list"), grow_matching, q="建议", sort="number")


def test_list_htmx_returns_the_results_only(office, listed):
    body = body_of(
        office.get(
            reverse("proposals:office_list"),
            {"status": "submitted"},
            headers={"HX-Request": "true"},
        )
    )
    assert body.lstrip().startswith('<section id="list-results"')
    assert "status=submitted" in body  # the export link keeps the filters


def test_export_respects_filters(office, listed, member_user):
    replied = listed["replied"]
    workflow.proposal_rate(
        user=member_user,
        proposal_id=replied.pk,
        process_rating="satisfied",
        result_rating="basic",
    )
    response = office.get(reverse("proposals:office_export"), {"unit": listed["health"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:11] == (
        "提案号",
        "案由",
        "提案人",
        "联名人",
        "界别",
        "类别",
        "状态",
        "承办单位",
        "办理期限",
        "答复类别",
        "评价",
    )
    assert [row[1] for row in rows[1:]] == ["关于卫健交办的建议"]
    row = rows[1]
    assert row[2] == "李红梅" and row[4] == "教育界" and row[6] == "已交办"
    assert row[7] == "市卫生健康委员会（单办）"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[8])

    response = office.get(reverse("proposals:office_export"), {"result_class": "B"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["关于已答复提案的建议"]
    assert rows[1][9] == "B"
    assert rows[1][10] == "过程：满意；结果：基本满意"

    response = office.get(reverse("proposals:office_export"), {"term": ""})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 6


def test_export_joint_proposal_lists_cosigners(office, build, cosigner_user):
    build.accepted(cosigners=[cosigner_user], kind="joint", title="关于联名提案的建议")
    response = office.get(reverse("proposals:office_export"), {"kind": "joint"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][3] == "陈志强"


# Statistics ----------------------------------------------------------------------------------


def test_stats_page_renders_charts_with_data(office, listed, member_user):
    workflow.proposal_rate(
        user=member_user,
        proposal_id=listed["replied"].pk,
        process_rating="satisfied",
        result_rating="basic",
    )
    body = body_of(office.get(reverse("proposals:office_stats")))
    match = re.search(
        r'<script id="proposal-stats-data" type="application/json">(.*?)</script>', body, re.S
    )
    assert match, "chart data missing"
    charts = json.loads(match.group(1))
    assert set(charts) == {"category", "unit", "status", "result", "satisfaction"}
    category = charts["category"]
    assert category["kind"] == "bar"
    totals = dict(zip(category["categories"], category["series"][0]["data"], strict=True))
    assert totals["经济建设"] == 1 and totals["教科文卫体"] == 5
    units = dict(
        zip(charts["unit"]["categories"], charts["unit"]["series"][0]["data"], strict=True)
    )
    assert units == {"市教育局": 1, "市卫生健康委员会": 1}
    assert charts["result"]["rows"] == [{"name": "B类", "value": 1}]
    status = charts["status"]
    assert status["kind"] == "hbar"
    assert dict(zip(status["categories"], status["series"][0]["data"], strict=True)) == {
        "已提交": 1,
        "已立案": 3,
        "已交办": 1,
        "已评价": 1,
    }
    satisfaction = charts["satisfaction"]
    assert satisfaction["categories"] == ["满意", "基本满意", "不满意", "逾期未评价"]
    assert satisfaction["series"][0]["data"] == [1, 0, 0, 0]
    assert satisfaction["series"][1]["data"] == [0, 1, 0, 0]
    assert "立案率 83%" in body  # 5 of 6 filed
    # Each chart has its data table and an accessible name.
    assert body.count('role="img"') == 5
    assert body.count("查看数据表") == 5
    assert "echarts.min.js" in body and "proposals_office.js" in body


def test_stats_scope_by_term(office, listed, city):
    earlier = TermFactory(
        committee=city,
        number=13,
        is_current=False,
        start_date=dt.date(2018, 1, 10),
        end_date=dt.date(2023, 1, 9),
    )
    body = body_of(office.get(reverse("proposals:office_stats"), {"term": earlier.pk}))
    assert "所选范围内暂无提案" in body
    assert "proposal-stats-data" not in body
    # An unknown year is ignored (the form says why) rather than failing.
    body = body_of(office.get(reverse("proposals:office_stats"), {"year": 2001}))
    assert "proposal-stats-data" in body


def test_stats_query_count_is_fixed(office, build):
    for i in range(3):
        build.assigned(title=f"关于统计{i}的建议")
    pinned(
        office,
        reverse("proposals:office_stats"),
        lambda: [build.replied(title=f"关于更多{i}的建议") for i in range(10)],
    )


# Key and excellent proposals --------------------------------------------------------------


def test_key_page_shows_progress_and_overdue(client, build, leader_user, health_unit):
    key = build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    services.proposal_mark_key(
        user=leader_user, proposal_id=key.pk, supervising_leader_id=leader_user.pk, mode="lead"
    )
    lead = Assignment.objects.get(proposal=key, role="lead")
    workflow.assignment_receive(user=build.unit, assignment_id=lead.pk)
    Assignment.objects.filter(pk=lead.pk).update(deadline=dt.date(2020, 1, 1))
    client.force_login(leader_user)
    body = body_of(client.get(reverse("proposals:key")))
    assert key.title in body
    assert "赵文华（领办）" in body
    assert "市教育局（主办，已签收，" in body and "市卫生健康委员会（会办，待签收" in body
    assert "✓ 交办" in body  # step 1 done
    assert '签收<span class="visually-hidden">（进行中）' in body  # the co-unit has not signed
    assert "border-danger" in body  # overdue flag
    assert "有单位逾期" in body
    body = body_of(client.get(reverse("proposals:key"), {"mine": "1"}))
    assert key.title in body


def test_key_page_pins_query_count(client, build, leader_user):
    def mark(n: int) -> None:
        for i in range(n):
            proposal = build.assigned(title=f"关于重点{n}-{i}的建议")
            services.proposal_mark_key(
                user=leader_user,
                proposal_id=proposal.pk,
                supervising_leader_id=leader_user.pk,
                mode="supervise",
            )

    mark(3)
    client.force_login(leader_user)
    pinned(client, reverse("proposals:key"), lambda: mark(27))


def test_excellent_tab_for_office_has_no_decision_buttons(office, build, proposal_staff_user):
    proposal = build.accepted()
    services.proposal_nominate_excellent(user=proposal_staff_user, proposal_id=proposal.pk)
    body = body_of(office.get(reverse("proposals:key"), {"tab": "excellent"}))
    assert proposal.title in body
    assert reverse("proposals:key_excellent", args=[proposal.pk]) not in body
    body = body_of(office.get(reverse("proposals:key"), {"tab": "excellent", "year": 2001}))
    assert proposal.title not in body


# Settings ------------------------------------------------------------------------------------


def _settings_post(client, **changes):
    from apps.proposals.web.office.forms import SettingsForm

    current = ProposalSettings.objects.get_or_create(committee_id=client.committee_id)[0]
    data = {k: v for k, v in SettingsForm.initial_for(current).items() if v is not None}
    data["reply_letter_required"] = "on" if current.reply_letter_required else ""
    data.update(changes)
    return client.post(reverse("proposals:office_settings"), data)


def test_settings_update(office, city):
    office.committee_id = city.pk
    response = _settings_post(
        office, handling_months=4, reminder_days_before="7，2", attachment_max_mb=10
    )
    assert response.status_code == 302
    assert messages_of(response) == ["提案工作设置已保存。"]
    settings = ProposalSettings.objects.get(committee=city)
    assert settings.handling_months == 4
    assert settings.reminder_days_before == [7, 2]
    assert settings.attachment_max_bytes == 10 * 1024 * 1024
    response = _settings_post(office)
    assert messages_of(response) == ["设置没有变化。"]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("handling_months", "0", "确保该值大于或等于1"),
        ("body_max_chars", "abc", "输入整数"),
        ("attachment_types", "pdf,exe", "不支持的附件类型：exe"),
        ("reminder_days_before", "14,x", "请填写整数天数"),
        ("reminder_days_before", "120", "每个在1到90天之间"),
    ],
)
def test_settings_validation_errors_in_chinese(office, city, field, value, error):
    office.committee_id = city.pk
    before = db_state()
    body = refused(_settings_post(office, **{field: value}), 422)
    error_at = body.index(f'id="id_{field}_error">')
    assert error in body[error_at : error_at + 200]
    assert "设置未保存，请按红字提示修改。" in body
    assert ProposalSettings.objects.get(committee=city).handling_months == 3
    assert db_state() == before


def test_categories_add_rename_reorder_deactivate(office, city):
    url = reverse("proposals:office_category_save")
    response = office.post(
        url, {"prefix": "new", "new-name": "乡村振兴", "new-sort_order": 9, "new-is_active": "on"}
    )
    assert messages_of(response) == ["已添加类别“乡村振兴”。"]
    category = ProposalCategory.objects.get(committee=city, name="乡村振兴")
    prefix = f"c{category.pk}"
    response = office.post(
        url,
        {
            "prefix": prefix,
            f"{prefix}-category_id": category.pk,
            f"{prefix}-name": "农业农村",
            f"{prefix}-sort_order": 1,
        },
    )
    assert messages_of(response) == ["类别“农业农村”已保存。"]
    category.refresh_from_db()
    assert (category.name, category.sort_order, category.is_active) == ("农业农村", 1, False)
    before = db_state()
    count = ProposalCategory.objects.count()
    response = office.post(
        url, {"prefix": "new", "new-name": "经济建设", "new-sort_order": 1, "new-is_active": "on"}
    )
    assert "类别“经济建设”已存在。" in refused(response, 422)
    response = office.post(url, {"prefix": "new", "new-name": "", "new-sort_order": 1})
    assert 'id="id_new-name_error">请填写类别名称。' in refused(response, 422)
    response = office.post(
        url, {"prefix": prefix, f"{prefix}-category_id": category.pk, f"{prefix}-name": ""}
    )
    body = refused(response, 422)  # the row shows its errors
    assert "类别名称：请填写类别名称。" in body
    response = office.post(url, {"prefix": "c0; drop", "new-name": "x", "new-sort_order": 1})
    assert "提交的内容有误，请重试。" in refused(response, 422)
    assert ProposalCategory.objects.count() == count
    assert db_state() == before
    body = body_of(office.get(reverse("proposals:office_settings")))
    assert "农业农村" in body


def test_category_of_another_committee_is_404(office, district):
    foreign = ProposalCategory.objects.create(committee=district, name="外区类别")
    prefix = f"c{foreign.pk}"
    response = office.post(
        reverse("proposals:office_category_save"),
        {
            "prefix": prefix,
            f"{prefix}-category_id": foreign.pk,
            f"{prefix}-name": "改名",
            f"{prefix}-sort_order": 1,
        },
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "外区类别"


def test_sysadmin_picks_a_committee_in_scope(client, admin_user, city, district):
    """An administrator edits their own committee's settings, or one in their scope (`committee`);
    a committee outside it looks the same as one that does not exist."""
    client.force_login(admin_user)
    body = body_of(client.get(reverse("proposals:office_settings")))
    assert city.name in body
    response = client.get(reverse("proposals:office_settings"), {"committee": district.pk})
    assert response.status_code == 404
    from apps.organisation.models import CommitteeScopeGrant

    CommitteeScopeGrant.objects.create(user=admin_user, committee=district)
    body = body_of(client.get(reverse("proposals:office_settings"), {"committee": district.pk}))
    assert district.name in body
    response = client.post(
        reverse("proposals:office_category_save"),
        {
            "committee": district.pk,
            "prefix": "new",
            "new-name": "区级类别",
            "new-sort_order": 7,
            "new-is_active": "on",
        },
    )
    assert response["Location"].endswith(f"?committee={district.pk}#categories")
    assert ProposalCategory.objects.filter(committee=district, name="区级类别").exists()


# Home cards -------------------------------------------------------------------------------


def test_home_context_for_office_and_leadership(rf, build, proposal_staff_user, leader_user):
    build.submitted()
    key = build.assigned()
    services.proposal_mark_key(
        user=leader_user, proposal_id=key.pk, supervising_leader_id=leader_user.pk, mode="lead"
    )
    request = rf.get("/")
    request.user = proposal_staff_user
    context = hooks.home_context(request)
    assert context["proposals_office"]["counts"].review == 1
    assert "proposals_leadership" not in context
    request.user = leader_user
    context = hooks.home_context(request)
    assert "proposals_office" not in context
    assert context["proposals_leadership"]["summary"].key_total == 1
    assert context["proposals_leadership"]["rows"][0]["progress"].done == 1


def test_home_pages_show_the_cards(client, build, proposal_staff_user, leader_user):
    build.submitted()
    client.force_login(proposal_staff_user)
    body = body_of(client.get("/"))
    # The staff home lists the office's queues (its card or its to-do panel).
    assert reverse("proposals:office_review") in body
    client.force_login(leader_user)
    body = body_of(client.get("/"))
    assert reverse("proposals:key") in body


def test_district_office_home_is_its_own(client, build, district_office_user, district):
    build.submitted(title="关于城市提案的建议")
    HandlingUnitFactory(committee=district, name="历下区教育局")
    client.force_login(district_office_user)
    body = body_of(client.get(reverse("proposals:office")))
    assert "关于城市提案的建议" not in body
    assert "共有 0 项待办事项" in body
    assert fresh(build.submitted(title="关于再一件的建议")).status == ProposalStatus.SUBMITTED


def test_htmx_history_restore_gets_the_whole_page(office, listed):
    url = reverse("proposals:office_list")
    partial = office.get(url, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section id="list-results"')
    assert "HX-Request" in partial["Vary"]
    restore = office.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_queue_counts_match_the_queue_selectors(build, proposal_staff_user, leader_user):
    from apps.proposals.selectors import queues
    from apps.proposals.selectors.office import office_queue_counts, proposal_assign_queue

    build.submitted()
    build.accepted()
    pending_reply(build)
    return_requested(build)
    extension_requested(build)
    late = build.assigned()
    Assignment.objects.filter(proposal=late).update(deadline=dt.date(2020, 1, 1))
    services.proposal_mark_key(
        user=leader_user, proposal_id=late.pk, supervising_leader_id=leader_user.pk, mode="lead"
    )
    user, committee = proposal_staff_user, proposal_staff_user.committee_id
    counts = office_queue_counts(user=user, committee_id=committee)
    kwargs = {"user": user, "committee_id": committee}
    assert counts.review == queues.proposal_review_queue(**kwargs).count() == 1
    assert counts.transfers == queues.proposal_transfer_pending_list(**kwargs).count() == 0
    assert counts.assign == proposal_assign_queue(**kwargs).count() == 1
    assert counts.returns == queues.assignment_return_queue(**kwargs).count() == 1
    assert counts.extensions == queues.assignment_extension_queue(**kwargs).count() == 1
    assert counts.replies == queues.reply_review_queue(**kwargs).count() == 1
    assert counts.overdue == queues.assignment_overdue_list(**kwargs).count() == 1
    assert counts.key == queues.proposal_key_list(**kwargs).count() == 1
    with CaptureQueriesContext(connection) as captured:
        office_queue_counts(user=user, committee_id=committee)
    assert len(captured.captured_queries) == 3
