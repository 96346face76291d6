"""The year-end 通报 as .xlsx, opened with openpyxl: its sheets, each sheet's header row, and
figures equal both to the maintained statistics rows and to a count written out by hand for a
year of work (a report published and adopted upward with two 批示, a duplicate merged into it, a
report declined, an organisation's report waiting, a draft, and a report of the year before).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.core.xlsx import XLSX_CONTENT_TYPE
from apps.opinions import services, workflow
from apps.opinions.models import StatDimension
from apps.opinions.selectors import adoption_level_list, stats_rows, stats_state

from .conftest import membership_of

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

SHEETS = ["汇总", "委员", "界别", "党派", "报送单位", "信息联络员", "类别"]
DIMENSIONS = {
    "委员": StatDimension.MEMBER,
    "界别": StatDimension.SECTOR,
    "党派": StatDimension.PARTY,
    "报送单位": StatDimension.UNIT,
    "信息联络员": StatDimension.LIAISON,
    "类别": StatDimension.CATEGORY,
}
LEVELS = ["本级编发", "市委、市政府采用", "省政协采用", "全国政协单篇采用", "全国政协转送采用"]

# Written out by hand from the year of work below (see the fixture): label → (说明, 报送, 编发,
# adoptions at each level in LEVELS' order, 上级采用, 批示). 王建国 submitted two (the merged
# duplicate and the declined one) and shares the published report through the merge.
PUBLISHED = (1, 1, 0, 1, 0, 0, 1, 2)  # 编发, the five levels, 上级采用, 批示
NOTHING = (0, 0, 0, 0, 0, 0, 0, 0)
EXPECTED: dict[str, dict[str, tuple[Any, ...]]] = {
    "委员": {
        "王建国": ("经济界", 2, *PUBLISHED),
        "李红梅": ("教育界", 1, *PUBLISHED),
        "陈志强": ("教育界", 1, *PUBLISHED),
    },
    "界别": {"经济界": ("", 2, *PUBLISHED), "教育界": ("", 1, *PUBLISHED)},
    "党派": {"无党派": ("", 3, *PUBLISHED), "民盟": ("", 1, *PUBLISHED)},
    "报送单位": {"民盟市委": ("民主党派", 1, *NOTHING)},
    "信息联络员": {"孙伟": ("民盟市委", 1, *NOTHING)},
    "类别": {"城乡建设": ("", 4, *PUBLISHED)},
}
SUMMARY = [
    ("收到信息", 4),
    ("接收编辑", 1),
    ("领导签发", 1),
    ("编发（本级期刊）", 1),
    ("上级采用", 1),
    ("获领导批示", 1),
    ("采用：本级编发", 1),
    ("采用：市委、市政府采用", 0),
    ("采用：省政协采用", 1),
    ("采用：全国政协单篇采用", 0),
    ("采用：全国政协转送采用", 0),
    ("领导批示（件次）", 2),
    ("合并同类信息", 1),
    ("不予采用", 1),
]


@pytest.fixture
def year_of_work(build, coauthor_user, other_member_user, liaison, unit, category, levels):
    """This year: 李红梅's report with 陈志强 as co-author, published, adopted by 省政协 with two
    批示, 王建国's duplicate merged into it; 王建国's report declined; 民盟市委's report (filed
    by 孙伟) waiting; a draft of 李红梅's. Last year: one report of 李红梅's, submitted."""
    editor, today = build.editor, timezone.localdate()
    year = today.year
    with time_machine.travel(dt.datetime(year - 1, 6, 1, 10, tzinfo=SHANGHAI), tick=False):
        build.submitted(title="关于去年农村饮水安全的情况反映")
    kept = build.draft()
    services.coauthor_add(
        user=build.member, report_id=kept.pk, membership_id=membership_of(coauthor_user).pk
    )
    workflow.report_submit(user=build.member, report_id=kept.pk)
    workflow.report_accept(user=editor, report_id=kept.pk)
    build.merged(into=kept, user=other_member_user, title="关于加装电梯无人管护的问题")
    workflow.report_request_signoff(user=editor, report_id=kept.pk, signer_id=build.leader.pk)
    workflow.report_sign(user=build.leader, report_id=kept.pk)
    issue = services.issue_create(user=editor)
    services.issue_add_report(user=editor, issue_id=issue.pk, report_id=kept.pk)
    services.issue_publish(user=editor, issue_id=issue.pk)
    services.adoption_record(
        user=editor, report_id=kept.pk, level_id=levels["省政协采用"].pk, adopted_on=today
    )
    for leader, text in (("张副省长", "请省住建厅研究。"), ("李市长", "请市住建局办理。")):
        services.instruction_record(
            user=editor,
            report_id=kept.pk,
            leader=leader,
            level="provincial",
            text=text,
            instructed_on=today,
        )
    build.declined(user=other_member_user, title="关于中小学课后服务收费的情况反映")
    unit_report = services.report_draft_create(
        user=liaison,
        unit_id=unit.pk,
        title="关于小微企业贷款续贷难的情况反映",
        situation="多家小微企业反映续贷周期长。",
        suggestion="推广无还本续贷。",
        category_id=category.pk,
    )
    workflow.report_submit(user=liaison, report_id=unit_report.pk)
    build.draft(title="关于尚未提交的草稿")
    committee_id = kept.committee_id
    for each in (year - 1, year):
        services.opinion_stats_refresh(committee_id=committee_id, year=each)
    return committee_id, year


def _workbook(client, user, year: int) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(f"{reverse('opinions:stats_export')}?year={year}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX_CONTENT_TYPE)
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    """Every row but the header, empty cells as "" and blank rows left out."""
    rows = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        values = tuple("" if value is None else value for value in row)
        if any(value != "" for value in values):
            rows.append(values)
    return rows


def _header(sheet: Any) -> list[Any]:
    return list(next(sheet.iter_rows(max_row=1, values_only=True)))


def test_the_sheets_and_their_headers(client, year_of_work, editor):
    _committee_id, year = year_of_work
    workbook = _workbook(client, editor, year)
    assert workbook.sheetnames == SHEETS
    assert _header(workbook["汇总"]) == [f"{year}年社情民意信息工作通报", "条数"]
    for title in SHEETS[1:]:
        assert _header(workbook[title]) == [
            title,
            "说明",
            "报送",
            "编发",
            *LEVELS,
            "上级采用",
            "批示",
        ]


def test_the_figures_are_the_maintained_rows(client, year_of_work, editor):
    committee_id, year = year_of_work
    workbook = _workbook(client, editor, year)
    levels = adoption_level_list(committee=committee_id)
    for title, dimension in DIMENSIONS.items():
        maintained = [
            (
                row.label,
                row.detail,
                row.submitted,
                row.used,
                *(row.adopted.get(str(level.pk), 0) for level in levels),
                row.adopted_upper,
                row.instructions,
            )
            for row in stats_rows(committee_id=committee_id, year=year, dimension=dimension)
        ]
        assert _rows(workbook[title]) == maintained, title  # the same lines, in the same order
    state = stats_state(committee_id=committee_id, year=year)
    assert state is not None and state.refreshed_at is not None
    summary = _rows(workbook["汇总"])
    assert summary[-1] == ("统计时间", f"{timezone.localtime(state.refreshed_at):%Y-%m-%d %H:%M}")


def test_the_figures_are_an_independent_count(client, year_of_work, editor):
    _committee_id, year = year_of_work
    workbook = _workbook(client, editor, year)
    assert _rows(workbook["汇总"])[:-1] == SUMMARY
    for title, expected in EXPECTED.items():
        found = {row[0]: row[1:] for row in _rows(workbook[title])}
        assert found == expected, title
    # Lines are ordered by 报送, most first.
    assert _rows(workbook["委员"])[0][0] == "王建国"


def test_each_year_has_its_own_report(client, year_of_work, editor, leader_user):
    """Last year's 通报 holds last year's report only; leadership downloads the same file."""
    _committee_id, year = year_of_work
    workbook = _workbook(client, leader_user, year - 1)
    assert _header(workbook["汇总"])[0] == f"{year - 1}年社情民意信息工作通报"
    assert _rows(workbook["汇总"])[0] == ("收到信息", 1)
    assert {row[0]: row[1:] for row in _rows(workbook["委员"])} == {
        "李红梅": ("教育界", 1, *NOTHING)
    }
    assert _rows(workbook["报送单位"]) == []
    this_year = _workbook(client, leader_user, year)
    assert _rows(this_year["汇总"])[:-1] == SUMMARY
