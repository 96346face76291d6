"""The 社情民意信息处 keeps its committee's settings, categories, adoption levels, reporting
organisations and their information liaisons."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update
from apps.core.uploads import extensions_of
from apps.organisation.models import MemberGroup, SpecialCommittee

from ..models import (
    AdoptionLevel,
    InformationLiaison,
    OpinionCategory,
    OpinionSettings,
    ReportingUnit,
    UnitKind,
)
from ..permissions import is_leadership, is_opinion_office
from ..selectors.config import opinion_settings_for
from ..workflow.common import OFFICE
from .stats_marks import stats_mark_committee_dirty

SETTINGS_FIELDS = (
    "title_max_chars",
    "body_max_chars",
    "attachment_max_bytes",
    "attachment_max_count",
    "attachment_types",
    "similar_window_months",
    "similar_limit",
    "liaison_monthly_quota",
    "quota_reminder_day",
    "bulletin_name",
    "urgent_bulletin_name",
    "bulletin_publisher",
    "default_signer_id",
)


def _office_committee(user: User) -> int:
    committee_id = user.committee_id
    if committee_id is None or not is_opinion_office(user, committee_id):
        raise PermissionDenied(_("只有本级社情民意信息处可以修改社情民意工作设置。"))
    return committee_id


def _errors(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"errors": {field: message}})


def _name(value: str, label: str) -> str:
    """A typed name, stripped; a control character is refused (creating a row does not go
    through model_update, which would refuse it)."""
    refuse_control_characters({"name": (label, value)})
    return (value or "").strip()


def _whole_number(values: dict[str, Any], field: str, low: int, high: int, message: str) -> None:
    """A number setting within [low, high] (the table's check constraints say so too: refuse
    it here with the reason instead of failing in the database)."""
    if field not in values:
        return
    try:
        number = int(values[field])
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise _errors(field, message)
    values[field] = number


@transaction.atomic
def opinion_settings_update(*, user: User, data: dict[str, Any]) -> OpinionSettings:
    """Change the numbers of the process for the user's committee. Who: the 社情民意信息处."""
    committee_id = _office_committee(user)
    settings = opinion_settings_for(committee_id)
    values = {key: value for key, value in data.items() if key in SETTINGS_FIELDS}
    if "attachment_types" in values:
        types = extensions_of(values["attachment_types"])
        if not types:
            raise _errors("attachment_types", _("请至少允许一种附件类型。"))
        values["attachment_types"] = ",".join(dict.fromkeys(types))
    _whole_number(values, "quota_reminder_day", 1, 28, _("提醒日须在1日至28日之间。"))
    _whole_number(values, "similar_window_months", 1, 36, _("查重范围须在1至36个月之间。"))
    signer_id = values.get("default_signer_id")
    if signer_id:
        signer = User.objects.filter(pk=signer_id, is_active=True).first()
        if signer is None or not is_leadership(signer, committee_id):
            raise _errors("default_signer", _("默认签发领导须为本级主席会议成员。"))
    changed = model_update(instance=settings, data=values, fields=SETTINGS_FIELDS)
    if changed:
        audit_record(
            verb="opinion_settings_update",
            actor=user,
            obj=settings,
            committee=settings.committee,
            role=OFFICE,
            data={"fields": [f for f in changed if f != "updated_at"]},
        )
    return settings


@transaction.atomic
def category_save(
    *,
    user: User,
    name: str,
    category_id: int | None = None,
    sort_order: int = 0,
    is_active: bool = True,
) -> OpinionCategory:
    """Add a category, or rename / reorder / switch one off. Who: the 社情民意信息处."""
    committee_id = _office_committee(user)
    text = _name(name, _("类别名称"))
    if not text or len(text) > 30:
        raise _errors("name", _("请填写类别名称（最多30字）。"))
    if category_id:
        category = OpinionCategory.objects.filter(pk=category_id, committee_id=committee_id).first()
        if category is None:
            raise NotFound(_("未找到该类别。"))
    else:
        category = OpinionCategory(committee_id=committee_id)
    if (
        OpinionCategory.objects.filter(committee_id=committee_id, name=text)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise Conflict(_("类别“%(name)s”已存在。") % {"name": text})
    values = {"name": text, "sort_order": sort_order, "is_active": is_active}
    if category.pk is None:
        for key, value in values.items():
            setattr(category, key, value)
        category.save()
    else:
        model_update(instance=category, data=values)
    audit_record(verb="opinion_category_save", actor=user, obj=category, role=OFFICE)
    stats_mark_committee_dirty(committee_id=committee_id)  # the category lines' names
    return category


@transaction.atomic
def adoption_level_save(
    *,
    user: User,
    name: str,
    level_id: int | None = None,
    sort_order: int = 0,
    auto_on_publish: bool = False,
    is_active: bool = True,
) -> AdoptionLevel:
    """Add an adoption level, or rename / reorder / switch one off (its order is what scoring
    counts by). Who: the 社情民意信息处."""
    committee_id = _office_committee(user)
    text = _name(name, _("层级名称"))
    if not text or len(text) > 40:
        raise _errors("name", _("请填写层级名称（最多40字）。"))
    if level_id:
        level = AdoptionLevel.objects.filter(pk=level_id, committee_id=committee_id).first()
        if level is None:
            raise NotFound(_("未找到该采用层级。"))
    else:
        level = AdoptionLevel(committee_id=committee_id)
    if (
        AdoptionLevel.objects.filter(committee_id=committee_id, name=text)
        .exclude(pk=level.pk)
        .exists()
    ):
        raise Conflict(_("采用层级“%(name)s”已存在。") % {"name": text})
    values = {
        "name": text,
        "sort_order": sort_order,
        "auto_on_publish": auto_on_publish,
        "is_active": is_active,
    }
    if level.pk is None:
        for key, value in values.items():
            setattr(level, key, value)
        level.save()
    else:
        model_update(instance=level, data=values)
    audit_record(verb="opinion_level_save", actor=user, obj=level, role=OFFICE)
    # The statistics' columns (names and order) and what counts as 上级采用 follow the list.
    stats_mark_committee_dirty(committee_id=committee_id)
    return level


@transaction.atomic
def reporting_unit_save(
    *,
    user: User,
    name: str,
    kind: str,
    unit_id: int | None = None,
    special_committee_id: int | None = None,
    member_group_id: int | None = None,
    monthly_quota: int | None = None,
    is_active: bool = True,
) -> ReportingUnit:
    """Add or change an organisation that reports through liaisons, with its own quota (None:
    the committee's default). Who: the 社情民意信息处."""
    committee_id = _office_committee(user)
    text = _name(name, _("单位名称"))
    if not text or len(text) > 60:
        raise _errors("name", _("请填写单位名称（最多60字）。"))
    if kind not in UnitKind.values:
        raise _errors("kind", _("请选择单位类型。"))
    if (
        special_committee_id
        and not SpecialCommittee.objects.filter(
            pk=special_committee_id, committee_id=committee_id
        ).exists()
    ):
        raise _errors("special_committee", _("所选专门委员会不存在。"))
    if (
        member_group_id
        and not MemberGroup.objects.filter(pk=member_group_id, committee_id=committee_id).exists()
    ):
        raise _errors("member_group", _("所选委员小组不存在。"))
    if unit_id:
        unit = ReportingUnit.objects.filter(pk=unit_id, committee_id=committee_id).first()
        if unit is None:
            raise NotFound(_("未找到该报送单位。"))
    else:
        unit = ReportingUnit(committee_id=committee_id)
    values = {
        "name": text,
        "kind": kind,
        "special_committee_id": special_committee_id or None,
        "member_group_id": member_group_id or None,
        "monthly_quota": monthly_quota,
        "is_active": is_active,
    }
    try:
        with transaction.atomic():
            if unit.pk is None:
                for key, value in values.items():
                    setattr(unit, key, value)
                unit.save()
            else:
                model_update(instance=unit, data=values)
    except IntegrityError as error:
        raise Conflict(_("报送单位“%(name)s”已存在。") % {"name": text}) from error
    audit_record(verb="opinion_unit_save", actor=user, obj=unit, role=OFFICE)
    stats_mark_committee_dirty(committee_id=committee_id)  # the organisation lines' names
    return unit


@transaction.atomic
def liaison_appoint(*, user: User, unit_id: int, liaison_user_id: int) -> InformationLiaison:
    """Make an account of the committee a liaison of the organisation (again, if they were
    one). Who: the 社情民意信息处."""
    committee_id = _office_committee(user)
    unit = ReportingUnit.objects.filter(pk=unit_id, committee_id=committee_id).first()
    if unit is None:
        raise NotFound(_("未找到该报送单位。"))
    person = User.objects.filter(
        pk=liaison_user_id, committee_id=committee_id, is_active=True
    ).first()
    if person is None:
        raise _errors("user", _("请选择本政协组织的在用账户。"))
    liaison, created = InformationLiaison.objects.get_or_create(
        unit=unit, user=person, defaults={"is_active": True}
    )
    if not created:
        model_update(instance=liaison, data={"is_active": True})
    audit_record(
        verb="opinion_liaison_appoint",
        actor=user,
        obj=unit,
        role=OFFICE,
        data={"user": person.display_name},
    )
    return liaison


@transaction.atomic
def liaison_release(*, user: User, liaison_id: int) -> InformationLiaison:
    """The person no longer files for the organisation (kept for the record). Who: the office."""
    committee_id = _office_committee(user)
    liaison = (
        InformationLiaison.objects.select_related("unit", "user")
        .filter(pk=liaison_id, unit__committee_id=committee_id)
        .first()
    )
    if liaison is None:
        raise NotFound(_("未找到该信息联络员。"))
    if model_update(instance=liaison, data={"is_active": False}):
        audit_record(
            verb="opinion_liaison_release",
            actor=user,
            obj=liaison.unit,
            role=OFFICE,
            data={"user": liaison.user.display_name},
        )
    return liaison
