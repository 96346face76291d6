"""A unit's part of the handling: sign for receipt, ask to return (申退) within the window,
send 会办 views to the lead. The office decides returns."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.errors import NotFound, ValidationFailed
from apps.core.uploads import check_attachment

from .. import notices
from ..models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CoUnitOpinion,
    Proposal,
)
from ..selectors.config import proposal_settings_for
from .actions import ASSIGNMENT, PROPOSAL
from .common import lock_assignment, lock_proposal
from .replies import complete_handling_if_done

OFFICE = Role.PROPOSAL_OFFICE.value
UNIT = Role.HANDLING_UNIT.value
SYSTEM = "system"

R = AssignmentRole


@transaction.atomic
def assignment_receive(*, user: User, assignment_id: int) -> Assignment:
    """签收 (待签收 → 已签收). Who: users of the assigned unit."""
    assignment = lock_assignment(assignment_id)
    ASSIGNMENT.step(
        assignment,
        "receive",
        actor=user,
        role=UNIT,
        fields=lambda: {"received_at": clock.now(), "received_by_id": user.pk},
    )
    return assignment


def _required_text(text: str, message: str, field: str) -> None:
    if not text.strip():
        raise ValidationFailed(message, extra={"errors": {field: message}})


@transaction.atomic
def assignment_request_return(*, user: User, assignment_id: int, reason: str) -> Assignment:
    """申退: the unit says the proposal is not its business (待签收 / 已签收 → 申退中), with a
    reason, within the window after assignment (default 10 days). Who: users of the assigned
    unit. A unit may not pass the proposal on itself; the office decides. The office is told."""
    assignment = lock_assignment(assignment_id)
    ASSIGNMENT.step(
        assignment,
        "request_return",
        actor=user,
        role=UNIT,
        check=lambda: _required_text(reason, _("请说明申请退回的理由。"), "reason"),
        fields=lambda: {"return_reason": reason.strip(), "return_requested_at": clock.now()},
        notify=lambda a: notices.send(
            recipients=notices.office_users(a.committee_id),
            key=f"assignment:{a.pk}:return-requested",
            title=_("承办单位申请退回：%(unit)s") % {"unit": a.handling_unit.name},
            body=reason.strip(),
            url=notices.assignment_url(a.pk),
            committee=a.committee,
        ),
    )
    return assignment


def _decide_return(*, user: User, assignment_id: int, approve: bool, note: str) -> Assignment:
    proposal_id = (
        Assignment.objects.filter(pk=assignment_id).values_list("proposal_id", flat=True).first()
    )
    if proposal_id is None:
        raise NotFound(_("未找到该交办记录，或您无权查看。"))
    proposal = lock_proposal(proposal_id)
    assignment = lock_assignment(assignment_id)
    verb = "approve_return" if approve else "refuse_return"

    def fields() -> dict[str, Any]:
        now = clock.now()
        changes: dict[str, Any] = {"return_decided_at": now, "return_decision_note": note.strip()}
        if not approve and assignment.received_at is None:
            changes["received_at"] = now
        return changes

    def notify(a: Assignment) -> None:
        title = _("申退已同意：%(number)s") if approve else _("申退未同意，请继续办理：%(number)s")
        notices.send(
            recipients=notices.unit_users(a.handling_unit_id),
            key=f"assignment:{a.pk}:{verb}",
            title=title % {"number": proposal.number_label},
            body=note.strip(),
            url=notices.assignment_url(a.pk),
            committee=proposal.committee,
        )

    moved = ASSIGNMENT.step(assignment, verb, actor=user, role=OFFICE, fields=fields, notify=notify)
    if moved and approve:
        remaining = Assignment.objects.filter(proposal=proposal).exclude(
            status=AssignmentStatus.RETURNED
        )
        if not remaining.exists():
            # The last unit gone: back to 已立案 for a new 交办.
            PROPOSAL.system_step(proposal, "unassign", actor=user)
        else:
            complete_handling_if_done(user=user, proposal=proposal)
    return assignment


@transaction.atomic
def assignment_approve_return(*, user: User, assignment_id: int, note: str = "") -> Assignment:
    """Accept a unit's 申退 (申退中 → 已退回). Who: the proposal office, who then re-assigns
    (assignment_add; when no unit is left the proposal goes back to 已立案 for proposal_assign)."""
    return _decide_return(user=user, assignment_id=assignment_id, approve=True, note=note)


@transaction.atomic
def assignment_refuse_return(*, user: User, assignment_id: int, note: str = "") -> Assignment:
    """Refuse a unit's 申退 (申退中 → 已签收): the unit must handle it. Who: the proposal office."""
    return _decide_return(user=user, assignment_id=assignment_id, approve=False, note=note)


@transaction.atomic
def assignment_submit_opinion(
    *, user: User, assignment_id: int, text: str, upload: Any = None
) -> CoUnitOpinion:
    """A 会办 unit sends its views to the lead unit (已签收 → 已提交会办意见), optionally with a
    file. Who: users of that co-unit. The lead unit's users are told."""
    assignment = lock_assignment(assignment_id)
    created: list[CoUnitOpinion] = []

    def fields() -> dict[str, Any]:
        proposal = Proposal.objects.only("id", "handling_round").get(pk=assignment.proposal_id)
        opinion = CoUnitOpinion(
            assignment=assignment,
            round=proposal.handling_round,
            text=text.strip(),
            submitted_by=user,
            submitted_at=clock.now(),
        )
        if upload is not None:
            checked = check_attachment(upload, proposal_settings_for(assignment.committee))
            opinion.file.save(checked.name, upload, save=False)
            opinion.original_name = checked.name
        opinion.save()
        created.append(opinion)
        return {"completed_at": clock.now()}

    def notify(a: Assignment) -> None:
        number = (
            Proposal.objects.filter(pk=a.proposal_id).values_list("number_label", flat=True).get()
        )
        leads = Assignment.objects.filter(proposal_id=a.proposal_id, role=R.LEAD).exclude(
            status=AssignmentStatus.RETURNED
        )
        for lead in leads:
            notices.send(
                recipients=notices.unit_users(lead.handling_unit_id),
                key=f"assignment:{a.pk}:opinion:{created[0].pk}",
                title=_("会办单位%(unit)s已提交会办意见：%(number)s")
                % {"unit": a.handling_unit.name, "number": number},
                url=notices.assignment_url(lead.pk),
                committee=a.committee,
            )

    moved = ASSIGNMENT.step(
        assignment,
        "submit_opinion",
        actor=user,
        role=UNIT,
        check=lambda: _required_text(text, _("请填写会办意见。"), "text"),
        fields=fields,
        notify=notify,
    )
    if not moved:
        existing = assignment.opinions.order_by("-id").first()
        assert existing is not None
        return existing
    return created[0]
