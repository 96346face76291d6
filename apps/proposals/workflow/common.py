"""Helpers shared by the workflow verbs: row locks, saving changed fields, audit events."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from apps.core.audit import audit_record
from apps.core.errors import NotFound, PermissionDenied

from ..models import Assignment, Proposal, Reply

NO_PERMISSION = "您没有权限执行此操作。"


def lock_proposal(proposal_id: int) -> Proposal:
    """The proposal row, locked for this transaction (FOR UPDATE of that row only), with the
    committee and first proposer loaded for permission checks and audit."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("committee", "first_proposer__member")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise NotFound("未找到该提案，或您无权查看。")
    return proposal


def lock_assignment(assignment_id: int) -> Assignment:
    """The assignment row, locked, with its unit and committee loaded."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("committee", "handling_unit")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound("未找到该交办记录，或您无权查看。")
    return assignment


def lock_reply(reply_id: int) -> Reply:
    reply = Reply.objects.select_for_update(of=("self",)).filter(pk=reply_id).first()
    if reply is None:
        raise NotFound("未找到该答复，或您无权查看。")
    return reply


def require(allowed: bool, message: str = NO_PERMISSION) -> None:
    if not allowed:
        raise PermissionDenied(message)


def save_changed(obj: Model, fields: dict[str, Any]) -> list[str]:
    """Set `fields` on `obj` and save only those that changed (plus updated_at if it has one)."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return changed


def record(
    *,
    verb: str,
    actor: Any,
    obj: Model,
    role: str,
    from_state: str = "",
    to_state: str = "",
    committee: Any = None,
    **data: Any,
) -> None:
    """One audit event for a proposal step, in the caller's transaction."""
    audit_record(
        verb=verb,
        actor=actor,
        obj=obj,
        committee=committee,
        role=role,
        from_state=from_state,
        to_state=to_state,
        data={key: value for key, value in data.items() if value not in (None, "")},
    )


def assignment_step(
    *, user: Any, assignment: Assignment, verb: str, fields: dict[str, Any], role: str, **data: Any
) -> None:
    """Move an assignment: save the changed fields and write its audit event."""
    previous = assignment.status
    save_changed(assignment, fields)
    record(
        verb=f"assignment_{verb}",
        actor=user,
        obj=assignment,
        role=role,
        from_state=previous,
        to_state=assignment.status,
        **data,
    )
