"""Every page of the app opens for the people it is for (the smoke test of the templates), with
the right content; and the home pages show the registered cards and to-dos."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.opinions import services
from apps.opinions.models import ReportStatus

pytestmark = pytest.mark.django_db


def _get(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def test_member_pages(client, build, member_user):
    draft = build.draft()
    submitted = build.submitted(title="关于社区养老服务站运营困难的情况反映")
    for url in (
        reverse("opinions:mine"),
        reverse("opinions:new"),
        reverse("opinions:edit", args=[draft.pk]),
        reverse("opinions:detail", args=[draft.pk]),
        reverse("opinions:detail", args=[submitted.pk]),
        reverse("opinions:mine") + "?status=submitted",
    ):
        _get(client, member_user, url)
    page = _get(client, member_user, reverse("opinions:mine")).content.decode()
    assert draft.title in page and "关于社区养老服务站" in page


def test_office_pages(client, build, editor, leader_user):
    report = build.accepted()
    screened = build.submitted(title="关于农村客运班线停运的情况反映")
    compiled = build.compiled(title="关于网约车司机社保缴纳的情况反映")
    for url in (
        reverse("opinions:office"),
        *(
            reverse("opinions:queue", args=[name])
            for name in (
                "screen",
                "edit",
                "signoff",
                "bulletin",
                "returned",
                "published",
                "feedback",
            )
        ),
        reverse("opinions:screen", args=[screened.pk]),
        reverse("opinions:editor", args=[report.pk]),
        reverse("opinions:versions", args=[report.pk]),
        reverse("opinions:detail", args=[compiled.pk]),
        reverse("opinions:issues"),
        reverse("opinions:issue", args=[compiled.issue_id]),
        reverse("opinions:stats"),
        reverse("opinions:settings"),
    ):
        _get(client, editor, url)
    docx = _get(client, editor, reverse("opinions:issue_docx", args=[compiled.issue_id]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = _get(client, editor, reverse("opinions:issue_pdf", args=[compiled.issue_id]))
    assert pdf.content.startswith(b"%PDF")
    services.opinion_stats_refresh(
        committee_id=report.committee_id, year=compiled.first_submitted_at.year
    )
    page = _get(client, editor, reverse("opinions:stats")).content.decode()
    assert "opinion-stats-data" in page
    xlsx = _get(client, editor, reverse("opinions:stats_export"))
    assert xlsx.content[:2] == b"PK"


def test_leader_pages(client, build, leader_user):
    report = build.awaiting()
    page = _get(client, leader_user, reverse("opinions:signoff")).content.decode()
    assert report.title in page
    detail = _get(
        client, leader_user, reverse("opinions:detail", args=[report.pk])
    ).content.decode()
    assert reverse("opinions:sign", args=[report.pk]) in detail
    _get(client, leader_user, reverse("opinions:stats"))


def test_home_pages_show_cards_and_todos(client, build, member_user, editor, leader_user):
    returned = build.returned()
    build.awaiting(title="关于城市内涝点整治的建议")
    home = _get(client, member_user, reverse("home")).content.decode()
    assert "社情民意" in home and "退回修改" in home
    office_home = _get(client, editor, reverse("home")).content.decode()
    assert "社情民意信息待筛选" in office_home or "待筛选" in office_home
    leader_home = _get(
        client, leader_user, reverse("home_role", args=["leadership"])
    ).content.decode()
    assert "社情民意信息待您签发" in leader_home or "待我签发" in leader_home
    assert returned.status == ReportStatus.RETURNED
