"""Writes for the conveners (召集人) of parties, people's organisations, sectors, member groups and
special committees, who may file collective proposals (集体提案) in their body's name."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.inputs import control_character_in, control_character_message
from apps.organisation.models import MemberGroup, SpecialCommittee, Term
from apps.organisation.selectors import committee_ids_visible_to
from apps.sectors.models import Sector

from ..models import (
    COLLECTIVE_PARTIES,
    ConvenedBody,
    Convener,
    Membership,
    MembershipStatus,
    Party,
)
from ..permissions import can_manage_roster
from ._shared import require_scope


def _target(
    term: Term, membership: Membership, body: str, target: str, organisation_name: str
) -> dict[str, object]:
    """The convener row's body fields for `body`/`target`, checked against the member's own
    profile (a sector's convener sits in that sector, a group's in that group…)."""
    committee_id = term.committee_id
    if body == ConvenedBody.PARTY:
        if target not in COLLECTIVE_PARTIES:
            raise ValidationFailed(_("请选择一个民主党派（或无党派人士）。"))
        if membership.party != target:
            raise ValidationFailed(
                _("%(name)s 的政治面貌不是%(party)s，不能担任其召集人。")
                % {"name": membership.member.name, "party": Party(target).label}
            )
        return {"party": target}
    if body == ConvenedBody.ORGANISATION:
        name = organisation_name.strip()
        if not name:
            raise ValidationFailed(_("请填写人民团体的名称。"))
        if len(name) > 60:
            raise ValidationFailed(_("人民团体名称过长（最多%(limit)d字）。") % {"limit": 60})
        if control_character_in(name):
            raise ValidationFailed(control_character_message(_("人民团体名称")))
        return {"organisation_name": name}
    pk = int(target) if target.isdigit() else 0
    if body == ConvenedBody.SECTOR:
        sector = Sector.objects.filter(pk=pk, committee_id=committee_id).first()
        if sector is None:
            raise ValidationFailed(_("请选择本政协的一个界别。"))
        if membership.sector_id != sector.pk:
            raise ValidationFailed(
                _("%(name)s 不在%(sector)s，不能担任其召集人。")
                % {"name": membership.member.name, "sector": sector.name}
            )
        return {"sector": sector}
    if body == ConvenedBody.GROUP:
        group = MemberGroup.objects.filter(pk=pk, committee_id=committee_id).first()
        if group is None:
            raise ValidationFailed(_("请选择本政协的一个委员小组。"))
        if membership.group_id != group.pk:
            raise ValidationFailed(
                _("%(name)s 不在%(group)s，不能担任其召集人。")
                % {"name": membership.member.name, "group": group.name}
            )
        return {"group": group}
    if body == ConvenedBody.SPECIAL_COMMITTEE:
        special = SpecialCommittee.objects.filter(pk=pk, committee_id=committee_id).first()
        if special is None:
            raise ValidationFailed(_("请选择本政协的一个专门委员会。"))
        if not membership.special_committees.filter(pk=special.pk).exists():
            raise ValidationFailed(
                _("%(name)s 不是%(special)s的委员，不能担任其召集人。")
                % {"name": membership.member.name, "special": special.name}
            )
        return {"special_committee": special}
    raise ValidationFailed(_("请选择召集的组织类型。"))


@transaction.atomic
def convener_add(
    *,
    actor: User,
    term: Term,
    membership_id: int,
    body: str,
    target: str = "",
    organisation_name: str = "",
) -> Convener:
    """Name an active member of the term convener of a body. `target` is the party code or the
    sector / group / special committee id; `organisation_name` names a people's organisation.

    Who may call: holders of members.manage_roster within their scope. Writes `convener_add`.
    """
    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有维护集体提案召集人的权限。"))
    require_scope(actor, term.committee_id)
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, term=term, status=MembershipStatus.ACTIVE)
        .select_related("member")
        .first()
    )
    if membership is None:
        raise ValidationFailed(_("请选择本届在任的委员。"))
    fields = _target(term, membership, body, target, organisation_name)
    if Convener.objects.filter(membership=membership, body=body, **fields).exists():
        raise Conflict(_("%(name)s 已是该组织的召集人。") % {"name": membership.member.name})
    convener = Convener.objects.create(
        committee_id=term.committee_id, term=term, membership=membership, body=body, **fields
    )
    audit_record(
        verb="convener_add",
        actor=actor,
        obj=convener,
        data={"membership": membership.pk, "body": body, "name": convener.body_name},
    )
    return convener


@transaction.atomic
def convener_remove(*, actor: User, convener_id: int) -> None:
    """Remove a convener. Who may call: members.manage_roster within scope."""
    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有维护集体提案召集人的权限。"))
    convener = (
        Convener.objects.select_for_update(of=("self",))
        .filter(pk=convener_id, committee_id__in=committee_ids_visible_to(actor))
        .select_related("membership__member", "sector", "group", "special_committee")
        .first()
    )
    if convener is None:
        raise NotFound(_("该召集人记录不存在或已被删除。"))
    audit_record(
        verb="convener_remove",
        actor=actor,
        obj=convener,
        data={
            "membership": convener.membership_id,
            "body": convener.body,
            "name": convener.body_name,
        },
    )
    convener.delete()
