"""What came of a published report: adoption at a level, leader instructions (批示), transfer to
a department (转办) and its reply letter (回函). Each is recorded by the 社情民意信息处, written to
the audit log (the report's timeline) and told to everyone credited on the report."""

from __future__ import annotations

import datetime as dt

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.uploads import check_upload
from apps.organisation.models import HandlingUnit

from .. import notices
from ..models import (
    Adoption,
    AdoptionLevel,
    Instruction,
    InstructionLevel,
    OpinionReport,
    Referral,
    ReferralStatus,
)
from ..selectors.config import opinion_settings_for
from ..workflow.actions import REPORT
from ..workflow.common import OFFICE, lock_report
from .stats_marks import stats_mark_dirty

TEXT_MAX = 2000


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"errors": {field: message}})


def _past_day(value: dt.date | None, field: str) -> dt.date:
    if value is None:
        raise _field_error(field, _("请填写日期。"))
    if value > clock.today():
        raise _field_error(field, _("日期不能晚于今天。"))
    return value


# The Chinese names of the typed fields, for the messages.
LABELS = {
    "publication": _lazy("刊发情况"),
    "note": _lazy("备注"),
    "leader": _lazy("批示领导"),
    "text": _lazy("批示内容"),
    "department": _lazy("转办部门"),
    "reply_text": _lazy("回函内容"),
}


def _text(value: str, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    refuse_control_characters({field: (str(LABELS.get(field, "")), value)})
    text = (value or "").strip()
    if required and not text:
        raise _field_error(field, _("请填写这一项。"))
    if len(text) > limit:
        raise _field_error(field, _("不能超过%(limit)d字。") % {"limit": limit})
    return text


def _outcome_report(user: User, report_id: int) -> OpinionReport:
    report = lock_report(report_id)
    REPORT.check(user, report, "record_outcome")
    return report


@transaction.atomic
def adoption_record(
    *,
    user: User,
    report_id: int,
    level_id: int,
    adopted_on: dt.date | None,
    publication: str = "",
    note: str = "",
) -> Adoption:
    """Record the report adopted at a level of the committee's list (each level once). Who:
    the 社情民意信息处, once the report is published."""
    report = _outcome_report(user, report_id)
    level = AdoptionLevel.objects.filter(
        pk=level_id, committee_id=report.committee_id, is_active=True
    ).first()
    if level is None:
        raise _field_error("level", _("请选择采用层级。"))
    day = _past_day(adopted_on, "adopted_on")
    if Adoption.objects.filter(report=report, level=level).exists():
        raise Conflict(_("已登记过“%(level)s”。") % {"level": level.name})
    adoption = Adoption.objects.create(
        report=report,
        level=level,
        adopted_on=day,
        publication=_text(publication, "publication", required=False, limit=100),
        note=_text(note, "note", required=False, limit=200),
        recorded_by=user,
    )
    audit_record(
        verb="opinion_adoption_record",
        actor=user,
        obj=report,
        role=OFFICE,
        data={
            "level": level.name,
            "adopted_on": day.isoformat(),
            "publication": adoption.publication,
        },
    )
    stats_mark_dirty(report=report)
    notices.tell_credited(
        report,
        f"adoption:{adoption.pk}",
        _("您报送的社情民意信息获%(level)s") % {"level": level.name},
        f"{report.title}\n{adoption.publication}".strip(),
    )
    return adoption


@transaction.atomic
def instruction_record(
    *,
    user: User,
    report_id: int,
    leader: str,
    level: str,
    text: str,
    instructed_on: dt.date | None,
) -> Instruction:
    """Record a leader's instruction (批示) on the report: who, at which level, what, when. Who:
    the 社情民意信息处, once the report is published."""
    report = _outcome_report(user, report_id)
    if level not in InstructionLevel.values:
        raise _field_error("level", _("请选择批示领导的层级。"))
    instruction = Instruction.objects.create(
        report=report,
        leader=_text(leader, "leader", limit=60),
        level=level,
        text=_text(text, "text"),
        instructed_on=_past_day(instructed_on, "instructed_on"),
        recorded_by=user,
    )
    audit_record(
        verb="opinion_instruction_record",
        actor=user,
        obj=report,
        role=OFFICE,
        data={
            "leader": instruction.leader,
            "level": level,
            "text": instruction.text[:500],
            "instructed_on": instruction.instructed_on.isoformat(),
        },
    )
    stats_mark_dirty(report=report)
    notices.tell_credited(
        report,
        f"instruction:{instruction.pk}",
        _("%(leader)s对您报送的社情民意信息作出批示") % {"leader": instruction.leader},
        f"{report.title}\n{instruction.text}",
    )
    return instruction


@transaction.atomic
def referral_create(
    *,
    user: User,
    report_id: int,
    referred_on: dt.date | None,
    handling_unit_id: int | None = None,
    department: str = "",
    note: str = "",
) -> Referral:
    """转办: send the report to a department for handling (a handling unit of the committee, or
    a department named in words). Who: the 社情民意信息处, once the report is published."""
    report = _outcome_report(user, report_id)
    unit = None
    if handling_unit_id:
        unit = HandlingUnit.objects.filter(
            pk=handling_unit_id, committee_id=report.committee_id, is_active=True
        ).first()
        if unit is None:
            raise _field_error("handling_unit", _("所选部门不存在或已停用。"))
    name = unit.name if unit is not None else _text(department, "department", limit=100)
    referral = Referral.objects.create(
        report=report,
        handling_unit=unit,
        department=name,
        referred_on=_past_day(referred_on, "referred_on"),
        note=_text(note, "note", required=False, limit=300),
        recorded_by=user,
    )
    audit_record(
        verb="opinion_referral_create",
        actor=user,
        obj=report,
        role=OFFICE,
        data={"department": name, "referred_on": referral.referred_on.isoformat()},
    )
    notices.tell_credited(
        report,
        f"referral:{referral.pk}",
        _("您报送的社情民意信息已转%(department)s办理") % {"department": name},
    )
    return referral


@transaction.atomic
def referral_reply(
    *,
    user: User,
    referral_id: int,
    reply_text: str,
    replied_on: dt.date | None,
    letter: File | None = None,
) -> Referral:
    """Record the department's reply letter (回函), closing the referral. Who: the 社情民意信息处.
    A scan of the letter may be attached (checked like attachments)."""
    report_id = Referral.objects.filter(pk=referral_id).values_list("report_id", flat=True).first()
    if report_id is None:
        raise NotFound(_("未找到该转办记录。"))
    report = _outcome_report(user, report_id)
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if referral.status == ReferralStatus.REPLIED:
        raise Conflict(_("该转办已登记回函。"))
    text = _text(reply_text, "reply_text")
    day = _past_day(replied_on, "replied_on")
    if day < referral.referred_on:
        raise _field_error("replied_on", _("回函日期不能早于转办日期。"))
    if letter is not None:
        settings = opinion_settings_for(report.committee)
        checked = check_upload(
            letter,
            allowed_extensions=settings.allowed_extensions,
            max_bytes=settings.attachment_max_bytes,
        )
        referral.reply_letter.save(checked.name, letter, save=False)
        referral.reply_letter_name = checked.name
    referral.status = ReferralStatus.REPLIED
    referral.reply_text = text
    referral.replied_on = day
    referral.save()
    audit_record(
        verb="opinion_referral_reply",
        actor=user,
        obj=report,
        role=OFFICE,
        data={"department": referral.department, "text": text[:500], "replied_on": day.isoformat()},
    )
    notices.tell_credited(
        report,
        f"referral-reply:{referral.pk}",
        _("%(department)s已回函：%(title)s")
        % {"department": referral.department, "title": report.title},
        text,
    )
    return referral
