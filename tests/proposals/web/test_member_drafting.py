"""Drafting pages: choose the kind, write with autosave and counts, attach files, invite
co-signers, see similar proposals, submit (with the domain's checks shown in Chinese)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.proposals.models import (
    Attachment,
    Cosigner,
    CosignerStatus,
    Proposal,
    ProposalKind,
    ProposalSettings,
    ProposalStatus,
)

from ..conftest import PNG_BYTES, membership_of, upload

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _form(proposal: Proposal, **changes: str) -> dict[str, str]:
    data = {
        "title": proposal.title,
        "grounds": proposal.grounds,
        "suggestions": proposal.suggestions,
        "category": str(proposal.category_id or ""),
    }
    data.update(changes)
    return data


def test_new_offers_the_kinds_and_opens_the_draft(client, member_user, city):
    client.force_login(member_user)
    page = client.get(reverse("proposals:new")).content.decode()
    assert "个人提案" in page and "联名提案" in page
    # 集体提案 only for conveners and the office (tests/members/test_conveners.py).
    assert 'name="kind" value="collective"' not in page
    response = client.post(reverse("proposals:new"), {"kind": "joint"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:edit", args=[proposal.pk])
    assert proposal.kind == ProposalKind.JOINT
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.first_proposer.member.user == member_user


def test_new_refuses_an_unknown_kind_in_chinese(client, member_user):
    client.force_login(member_user)
    response = client.post(reverse("proposals:new"), {"kind": "secret"})
    assert response.status_code == 422
    assert "选择一个有效的选项" in response.content.decode()
    assert not Proposal.objects.exists()


def test_new_collective_needs_a_signature_at_submission(client, member_user, category, city):
    # A convener of two bodies (so nothing is filled in for them) files a collective draft.
    from apps.members.models import ConvenedBody, Convener
    from apps.sectors.models import Sector

    membership = member_user.member.memberships.get()
    Convener.objects.create(
        committee=city,
        term=membership.term,
        membership=membership,
        body=ConvenedBody.SECTOR,
        sector=Sector.objects.get(committee=city, name="教育界"),
    )
    Convener.objects.create(
        committee=city,
        term=membership.term,
        membership=membership,
        body=ConvenedBody.ORGANISATION,
        organisation_name="市教育工会",
    )
    client.force_login(member_user)
    client.post(reverse("proposals:new"), {"kind": "collective", "collective_in_name_of": ""})
    proposal = Proposal.objects.get()
    assert proposal.kind == ProposalKind.COLLECTIVE and proposal.first_proposer is None
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        {
            "title": "关于加强历史街区保护的建议",
            "grounds": "现状。",
            "suggestions": "建议。",
            "category": category.pk,
            "collective_in_name_of": "",
            "action": "submit",
        },
    )
    assert response.status_code == 422
    assert "集体提案须注明以哪个党派" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_edit_page_shows_counts_checks_and_similar_panel(client, build, member_user):
    proposal = build.draft(suggestions="")
    client.force_login(member_user)
    html = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    from apps.core.text import count_chars

    assert f"已写 {count_chars(proposal.grounds)} / 1500 字" in html
    assert "请填写具体建议。" in html  # the pre-submission check
    assert "系统根据文字相似度列出往届及本届的类似提案，供参考。" in html
    assert 'hx-post="' + reverse("proposals:autosave", args=[proposal.pk]) in html
    assert "input changed delay:1500ms" in html
    assert "<script>" not in html  # CSP: no inline scripts


def test_autosave_keeps_the_text_and_answers_with_time_and_count(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    text = "关于 加强 托育。\n第二段\u3000内容"
    response = client.post(
        reverse("proposals:autosave", args=[proposal.pk]),
        _form(proposal, grounds=text, suggestions="一是……"),
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已自动保存" in html
    assert response["HX-Trigger"] == "draftSaved"
    # 关于加强托育。第二段内容 = 12, 一是…… = 4 (whitespace never counts)
    assert "已写 16 / 1500 字" in html
    assert 'hx-swap-oob="true"' in html
    proposal.refresh_from_db()
    assert proposal.grounds == text
    # A closed browser loses nothing: the next visit shows the saved text.
    again = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    assert "第二段" in again


def test_autosave_of_a_submitted_proposal_changes_nothing(client, build, member_user):
    proposal = build.submitted()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:autosave", args=[proposal.pk]),
        _form(proposal, title="改过的案由"),
        headers=HTMX,
    )
    assert response.status_code == 409  # the status line says why (swapped by htmx)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="autosave-status" class="alert alert-danger')
    assert "提案已提交，不能再修改" in html
    assert "HX-Trigger" not in response
    proposal.refresh_from_db()
    assert proposal.title != "改过的案由"


def test_editing_a_submitted_proposal_explains_why_not(client, build, member_user):
    proposal = build.submitted()
    client.force_login(member_user)
    response = client.get(reverse("proposals:edit", args=[proposal.pk]), follow=True)
    assert "提案已提交，不能再修改；如需修改，请在审查前撤回。" in response.content.decode()
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]), _form(proposal, title="改")
    )
    assert response.status_code == 409  # the proposal page with the reason, no redirect
    assert "不能再修改" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title != "改"


def test_plain_save_button_works_without_javascript(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _form(proposal, title="关于建设社区食堂的建议", action="save"),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "关于建设社区食堂的建议"


def test_submit_reports_missing_fields_beside_them(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _form(proposal, grounds="   ", action="submit"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写情况与分析。" in html
    assert 'id="id_grounds_error"' in html
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_over_long_body_is_saved_but_not_submitted(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    long_text = "托" * 1600
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _form(proposal, grounds=long_text, action="submit"),
    )
    html = response.content.decode()
    assert "不能超过1500字" in html
    proposal.refresh_from_db()
    assert proposal.grounds == long_text  # nothing typed is lost
    assert proposal.status == ProposalStatus.DRAFT


def test_submit_blocked_while_a_cosigner_has_not_answered(client, joint_draft, member_user):
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[joint_draft.pk]), _form(joint_draft, action="submit")
    )
    html = response.content.decode()
    assert "还有附议邀请未答复" in html
    joint_draft.refresh_from_db()
    assert joint_draft.status == ProposalStatus.DRAFT
    # The detail page's submit button reports it on the draft page too.
    response = client.post(reverse("proposals:submit", args=[joint_draft.pk]))
    assert response.status_code == 409
    assert "还有附议邀请未答复" in response.content.decode()
    assert 'id="draft-form"' in response.content.decode()
    # The pre-submission check already said so.
    page = client.get(reverse("proposals:edit", args=[joint_draft.pk])).content.decode()
    assert "还有 1 位委员未答复附议邀请" in page


def test_withdrawing_pending_invitations_allows_submission_of_an_individual(
    client, joint_draft, member_user
):
    client.force_login(member_user)
    client.post(reverse("proposals:cosign_withdraw_pending", args=[joint_draft.pk]))
    assert joint_draft.cosigners.get().status == CosignerStatus.WITHDRAWN
    client.post(reverse("proposals:switch_kind", args=[joint_draft.pk]), {"kind": "individual"})
    response = client.post(
        reverse("proposals:edit", args=[joint_draft.pk]),
        _form(joint_draft, action="submit", confirm="1"),
    )
    assert response.status_code == 302
    joint_draft.refresh_from_db()
    assert joint_draft.kind == ProposalKind.INDIVIDUAL
    assert joint_draft.status == ProposalStatus.SUBMITTED


def test_submit_succeeds_and_lands_on_the_detail_page(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _form(proposal, action="submit", confirm="1"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("proposals:detail", args=[proposal.pk])
    assert "提案已提交" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_attachment_upload_and_remove_with_chinese_errors(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    url = reverse("proposals:attachment_upload", args=[proposal.pk])
    response = client.post(url, {"file": upload("调研报告.pdf")}, follow=True)
    assert "已上传附件“调研报告.pdf”" in response.content.decode()
    attachment = Attachment.objects.get()

    def refused(data) -> str:
        response = client.post(url, data)
        assert response.status_code == 422  # the draft again, with the reason
        return response.content.decode()

    assert "不支持“程序.exe”的文件类型" in refused({"file": upload("程序.exe", b"MZ")})
    assert "内容与扩展名 .pdf 不符" in refused({"file": upload("照片.pdf", PNG_BYTES)})
    ProposalSettings.objects.filter(committee=proposal.committee).update(attachment_max_bytes=10)
    assert "超过了" in refused({"file": upload("大文件.pdf")})
    assert "请选择要上传的文件。" in refused({})
    assert Attachment.objects.count() == 1

    client.post(reverse("proposals:attachment_remove", args=[proposal.pk, attachment.pk]))
    assert not Attachment.objects.exists()


def test_cosign_search_and_invite(client, build, member_user, cosigner_user, other_member_user):
    proposal = build.draft()
    client.force_login(member_user)
    url = reverse("proposals:cosign_search", args=[proposal.pk])
    html = client.get(url, {"cosign_q": "陈"}, headers=HTMX).content.decode()
    assert "陈志强" in html and "王建国" not in html and "李红梅" not in html
    assert "<html" not in html  # the fragment only
    # Without htmx the search lands on the draft page with the results.
    response = client.get(url, {"cosign_q": "王"}, follow=True)
    assert "王建国" in response.content.decode()

    response = client.post(
        reverse("proposals:cosign_invite", args=[proposal.pk]),
        {"membership": membership_of(cosigner_user).pk},
        follow=True,
    )
    assert "邀请已发出" in response.content.decode()
    cosigner = Cosigner.objects.get()
    assert cosigner.status == CosignerStatus.INVITED
    proposal.refresh_from_db()
    assert proposal.kind == ProposalKind.JOINT
    # Invited members are not offered again.
    html = client.get(url, {"cosign_q": "陈"}, headers=HTMX).content.decode()
    assert "陈志强" not in html
    page = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    assert "待确认" in page

    client.post(reverse("proposals:cosign_withdraw", args=[proposal.pk, cosigner.pk]))
    cosigner.refresh_from_db()
    assert cosigner.status == CosignerStatus.WITHDRAWN


def test_invite_with_nobody_chosen_says_so(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:cosign_invite", args=[proposal.pk]), {"membership": "x"}
    )
    assert response.status_code == 422
    assert "请选择要邀请的委员。" in response.content.decode()


def test_delete_draft(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(reverse("proposals:delete_draft", args=[proposal.pk]), follow=True)
    assert "草稿已删除" in response.content.decode()
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
