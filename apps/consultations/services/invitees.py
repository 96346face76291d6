"""Invitee rules (by person, sector, special committee, group, the term's new members, all
常委, all members) and their resolution to people when the notice goes out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed
from apps.members.models import STANDING_POSITIONS, Membership, MembershipStatus
from apps.organisation.models import MemberGroup, SpecialCommittee
from apps.sectors.models import Sector

from ..models import InviteeKind, InviteeRule, Meeting

# Which source an invitee is credited to when several rules reach them: the narrowest.
SOURCE_ORDER = (
    InviteeKind.PERSON,
    InviteeKind.GROUP,
    InviteeKind.SPECIAL_COMMITTEE,
    InviteeKind.SECTOR,
    InviteeKind.NEW_MEMBERS,
    InviteeKind.STANDING,
    InviteeKind.ALL,
)
# Rules that name no target (the whole of a kind of people).
WHOLE_KINDS = (InviteeKind.NEW_MEMBERS, InviteeKind.STANDING, InviteeKind.ALL)


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    target_id: int | None = None


def current_memberships(committee_id: int) -> QuerySet[Membership]:
    """Active memberships of the committee's current term."""
    return Membership.objects.filter(
        committee_id=committee_id, term__is_current=True, status=MembershipStatus.ACTIVE
    )


def _rule_q(kind: str, target_id: int | None) -> Q:
    if kind == InviteeKind.PERSON:
        return Q(pk=target_id)
    if kind == InviteeKind.SECTOR:
        return Q(sector_id=target_id)
    if kind == InviteeKind.SPECIAL_COMMITTEE:
        return Q(special_committees__id=target_id)
    if kind == InviteeKind.GROUP:
        return Q(group_id=target_id)
    if kind == InviteeKind.STANDING:
        return Q(position__in=[p.value for p in STANDING_POSITIONS])
    if kind == InviteeKind.NEW_MEMBERS:
        # A first term on this committee: no membership of the same member in another term.
        earlier = Membership.objects.filter(
            member_id=OuterRef("member_id"), committee_id=OuterRef("committee_id")
        ).exclude(term_id=OuterRef("term_id"))
        return Q(~Exists(earlier))
    return Q()


def rule_label(committee_id: int, spec: RuleSpec) -> str:
    """The rule as staff read it ("界别：教育界"); ValidationFailed for a target outside the
    committee."""
    kind = spec.kind
    if kind not in InviteeKind.values:
        raise ValidationFailed(_("未知的邀请范围。"))
    if kind in WHOLE_KINDS:
        return str(InviteeKind(kind).label)
    if spec.target_id is None:
        raise ValidationFailed(_("请选择具体的邀请对象。"))
    name: str | None = None
    if kind == InviteeKind.PERSON:
        membership = (
            current_memberships(committee_id).select_related("member").filter(pk=spec.target_id)
        ).first()
        name = membership.member.name if membership else None
    elif kind == InviteeKind.SECTOR:
        name = (
            Sector.objects.filter(committee_id=committee_id, pk=spec.target_id)
            .values_list("name", flat=True)
            .first()
        )
    elif kind == InviteeKind.SPECIAL_COMMITTEE:
        name = (
            SpecialCommittee.objects.filter(committee_id=committee_id, pk=spec.target_id)
            .values_list("name", flat=True)
            .first()
        )
    elif kind == InviteeKind.GROUP:
        name = (
            MemberGroup.objects.filter(committee_id=committee_id, pk=spec.target_id)
            .values_list("name", flat=True)
            .first()
        )
    if name is None:
        raise ValidationFailed(_("所选邀请对象不存在或不属于本政协组织。"))
    return f"{InviteeKind(kind).label}：{name}"


def rules_replace(*, meeting: Meeting, specs: Sequence[RuleSpec]) -> list[InviteeRule]:
    """Replace the meeting's rules (the caller checked the permission and the state)."""
    seen: set[tuple[str, int | None]] = set()
    rows: list[InviteeRule] = []
    for spec in specs:
        target = None if spec.kind in WHOLE_KINDS else spec.target_id
        if (spec.kind, target) in seen:
            continue
        seen.add((spec.kind, target))
        label = rule_label(meeting.committee_id, RuleSpec(spec.kind, target))
        rows.append(InviteeRule(meeting=meeting, kind=spec.kind, target_id=target, label=label))
    InviteeRule.objects.filter(meeting=meeting).delete()
    return InviteeRule.objects.bulk_create(rows)


def resolve(*, committee_id: int, specs: Iterable[RuleSpec]) -> dict[int, str]:
    """Membership id → the source kind, for everyone the rules reach now (one query per rule
    kind present, at most six)."""
    by_kind: dict[str, list[int | None]] = {}
    for spec in specs:
        by_kind.setdefault(spec.kind, []).append(spec.target_id)
    found: dict[int, str] = {}
    base = current_memberships(committee_id)
    for kind in SOURCE_ORDER:
        if kind not in by_kind:
            continue
        condition = Q()
        for target in by_kind[kind]:
            condition |= _rule_q(kind, target)
        for membership_id in base.filter(condition).values_list("pk", flat=True).distinct():
            found.setdefault(membership_id, kind)
    return found


def meeting_rule_specs(meeting: Meeting) -> list[RuleSpec]:
    return [
        RuleSpec(rule.kind, rule.target_id)
        for rule in InviteeRule.objects.filter(meeting=meeting).order_by("id")
    ]
