"""Writes for members and their memberships: staff edit and create, unmasking, own profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.inputs import control_character_in, control_character_message, too_long_message
from apps.core.services import model_update
from apps.organisation.models import MemberGroup, SpecialCommittee, Term
from apps.sectors.models import Sector

from ..checks import birth_date_error, mobile_error, normalize_id_number, normalize_phone
from ..idcard import id_birth_date, id_number_error
from ..models import Gender, Member, Membership, MembershipStatus, Party, Position
from ..permissions import can_edit_member, can_manage_roster, can_unmask_member
from ._shared import SENSITIVE_FIELDS, fail_on, phone_taken, require_scope


@dataclass(frozen=True)
class MemberData:
    """A person's facts that do not change with the term."""

    name: str
    gender: str
    id_number: str
    ethnicity: str = "汉族"
    birth_date: dt.date | None = None
    mobile: str = ""
    email: str = ""
    office_phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class MembershipData:
    """A member's facts for one term."""

    sector_id: int
    party: str
    position: str = Position.MEMBER
    special_committee_ids: tuple[int, ...] = ()
    group_id: int | None = None
    work_unit: str = ""
    nominated_by: str = ""
    job_title: str = ""
    expertise: str = ""
    focus_areas: str = ""
    status: str = MembershipStatus.ACTIVE
    status_date: dt.date | None = None
    status_reason: str = ""


def _email_valid(email: str) -> bool:
    try:
        validate_email(email)
    except DjangoValidationError:
        return False
    return True


def _phone_taken_message() -> str:
    return _("该手机号已被其他账户使用，请换一个号码或联系委员联络处。")


def _fields_changed(saved: list[str]) -> list[str]:
    """The changed field names `model_update` saved, without the timestamp it adds."""
    return [name for name in saved if name != "updated_at"]


def _clean_member_data(
    data: MemberData, *, committee_id: int, member: Member | None
) -> tuple[MemberData, dict[str, str]]:
    """Normalize and check a MemberData; returns the cleaned data and per-field errors."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("请填写姓名。")
    if data.gender not in Gender.values:
        errors["gender"] = _("请选择性别。")
    id_number = normalize_id_number(data.id_number)
    problem = id_number_error(id_number)
    if problem:
        errors["id_number"] = problem
    else:
        duplicate = Member.objects.filter(committee_id=committee_id, id_number=id_number)
        if member is not None:
            duplicate = duplicate.exclude(pk=member.pk)
        other = duplicate.first()
        if other is not None:
            errors["id_number"] = _("该身份证号已属于名册中的委员“%(name)s”。") % {
                "name": other.name
            }
    birth_date = data.birth_date
    if not problem:
        problem_date = birth_date_error(id_number, birth_date)
        if problem_date:
            errors["birth_date"] = problem_date
        elif birth_date is None:
            birth_date = id_birth_date(id_number)
    mobile = normalize_phone(data.mobile)
    if mobile:
        problem = mobile_error(mobile)
        if problem:
            errors["mobile"] = problem
    email = data.email.strip()
    if email and not _email_valid(email):
        errors["email"] = _("电子邮箱格式不正确。")
    cleaned = MemberData(
        name=name,
        gender=data.gender,
        id_number=id_number,
        ethnicity=data.ethnicity.strip() or "汉族",
        birth_date=birth_date,
        mobile=mobile,
        email=email,
        office_phone=data.office_phone.strip(),
        address=data.address.strip(),
    )
    return cleaned, errors


# The term's free-text facts: checked here for every caller (forms and the import check first).
_MEMBERSHIP_TEXT_FIELDS = (
    "work_unit",
    "nominated_by",
    "job_title",
    "expertise",
    "focus_areas",
)


def _membership_text_errors(data: MembershipData) -> dict[str, str]:
    """A control character or text past the column's length, per field."""
    errors: dict[str, str] = {}
    for name in _MEMBERSHIP_TEXT_FIELDS:
        value = getattr(data, name).strip()
        field = Membership._meta.get_field(name)
        assert isinstance(field, models.CharField)
        label, limit = str(field.verbose_name), int(field.max_length or 0)
        if control_character_in(value):
            errors[name] = control_character_message(label)
        elif limit and len(value) > limit:
            errors[name] = too_long_message(label, limit, len(value))
    return errors


def _clean_membership_data(
    data: MembershipData, *, committee_id: int
) -> tuple[MembershipData, dict[str, str]]:
    errors = _membership_text_errors(data)
    if not Sector.objects.filter(pk=data.sector_id, committee_id=committee_id).exists():
        errors["sector"] = _("请选择本政协的界别。")
    if data.party not in Party.values:
        errors["party"] = _("请选择政治面貌。")
    if data.position not in Position.values:
        errors["position"] = _("请选择职务。")
    special_ids = tuple(dict.fromkeys(data.special_committee_ids))
    if special_ids and SpecialCommittee.objects.filter(
        pk__in=special_ids, committee_id=committee_id
    ).count() != len(special_ids):
        errors["special_committees"] = _("专门委员会须属于本政协。")
    if (
        data.group_id is not None
        and not MemberGroup.objects.filter(pk=data.group_id, committee_id=committee_id).exists()
    ):
        errors["group"] = _("委员小组须属于本政协。")
    if data.status not in MembershipStatus.values:
        errors["status"] = _("请选择状态。")
    status_date = data.status_date
    status_reason = data.status_reason.strip()
    if data.status != MembershipStatus.ACTIVE:
        label = (
            MembershipStatus(data.status).label if data.status in MembershipStatus.values else ""
        )
        if status_date is None:
            errors["status_date"] = _("状态为“%(status)s”时须填写日期。") % {"status": label}
        if not status_reason:
            errors["status_reason"] = _("状态为“%(status)s”时须填写原因。") % {"status": label}
    else:
        status_date, status_reason = None, ""
    cleaned = MembershipData(
        sector_id=data.sector_id,
        party=data.party,
        position=data.position,
        special_committee_ids=special_ids,
        group_id=data.group_id,
        work_unit=data.work_unit.strip(),
        nominated_by=data.nominated_by.strip(),
        job_title=data.job_title.strip(),
        expertise=data.expertise.strip(),
        focus_areas=data.focus_areas.strip(),
        status=data.status,
        status_date=status_date,
        status_reason=status_reason,
    )
    return cleaned, errors


def _sync_account_phone(member: Member, mobile: str) -> None:
    """Keep a linked account's sign-in phone equal to the roster mobile (unique across users)."""
    if not member.user_id or not mobile:
        return
    user = User.objects.select_for_update().get(pk=member.user_id)
    if user.phone == mobile:
        return
    if phone_taken(mobile, except_user_id=user.pk):
        fail_on({"mobile": _phone_taken_message()})
    model_update(instance=user, data={"phone": mobile})


_MEMBER_FIELDS = [f.name for f in fields(MemberData)]
MEMBERSHIP_TERM_FIELDS = [
    "sector_id",
    "party",
    "position",
    "group_id",
    "work_unit",
    "nominated_by",
    "job_title",
    "expertise",
    "focus_areas",
]
_STATUS_FIELDS = ["status", "status_date", "status_reason"]


def _membership_values(data: MembershipData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in MEMBERSHIP_TERM_FIELDS}


@transaction.atomic
def member_update(
    *,
    actor: User,
    membership: Membership,
    member_data: MemberData,
    membership_data: MembershipData,
) -> Membership:
    """Staff edit of a member and their membership in one go.

    Who may call: holders of members.manage_roster within their scope. Writes `member_update`
    (changed field names, never values) and, when the status changes, `membership_status`
    (from → to, with date and reason). A changed mobile also becomes the linked account's phone.
    """
    if not can_edit_member(actor, membership):
        require_scope(actor, membership.committee_id)
        raise PermissionDenied(_("您没有编辑委员信息的权限。"))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    member = Member.objects.select_for_update().get(pk=membership.member_id)
    member_data, errors = _clean_member_data(
        member_data, committee_id=membership.committee_id, member=member
    )
    membership_data, more = _clean_membership_data(
        membership_data, committee_id=membership.committee_id
    )
    errors.update(more)
    fail_on(errors)

    member_changed = _fields_changed(
        model_update(instance=member, data={n: getattr(member_data, n) for n in _MEMBER_FIELDS})
    )
    if "mobile" in member_changed:
        _sync_account_phone(member, member_data.mobile)

    old_status = membership.status
    ms_all = _fields_changed(
        model_update(
            instance=membership,
            data={
                **_membership_values(membership_data),
                "status": membership_data.status,
                "status_date": membership_data.status_date,
                "status_reason": membership_data.status_reason,
            },
        )
    )
    ms_changed = [name for name in ms_all if name not in _STATUS_FIELDS]
    status_changed = [name for name in ms_all if name in _STATUS_FIELDS]
    old_specials = set(membership.special_committees.values_list("id", flat=True))
    if old_specials != set(membership_data.special_committee_ids):
        membership.special_committees.set(membership_data.special_committee_ids)
        ms_changed.append("special_committees")

    changed = [name.removesuffix("_id") for name in member_changed + ms_changed]
    if old_status == membership.status and status_changed:
        changed += status_changed  # only the date or reason was corrected
    if changed:
        audit_record(
            verb="member_update", actor=actor, obj=membership, data={"fields": sorted(changed)}
        )
    if old_status != membership.status:
        audit_record(
            verb="membership_status",
            actor=actor,
            obj=membership,
            from_state=old_status,
            to_state=membership.status,
            data={
                "date": membership.status_date.isoformat() if membership.status_date else "",
                "reason": membership.status_reason,
            },
        )
    return membership


@transaction.atomic
def member_create(
    *,
    actor: User,
    term: Term,
    member_data: MemberData,
    membership_data: MembershipData,
    create_account: bool = False,
) -> Membership:
    """Add one member to a term's roster by hand, optionally with a sign-in account.

    Who may call: holders of members.manage_roster within their scope. Someone already on the
    committee's roster (same ID number) gets a membership for this term and their facts updated.
    The account (user name = mobile) has an unusable password until activated.
    """
    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有添加委员的权限。"))
    require_scope(actor, term.committee_id)
    id_number = normalize_id_number(member_data.id_number)
    member = (
        Member.objects.select_for_update()
        .filter(committee_id=term.committee_id, id_number=id_number)
        .first()
    )
    member_data, errors = _clean_member_data(
        member_data, committee_id=term.committee_id, member=member
    )
    membership_data, more = _clean_membership_data(membership_data, committee_id=term.committee_id)
    errors.update(more)
    if member is not None and Membership.objects.filter(member=member, term=term).exists():
        errors["id_number"] = _("“%(name)s”已在%(term)s名册中，请在名册中找到后编辑。") % {
            "name": member.name,
            "term": term,
        }
    if create_account and not (member is not None and member.user_id):
        if not member_data.mobile:
            errors["mobile"] = _("创建账户需要填写手机号（登录名为手机号）。")
        elif "mobile" not in errors and phone_taken(member_data.mobile, except_user_id=None):
            errors["mobile"] = _phone_taken_message()
    fail_on(errors)

    values = {n: getattr(member_data, n) for n in _MEMBER_FIELDS}
    if member is None:
        member = Member.objects.create(committee_id=term.committee_id, **values)
    elif "mobile" in model_update(instance=member, data=values):
        _sync_account_phone(member, member_data.mobile)
    membership = Membership.objects.create(
        committee_id=term.committee_id,
        member=member,
        term=term,
        status=membership_data.status,
        status_date=membership_data.status_date,
        status_reason=membership_data.status_reason,
        **_membership_values(membership_data),
    )
    membership.special_committees.set(membership_data.special_committee_ids)
    account_created = False
    if create_account and not member.user_id:
        from apps.accounts.services import user_create

        try:
            user = user_create(
                committee=term.committee,
                username=member.mobile,
                name=member.name,
                phone=member.mobile,
                email=member.email,
                created_by=actor,
            )
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, extra={"errors": {"mobile": exc.message}}) from exc
        model_update(instance=member, data={"user": user}, validate=False)
        account_created = True
    audit_record(
        verb="member_create",
        actor=actor,
        obj=membership,
        data={"account_created": account_created},
    )
    return membership


@transaction.atomic
def member_unmask(*, actor: User, membership: Membership, field: str) -> str:
    """Return the full phone or ID number and record that `actor` saw it (verb `unmask`).

    Who may call: holders of members.unmask_member within their scope.
    """
    if field not in SENSITIVE_FIELDS:
        raise ValidationFailed(_("无效的字段。"))
    if not can_unmask_member(actor, membership):
        require_scope(actor, membership.committee_id)
        raise PermissionDenied(_("您没有查看完整手机号和身份证号的权限。"))
    audit_record(verb="unmask", actor=actor, obj=membership.member, data={"field": field})
    return getattr(membership.member, field)


@transaction.atomic
def my_profile_update(
    *,
    user: User,
    member: Member,
    mobile: str,
    email: str = "",
    office_phone: str = "",
    address: str = "",
) -> Member:
    """A member edits their own contact details. A new mobile becomes their account's phone,
    which must not belong to another account. Writes `member_update` (by_self)."""
    if not user.is_authenticated or member.user_id != user.pk:
        raise PermissionDenied(_("只能修改本人的联系方式。"))
    member = Member.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    mobile = normalize_phone(mobile)
    problem = mobile_error(mobile) if mobile else _("请填写手机号。")
    if problem:
        errors["mobile"] = problem
    elif mobile != member.mobile and phone_taken(mobile, except_user_id=user.pk):
        errors["mobile"] = _phone_taken_message()
    email = email.strip()
    if email and not _email_valid(email):
        errors["email"] = _("电子邮箱格式不正确。")
    fail_on(errors)
    changed = _fields_changed(
        model_update(
            instance=member,
            data={
                "mobile": mobile,
                "email": email,
                "office_phone": office_phone.strip(),
                "address": address.strip(),
            },
        )
    )
    if "mobile" in changed:
        _sync_account_phone(member, mobile)
    if changed:
        audit_record(
            verb="member_update",
            actor=user,
            obj=member,
            data={"fields": sorted(changed), "by_self": True},
        )
    return member
