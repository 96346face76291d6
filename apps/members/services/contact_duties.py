"""Writes for standing contact duties (联系制度)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.organisation.models import Term
from apps.organisation.selectors import committee_ids_visible_to

from ..models import ContactDuty, ContactDutyKind, Membership, MembershipStatus, Party, Position
from ..permissions import can_manage_roster
from ._shared import require_scope


def contact_duty_rule_error(kind: str, contact: Membership, contacted: Membership) -> str | None:
    """A Chinese message if the pair does not fit the kind's rule, else None."""
    if contact.pk == contacted.pk:
        return _("联系人和被联系人不能是同一人。")
    if kind == ContactDutyKind.LEADER_STANDING:
        if not contact.is_leadership:
            return _("主席会议成员联系常委：联系人须为主席、副主席或秘书长。")
        if contacted.position != Position.STANDING:
            return _("主席会议成员联系常委：被联系人须为常委。")
    elif kind == ContactDutyKind.STANDING_MEMBER:
        if not contact.is_standing:
            return _("常委联系委员：联系人须为常委。")
        if contacted.position != Position.MEMBER:
            return _("常委联系委员：被联系人须为委员（非常委）。")
    elif kind == ContactDutyKind.PARTY_NONPARTY:
        if contact.party != Party.CPC:
            return _("党员委员联系党外委员：联系人须为中共党员委员。")
        if contacted.party == Party.CPC:
            return _("党员委员联系党外委员：被联系人须为党外委员。")
    else:
        return _("请选择联系类型。")
    return None


@transaction.atomic
def contact_duty_add(
    *, actor: User, term: Term, kind: str, contact_id: int, contacted_id: int
) -> ContactDuty:
    """Pair two active members of a term under a contact duty kind.

    Who may call: holders of members.manage_roster within their scope. Checks the kind's rule,
    no self-pairing, no duplicates. Writes `contact_duty_add`.
    """
    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有维护联系制度的权限。"))
    require_scope(actor, term.committee_id)
    pair = {
        m.pk: m
        for m in Membership.objects.filter(
            term=term, pk__in=[contact_id, contacted_id], status=MembershipStatus.ACTIVE
        ).select_related("member")
    }
    contact, contacted = pair.get(contact_id), pair.get(contacted_id)
    if contact is None or contacted is None:
        raise ValidationFailed(_("请选择本届在任的委员。"))
    problem = contact_duty_rule_error(kind, contact, contacted)
    if problem:
        raise ValidationFailed(problem)  # translated by contact_duty_rule_error
    if ContactDuty.objects.filter(
        term=term, kind=kind, contact=contact, contacted=contacted
    ).exists():
        raise Conflict(
            _("%(contact)s 已联系 %(contacted)s，不能重复添加。")
            % {"contact": contact.member.name, "contacted": contacted.member.name}
        )
    duty = ContactDuty.objects.create(
        committee_id=term.committee_id, term=term, kind=kind, contact=contact, contacted=contacted
    )
    audit_record(
        verb="contact_duty_add",
        actor=actor,
        obj=duty,
        data={"kind": kind, "contact": contact.pk, "contacted": contacted.pk},
    )
    return duty


@transaction.atomic
def contact_duty_remove(*, actor: User, duty_id: int) -> None:
    """Remove a contact duty. Who may call: members.manage_roster within scope."""
    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有维护联系制度的权限。"))
    duty = (
        ContactDuty.objects.select_for_update()
        .filter(pk=duty_id, committee_id__in=committee_ids_visible_to(actor))
        .select_related("contact__member", "contacted__member")
        .first()
    )
    if duty is None:
        raise NotFound(_("该联系关系不存在或已被删除。"))
    audit_record(
        verb="contact_duty_remove",
        actor=actor,
        obj=duty,
        data={"kind": duty.kind, "contact": duty.contact_id, "contacted": duty.contacted_id},
    )
    duty.delete()
