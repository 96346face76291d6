"""Annual reports (年度履职报告) built by Celery batches, and the committee's annual summary.

Personas (tests/conftest.py): member_user (李红梅, 委员) reads her own report only;
standing_user (陈志强, 常委) also writes and submits his 述职; other_member_user (王建国) reads
only his own; liaison_user (委员联络处 孙丽) starts and retries batches, reads every report;
leader_user (副主席 赵文华) reads every report and the summary, starts nothing; district_leader
(历下区 副主席, defined here) sees nothing of the city's members, the city leader sees the
district's summary.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.dashboards.models import (
    AnnualReport,
    AnnualReportBatch,
    BatchStatus,
    CommitteeSummary,
    ReportStatus,
)
from apps.dashboards.reports import services
from apps.duties.models import DutyRecord, DutySummary
from apps.members.models import Membership, Position
from apps.notifications.models import OutboxMessage
from tests.factories import MemberFactory, MembershipFactory

from ..conftest import _member_user, enroll_totp

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2027, 1, 10, 10, 0, tzinfo=TZ)
YEAR = 2026


@pytest.fixture(autouse=True)
def _january_2027():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def district_leader(district, district_term):
    user = _member_user(
        district, district_term, username="lixiafzx", name="区副主席", position=Position.VICE_CHAIR
    )
    enroll_totp(user)
    return user


def membership_of(user) -> Membership:
    return Membership.objects.get(member__user=user, term__is_current=True)


def _records(user, *, score: str | None = "78.50") -> None:
    """A year of duty records and a score for one member, as the duties app keeps them."""
    membership = membership_of(user)
    rows = [
        (
            "meeting",
            "meeting:1",
            "二〇二六年全体会议",
            {"attendance": "present", "meeting_type": "plenary"},
        ),
        (
            "meeting",
            "meeting:2",
            "常委会专题协商",
            {"attendance": "leave", "meeting_type": "standing"},
        ),
        (
            "proposal",
            "proposal:1",
            "关于加快普惠托育服务体系建设的建议",
            {"role": "first", "accepted": True, "is_key": True},
        ),
        (
            "opinion",
            "opinion:1",
            "关于老旧小区加装电梯的情况反映",
            {"role": "first", "accepted": True, "adopted": ["省政协采用"], "instructions": 1},
        ),
        ("speech", "speech:1", "在全体会议上的书面发言", {"level": "written"}),
        ("activity", "activity:1", "参加委员读书活动", {"level": "reading"}),
        ("activity", "activity:2", "黄河流域生态保护调研", {"level": "research"}),
    ]
    for index, (kind, key, label, extra) in enumerate(rows):
        DutyRecord.objects.create(
            committee_id=membership.committee_id,
            membership=membership,
            year=YEAR,
            kind=kind,
            source_key=key,
            date=dt.date(YEAR, 3 + index, 10),
            label=label,
            **extra,
        )
    DutySummary.objects.create(
        committee_id=membership.committee_id,
        membership=membership,
        year=YEAR,
        score=score,
        grade="称职" if score else "",
        passed=True if score else None,
        minimums_met=True if score else None,
        breakdown={
            "categories": [
                {
                    "name": "提案",
                    "subtotal": "15.00",
                    "lines": [
                        {
                            "kind": "item",
                            "label": "第一提案人",
                            "points": "10.00",
                            "record": "关于加快普惠托育服务体系建设的建议",
                        },
                        {
                            "kind": "item",
                            "label": "重点提案",
                            "points": "5.00",
                            "record": "重点提案加分",
                        },
                    ],
                }
            ],
            "minimums": [{"label": "参加全体会议", "required": 1, "done": 1, "met": True}],
            "general": [],
        },
    )


@pytest.fixture
def year_of_records(member_user, standing_user, other_member_user, leader_user):
    _records(member_user)
    _records(standing_user, score="91.00")
    _records(other_member_user, score=None)
    return [member_user, standing_user, other_member_user, leader_user]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Start a batch the way the page does and let the (eager) worker run it."""

    def start(user, committee, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.batch_start(user=user, committee_id=committee.pk, year=YEAR, **kwargs)

    return start


def _text_of(name: str) -> str:
    """A stored PDF's text as pypdf reads it, without the spaces and NULs the CJK font's
    encoding leaves between characters."""
    with default_storage.open(name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))


def _pdf_text(report: AnnualReport) -> str:
    return _text_of(report.pdf.name)


def test_a_batch_builds_every_members_report_and_the_summary(
    run, city, liaison_user, member_user, year_of_records
):
    batch = run(liaison_user, city)
    batch.refresh_from_db()
    members = Membership.objects.filter(committee=city).count()
    assert batch.status == BatchStatus.DONE
    assert batch.total == members == batch.done and batch.failed == 0
    reports = AnnualReport.objects.filter(committee=city, year=YEAR)
    assert reports.count() == members
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.READY}
    mine = reports.get(membership=membership_of(member_user))
    text = _pdf_text(mine)
    for expected in (
        "政协济南市委员会",
        "委员2026年度履职报告",
        "李红梅",
        "教育界",
        "关于加快普惠托育服务体系建设的建议",
        "省政协采用",
        "参加委员读书活动",  # study
        "黄河流域生态保护调研",  # activities
        "78.50",
        "称职",
    ):
        assert expected in text, expected
    assert mine.content["sections"][0]["summary"].startswith("应出席 2 次，出席 1 次")
    summary = CommitteeSummary.objects.get(committee=city, year=YEAR)
    assert "2026年度履职工作统计" in _text_of(summary.pdf.name)
    assert default_storage.open(summary.docx.name).read()[:2] == b"PK"
    # Each member with an account is told once.
    notices = OutboxMessage.objects.filter(key__startswith="annual-report:")
    assert notices.count() == sum(1 for r in reports if r.membership.member.user_id)


def test_rerunning_replaces_and_never_duplicates(run, city, liaison_user, year_of_records):
    first = run(liaison_user, city)
    pdfs = dict(AnnualReport.objects.values_list("membership_id", "pdf"))
    second = run(liaison_user, city)
    second.refresh_from_db()
    assert second.token != first.token and second.done == second.total
    reports = AnnualReport.objects.filter(committee=city, year=YEAR)
    assert reports.count() == second.total
    assert set(reports.values_list("batch_token", flat=True)) == {second.token}
    new_pdfs = dict(reports.values_list("membership_id", "pdf"))
    assert all(new_pdfs[pk] != pdfs[pk] for pk in pdfs)
    assert not any(default_storage.exists(name) for name in pdfs.values())  # old files gone
    # Notified once per report, not once per run.
    assert OutboxMessage.objects.filter(key__startswith="annual-report:").count() == len(
        [r for r in reports if r.membership.member.user_id]
    )


def test_a_chunk_run_twice_counts_nothing_twice(city, liaison_user, year_of_records, monkeypatch):
    from apps.dashboards import tasks

    monkeypatch.setattr(tasks.run_annual_batch, "delay", lambda *args: None)
    batch = services.batch_start(user=liaison_user, committee_id=city.pk, year=YEAR)
    chunks = services.batch_chunks(batch_id=batch.pk, token=batch.token)
    assert sum(len(chunk) for chunk in chunks) == batch.total
    assert services.chunk_build(batch_id=batch.pk, token=batch.token, report_ids=chunks[0]) > 0
    assert services.chunk_build(batch_id=batch.pk, token=batch.token, report_ids=chunks[0]) == 0
    batch.refresh_from_db()
    assert batch.done == batch.total and batch.status == BatchStatus.DONE


def test_the_batch_resumes_after_the_worker_dies(
    city, liaison_user, year_of_records, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.dashboards import tasks

    monkeypatch.setattr(services, "CHUNK", 2)
    real_delay = tasks.build_annual_chunk.delay
    calls = {"n": 0}

    def dying_worker(*args):
        calls["n"] += 1
        if calls["n"] > 1:
            raise SystemExit("worker killed")  # the process dies: nothing after this runs
        return real_delay(*args)

    monkeypatch.setattr(tasks.build_annual_chunk, "delay", dying_worker)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        services.batch_start(user=liaison_user, committee_id=city.pk, year=YEAR)
    batch = AnnualReportBatch.objects.get(committee=city, year=YEAR)
    assert batch.status == BatchStatus.RUNNING and 0 < batch.done < batch.total
    built = set(
        AnnualReport.objects.filter(status=ReportStatus.READY).values_list("pk", "built_at")
    )
    monkeypatch.setattr(tasks.build_annual_chunk, "delay", real_delay)
    assert services.batch_resume_stalled() == 0  # not stalled yet
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        assert services.batch_resume_stalled() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.done == batch.total
    assert AnnualReport.objects.filter(committee=city, year=YEAR).count() == batch.total
    # What was built before the death was not built again.
    assert built <= set(AnnualReport.objects.values_list("pk", "built_at"))


def test_a_failing_report_is_shown_and_retried(
    run,
    client,
    city,
    liaison_user,
    member_user,
    year_of_records,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """A member whose data cannot be read fails alone (the others of the chunk are built);
    the failure is listed with its reason and the retry builds it."""
    real = services.contents_for
    target = membership_of(member_user).pk

    def flaky(*, membership_ids, year):
        if target in membership_ids:
            raise ValueError("履职记录数据损坏")
        return real(membership_ids=membership_ids, year=year)

    monkeypatch.setattr(services, "contents_for", flaky)
    batch = run(liaison_user, city)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and batch.failed == 1
    assert batch.done == batch.total - 1
    client.force_login(liaison_user)
    page = client.get(reverse("annual_reports:batches"), {"year": YEAR}).content.decode()
    assert "李红梅：履职记录数据损坏" in page and "重试失败的报告" in page
    monkeypatch.setattr(services, "contents_for", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("annual_reports:retry", args=[batch.pk]), {"year": YEAR})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.failed == 0 and batch.done == batch.total
    assert AnnualReport.objects.get(membership_id=target, year=YEAR).status == ReportStatus.READY


def test_the_data_comes_first_and_a_failed_pdf_is_made_on_download(
    run, client, city, liaison_user, member_user, year_of_records, monkeypatch
):
    """The batch is done when every member's data is built; the PDFs follow. A PDF that
    fails then leaves the report readable on the web and is made on its first download."""
    real = services.build_report_pdf

    def broken(content):
        if content["basics"]["name"] == "李红梅":
            raise ValueError("字体文件损坏")
        return real(content)

    monkeypatch.setattr(services, "build_report_pdf", broken)
    batch = run(liaison_user, city)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.done == batch.total and batch.failed == 0
    reports = AnnualReport.objects.filter(committee=city, year=YEAR)
    mine = reports.get(membership=membership_of(member_user))
    assert mine.status == ReportStatus.READY and not mine.pdf
    assert all(report.pdf for report in reports if report.pk != mine.pk)
    client.force_login(member_user)
    page = client.get(reverse("annual_reports:report", args=[mine.pk])).content.decode()
    assert "关于加快普惠托育服务体系建设的建议" in page
    from apps.core.pdf import PdfFontMissing

    def no_font(content):
        raise PdfFontMissing("服务器缺少生成 PDF 所需的中文字体（测试）。")

    monkeypatch.setattr(services, "build_report_pdf", no_font)
    refused = client.get(reverse("annual_reports:pdf", args=[mine.pk]))
    assert refused.status_code == 503 and "缺少生成 PDF 所需的中文字体" in refused.content.decode()
    monkeypatch.setattr(services, "build_report_pdf", real)
    response = client.get(reverse("annual_reports:pdf", args=[mine.pk]))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    mine.refresh_from_db()
    assert "李红梅" in _pdf_text(mine)


@pytest.mark.parametrize(
    "persona, may_start",
    [("liaison_user", True), ("leader_user", False), ("member_user", False)],
)
def test_only_the_liaison_office_starts_a_batch(
    request, client, city, persona, may_start, year_of_records, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("annual_reports:start"), {"year": YEAR})
    if may_start:
        assert response.status_code == 302
        assert AnnualReportBatch.objects.get(committee=city).status == BatchStatus.DONE
    else:
        assert response.status_code == 403
        assert not AnnualReportBatch.objects.exists() and not AnnualReport.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("member_user", 200),
        ("liaison_user", 200),
        ("leader_user", 200),
        ("other_member_user", 404),
        ("district_leader", 404),
        ("proposal_staff_user", 404),
    ],
)
def test_who_reads_a_members_report(
    request, run, client, city, liaison_user, member_user, persona, status, year_of_records
):
    run(liaison_user, city)
    report = AnnualReport.objects.get(membership=membership_of(member_user), year=YEAR)
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("annual_reports:report", args=[report.pk]))
    pdf = client.get(reverse("annual_reports:pdf", args=[report.pk]))
    api = client.get(f"/api/v1/annual-reports/{report.pk}")
    assert (page.status_code, pdf.status_code, api.status_code) == (status, status, status)
    if status == 200:
        assert "关于加快普惠托育服务体系建设的建议" in page.content.decode()
        assert pdf.content[:5] == b"%PDF-"
        assert api.json()["content"]["basics"]["name"] == "李红梅"
    else:
        assert "李红梅" not in page.content.decode()


def test_a_member_lists_their_own_reports(
    run, client, city, liaison_user, member_user, year_of_records
):
    run(liaison_user, city)
    client.force_login(member_user)
    page = client.get(reverse("annual_reports:mine")).content.decode()
    assert "济南市政协 2026年度履职报告" in page
    mine = client.get("/api/v1/annual-reports/mine").json()
    assert [item["year"] for item in mine] == [YEAR]


def test_a_standing_member_submits_the_statement_into_the_pdf(
    run, client, city, liaison_user, standing_user, member_user, year_of_records
):
    run(liaison_user, city)
    report = AnnualReport.objects.get(membership=membership_of(standing_user), year=YEAR)
    client.force_login(standing_user)
    page = client.get(reverse("annual_reports:report", args=[report.pk])).content.decode()
    assert "提交述职报告" in page
    text = "本年度本人认真履行政治协商、民主监督、参政议政职能，" * 3
    url = reverse("annual_reports:statement", args=[report.pk])
    too_short = client.post(url, {"statement": "太短", "action": "submit"})
    assert too_short.status_code == 422 and "至少需要 50 字" in too_short.content.decode()
    assert client.post(url, {"statement": text, "action": "save"}).status_code == 302
    report.refresh_from_db()
    assert report.statement_status == "draft" and report.statement == text
    assert client.post(url, {"statement": text, "action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.statement_status == "submitted"
    assert "本人认真履行政治协商" in _pdf_text(report)
    again = client.post(url, {"statement": "改一下" * 30, "action": "submit"})
    assert again.status_code == 409
    report.refresh_from_db()
    assert report.statement == text
    # A member who is not 常委 has no 述职 to write.
    own = AnnualReport.objects.get(membership=membership_of(member_user), year=YEAR)
    client.force_login(member_user)
    refused = client.post(
        reverse("annual_reports:statement", args=[own.pk]), {"statement": text, "action": "save"}
    )
    assert refused.status_code == 403
    own.refresh_from_db()
    assert own.statement == ""


def test_summaries_city_over_district(
    run, client, city, district, liaison_user, leader_user, district_leader, year_of_records
):
    run(liaison_user, city)
    services.summary_build(committee_id=district.pk, year=YEAR)
    client.force_login(leader_user)
    for committee in (city, district):
        for fmt in ("pdf", "docx"):
            response = client.get(reverse("annual_reports:summary", args=[committee.pk, YEAR, fmt]))
            assert response.status_code == 200, (committee, fmt)
    client.force_login(district_leader)
    assert (
        client.get(reverse("annual_reports:summary", args=[district.pk, YEAR, "pdf"])).status_code
        == 200
    )
    assert (
        client.get(reverse("annual_reports:summary", args=[city.pk, YEAR, "pdf"])).status_code
        == 404
    )


def test_records_export_one_sheet_per_nominating_body(
    run, client, city, city_term, liaison_user, member_user, other_member_user, year_of_records
):
    """One sheet per 推荐单位, named after it (cleaned of []:*?/\\, cut to Excel's 31 characters,
    unique ignoring case), the members without one on the last sheet; each row names its body
    in full."""
    long_body = "中国民主同盟济南市委员会/基层组织：历下区总支[第一支部]推荐*专项?名单"
    bodies = {
        member_user: "中共济南市委统战部",
        other_member_user: "市工商联",
        year_of_records[1]: "民盟济南市委",  # 陈志强
    }
    for user, body in bodies.items():
        Membership.objects.filter(member__user=user).update(nominated_by=body)
    for name, body in (
        ("孙雅", "民盟济南市委"),
        ("钱多", long_body + "甲"),
        ("吴用", long_body + "乙"),
        ("郑重", "ABC推荐单位"),
        ("冯远", "abc推荐单位"),
    ):
        MembershipFactory(
            member=MemberFactory(committee=city, name=name), term=city_term, nominated_by=body
        )
    run(liaison_user, city)
    client.force_login(liaison_user)
    response = client.get(reverse("annual_reports:export"), {"year": YEAR})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    names = workbook.sheetnames
    assert names[-1] == "未填写推荐单位"  # 赵文华 has none: last
    # the bodies in pinyin order: mín, shì, zhōng
    assert names.index("民盟济南市委") < names.index("市工商联") < names.index("中共济南市委统战部")
    assert len(names) == 8 == len({name.casefold() for name in names})
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)

    def rows(title: str) -> dict[str, tuple]:
        return {row[0]: row for row in workbook[title].iter_rows(min_row=2, values_only=True)}

    headers = next(workbook[names[0]].iter_rows(max_row=1, values_only=True))
    assert headers[:6] == ("姓名", "界别", "政治面貌", "职务", "工作单位", "推荐单位")
    assert set(rows("民盟济南市委")) == {"陈志强", "孙雅"}
    assert set(rows("市工商联")) == {"王建国"}
    mine = rows("中共济南市委统战部")["李红梅"]
    assert mine[1] == "教育界" and mine[5] == "中共济南市委统战部"
    assert mine[7] == 1 and mine[12] == 78.5  # proposals, score
    unnamed = rows("未填写推荐单位")
    assert set(unnamed) == {"赵文华"} and unnamed["赵文华"][5] in (None, "")

    # Bodies whose names clean and cut to the same text, or differ only in case, stay apart.
    by_body = {row[5]: (title, row[0]) for title in names[:-1] for row in rows(title).values()}
    cleaned = "中国民主同盟济南市委员会 基层组织：历下区总支 第一支部 推荐 专项 名单"
    first, second = sorted(
        (by_body[long_body + "甲"], by_body[long_body + "乙"]), key=lambda item: len(item[0])
    )
    assert first[0] == cleaned[:31] and second[0] == cleaned[:28] + "（2）"
    assert {first[1], second[1]} == {"钱多", "吴用"}
    assert {by_body["ABC推荐单位"][0], by_body["abc推荐单位"][0]} in (
        {"ABC推荐单位", "abc推荐单位（2）"},
        {"abc推荐单位", "ABC推荐单位（2）"},
    )


def test_records_export_without_reports_is_one_empty_sheet(client, city, liaison_user):
    client.force_login(liaison_user)
    response = client.get(reverse("annual_reports:export"), {"year": YEAR})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["无数据"]


def test_progress_is_shown_while_a_batch_runs(
    client, city, liaison_user, year_of_records, monkeypatch
):
    from apps.dashboards import tasks

    monkeypatch.setattr(tasks.run_annual_batch, "delay", lambda *args: None)
    batch = services.batch_start(user=liaison_user, committee_id=city.pk, year=YEAR)
    client.force_login(liaison_user)
    page = client.get(
        reverse("annual_reports:progress", args=[batch.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"已生成 0 / {batch.total} 份" in page and 'hx-trigger="every 3s"' in page
    again = client.post(reverse("annual_reports:start"), {"year": YEAR})
    assert again.status_code == 409 and "正在生成" in again.content.decode()
    assert AnnualReportBatch.objects.count() == 1


def test_the_demo_builds_last_years_reports_once_with_pdfs_on_demand(
    client, city, member_user, leader_user, year_of_records
):
    from apps.core.demo import DemoRun
    from apps.dashboards.demo import seed

    run = DemoRun()
    seed(run)
    reports = AnnualReport.objects.filter(committee=city, year=YEAR)
    assert (
        run.counts["年度履职报告"]
        == reports.count()
        == Membership.objects.filter(committee=city).count()
    )
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.READY}
    assert AnnualReportBatch.objects.get(committee=city, year=YEAR).trigger == "demo"
    summary = CommitteeSummary.objects.get(committee=city, year=YEAR)
    assert summary.figures and not summary.pdf and not summary.docx  # made on first download
    assert not OutboxMessage.objects.filter(key__startswith="annual-report:").exists()
    mine = reports.get(membership=membership_of(member_user))
    assert not mine.pdf
    client.force_login(member_user)
    response = client.get(reverse("annual_reports:pdf", args=[mine.pk]))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    mine.refresh_from_db()
    assert "李红梅" in _pdf_text(mine)
    client.force_login(leader_user)
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK")):
        response = client.get(reverse("annual_reports:summary", args=[city.pk, YEAR, fmt]))
        assert response.status_code == 200 and response.content[: len(magic)] == magic
    summary.refresh_from_db()
    assert "2026年度履职工作统计" in _text_of(summary.pdf.name)
    stored = (summary.pdf.name, summary.docx.name)
    client.get(reverse("annual_reports:summary", args=[city.pk, YEAR, "pdf"]))
    summary.refresh_from_db()
    assert (summary.pdf.name, summary.docx.name) == stored  # made once, then served
    again = DemoRun()
    seed(again)
    assert again.counts["年度履职报告"] == 0
    assert AnnualReport.objects.filter(committee=city, year=YEAR).count() == reports.count()


def test_the_report_names_the_members_nominating_body(
    client, run, city, liaison_user, member_user, year_of_records
):
    """The 推荐单位 the record goes back to is in the report's basics, on the page and in the
    PDF (and the 履职档案 shows it too)."""
    membership = membership_of(member_user)
    membership.nominated_by = "民进济南市委"
    membership.save(update_fields=["nominated_by"])
    run(liaison_user, city)
    mine = AnnualReport.objects.get(membership=membership, year=YEAR)
    assert mine.content["basics"]["nominated_by"] == "民进济南市委"
    assert "推荐单位民进济南市委" in _pdf_text(mine)
    client.force_login(member_user)
    page = client.get(reverse("annual_reports:report", args=[mine.pk])).content.decode()
    assert "推荐单位" in page and "民进济南市委" in page
    archive = client.get(reverse("duties:archive")).content.decode()
    assert "民进济南市委" in archive
