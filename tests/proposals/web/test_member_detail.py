"""The proposal page every role shares, its downloads and the member's action panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_first_proposer_sees_draft_with_continue_button(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于加快普惠托育服务体系建设的建议" in html
    assert "继续撰写" in html
    assert "草稿" in html


def test_detail_of_replied_proposal_shows_reply_timeline_and_rating(
    client, build, member_user, other_member_user
):
    proposal = build.replied()
    client.force_login(member_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "经研究，我局已将普惠托育纳入明年民生实事项目。" in html
    assert "办理进程" in html
    assert "提案立案" in html and "交办" in html
    assert "评价办理情况" in html
    assert "市教育局" in html
