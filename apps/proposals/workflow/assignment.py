"""交办: hand an accepted proposal to handling units (单办, 分办, 主办 + 会办) with deadlines."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import NotFound, ValidationFailed
from apps.core.workdays import add_months, add_working_days
from apps.organisation.models import HandlingUnit

from .. import notices
from ..models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Proposal,
    ProposalSettings,
)
from ..selectors.config import proposal_settings_for
from .actions import PROPOSAL
from .common import lock_proposal

OFFICE = Role.PROPOSAL_OFFICE.value
UNIT = Role.HANDLING_UNIT.value
SYSTEM = "system"

R = AssignmentRole


def _check_roles(roles: Sequence[str], *, complete: bool) -> None:
    """The combination of roles on one proposal. `complete` (a new assignment plan) also asks
    for a finished plan: 单办 one unit; 分办 two or more; 主办 one plus one or more 会办."""
    counts = Counter(roles)
    unknown = set(counts) - set(R.values)
    if unknown:
        raise ValidationFailed(_("办理方式只能是单办、分办、主办或会办。"))
    if counts[R.SOLE] and (counts[R.SOLE] > 1 or len(roles) > 1):
        raise ValidationFailed(_("单办只能交给一个承办单位。"))
    if counts[R.SPLIT] and (counts[R.LEAD] or counts[R.CO] or counts[R.SOLE]):
        raise ValidationFailed(_("分办不能与主办、会办或单办混用。"))
    if counts[R.LEAD] > 1:
        raise ValidationFailed(_("主办单位只能有一个。"))
    if complete:
        if not roles:
            raise ValidationFailed(_("请选择承办单位。"))
        if counts[R.SPLIT] == 1:
            raise ValidationFailed(_("分办须交给两个及以上承办单位；只有一个单位请选择单办。"))
        if counts[R.CO] and not counts[R.LEAD]:
            raise ValidationFailed(_("会办单位须配一个主办单位。"))
        if counts[R.LEAD] and not counts[R.CO]:
            raise ValidationFailed(_("主办单位须配至少一个会办单位；只有一个单位请选择单办。"))


def _deadlines(
    role: str, settings: ProposalSettings, today: dt.date
) -> tuple[dt.date, dt.date | None]:
    """(deadline, contact-the-proposer due date) for a new assignment."""
    if role == R.CO:
        return add_months(today, settings.co_unit_opinion_months), None
    return (
        add_months(today, settings.handling_months),
        add_working_days(today, settings.contact_working_days),
    )


def _plan_units(proposal: Proposal, plan: Sequence[tuple[int, str]]) -> dict[int, HandlingUnit]:
    """The plan's units, each once, active and of the proposal's committee."""
    unit_ids = [unit_id for unit_id, _role in plan]
    if len(set(unit_ids)) != len(unit_ids):
        raise ValidationFailed(_("同一承办单位不能重复交办。"))
    units = {
        unit.pk: unit
        for unit in HandlingUnit.objects.filter(
            pk__in=unit_ids, committee_id=proposal.committee_id, is_active=True
        )
    }
    missing = [unit_id for unit_id in unit_ids if unit_id not in units]
    if missing:
        raise ValidationFailed(_("所选承办单位不存在、已停用或不属于本政协组织。"))
    return units


def _create_assignments(
    *, user: User, proposal: Proposal, plan: Sequence[tuple[int, str]]
) -> list[Assignment]:
    units = _plan_units(proposal, plan)
    settings = proposal_settings_for(proposal.committee)
    now = clock.now()
    today = timezone.localdate(now)
    created = []
    for unit_id, role in plan:
        deadline, contact_due = _deadlines(role, settings, today)
        assignment = Assignment.objects.create(
            proposal=proposal,
            committee_id=proposal.committee_id,
            handling_unit=units[unit_id],
            role=role,
            assigned_at=now,
            assigned_by=user,
            deadline=deadline,
            contact_due=contact_due,
        )
        created.append(assignment)
        notices.send(
            recipients=notices.unit_users(unit_id),
            key=f"assignment:{assignment.pk}:assigned",
            title=_("新交办提案（%(role)s）：%(number)s")
            % {"role": assignment.get_role_display(), "number": proposal.number_label},
            body=_("%(title)s\n办理期限：%(deadline)s")
            % {"title": proposal.title, "deadline": f"{deadline:%Y年%m月%d日}"},
            url=notices.assignment_url(assignment.pk),
            committee=proposal.committee,
        )
    return created


@transaction.atomic
def proposal_assign(
    *, user: User, proposal_id: int, plan: Sequence[tuple[int, str]]
) -> list[Assignment]:
    """交办 (已立案 → 已交办): hand the proposal to units, `plan` = [(handling unit id, role)],
    roles 单办 / 分办 / 主办 + 会办. Who: the proposal office. Deadlines from the committee's
    settings (default 3 months; 会办 views 1 month; contact within 15 working days). Unit users
    are told. Returns the new assignments (none when it was already assigned)."""
    proposal = lock_proposal(proposal_id)
    created: list[Assignment] = []

    def fields() -> dict[str, Any]:
        created.extend(_create_assignments(user=user, proposal=proposal, plan=plan))
        return {"assigned_at": clock.now()}

    PROPOSAL.step(
        proposal,
        "assign",
        actor=user,
        role=OFFICE,
        check=lambda: _check_roles([role for _unit, role in plan], complete=True),
        fields=fields,
        data=lambda: {
            "units": [f"{a.handling_unit.name}（{a.get_role_display()}）" for a in created]
        },
    )
    return created


@dataclass(frozen=True)
class PlannedAssignment:
    """One line of what a 交办 would do now: the unit, its role and its deadlines."""

    unit_id: int
    unit_name: str
    role: str
    role_label: str
    deadline: dt.date
    contact_due: dt.date | None


def proposal_assign_preview(
    *, user: User, proposal_id: int, plan: Sequence[tuple[int, str]]
) -> list[PlannedAssignment]:
    """What `proposal_assign` would do with `plan` now, checked as it checks it (who, the
    proposal's state, the roles, the units) without writing anything: the confirmation the
    office sees before 交办."""
    proposal = Proposal.objects.select_related("committee").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("提案不存在。"))
    PROPOSAL.check(user, proposal, "assign")
    _check_roles([role for _unit, role in plan], complete=True)
    units = _plan_units(proposal, plan)
    settings = proposal_settings_for(proposal.committee)
    today = timezone.localdate(clock.now())
    lines = []
    for unit_id, role in plan:
        deadline, contact_due = _deadlines(role, settings, today)
        lines.append(
            PlannedAssignment(
                unit_id=unit_id,
                unit_name=units[unit_id].name,
                role=role,
                role_label=str(R(role).label),
                deadline=deadline,
                contact_due=contact_due,
            )
        )
    return lines


@transaction.atomic
def assignment_add(*, user: User, proposal_id: int, handling_unit_id: int, role: str) -> Assignment:
    """Add a unit to a proposal under handling (re-assignment after a 申退, or a unit the plan
    missed). Who: the proposal office. The roles must still fit together (one 主办, no mixing of
    分办 with 主办/会办, 单办 alone)."""
    proposal = lock_proposal(proposal_id)
    PROPOSAL.check(user, proposal, "add_unit")
    open_roles = list(
        Assignment.objects.filter(proposal=proposal)
        .exclude(status=AssignmentStatus.RETURNED)
        .values_list("role", flat=True)
    )
    _check_roles([*open_roles, role], complete=False)
    (assignment,) = _create_assignments(
        user=user, proposal=proposal, plan=[(handling_unit_id, role)]
    )
    audit_record(
        verb="assignment_add",
        actor=user,
        obj=assignment,
        role=OFFICE,
        to_state=assignment.status,
        data={"proposal": proposal.number_label, "unit": assignment.handling_unit.name},
    )
    return assignment
