"""A unit's part of the handling: sign for receipt, ask to return (申退) within the window,
send 会办 views to the lead. The office decides returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.errors import Conflict, NotFound, ValidationFailed

from .. import clock, notices
from ..files import check_upload
from ..models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CoUnitOpinion,
    Proposal,
    ProposalSettings,
    ProposalStatus,
)
from ..permissions import can_handle, can_review
from ..selectors.config import proposal_settings_for
from .common import (
    assignment_step,
    lock_assignment,
    lock_proposal,
    record,
    require,
    save_changed,
)
from .replies import complete_handling_if_done
from .table import assignment_transition_needed, proposal_transition_needed

OFFICE = Role.PROPOSAL_OFFICE.value
UNIT = Role.HANDLING_UNIT.value
SYSTEM = "system"

R = AssignmentRole


@transaction.atomic
def assignment_receive(*, user: Any, assignment_id: int) -> Assignment:
    """签收 (待签收 → 已签收). Who: users of the assigned unit."""
    assignment = lock_assignment(assignment_id)
    require(can_handle(user, assignment))
    if not assignment_transition_needed("receive", assignment.status):
        return assignment
    assignment_step(
        user=user,
        assignment=assignment,
        verb="receive",
        role=UNIT,
        fields={
            "status": AssignmentStatus.RECEIVED,
            "received_at": clock.now(),
            "received_by_id": user.pk,
        },
    )
    return assignment


def return_deadline(assignment: Assignment, settings: ProposalSettings) -> dt.date:
    """The last day a unit may ask to return the assignment (交办 + N days, default 10)."""
    return timezone.localdate(assignment.assigned_at) + dt.timedelta(
        days=settings.return_window_days
    )


@transaction.atomic
def assignment_request_return(*, user: Any, assignment_id: int, reason: str) -> Assignment:
    """申退: the unit says the proposal is not its business (待签收 / 已签收 → 申退中), with a
    reason, within the window after assignment (default 10 days). Who: users of the assigned
    unit. A unit may not pass the proposal on itself; the office decides. The office is told."""
    assignment = lock_assignment(assignment_id)
    require(can_handle(user, assignment))
    if not assignment_transition_needed("request_return", assignment.status):
        return assignment
    if not reason.strip():
        raise ValidationFailed("请说明申请退回的理由。")
    settings = proposal_settings_for(assignment.committee)
    last_day = return_deadline(assignment, settings)
    if clock.today() > last_day:
        raise Conflict(
            f"已超过申退期限（交办后{settings.return_window_days}日内，"
            f"即{last_day:%Y年%m月%d日}前），请按期办理或与提案委员会办公室联系。"
        )
    assignment_step(
        user=user,
        assignment=assignment,
        verb="request_return",
        role=UNIT,
        fields={
            "status": AssignmentStatus.RETURN_REQUESTED,
            "return_reason": reason.strip(),
            "return_requested_at": clock.now(),
        },
    )
    notices.send(
        recipients=notices.office_users(assignment.committee_id),
        key=f"assignment:{assignment.pk}:return-requested",
        title=f"承办单位申请退回：{assignment.handling_unit.name}",
        body=reason.strip(),
        url=notices.assignment_url(assignment.pk),
        committee=assignment.committee,
    )
    return assignment


def _decide_return(*, user: Any, assignment_id: int, approve: bool, note: str) -> Assignment:
    proposal_id = (
        Assignment.objects.filter(pk=assignment_id).values_list("proposal_id", flat=True).first()
    )
    if proposal_id is None:
        raise NotFound("未找到该交办记录，或您无权查看。")
    proposal = lock_proposal(proposal_id)
    assignment = lock_assignment(assignment_id)
    require(can_review(user, proposal))
    verb = "approve_return" if approve else "refuse_return"
    if not assignment_transition_needed(verb, assignment.status):
        return assignment
    now = clock.now()
    fields: dict[str, Any] = {"return_decided_at": now, "return_decision_note": note.strip()}
    if approve:
        fields["status"] = AssignmentStatus.RETURNED
    else:
        fields["status"] = AssignmentStatus.RECEIVED
        if assignment.received_at is None:
            fields["received_at"] = now
    assignment_step(user=user, assignment=assignment, verb=verb, role=OFFICE, fields=fields)
    notices.send(
        recipients=notices.unit_users(assignment.handling_unit_id),
        key=f"assignment:{assignment.pk}:{verb}",
        title=("申退已同意：" if approve else "申退未同意，请继续办理：") + proposal.number_label,
        body=note.strip(),
        url=notices.assignment_url(assignment.pk),
        committee=proposal.committee,
    )
    if approve:
        remaining = Assignment.objects.filter(proposal=proposal).exclude(
            status=AssignmentStatus.RETURNED
        )
        if not remaining.exists():
            if proposal_transition_needed("unassign", proposal.status):
                previous = proposal.status
                save_changed(proposal, {"status": ProposalStatus.ACCEPTED})
                record(
                    verb="proposal_unassign",
                    actor=user,
                    obj=proposal,
                    role=SYSTEM,
                    from_state=previous,
                    to_state=proposal.status,
                )
        else:
            complete_handling_if_done(user=user, proposal=proposal)
    return assignment


@transaction.atomic
def assignment_approve_return(*, user: Any, assignment_id: int, note: str = "") -> Assignment:
    """Accept a unit's 申退 (申退中 → 已退回). Who: the proposal office, who then re-assigns
    (assignment_add; when no unit is left the proposal goes back to 已立案 for proposal_assign)."""
    return _decide_return(user=user, assignment_id=assignment_id, approve=True, note=note)


@transaction.atomic
def assignment_refuse_return(*, user: Any, assignment_id: int, note: str = "") -> Assignment:
    """Refuse a unit's 申退 (申退中 → 已签收): the unit must handle it. Who: the proposal office."""
    return _decide_return(user=user, assignment_id=assignment_id, approve=False, note=note)


@transaction.atomic
def assignment_submit_opinion(
    *, user: Any, assignment_id: int, text: str, upload: Any = None
) -> CoUnitOpinion:
    """A 会办 unit sends its views to the lead unit (已签收 → 已提交会办意见), optionally with a
    file. Who: users of that co-unit. The lead unit's users are told."""
    assignment = lock_assignment(assignment_id)
    require(can_handle(user, assignment))
    if assignment.role != R.CO:
        raise Conflict("只有会办单位需要提交会办意见；主办、单办、分办单位请提交答复。")
    if not assignment_transition_needed("submit_opinion", assignment.status):
        existing = assignment.opinions.order_by("-id").first()
        assert existing is not None
        return existing
    if not text.strip():
        raise ValidationFailed("请填写会办意见。")
    proposal = Proposal.objects.only("id", "handling_round", "number_label").get(
        pk=assignment.proposal_id
    )
    opinion = CoUnitOpinion(
        assignment=assignment,
        round=proposal.handling_round,
        text=text.strip(),
        submitted_by=user,
        submitted_at=clock.now(),
    )
    if upload is not None:
        checked = check_upload(upload, proposal_settings_for(assignment.committee))
        opinion.file.save(checked.name, upload, save=False)
        opinion.original_name = checked.name
    opinion.save()
    assignment_step(
        user=user,
        assignment=assignment,
        verb="submit_opinion",
        role=UNIT,
        fields={"status": AssignmentStatus.OPINION_SUBMITTED, "completed_at": clock.now()},
    )
    leads = Assignment.objects.filter(proposal_id=assignment.proposal_id, role=R.LEAD).exclude(
        status=AssignmentStatus.RETURNED
    )
    for lead in leads:
        notices.send(
            recipients=notices.unit_users(lead.handling_unit_id),
            key=f"assignment:{assignment.pk}:opinion:{opinion.pk}",
            title=f"会办单位{assignment.handling_unit.name}已提交会办意见：{proposal.number_label}",
            url=notices.assignment_url(lead.pk),
            committee=assignment.committee,
        )
    return opinion
