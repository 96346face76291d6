"""Handling-unit records that are not state changes: contact with the proposer, and deadline
extensions (one request, decided by the office)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.errors import Conflict, ValidationFailed
from apps.core.workdays import add_months

from .. import clock, notices
from ..models import (
    Assignment,
    AssignmentStatus,
    ContactMethod,
    ContactRecord,
    ExtensionStatus,
    Proposal,
)
from ..permissions import can_handle, is_proposal_office
from ..selectors.config import proposal_settings_for
from ..workflow.common import lock_assignment, record, require, save_changed

UNIT = Role.HANDLING_UNIT.value
OFFICE = Role.PROPOSAL_OFFICE.value


@transaction.atomic
def contact_record_add(
    *, user: Any, assignment_id: int, method: str, contact_date: dt.date, note: str = ""
) -> ContactRecord:
    """Record contact with the proposer (面谈 / 座谈 / 电话 / 邮件 / 书信, date, note). Who: users
    of the assigned unit, after signing for receipt."""
    assignment = lock_assignment(assignment_id)
    require(can_handle(user, assignment))
    if assignment.status in (AssignmentStatus.PENDING, AssignmentStatus.RETURNED):
        raise Conflict("请先签收后再记录与提案人的联系。")
    if method not in ContactMethod.values:
        raise ValidationFailed("联系方式只能是面谈、座谈、电话、邮件或书信。")
    today = clock.today()
    if contact_date > today:
        raise ValidationFailed("联系日期不能晚于今天。")
    if contact_date < timezone.localdate(assignment.assigned_at):
        raise ValidationFailed("联系日期不能早于交办日期。")
    contact = ContactRecord.objects.create(
        assignment=assignment,
        method=method,
        contact_date=contact_date,
        note=note.strip(),
        recorded_by=user,
    )
    record(
        verb="assignment_contact",
        actor=user,
        obj=assignment,
        role=UNIT,
        method=method,
        date=contact_date.isoformat(),
    )
    return contact


EXTENSION_OPEN = (AssignmentStatus.PENDING, AssignmentStatus.RECEIVED)


@transaction.atomic
def assignment_extension_request(*, user: Any, assignment_id: int, reason: str) -> Assignment:
    """Ask for the deadline to be extended (default once, by 1 month), with a reason. Who: users
    of the assigned unit, while the proposal is still in their hands. The office is told."""
    assignment = lock_assignment(assignment_id)
    require(can_handle(user, assignment))
    if assignment.extension_status == ExtensionStatus.REQUESTED:
        return assignment
    if assignment.status not in EXTENSION_OPEN:
        raise Conflict("当前状态下不能申请延期。")
    settings = proposal_settings_for(assignment.committee)
    if assignment.extension_status == ExtensionStatus.REFUSED or (
        assignment.extension_count >= settings.max_extensions
    ):
        raise Conflict(f"每件提案只能申请延期{settings.max_extensions}次。")
    if not reason.strip():
        raise ValidationFailed("请说明申请延期的理由。")
    previous = assignment.extension_status
    save_changed(
        assignment,
        {
            "extension_status": ExtensionStatus.REQUESTED,
            "extension_reason": reason.strip(),
            "extension_requested_at": clock.now(),
        },
    )
    record(
        verb="assignment_extension_request",
        actor=user,
        obj=assignment,
        role=UNIT,
        from_state=previous,
        to_state=assignment.extension_status,
    )
    notices.send(
        recipients=notices.office_users(assignment.committee_id),
        key=f"assignment:{assignment.pk}:extension:{assignment.extension_count + 1}",
        title=f"承办单位申请延期：{assignment.handling_unit.name}",
        body=reason.strip(),
        url=notices.assignment_url(assignment.pk),
        committee=assignment.committee,
    )
    return assignment


def _decide_extension(*, user: Any, assignment_id: int, approve: bool, note: str) -> Assignment:
    assignment = lock_assignment(assignment_id)
    require(is_proposal_office(user, assignment.committee_id))
    target = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    if assignment.extension_status == target:
        return assignment
    if assignment.extension_status != ExtensionStatus.REQUESTED:
        raise Conflict("该承办单位没有待审批的延期申请。")
    settings = proposal_settings_for(assignment.committee)
    fields: dict[str, Any] = {
        "extension_status": target,
        "extension_decided_at": clock.now(),
    }
    if approve:
        fields["deadline"] = add_months(assignment.deadline, settings.extension_months)
        fields["extension_count"] = assignment.extension_count + 1
        fields["overdue_escalated_at"] = None
    previous = assignment.extension_status
    old_deadline = assignment.deadline
    save_changed(assignment, fields)
    record(
        verb="assignment_extension_approve" if approve else "assignment_extension_refuse",
        actor=user,
        obj=assignment,
        role=OFFICE,
        from_state=previous,
        to_state=target,
        old_deadline=old_deadline.isoformat(),
        new_deadline=assignment.deadline.isoformat(),
        note=note.strip(),
    )
    number = (
        Proposal.objects.filter(pk=assignment.proposal_id)
        .values_list("number_label", flat=True)
        .first()
    )
    notices.send(
        recipients=notices.unit_users(assignment.handling_unit_id),
        key=f"assignment:{assignment.pk}:extension:{assignment.extension_count}:{target}",
        title=(
            f"延期申请已批准，新的办理期限为{assignment.deadline:%Y年%m月%d日}：{number}"
            if approve
            else f"延期申请未批准，请按期办理：{number}"
        ),
        body=note.strip(),
        url=notices.assignment_url(assignment.pk),
        committee=assignment.committee,
    )
    return assignment


@transaction.atomic
def assignment_extension_approve(*, user: Any, assignment_id: int, note: str = "") -> Assignment:
    """Approve an extension: the deadline moves on by the committee's extension (default 1
    month). Who: the proposal office."""
    return _decide_extension(user=user, assignment_id=assignment_id, approve=True, note=note)


@transaction.atomic
def assignment_extension_refuse(*, user: Any, assignment_id: int, note: str = "") -> Assignment:
    """Refuse an extension; no further request is possible. Who: the proposal office."""
    return _decide_extension(user=user, assignment_id=assignment_id, approve=False, note=note)
