"""The member's steps after filing: withdraw and reopen, answer a transfer, rate the handling
(with 不满意 sending it back once, and 逾期未评价), and what the detail page shows whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core import clock
from apps.proposals import workflow
from apps.proposals.models import (
    Evaluation,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Reply,
    TransferTarget,
)

pytestmark = pytest.mark.django_db


def _detail(client, proposal) -> str:
    response = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_withdraw_then_reopen_then_edit(client, build, member_user):
    proposal = build.submitted()
    client.force_login(member_user)
    assert "撤回提案" in _detail(client, proposal)
    response = client.post(reverse("proposals:withdraw", args=[proposal.pk]), follow=True)
    assert "提案已撤回" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    html = _detail(client, proposal)
    assert "重新编辑" in html
    assert reverse("proposals:delete_draft", args=[proposal.pk]) in html
    response = client.post(reverse("proposals:reopen", args=[proposal.pk]))
    assert response["Location"] == reverse("proposals:edit", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_withdraw_after_review_is_refused_in_chinese(client, build, member_user):
    proposal = build.accepted()
    client.force_login(member_user)
    response = client.post(reverse("proposals:withdraw", args=[proposal.pk]))
    assert response.status_code == 409  # the proposal page again, with the reason
    assert "提案当前状态为“已立案”，不能撤回。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def _transfer(build) -> Proposal:
    proposal = build.submitted()
    return workflow.proposal_propose_transfer(
        user=build.office,
        proposal_id=proposal.pk,
        target=TransferTarget.SUGGESTION,
        reason="private",
        note="属个人事务，建议作为意见建议转有关部门参考。",
    )


def test_first_proposer_consents_to_transfer(client, build, member_user):
    proposal = _transfer(build)
    client.force_login(member_user)
    html = _detail(client, proposal)
    assert "建议转为<strong>意见建议</strong>处理" in html
    assert "个人或家庭私事" in html
    client.post(reverse("proposals:transfer_consent", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.TRANSFERRED


def test_first_proposer_refuses_transfer(client, build, member_user):
    proposal = _transfer(build)
    client.force_login(member_user)
    client.post(reverse("proposals:transfer_refuse", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    response = client.post(reverse("proposals:transfer_consent", args=[proposal.pk]))
    assert response.status_code == 409
    assert "不能同意转交" in response.content.decode()


def test_rating_flow_cosigner_then_first_proposer_dissatisfied(
    client, build, member_user, cosigner_user
):
    proposal = build.replied(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    client.force_login(cosigner_user)
    page = client.get(reverse("proposals:rate", args=[proposal.pk])).content.decode()
    assert "满意" in page and "基本满意" in page and "不满意" in page
    assert f"{proposal.rating_due.year}年" in page
    response = client.post(
        reverse("proposals:rate", args=[proposal.pk]),
        {"process_rating": "basic", "result_rating": "dissatisfied", "comment": "落实不够"},
        follow=True,
    )
    assert "感谢您的评价" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REPLIED  # a co-signer never sends it back

    client.force_login(member_user)
    page = client.get(reverse("proposals:rate", args=[proposal.pk])).content.decode()
    assert "提案将退回承办单位重新办理一次" in page
    response = client.post(
        reverse("proposals:rate", args=[proposal.pk]),
        {"process_rating": "satisfied", "result_rating": "dissatisfied", "comment": "未解决"},
        follow=True,
    )
    assert "重新办理一次" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REHANDLING
    assert "提案正在重新办理" in _detail(client, proposal)


def test_rating_needs_both_answers(client, build, member_user):
    proposal = build.replied()
    client.force_login(member_user)
    response = client.post(reverse("proposals:rate", args=[proposal.pk]), {"comment": "好"})
    html = response.content.decode()
    assert "请对办理过程作出评价。" in html and "请对办理结果作出评价。" in html
    assert not Evaluation.objects.exists()
    response = client.post(
        reverse("proposals:rate", args=[proposal.pk]),
        {"process_rating": "great", "result_rating": "satisfied"},
    )
    assert "选择一个有效的选项" in response.content.decode()


def test_rating_twice_is_refused(client, build, member_user):
    proposal = build.replied()
    client.force_login(member_user)
    data = {"process_rating": "satisfied", "result_rating": "satisfied"}
    client.post(reverse("proposals:rate", args=[proposal.pk]), data)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EVALUATED
    page = client.get(reverse("proposals:rate", args=[proposal.pk])).content.decode()
    assert "您已对第 1 轮办理作出评价" in page
    response = client.post(reverse("proposals:rate", args=[proposal.pk]), data)
    assert response.status_code == 409  # the rating page again, with the reason
    assert Evaluation.objects.count() == 1


def test_rating_after_the_deadline_shows_expired(client, build, member_user):
    proposal = build.replied()
    Proposal.objects.filter(pk=proposal.pk).update(rating_due=clock.today() - dt.timedelta(days=1))
    client.force_login(member_user)
    page = client.get(reverse("proposals:rate", args=[proposal.pk])).content.decode()
    assert "逾期未评价" in page
    assert "提交评价" not in page
    assert "逾期未评价" in _detail(client, proposal)
    response = client.post(
        reverse("proposals:rate", args=[proposal.pk]),
        {"process_rating": "satisfied", "result_rating": "satisfied"},
    )
    assert "逾期未评价" in response.content.decode()
    assert not Evaluation.objects.filter(timed_out=False).exists()


def test_proposer_sees_released_replies_only(client, build, member_user, unit_user):
    proposal = build.assigned()
    assignment = proposal.assignments.get()
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    from ..conftest import upload

    workflow.assignment_submit_reply(
        user=unit_user,
        assignment_id=assignment.pk,
        text="尚未审核的答复内容",
        result_class="B",
        letter=upload("答复函.pdf"),
    )
    reply = Reply.objects.get()
    client.force_login(member_user)
    html = _detail(client, proposal)
    assert "尚未审核的答复内容" not in html
    assert client.get(reverse("proposals:reply_letter", args=[reply.pk])).status_code == 404
    client.force_login(unit_user)
    assert "尚未审核的答复内容" in _detail(client, proposal)
    workflow.reply_approve(user=build.office, reply_id=reply.pk)
    client.force_login(member_user)
    html = _detail(client, proposal)
    assert "尚未审核的答复内容" in html and "B类" in html
    response = client.get(reverse("proposals:reply_letter", args=[reply.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_timeline_hides_internal_steps_from_proposers(client, build, member_user, unit_user):
    proposal = build.assigned()
    assignment = proposal.assignments.get()
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    workflow.assignment_request_return(
        user=unit_user, assignment_id=assignment.pk, reason="不属于我局职责"
    )
    client.force_login(member_user)
    html = _detail(client, proposal)
    for label in ("新建提案草稿", "提交提案", "提案立案", "交办", "签收"):
        assert label in html, label
    assert "申请退回" not in html
    client.force_login(build.office)
    assert "申请退回" in _detail(client, proposal)


def test_timeline_in_order_with_few_queries(build, member_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.proposals.selectors import proposal_get_for_user
    from apps.proposals.selectors.timeline import proposal_timeline

    proposal = build.evaluated()
    loaded = proposal_get_for_user(user=member_user, proposal_id=proposal.pk)
    proposal_timeline(user=member_user, proposal=loaded, assignments=loaded.all_assignments)
    with CaptureQueriesContext(connection) as captured:
        steps = proposal_timeline(
            user=member_user, proposal=loaded, assignments=loaded.all_assignments
        )
    assert len(captured) == 1
    verbs = [step.verb for step in steps]
    assert verbs[:3] == ["proposal_draft_create", "proposal_submit", "proposal_accept"]
    assert verbs[-1] == "proposal_finish_evaluation"
    assert [s.occurred_at for s in steps] == sorted(s.occurred_at for s in steps)
    assert any(step.unit_name == "市教育局" for step in steps)


def test_other_member_does_not_see_pending_cosigners_or_comments(
    client, build, cosigner_user, other_member_user
):
    proposal = build.evaluated(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    Evaluation.objects.update(comment="评价意见不公开")
    client.force_login(other_member_user)
    html = _detail(client, proposal)
    assert "陈志强" in html  # a confirmed co-signer is public
    assert "评价意见不公开" not in html
    assert "新建提案草稿" not in html  # drafting steps are for the proposal's own people
