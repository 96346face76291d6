"""我的提案: its three tabs, filters, pagination, the .xlsx export, and fixed query counts."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.proposals import services
from apps.proposals.models import CosignerStatus, Proposal, ProposalKind, ProposalStatus

from ..conftest import membership_of

pytestmark = pytest.mark.django_db


def test_mine_lists_own_and_cosigned_with_roles(
    client, build, member_user, cosigner_user, other_member_user
):
    own = build.submitted(title="关于改善老旧小区加装电梯的建议")
    joint = build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user], title="关于联名的建议")
    services.proposal_draft_create(user=other_member_user, title="别人的草稿")
    client.force_login(cosigner_user)
    html = client.get(reverse("proposals:mine")).content.decode()
    assert "关于联名的建议" in html and "附议人" in html
    assert own.title not in html and "别人的草稿" not in html
    client.force_login(member_user)
    html = client.get(reverse("proposals:mine")).content.decode()
    assert own.title in html and joint.title in html
    assert "第一提案人" in html
    assert "已提交" in html and "草稿" in html  # status as text, not colour alone
    assert reverse("proposals:edit", args=[joint.pk]) in html  # a draft opens for writing


def test_mine_filters_by_status_and_term_and_ignores_bad_values(client, build, member_user):
    build.submitted(title="关于甲的建议")
    build.draft(title="关于乙的建议")
    client.force_login(member_user)
    html = client.get(reverse("proposals:mine"), {"status": "submitted"}).content.decode()
    assert "关于甲的建议" in html and "关于乙的建议" not in html
    assert "（已筛选）" in html
    html = client.get(reverse("proposals:mine"), {"status": "nonsense", "term": "x"}).content
    assert "关于甲的建议" in html.decode() and "关于乙的建议" in html.decode()
    partial = client.get(
        reverse("proposals:mine"), {"status": "draft"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="mine-results"' in partial and "<html" not in partial
    assert "关于乙的建议" in partial and "关于甲的建议" not in partial


def test_mine_is_paginated(client, build, member_user):
    for index in range(23):
        build.draft(title=f"关于第{index}项工作的建议")
    client.force_login(member_user)
    first = client.get(reverse("proposals:mine")).content.decode()
    assert "共 23 件" in first and "下一页" in first
    second = client.get(reverse("proposals:mine"), {"page": 2}).content.decode()
    assert second.count("关于第") == 3


def _queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params or {})  # warm per-session caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _make(build, cosigner_user, count: int) -> None:
    for index in range(count):
        if index % 3 == 0:
            build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user], title=f"联名{index}")
        elif index % 3 == 1:
            build.assigned(title=f"交办{index}")
        else:
            build.submitted(title=f"提交{index}")


def test_mine_query_count_does_not_grow_with_rows(client, build, member_user, cosigner_user):
    _make(build, cosigner_user, 3)
    client.force_login(member_user)
    few = _queries(client, reverse("proposals:mine"))
    _make(build, cosigner_user, 27)
    many = _queries(client, reverse("proposals:mine"))
    assert few == many, (few, many)
    assert many <= 17  # 10 for sign-in, session and navigation; 7 for the page


def test_ratings_tab_query_count_does_not_grow_with_rows(client, build, member_user, cosigner_user):
    build.replied()
    client.force_login(member_user)
    few = _queries(client, reverse("proposals:ratings_due"))
    for _ in range(3):
        build.replied(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    many = _queries(client, reverse("proposals:ratings_due"))
    assert few == many, (few, many)


def test_cosign_inbox_query_count_does_not_grow_with_invitations(
    client, build, member_user, cosigner_user
):
    def invite(count: int) -> None:
        for index in range(count):
            proposal = build.draft(kind=ProposalKind.JOINT, title=f"邀请{index}")
            services.cosigners_invite(
                user=member_user,
                proposal_id=proposal.pk,
                membership_ids=[membership_of(cosigner_user).pk],
            )

    invite(2)
    client.force_login(cosigner_user)
    few = _queries(client, reverse("proposals:cosign_inbox"))
    invite(10)
    many = _queries(client, reverse("proposals:cosign_inbox"))
    assert few == many, (few, many)


def test_cosign_inbox_lists_invitations_and_answers_them(client, joint_draft, cosigner_user):
    client.force_login(cosigner_user)
    html = client.get(reverse("proposals:cosign_inbox")).content.decode()
    assert joint_draft.title in html and "李红梅" in html
    invitation = joint_draft.cosigners.get()
    response = client.post(
        reverse("proposals:cosign_confirm", args=[invitation.pk]),
        {"next": reverse("proposals:cosign_inbox")},
        follow=True,
    )
    assert "您已确认附议。" in response.content.decode()
    assert "目前没有等待您答复的联名邀请" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == CosignerStatus.CONFIRMED


def test_cosign_decline_with_an_unsafe_next_stays_on_site(client, joint_draft, cosigner_user):
    client.force_login(cosigner_user)
    invitation = joint_draft.cosigners.get()
    response = client.post(
        reverse("proposals:cosign_decline", args=[invitation.pk]),
        {"next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("proposals:cosign_inbox")
    invitation.refresh_from_db()
    assert invitation.status == CosignerStatus.DECLINED


def test_ratings_tab_lists_replied_proposals_with_deadline(client, build, member_user):
    replied = build.replied()
    build.evaluated(title="已经评价过的")
    client.force_login(member_user)
    html = client.get(reverse("proposals:ratings_due")).content.decode()
    assert replied.title in html
    assert "已经评价过的" not in html
    assert f"{replied.rating_due.year}年" in html
    assert reverse("proposals:rate", args=[replied.pk]) in html


def test_export_has_the_filtered_rows(client, build, member_user, cosigner_user):
    build.submitted(title="关于导出甲的建议")
    build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user], title="关于导出乙的建议")
    client.force_login(member_user)
    response = client.get(reverse("proposals:mine_export"), {"status": "draft"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("提案号", "案由")
    assert [row[1] for row in rows[1:]] == ["关于导出乙的建议"]
    assert rows[1][0] == "草稿"
    assert rows[1][9] == "陈志强"  # 附议人


def test_member_home_card_context(rf, build, member_user, cosigner_user, joint_draft):
    from apps.proposals.web.member.hooks import home_context

    replied = build.replied(title="待评价的提案")
    request = rf.get("/")
    request.user = cosigner_user
    card = home_context(request)["proposals_member"]
    assert card["invitation_count"] == 1
    request.user = member_user
    card = home_context(request)["proposals_member"]
    assert card["rating_count"] == 1
    assert card["ratings"][0]["proposal"].pk == replied.pk
    assert card["ratings"][0]["due"] == replied.rating_due
    assert card["latest"][0]["proposal"].pk == replied.pk


def test_member_home_page_shows_the_card(client, build, member_user):
    build.replied(title="待评价的提案")
    client.force_login(member_user)
    html = client.get(reverse("home")).content.decode()
    assert "待评价的提案" in html and "联名邀请待答复" in html
    assert Proposal.objects.filter(status=ProposalStatus.REPLIED).count() == 1
    assert membership_of(member_user)
