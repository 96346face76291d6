"""Handling-unit records that are not state changes: contact with the proposer, and deadline
extensions (one request, decided by the office)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update
from apps.core.workdays import add_months

from .. import notices
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
from ..workflow.common import lock_assignment

UNIT = Role.HANDLING_UNIT.value
OFFICE = Role.PROPOSAL_OFFICE.value


def _require_unit(user: User, assignment: Assignment) -> None:
    if not can_handle(user, assignment):
        raise PermissionDenied(_("只有承办该提案的单位可以执行此操作。"))


def _require_office(user: User, assignment: Assignment) -> None:
    if not is_proposal_office(user, assignment.committee_id):
        raise PermissionDenied(_("只有本级提案委员会办公室可以执行此操作。"))


@transaction.atomic
def contact_record_add(
    *, user: User, assignment_id: int, method: str, contact_date: dt.date, note: str = ""
) -> ContactRecord:
    """Record contact with the proposer (面谈 / 座谈 / 电话 / 邮件 / 书信, date, note). Who: users
    of the assigned unit, after signing for receipt. Writes the contact row and an audit event."""
    assignment = lock_assignment(assignment_id)
    _require_unit(user, assignment)
    if assignment.status in (AssignmentStatus.PENDING, AssignmentStatus.RETURNED):
        raise Conflict(_("请先签收后再记录与提案人的联系。"))
    if method not in ContactMethod.values:
        raise ValidationFailed(_("联系方式只能是面谈、座谈、电话、邮件或书信。"))
    refuse_control_characters({"note": (_("联系情况"), note)})
    if contact_date > clock.today():
        raise ValidationFailed(_("联系日期不能晚于今天。"))
    if contact_date < timezone.localdate(assignment.assigned_at):
        raise ValidationFailed(_("联系日期不能早于交办日期。"))
    contact = ContactRecord.objects.create(
        assignment=assignment,
        method=method,
        contact_date=contact_date,
        note=note.strip(),
        recorded_by=user,
    )
    audit_record(
        verb="assignment_contact",
        actor=user,
        obj=assignment,
        role=UNIT,
        data={"method": method, "date": contact_date.isoformat()},
    )
    return contact


EXTENSION_OPEN = (AssignmentStatus.PENDING, AssignmentStatus.RECEIVED)


@transaction.atomic
def assignment_extension_request(*, user: User, assignment_id: int, reason: str) -> Assignment:
    """Ask for the deadline to be extended (default once, by 1 month), with a reason. Who: users
    of the assigned unit, while the proposal is still in their hands. Asking again while a
    request is open changes nothing. The office is told."""
    assignment = lock_assignment(assignment_id)
    _require_unit(user, assignment)
    if assignment.extension_status == ExtensionStatus.REQUESTED:
        return assignment
    if assignment.status not in EXTENSION_OPEN:
        raise Conflict(_("当前状态下不能申请延期。"))
    settings = proposal_settings_for(assignment.committee)
    if assignment.extension_status == ExtensionStatus.REFUSED or (
        assignment.extension_count >= settings.max_extensions
    ):
        raise Conflict(_("每件提案只能申请延期%(count)d次。") % {"count": settings.max_extensions})
    refuse_control_characters({"reason": (_("延期理由"), reason)})
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("请说明申请延期的理由。"))
    previous = assignment.extension_status
    model_update(
        instance=assignment,
        data={
            "extension_status": ExtensionStatus.REQUESTED,
            "extension_reason": reason,
            "extension_requested_at": clock.now(),
        },
        validate=True,
    )
    audit_record(
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
        title=_("承办单位申请延期：%(unit)s") % {"unit": assignment.handling_unit.name},
        body=reason,
        url=notices.assignment_url(assignment.pk),
        committee=assignment.committee,
    )
    return assignment


def _decide_extension(*, user: User, assignment_id: int, approve: bool, note: str) -> Assignment:
    assignment = lock_assignment(assignment_id)
    _require_office(user, assignment)
    target = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    if assignment.extension_status == target:
        return assignment
    if assignment.extension_status != ExtensionStatus.REQUESTED:
        raise Conflict(_("该承办单位没有待审批的延期申请。"))
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
    model_update(instance=assignment, data=fields, validate=False)
    note = note.strip()
    audit_record(
        verb="assignment_extension_approve" if approve else "assignment_extension_refuse",
        actor=user,
        obj=assignment,
        role=OFFICE,
        from_state=previous,
        to_state=target,
        data={
            "old_deadline": old_deadline.isoformat(),
            "new_deadline": assignment.deadline.isoformat(),
            **({"note": note} if note else {}),
        },
    )
    number = (
        Proposal.objects.filter(pk=assignment.proposal_id)
        .values_list("number_label", flat=True)
        .first()
    )
    if approve:
        title = _("延期申请已批准，新的办理期限为%(day)s：%(number)s") % {
            "day": f"{assignment.deadline:%Y年%m月%d日}",
            "number": number,
        }
    else:
        title = _("延期申请未批准，请按期办理：%(number)s") % {"number": number}
    notices.send(
        recipients=notices.unit_users(assignment.handling_unit_id),
        key=f"assignment:{assignment.pk}:extension:{assignment.extension_count}:{target}",
        title=title,
        body=note,
        url=notices.assignment_url(assignment.pk),
        committee=assignment.committee,
    )
    return assignment


@transaction.atomic
def assignment_extension_approve(*, user: User, assignment_id: int, note: str = "") -> Assignment:
    """Approve an extension: the deadline moves on by the committee's extension (default 1
    month), the overdue escalation is reset, the unit is told. Who: the proposal office."""
    return _decide_extension(user=user, assignment_id=assignment_id, approve=True, note=note)


@transaction.atomic
def assignment_extension_refuse(*, user: User, assignment_id: int, note: str = "") -> Assignment:
    """Refuse an extension; no further request is possible; the unit is told. Who: the
    proposal office."""
    return _decide_extension(user=user, assignment_id=assignment_id, approve=False, note=note)
