"""The office's and leadership's actions through the pages: each happy path changes the state and
comes back with a Chinese message; an illegal step or bad input shows the proposal again with
the reason or the form's errors (409 / 422) — never a redirect that looks like success, never a
500 — and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.proposals import workflow
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ExcellentStatus,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from tests.factories import HandlingUnitFactory

from .conftest import (
    assignment_of,
    db_state,
    extension_requested,
    fresh,
    messages_of,
    pending_reply,
    refused,
    return_requested,
)

pytestmark = pytest.mark.django_db


def url(name: str, pk: int) -> str:
    return reverse(f"proposals:{name}", args=[pk])


def detail(pk: int) -> str:
    return f"/proposals/{pk}/"


# Review ---------------------------------------------------------------------------------------


def test_accept_issues_a_number_and_returns_to_the_proposal(office, build, category):
    proposal = build.submitted()
    response = office.post(url("office_accept", proposal.pk), {"category": category.pk})
    assert response.status_code == 302
    assert response["Location"] == detail(proposal.pk)
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.number_label
    assert messages_of(response) == [f"已立案，提案号：{proposal.number_label}。"]


def test_accept_may_correct_the_category(office, build, city):
    from apps.proposals.selectors import category_list

    economy = category_list(committee=city).get(name="经济建设")
    proposal = build.submitted()
    office.post(url("office_accept", proposal.pk), {"category": economy.pk, "note": "改为经济类"})
    proposal = fresh(proposal)
    assert proposal.category_id == economy.pk
    assert proposal.review_note == "改为经济类"


def test_accepting_twice_is_harmless(office, build, category):
    proposal = build.accepted()
    number = proposal.number_label
    response = office.post(url("office_accept", proposal.pk), {"category": category.pk})
    assert response.status_code == 302
    assert fresh(proposal).number_label == number


def test_accepting_a_rejected_proposal_is_refused_with_a_message(office, build, category):
    proposal = build.submitted()
    workflow.proposal_reject(user=build.office, proposal_id=proposal.pk, reason="empty")
    before = db_state()
    response = office.post(url("office_accept", proposal.pk), {"category": category.pk})
    body = refused(response, 409)
    assert "提案当前状态为“不立案”，不能立案。" in body
    assert 'id="office-panel"' in body  # the proposal again, with the reason on top
    assert db_state() == before


def test_reject_with_reason_and_explanation(office, build):
    proposal = build.submitted()
    response = office.post(
        url("office_reject", proposal.pk),
        {"reason": "private", "note": "属个人事务，建议通过信访渠道反映。"},
    )
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.rejection_reason == "private"
    assert proposal.review_note == "属个人事务，建议通过信访渠道反映。"
    assert messages_of(response) == ["已作不予立案处理（个人或家庭私事），并已告知提案人。"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"note": "说明"}, ("reason", "请选择不立案理由。")),
        ({"reason": "empty"}, ("note", "请填写具体说明，告知提案人不立案的原因。")),
        ({"reason": "nonsense", "note": "说明"}, ("reason", "选择一个有效的选项")),
    ],
)
def test_reject_without_a_reason_is_a_form_error(office, build, data, error):
    """The panel's 不予立案 form comes back open, with the error beside its field."""
    proposal = build.submitted()
    field, message = error
    before = db_state()
    body = refused(office.post(url("office_reject", proposal.pk), data), 422)
    assert f'<div class="invalid-feedback d-block" id="reject-{field}_error">{message}' in body
    assert '<details class="border rounded p-3 mb-3" open>' in body
    assert db_state() == before


def test_transfer_of_a_submitted_proposal_needs_a_reason(office, build):
    proposal = build.submitted()
    response = office.post(url("office_transfer", proposal.pk), {"target": "suggestion"})
    assert 'id="transfer-reason_error">请选择不立案理由' in refused(response, 422)
    assert fresh(proposal).status == ProposalStatus.SUBMITTED
    response = office.post(
        url("office_transfer", proposal.pk), {"target": "suggestion", "reason": "academic"}
    )
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.TRANSFER_PENDING
    assert proposal.transfer_to == "suggestion"
    assert messages_of(response) == ["已建议转为意见建议，正在征求提案人同意。"]


def test_transfer_after_rejection_keeps_the_reason(office, build):
    proposal = build.submitted()
    workflow.proposal_reject(user=build.office, proposal_id=proposal.pk, reason="promotion")
    office.post(url("office_transfer", proposal.pk), {"target": "social_opinion"})
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.TRANSFER_PENDING
    assert proposal.rejection_reason == "promotion"


def test_merge_search_by_number_and_merge(office, build):
    lead = build.accepted(title="关于普惠托育机构建设的建议")
    proposal = build.submitted(title="关于托育服务的建议")
    response = office.get(url("office_merge", proposal.pk), {"q": lead.number_label})
    body = response.content.decode()
    assert f'value="{lead.pk}"' in body
    assert "<html" in body  # the full page without htmx
    partial = office.get(
        url("office_merge", proposal.pk), {"q": "普惠托育机构"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<div id="merge-candidates"')
    assert f'value="{lead.pk}"' in partial
    response = office.post(url("office_merge", proposal.pk), {"into": lead.pk, "note": "同题"})
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.MERGED
    assert proposal.merged_into_id == lead.pk
    assert messages_of(response)[0].startswith(f"已并入{lead.number_label}办理")


def test_merge_into_itself_or_an_unaccepted_one_is_refused(office, build):
    proposal = build.submitted()
    other = build.submitted(title="关于另一件提案的建议")
    before = db_state()
    response = office.post(url("office_merge", proposal.pk), {"into": proposal.pk})
    assert "提案不能并入自身。" in refused(response, 409)
    response = office.post(url("office_merge", proposal.pk), {"into": other.pk})
    assert "主提案须为已立案或已交办的提案。" in refused(response, 409)
    response = office.post(url("office_merge", proposal.pk), {})
    assert "请选择要并入的主提案" in refused(response, 422)
    assert db_state() == before


def test_merge_into_a_missing_proposal_is_a_404(office, build):
    proposal = build.submitted()
    response = office.post(url("office_merge", proposal.pk), {"into": 999999})
    assert response.status_code == 404
    assert fresh(proposal).status == ProposalStatus.SUBMITTED


# Assignment ----------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_assign_lead_and_co_units_with_deadlines(office, build, health_unit):
    proposal = build.accepted()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {"mode": "lead_co", "unit": build.unit_id, "others": [health_unit.pk], "confirm": "1"},
    )
    assert response.status_code == 302
    assert fresh(proposal).status == ProposalStatus.ASSIGNED
    lead, co = Assignment.objects.filter(proposal=proposal).order_by("id")
    assert (lead.handling_unit_id, lead.role) == (build.unit_id, AssignmentRole.LEAD)
    assert (co.handling_unit_id, co.role) == (health_unit.pk, AssignmentRole.CO)
    assert lead.deadline == dt.date(2026, 6, 2)  # 3 months
    assert co.deadline == dt.date(2026, 4, 2)  # views to the lead within 1 month
    assert lead.contact_due is not None and co.contact_due is None
    assert messages_of(response) == [
        "已交办：市教育局（主办）、市卫生健康委员会（会办）；办理期限至2026年6月2日。"
    ]


def test_assign_split_between_units(office, build, health_unit):
    proposal = build.accepted()
    office.post(
        url("office_assign_proposal", proposal.pk),
        {"mode": "split", "unit": build.unit_id, "others": [health_unit.pk], "confirm": "1"},
    )
    roles = set(Assignment.objects.filter(proposal=proposal).values_list("role", flat=True))
    assert roles == {AssignmentRole.SPLIT}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"mode": "sole"}, "请选择承办单位"),
        ({"mode": "sole", "unit": "EDU", "others": ["HEALTH"]}, "单办只交给一个单位"),
        ({"mode": "lead_co", "unit": "EDU"}, "主办 + 会办须选择至少一个会办单位"),
        ({"mode": "split", "unit": "EDU"}, "分办须再选择至少一个分办单位"),
    ],
)
def test_assign_form_errors_change_nothing(office, build, health_unit, data, error):
    ids = {"EDU": build.unit_id, "HEALTH": health_unit.pk}
    data = {
        key: [ids[v] for v in value] if isinstance(value, list) else ids.get(value, value)
        for key, value in data.items()
    }
    proposal = build.accepted()
    before = db_state()
    body = refused(office.post(url("office_assign_proposal", proposal.pk), data), 422)
    assert error in body
    assert "data-assign-form" in body  # the 交办 form again, with its errors
    assert db_state() == before


def test_assign_a_unit_of_another_committee_is_refused(office, build, district):
    foreign = HandlingUnitFactory(committee=district, name="历下区教育局")
    proposal = build.accepted()
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk), {"mode": "sole", "unit": foreign.pk}
    )
    assert f'id="assign-units-error-{proposal.pk}"' in refused(response, 422)
    assert db_state() == before


def test_assigning_a_submitted_proposal_is_an_illegal_step(office, build):
    proposal = build.submitted()
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {"mode": "sole", "unit": build.unit_id, "confirm": "1"},
    )
    assert "提案当前状态为“已提交”，不能交办。" in refused(response, 409)
    assert db_state() == before


def test_board_assigns_a_row_in_place(office, build, health_unit):
    proposal = build.accepted()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {
            "board": "1",
            "mode": "lead_co",
            "unit": build.unit_id,
            "others": [health_unit.pk],
            "confirm": "1",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="card mb-2" id="board-row-{proposal.pk}"')
    assert "已交办：" in body and "市卫生健康委员会（会办" in body
    assert fresh(proposal).status == ProposalStatus.ASSIGNED
    assert not messages_of(response)  # the row says it; no message left for the next page


def test_board_row_shows_errors_in_place(office, build):
    proposal = build.accepted()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {"board": "1", "mode": "split", "unit": build.unit_id},
        headers={"HX-Request": "true"},
    )
    body = refused(response, 422)  # swapped in place (base.html's htmx responseHandling)
    assert body.lstrip().startswith(
        f'<li class="card mb-2 border-primary" id="board-row-{proposal.pk}"'
    )
    assert "分办须再选择至少一个分办单位" in body
    assert "未能交办，请按提示修改。" in body
    assert fresh(proposal).status == ProposalStatus.ACCEPTED


def test_board_row_shows_a_refusal_in_place(office, build):
    proposal = build.accepted()
    workflow.proposal_assign(
        user=build.office, proposal_id=proposal.pk, plan=[(build.unit_id, "sole")]
    )
    before = db_state()
    response = office.post(
        url("office_assign_proposal", proposal.pk),
        {"board": "1", "mode": "sole", "unit": build.unit_id, "confirm": "1"},
        headers={"HX-Request": "true"},
    )
    body = refused(response, 200)  # already assigned: a harmless no-op, the row says so
    assert "已交办：" in body
    assert db_state() == before


def test_add_a_unit_after_a_return(office, build, health_unit):
    """主办 + 会办; the co-unit's 申退 is accepted; the office adds another co-unit."""
    proposal = build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    finance = HandlingUnitFactory(committee=health_unit.committee, name="市财政局")
    response = office.post(url("office_add_unit", proposal.pk), {"unit": finance.pk, "role": "co"})
    assert messages_of(response)[0].startswith("已追加承办单位：市财政局（会办）")
    before = db_state()
    response = office.post(
        url("office_add_unit", proposal.pk), {"unit": finance.pk, "role": "lead"}
    )
    assert "主办单位只能有一个。" in refused(response, 422)
    assert db_state() == before
    assert Assignment.objects.filter(proposal=proposal).count() == 3


# Returns and extensions -----------------------------------------------------------------------


def test_return_queue_approve_then_reassign(office, build, health_unit):
    assignment = return_requested(build)
    queue = reverse("proposals:office_returns")
    page = office.get(queue).content.decode()
    assert "该事项属于卫生健康部门职责。" in page
    assert url("office_return_approve", assignment.pk) in page
    response = office.post(
        url("office_return_approve", assignment.pk), {"note": "同意", "next": queue}
    )
    assert response["Location"] == queue
    assert messages_of(response) == ["已同意市教育局退回，请为该提案重新交办或追加承办单位。"]
    assert fresh(assignment.proposal).status == ProposalStatus.ACCEPTED  # no unit left
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.RETURNED
    office.post(
        url("office_assign_proposal", assignment.proposal_id),
        {"mode": "sole", "unit": health_unit.pk, "confirm": "1"},
    )
    assert fresh(assignment.proposal).status == ProposalStatus.ASSIGNED
    assert assignment_of(assignment.proposal).status == AssignmentStatus.RETURNED
    assert Assignment.objects.filter(
        proposal_id=assignment.proposal_id, handling_unit=health_unit
    ).exists()


def test_return_queue_refuse(office, build):
    assignment = return_requested(build)
    queue = reverse("proposals:office_returns")
    response = office.post(url("office_return_refuse", assignment.pk), {"next": queue})
    assert response["Location"] == queue
    assert messages_of(response) == ["已不同意市教育局退回，该单位须继续办理。"]
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.RECEIVED
    # Deciding again is an illegal step: the proposal with the reason, nothing changes.
    before = db_state()
    response = office.post(url("office_return_approve", assignment.pk))
    assert "交办事项当前状态为“已签收”，不能同意退回。" in refused(response, 409)
    assert db_state() == before
    # From the queue page: the error page, with the way back to the queue.
    response = office.post(url("office_return_approve", assignment.pk), {"next": queue})
    body = refused(response, 409)
    assert "交办事项当前状态为“已签收”，不能同意退回。" in body
    assert f'href="{queue}"' in body
    assert db_state() == before


def test_unsafe_next_is_ignored(office, build):
    assignment = return_requested(build)
    response = office.post(
        url("office_return_refuse", assignment.pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == detail(assignment.proposal_id)


def test_extension_approve_moves_the_deadline(office, build):
    assignment = extension_requested(build)
    before = assignment.deadline
    response = office.post(url("office_extension_approve", assignment.pk))
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert assignment.extension_status == "approved"
    assert assignment.deadline > before
    assert messages_of(response) == ["已批准市教育局的延期申请。"]
    before = db_state()
    response = office.post(url("office_extension_refuse", assignment.pk))
    assert "该承办单位没有待审批的延期申请。" in refused(response, 409)
    assert db_state() == before


def test_extension_queue_lists_requests(office, build):
    extension_requested(build)
    page = office.get(reverse("proposals:office_extensions")).content.decode()
    assert "需要与财政部门协调资金。" in page


# Replies -------------------------------------------------------------------------------------


def test_reply_approve_releases_to_the_proposer(office, build, client, member_user):
    reply = pending_reply(build)
    proposal = reply.assignment.proposal
    client.force_login(member_user)
    assert "纳入明年民生实事项目" not in client.get(detail(proposal.pk)).content.decode()
    client.force_login(build.office)
    response = client.post(url("office_reply_approve", reply.pk))
    assert messages_of(response) == ["答复已审核通过并送达提案人，提案进入评价阶段。"]
    assert Reply.objects.get(pk=reply.pk).review_status == ReplyReview.APPROVED
    assert fresh(proposal).status == ProposalStatus.REPLIED
    assert OutboxMessage.objects.filter(
        recipient=member_user, key__startswith=f"proposal:{proposal.pk}:rating:"
    ).exists()
    client.force_login(member_user)
    assert "纳入明年民生实事项目" in client.get(detail(proposal.pk)).content.decode()


def test_reply_approve_with_another_unit_still_answering(office, build, health_unit):
    proposal = build.assigned(plan=[(build.unit_id, "split"), (health_unit.pk, "split")])
    assignment = Assignment.objects.get(proposal=proposal, handling_unit_id=build.unit_id)
    workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    from tests.proposals.conftest import upload

    reply = workflow.assignment_submit_reply(
        user=build.unit,
        assignment_id=assignment.pk,
        text="分办答复",
        result_class="B",
        letter=upload("答复函.pdf"),
    )
    response = office.post(url("office_reply_approve", reply.pk))
    assert messages_of(response) == ["答复已审核通过；其他承办单位答复后将一并送达提案人。"]
    assert fresh(proposal).status == ProposalStatus.ASSIGNED


def test_reply_reject_needs_a_reason(office, build):
    reply = pending_reply(build)
    before = db_state()
    response = office.post(url("office_reply_reject", reply.pk), {"reason": "  "})
    assert "请填写驳回理由" in refused(response, 422)
    assert db_state() == before
    queue = reverse("proposals:office_replies")
    response = office.post(
        url("office_reply_reject", reply.pk), {"reason": "未逐条回应建议。", "next": queue}
    )
    assert response["Location"] == queue
    reply = Reply.objects.get(pk=reply.pk)
    assert reply.review_status == ReplyReview.REJECTED
    assert reply.review_reason == "未逐条回应建议。"
    assert assignment_of(reply.assignment.proposal).status == AssignmentStatus.RECEIVED
    # A rejected reply cannot be approved afterwards.
    response = office.post(url("office_reply_approve", reply.pk))
    assert "该答复已被驳回，请审核承办单位重新提交的答复。" in refused(response, 409)
    assert Reply.objects.get(pk=reply.pk).review_status == ReplyReview.REJECTED


def test_reply_review_queue_shows_the_reply(office, build):
    reply = pending_reply(build)
    page = office.get(reverse("proposals:office_replies")).content.decode()
    assert "纳入明年民生实事项目" in page
    assert url("office_reply_approve", reply.pk) in page


# Close, key, excellent ---------------------------------------------------------------------


def test_close_only_after_evaluation(office, build):
    replied = build.replied()
    before = db_state()
    response = office.post(url("office_close", replied.pk))
    assert "提案当前状态为“已办复”，不能办结。" in refused(response, 409)
    assert db_state() == before
    evaluated = build.evaluated(title="关于已评价提案的建议")
    response = office.post(url("office_close", evaluated.pk), {"note": "办结"})
    assert messages_of(response) == ["提案已办结。"]
    assert fresh(evaluated).status == ProposalStatus.CLOSED


def test_leadership_marks_a_key_proposal(leader, build, leader_user):
    proposal = build.accepted()
    response = leader.post(url("key_mark", proposal.pk), {"leader": leader_user.pk, "mode": "lead"})
    assert messages_of(response) == ["已列为重点提案。"]
    proposal = fresh(proposal)
    assert proposal.is_key and proposal.supervising_leader_id == leader_user.pk
    assert proposal.supervision_mode == "lead"
    response = leader.post(url("key_unmark", proposal.pk))
    assert messages_of(response) == ["已取消重点提案。"]
    assert not fresh(proposal).is_key


def test_key_mark_errors(leader, build, member_user):
    submitted = build.submitted()
    before = db_state()
    response = leader.post(url("key_mark", submitted.pk), {"leader": 1, "mode": "lead"})
    # The panel offers no 重点 form for a submitted proposal: the form's errors as the message.
    assert "督办领导：选择一个有效的选项" in refused(response, 422)
    accepted = build.accepted(title="关于另一件的建议")
    before = db_state()
    response = leader.post(
        url("key_mark", accepted.pk), {"leader": member_user.pk, "mode": "supervise"}
    )
    assert 'id="key-leader_error"' in refused(response, 422)  # not a leader of this committee
    assert db_state() == before


def test_key_mark_of_a_submitted_proposal_is_illegal(leader, build, leader_user):
    submitted = build.submitted()
    before = db_state()
    response = leader.post(
        url("key_mark", submitted.pk), {"leader": leader_user.pk, "mode": "supervise"}
    )
    assert "只有已立案并单独办理的提案可以标记" in refused(response, 409)
    assert db_state() == before


def test_office_nominates_and_leadership_selects(client, build, proposal_staff_user, leader_user):
    proposal = build.accepted()
    client.force_login(proposal_staff_user)
    response = client.post(url("office_nominate", proposal.pk), {"year": 2026, "note": "调研扎实"})
    assert messages_of(response) == ["已推荐为2026年度优秀提案候选，待主席会议评选。"]
    client.force_login(leader_user)
    page = client.get(reverse("proposals:key"), {"tab": "excellent", "year": 2026})
    assert url("key_excellent", proposal.pk) in page.content.decode()
    response = client.post(url("key_excellent", proposal.pk), {"decision": "select"})
    assert messages_of(response) == ["已评为优秀提案。"]
    assert fresh(proposal).excellent_status == ExcellentStatus.SELECTED
    client.force_login(proposal_staff_user)
    before = db_state()
    response = client.post(url("office_nominate", proposal.pk), {"year": 2026})
    assert "该提案已评为优秀提案。" in refused(response, 409)
    assert db_state() == before


def test_select_without_nomination_is_refused(leader, build):
    proposal = build.accepted()
    before = db_state()
    response = leader.post(url("key_excellent", proposal.pk), {"decision": "decline"})
    assert "只能评选已推荐的提案。" in refused(response, 409)
    assert db_state() == before


def test_missing_rows_are_404(office):
    for name in ("office_accept", "office_merge", "office_close", "key_mark"):
        assert office.post(url(name, 999999)).status_code in (403, 404)
    for name in ("office_return_approve", "office_extension_approve", "office_reply_approve"):
        assert office.post(url(name, 999999)).status_code == 404


def test_panel_follows_the_state(office, build, health_unit):
    """The detail page offers only what the state allows."""
    submitted = build.submitted()
    body = office.get(detail(submitted.pk)).content.decode()
    assert url("office_accept", submitted.pk) in body
    assert url("office_assign_proposal", submitted.pk) not in body
    accepted = build.accepted(title="关于已立案的建议")
    body = office.get(detail(accepted.pk)).content.decode()
    assert url("office_accept", accepted.pk) not in body
    assert url("office_assign_proposal", accepted.pk) in body
    assert "办理期限3个月" in body
    reply = pending_reply(build, title="关于答复待审的建议")
    body = office.get(detail(reply.assignment.proposal_id)).content.decode()
    assert url("office_reply_approve", reply.pk) in body
    assert url("office_add_unit", reply.assignment.proposal_id) in body
    evaluated = build.evaluated(title="关于已评价的建议")
    body = office.get(detail(evaluated.pk)).content.decode()
    assert url("office_close", evaluated.pk) in body


def test_audit_events_are_written_through_the_workflow(office, build, category):
    proposal = build.submitted()
    office.post(url("office_accept", proposal.pk), {"category": category.pk})
    event = AuditEvent.objects.filter(verb="proposal_accept").latest("id")
    assert event.actor_id == build.office.pk


def test_nothing_is_500_on_garbage(office, build):
    proposal = build.accepted()
    before = db_state()
    for name, data in [
        ("office_assign_proposal", {"mode": "zzz", "unit": "abc"}),
        ("office_add_unit", {"unit": "x", "role": "boss"}),
        ("office_nominate", {"year": "abc"}),
        ("office_transfer", {"target": "moon"}),
    ]:
        body = refused(office.post(url(name, proposal.pk), data), 422)
        assert "alert-danger" in body or "invalid-feedback" in body, name
    assert db_state() == before
