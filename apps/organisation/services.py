"""Writes for committees and their structure: terms, plenary sessions, special committees,
member groups and handling units. Sector writes live in apps.sectors.services.

Who may call: the organisation pages and API check `permissions.can_edit_organisation` first;
management commands (seed_demo) call with no actor. Every write is audited in its transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.services import model_update
from apps.core.validators import clean_name
from apps.sectors.services import sectors_seed_defaults

from .models import (
    Committee,
    CommitteeLevel,
    HandlingUnit,
    MemberGroup,
    MemberGroupKind,
    PlenarySession,
    SpecialCommittee,
    Term,
    UnitSystem,
)
from .numerals import chinese_number
from .users import Actor

_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
# Higher levels first: a parent must sit above its child.
_LEVEL_RANK = {
    CommitteeLevel.NATIONAL: 0,
    CommitteeLevel.PROVINCE: 1,
    CommitteeLevel.CITY: 2,
    CommitteeLevel.COUNTY: 3,
}


def _audited_update[ModelT: models.Model](
    *,
    instance: ModelT,
    changes: dict[str, Any],
    verb: str,
    actor: Actor,
    committee: Committee,
) -> ModelT:
    """Save the values in `changes` that are given (not None) and differ (core `model_update`),
    and write one audit event naming them. A call that changes nothing saves and audits
    nothing."""
    data = {name: value for name, value in changes.items() if value is not None}
    before = {name: getattr(instance, name) for name in data}
    changed = [name for name in model_update(instance=instance, data=data) if name in data]
    if not changed:
        return instance
    diff = {name: [before[name], getattr(instance, name)] for name in changed}
    audit_record(
        verb=verb,
        actor=actor,
        obj=instance,
        committee=committee,
        from_state=_active_state(diff, 0),
        to_state=_active_state(diff, 1),
        data={"changes": {name: [str(v) for v in pair] for name, pair in diff.items()}},
    )
    return instance


def _active_state(diff: dict[str, list[Any]], index: int) -> str:
    if "is_active" not in diff:
        return ""
    return "active" if diff["is_active"][index] else "inactive"


def _check_unique_name(
    model: type[models.Model],
    *,
    committee_id: int,
    name: str,
    label: str,
    exclude_pk: int | None = None,
) -> None:
    taken = model._default_manager.filter(committee_id=committee_id, name=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed(_("%(label)s“%(name)s”已存在。") % {"label": label, "name": name})


def _next_sort_order(model: type[models.Model], *, committee_id: int) -> int:
    last = model._default_manager.filter(committee_id=committee_id).aggregate(m=Max("sort_order"))
    return (last["m"] or 0) + 1


# Committees -------------------------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    name: str,
    level: str,
    code: str,
    parent: Committee | None = None,
    short_name: str = "",
    created_by: Actor = None,
) -> Committee:
    """Create a 政协组织 and give it the 34 national sectors, which it may then edit.

    Who may call: system administrators (superuser) and commands. Raises ValidationFailed for a
    taken name or code, an unknown level, or a parent that is not a higher level.
    """
    name = clean_name(name, label=_("政协组织名称"), max_length=100)
    code = (code or "").strip().lower()
    if not _CODE_PATTERN.match(code):
        raise ValidationFailed(
            _("代码只能使用小写字母、数字和连字符，2 到 40 位，如 jinan-lixia。")
        )
    if level not in CommitteeLevel.values:
        raise ValidationFailed(_("请选择正确的层级（全国、省、市、县区）。"))
    if (
        parent is not None
        and _LEVEL_RANK[CommitteeLevel(parent.level)] >= _LEVEL_RANK[CommitteeLevel(level)]
    ):
        raise ValidationFailed(_("上级政协的层级应高于本级。"))
    if Committee.objects.filter(name=name).exists():
        raise ValidationFailed(_("政协组织“%(name)s”已存在。") % {"name": name})
    if Committee.objects.filter(code=code).exists():
        raise ValidationFailed(_("代码“%(code)s”已被使用。") % {"code": code})
    committee = Committee.objects.create(
        name=name,
        short_name=(short_name or "").strip()[:30],
        level=level,
        code=code,
        parent=parent,
    )
    seeded = sectors_seed_defaults(committee=committee)
    audit_record(
        verb="committee_create",
        actor=created_by,
        obj=committee,
        committee=committee,
        data={"level": level, "parent": parent.pk if parent else None, "sectors": seeded},
    )
    return committee


# Terms and plenary sessions -----------------------------------------------------------------


@transaction.atomic
def term_create(
    *,
    committee: Committee,
    number: int,
    start_date: dt.date,
    end_date: dt.date | None = None,
    make_current: bool = False,
    created_by: Actor = None,
) -> Term:
    """Add a 届 to a committee; with `make_current` it becomes the current term.

    Who may call: sysadmin or liaison office of the committee. Raises ValidationFailed for a
    duplicate number or dates out of order.
    """
    if number < 1 or number > 999:
        raise ValidationFailed(_("届次应为 1 到 999 之间的整数。"))
    if end_date is not None and end_date <= start_date:
        raise ValidationFailed(_("届的结束日期应晚于开始日期。"))
    if Term.objects.filter(committee=committee, number=number).exists():
        raise ValidationFailed(_("第%(number)s届已存在。") % {"number": chinese_number(number)})
    term = Term.objects.create(
        committee=committee, number=number, start_date=start_date, end_date=end_date
    )
    audit_record(verb="term_create", actor=created_by, obj=term, committee=committee)
    if make_current:
        term = term_set_current(term=term, actor=created_by)
    return term


@transaction.atomic
def term_set_current(*, term: Term, actor: Actor = None) -> Term:
    """Make `term` its committee's current term; the previous current term stops being current.

    Who may call: sysadmin or liaison office. One current term per committee (a partial unique
    constraint backs this up). Already current: a harmless no-op.
    """
    terms = list(
        Term.objects.select_for_update(of=("self",))
        .filter(committee_id=term.committee_id)
        .select_related("committee")
    )
    target = next(row for row in terms if row.pk == term.pk)
    if target.is_current:
        return target
    previous = next((row for row in terms if row.is_current), None)
    if previous is not None:
        Term.objects.filter(pk=previous.pk).update(is_current=False, updated_at=timezone.now())
    model_update(instance=target, data={"is_current": True})
    audit_record(
        verb="term_set_current",
        actor=actor,
        obj=target,
        committee=target.committee,
        from_state=str(previous) if previous else "",
        to_state=str(target),
    )
    return target


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@transaction.atomic
def plenary_session_create(
    *,
    term: Term,
    number: int,
    start_date: dt.date,
    end_date: dt.date,
    proposal_deadline: dt.datetime,
    created_by: Actor = None,
) -> PlenarySession:
    """Add a 全体会议 (第N届第M次会议) with its dates and proposal deadline.

    Who may call: sysadmin or liaison office. Raises ValidationFailed for a duplicate number,
    dates out of order, a session outside the term, or a deadline after the session closes.
    """
    if number < 1 or number > 99:
        raise ValidationFailed(_("会次应为 1 到 99 之间的整数。"))
    if end_date < start_date:
        raise ValidationFailed(_("闭幕日期不能早于开幕日期。"))
    if start_date < term.start_date or (term.end_date and start_date > term.end_date):
        raise ValidationFailed(_("开幕日期应在%(term)s的任期内。") % {"term": term})
    proposal_deadline = _aware(proposal_deadline)
    if timezone.localtime(proposal_deadline).date() > end_date:
        raise ValidationFailed(_("提案截止时间不能晚于闭幕日期。"))
    if PlenarySession.objects.filter(term=term, number=number).exists():
        raise ValidationFailed(
            _("%(term)s第%(number)s次会议已存在。")
            % {"term": term, "number": chinese_number(number)}
        )
    session = PlenarySession.objects.create(
        committee_id=term.committee_id,
        term=term,
        number=number,
        start_date=start_date,
        end_date=end_date,
        proposal_deadline=proposal_deadline,
    )
    audit_record(
        verb="plenary_session_create",
        actor=created_by,
        obj=session,
        committee=term.committee,
        data={"deadline": proposal_deadline.isoformat()},
    )
    return session


# Special committees, member groups, handling units -------------------------------------------


@transaction.atomic
def special_committee_create(
    *, committee: Committee, name: str, created_by: Actor = None
) -> SpecialCommittee:
    """Add a 专门委员会 at the end of the list. Who may call: sysadmin or liaison office."""
    name = clean_name(name, label=_("专门委员会名称"), max_length=60)
    _check_unique_name(
        SpecialCommittee, committee_id=committee.pk, name=name, label=_("专门委员会")
    )
    special_committee = SpecialCommittee.objects.create(
        committee=committee,
        name=name,
        sort_order=_next_sort_order(SpecialCommittee, committee_id=committee.pk),
    )
    audit_record(
        verb="special_committee_create",
        actor=created_by,
        obj=special_committee,
        committee=committee,
    )
    return special_committee


@transaction.atomic
def special_committee_update(
    *,
    special_committee: SpecialCommittee,
    actor: Actor = None,
    name: str | None = None,
    sort_order: int | None = None,
    is_active: bool | None = None,
) -> SpecialCommittee:
    """Rename, reorder, deactivate or reactivate a 专门委员会. Unchanged values are a no-op."""
    special_committee = SpecialCommittee.objects.select_for_update().get(pk=special_committee.pk)
    if name is not None:
        name = clean_name(name, label=_("专门委员会名称"), max_length=60)
        _check_unique_name(
            SpecialCommittee,
            committee_id=special_committee.committee_id,
            name=name,
            label=_("专门委员会"),
            exclude_pk=special_committee.pk,
        )
    return _audited_update(
        instance=special_committee,
        changes={"name": name, "sort_order": sort_order, "is_active": is_active},
        verb="special_committee_update",
        actor=actor,
        committee=special_committee.committee,
    )


def _check_group_kind(kind: str) -> None:
    if kind not in MemberGroupKind.values:
        raise ValidationFailed(_("请选择小组类型（委员小组或活动组）。"))


@transaction.atomic
def member_group_create(
    *,
    committee: Committee,
    name: str,
    kind: str = MemberGroupKind.GROUP,
    created_by: Actor = None,
) -> MemberGroup:
    """Add a 委员小组 or 活动组. Who may call: sysadmin or liaison office."""
    name = clean_name(name, label=_("小组名称"), max_length=60)
    _check_group_kind(kind)
    _check_unique_name(MemberGroup, committee_id=committee.pk, name=name, label=_("小组"))
    group = MemberGroup.objects.create(
        committee=committee,
        name=name,
        kind=kind,
        sort_order=_next_sort_order(MemberGroup, committee_id=committee.pk),
    )
    audit_record(verb="member_group_create", actor=created_by, obj=group, committee=committee)
    return group


@transaction.atomic
def member_group_update(
    *,
    member_group: MemberGroup,
    actor: Actor = None,
    name: str | None = None,
    kind: str | None = None,
    sort_order: int | None = None,
) -> MemberGroup:
    """Rename, retype or reorder a member group. Unchanged values are a no-op."""
    member_group = MemberGroup.objects.select_for_update().get(pk=member_group.pk)
    if name is not None:
        name = clean_name(name, label=_("小组名称"), max_length=60)
        _check_unique_name(
            MemberGroup,
            committee_id=member_group.committee_id,
            name=name,
            label=_("小组"),
            exclude_pk=member_group.pk,
        )
    if kind is not None:
        _check_group_kind(kind)
    return _audited_update(
        instance=member_group,
        changes={"name": name, "kind": kind, "sort_order": sort_order},
        verb="member_group_update",
        actor=actor,
        committee=member_group.committee,
    )


_PHONE_PATTERN = re.compile(r"^[0-9+\-() ]{0,30}$")


def _check_unit_fields(*, system: str | None, contact_phone: str | None) -> None:
    if system is not None and system not in UnitSystem.values:
        raise ValidationFailed(
            _("请选择承办单位所属系统（党群、政府、人大、法院、检察院、其他）。")
        )
    if contact_phone is not None and not _PHONE_PATTERN.match(contact_phone):
        raise ValidationFailed(_("联系电话只能包含数字、空格和 + - ( )。"))


@transaction.atomic
def handling_unit_create(
    *,
    committee: Committee,
    name: str,
    system: str,
    contact_person: str = "",
    contact_phone: str = "",
    created_by: Actor = None,
) -> HandlingUnit:
    """Add a 承办单位 in a system (党群, 政府, 人大, 法院, 检察院, 其他).

    Who may call: sysadmin or liaison office (later the proposal office too).
    """
    name = clean_name(name, label=_("承办单位名称"), max_length=100)
    contact_person = (contact_person or "").strip()[:50]
    contact_phone = (contact_phone or "").strip()
    _check_unit_fields(system=system, contact_phone=contact_phone)
    _check_unique_name(HandlingUnit, committee_id=committee.pk, name=name, label=_("承办单位"))
    unit = HandlingUnit.objects.create(
        committee=committee,
        name=name,
        system=system,
        contact_person=contact_person,
        contact_phone=contact_phone,
        sort_order=_next_sort_order(HandlingUnit, committee_id=committee.pk),
    )
    audit_record(verb="handling_unit_create", actor=created_by, obj=unit, committee=committee)
    return unit


@transaction.atomic
def handling_unit_update(
    *,
    handling_unit: HandlingUnit,
    actor: Actor = None,
    name: str | None = None,
    system: str | None = None,
    contact_person: str | None = None,
    contact_phone: str | None = None,
    is_active: bool | None = None,
) -> HandlingUnit:
    """Edit a 承办单位's name, system, contact or active flag. Unchanged values are a no-op."""
    handling_unit = HandlingUnit.objects.select_for_update().get(pk=handling_unit.pk)
    if name is not None:
        name = clean_name(name, label=_("承办单位名称"), max_length=100)
        _check_unique_name(
            HandlingUnit,
            committee_id=handling_unit.committee_id,
            name=name,
            label=_("承办单位"),
            exclude_pk=handling_unit.pk,
        )
    if contact_person is not None:
        contact_person = contact_person.strip()[:50]
    if contact_phone is not None:
        contact_phone = contact_phone.strip()
    _check_unit_fields(system=system, contact_phone=contact_phone)
    return _audited_update(
        instance=handling_unit,
        changes={
            "name": name,
            "system": system,
            "contact_person": contact_person,
            "contact_phone": contact_phone,
            "is_active": is_active,
        },
        verb="handling_unit_update",
        actor=actor,
        committee=handling_unit.committee,
    )
