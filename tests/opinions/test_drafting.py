"""The submitter's pages: a draft autosaved on the server through htmx with the character
count, files checked by type and size, co-authors, submission refused with the problems beside
the fields (nothing submitted), revision and resubmission after a return."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.opinions.models import OpinionReport, ReportAttachment, ReportStatus, ReportVersion

from .conftest import PDF_BYTES, TEXT, membership_of, upload

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(report, **changes):
    data = {
        "title": report.title,
        "situation": report.situation,
        "analysis": report.analysis,
        "suggestion": report.suggestion,
        "category": report.category_id or "",
        "source": report.source,
    }
    data.update(changes)
    return data


def test_new_draft_opens_the_writing_page(client, member_user):
    client.force_login(member_user)
    response = client.post(reverse("opinions:new"), {"on_behalf": "self"})
    report = OpinionReport.objects.get(created_by=member_user)
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:edit", args=[report.pk])
    assert report.status == ReportStatus.DRAFT and report.origin == "member"


def test_autosave_saves_on_the_server_and_counts_like_a_chinese_reader(client, build):
    report = build.draft(title="", situation="", analysis="", suggestion="")
    client.force_login(build.member)
    text = "老旧小区 加装电梯\n后管护难。"  # 13 characters: spaces and line breaks do not count
    response = client.post(
        reverse("opinions:autosave", args=[report.pk]),
        _form(report, title="关于加装电梯管护的情况反映", situation=text),
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "已自动保存" in body
    assert "正文已写 13 / 1500 字" in body
    assert "请填写意见建议" in body  # what still blocks submission, out of band
    report.refresh_from_db()
    assert report.situation == text and report.title == "关于加装电梯管护的情况反映"


def test_autosave_refusal_changes_nothing(client, build):
    report = build.draft()
    client.force_login(build.member)
    response = client.post(
        reverse("opinions:autosave", args=[report.pk]),
        _form(report, title="长" * 201),
        **HTMX,
    )
    assert response.status_code == 422
    assert "自动保存未成功" in response.content.decode()
    report.refresh_from_db()
    assert report.title == TEXT["title"]


def test_submitting_an_incomplete_draft_shows_the_problems_and_submits_nothing(client, build):
    report = build.draft(suggestion="")
    client.force_login(build.member)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("opinions:edit", args=[report.pk]), _form(report, action="submit")
    )
    assert response.status_code == 422
    assert "请填写意见建议" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not AuditEvent.objects.filter(verb="opinion_submit").exists()
    assert AuditEvent.objects.count() == events


def test_submit_from_the_writing_page(client, build):
    report = build.draft()
    client.force_login(build.member)
    response = client.post(
        reverse("opinions:edit", args=[report.pk]), _form(report, action="submit")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportVersion.objects.filter(report=report, kind="submitted").count() == 1


def test_returned_report_is_revised_and_resubmitted(client, build):
    report = build.returned()
    client.force_login(build.member)
    page = client.get(reverse("opinions:edit", args=[report.pk])).content.decode()
    assert "请补充数据。" in page and "修改后重新提交" in page
    response = client.post(
        reverse("opinions:edit", args=[report.pk]),
        _form(report, situation=report.situation + "据统计涉及一千二百户。", action="submit"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert [v.kind for v in report.versions.order_by("number")] == ["submitted", "resubmitted"]


def test_attachments_are_checked_by_type_and_content(client, build):
    report = build.draft()
    client.force_login(build.member)
    url = reverse("opinions:attachment_upload", args=[report.pk])
    ok = client.post(url, {"file": upload("调研报告.pdf")})
    assert ok.status_code == 302
    fake = client.post(url, {"file": upload("照片.png", PDF_BYTES)})
    assert fake.status_code == 422
    assert "内容与扩展名" in fake.content.decode()
    exe = client.post(url, {"file": upload("程序.exe", b"MZ")})
    assert exe.status_code == 422
    assert list(ReportAttachment.objects.values_list("original_name", flat=True)) == [
        "调研报告.pdf"
    ]
    item = ReportAttachment.objects.get()
    assert client.get(reverse("opinions:attachment", args=[item.pk])).status_code == 200


def test_coauthors_are_found_and_credited(client, build, coauthor_user, other_member_user):
    report = build.draft()
    client.force_login(build.member)
    found = client.get(
        reverse("opinions:coauthor_search", args=[report.pk]), {"coauthor_q": "陈"}, **HTMX
    ).content.decode()
    assert "陈志强" in found and "李红梅" not in found
    response = client.post(
        reverse("opinions:coauthor_add", args=[report.pk]),
        {"membership": membership_of(coauthor_user).pk},
    )
    assert response.status_code == 302
    assert report.contributors.filter(kind="co", membership__member__user=coauthor_user).exists()
    again = client.post(
        reverse("opinions:coauthor_add", args=[report.pk]),
        {"membership": membership_of(coauthor_user).pk},
    )
    assert again.status_code == 409
    assert report.contributors.filter(kind="co").count() == 1
    client.force_login(other_member_user)
    denied = client.post(
        reverse("opinions:coauthor_add", args=[report.pk]),
        {"membership": membership_of(other_member_user).pk},
    )
    assert denied.status_code == 404


def test_submitted_report_cannot_be_edited(client, build):
    report = build.submitted()
    client.force_login(build.member)
    response = client.get(reverse("opinions:edit", args=[report.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("opinions:autosave", args=[report.pk]), _form(report, title="改"), **HTMX
    )
    assert response.status_code in (403, 409)
    report.refresh_from_db()
    assert report.title == TEXT["title"]


def test_draft_deleted_with_its_files(client, build):
    report = build.draft()
    client.force_login(build.member)
    client.post(reverse("opinions:attachment_upload", args=[report.pk]), {"file": upload("a.pdf")})
    response = client.post(reverse("opinions:delete_draft", args=[report.pk]))
    assert response.status_code == 302
    assert not OpinionReport.objects.filter(pk=report.pk).exists()
    assert not ReportAttachment.objects.exists()


@pytest.fixture
def colleague(city, roles_seeded):
    """李芳, a second member of staff of the 社情民意信息处."""
    from apps.accounts.roles import Role

    from ..conftest import _staff_user

    return _staff_user(city, Role.OPINION_OFFICE, username="lifang", name="李芳")


def test_the_office_files_a_report_of_its_own(client, editor, colleague, city, city_term, category):
    """机关编报: 马晓燕 of the 社情民意信息处 (not a member, not a liaison) files in the office's
    name: the draft is hers alone until she submits it (her colleague sees nothing of it), the
    audit log says she acted as the office, and it then goes through screening like any other —
    counted in the statistics by category, in no member's or organisation's line."""
    from django.utils import timezone

    from apps.opinions import services
    from apps.opinions.models import ContributorKind, OpinionStatRow, StatDimension

    client.force_login(editor)
    # One name to file in (the office's), so no choice is offered: the page carries it.
    page = client.get(reverse("opinions:new")).content.decode()
    assert '<input type="hidden" name="on_behalf" value="self">' in page
    response = client.post(reverse("opinions:new"), {"on_behalf": "self"})
    report = OpinionReport.objects.get(created_by=editor)
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:edit", args=[report.pk])
    assert (report.origin, report.committee_id, report.term_id, report.reporting_unit_id) == (
        "staff",
        city.pk,
        city_term.pk,
        None,
    )
    credit = report.contributors.get()
    assert (credit.kind, credit.user_id, credit.membership_id, credit.unit_id) == (
        ContributorKind.FIRST,
        editor.pk,
        None,
        None,
    )
    text = _form(report, **TEXT, category=category.pk)
    response = client.post(reverse("opinions:autosave", args=[report.pk]), text, **HTMX)
    assert response.status_code == 200 and "已自动保存" in response.content.decode()
    mine = client.get(reverse("opinions:mine")).content.decode()
    assert TEXT["title"] in mine and "报送人" in mine

    client.force_login(colleague)
    assert client.get(reverse("opinions:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("opinions:edit", args=[report.pk])).status_code == 404

    client.force_login(editor)
    response = client.post(reverse("opinions:edit", args=[report.pk]), {**text, "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.situation == TEXT["situation"]
    event = AuditEvent.objects.filter(verb="opinion_submit", object_id=str(report.pk)).get()
    assert (event.actor_id, event.role) == (editor.pk, "opinion_office")
    assert ReportVersion.objects.filter(report=report, kind="submitted").count() == 1

    client.force_login(colleague)
    queue = client.get(reverse("opinions:queue", args=["screen"])).content.decode()
    assert TEXT["title"] in queue
    page = client.get(reverse("opinions:detail", args=[report.pk])).content.decode()
    assert "机关编报" in page
    response = client.post(reverse("opinions:accept", args=[report.pk]), {"category": category.pk})
    assert response.status_code == 302
    assert OpinionReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED

    year = timezone.localtime(report.first_submitted_at).year
    services.opinion_stats_refresh(committee_id=city.pk, year=year)
    lines = set(
        OpinionStatRow.objects.filter(committee=city, year=year).values_list("dimension", "label")
    )
    assert lines == {(StatDimension.TOTAL, "合计"), (StatDimension.CATEGORY, category.name)}


def test_staff_of_other_offices_may_not_file(client, proposal_staff_user):
    """Staff of the 提案委 (no member, no liaison, not the 社情民意信息处) may not file."""
    from apps.core.errors import PermissionDenied
    from apps.opinions import services

    client.force_login(proposal_staff_user)
    assert client.get(reverse("opinions:new")).status_code == 403
    assert client.post(reverse("opinions:new"), {"on_behalf": "self"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.report_draft_create(user=proposal_staff_user, title="关于……")
    assert not OpinionReport.objects.exists()
