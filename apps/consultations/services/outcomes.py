"""Outcomes of a held meeting (纪要, 建议案, 协商专报, 调研报告) and their follow-up (领导批示,
采纳落实) until closed. Who: 会务 staff and the meeting's organiser."""

from __future__ import annotations

import datetime as dt

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import NotFound, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update

from ..models import FollowStatus, FollowUp, FollowUpKind, Outcome, OutcomeKind
from ..workflow.actions import MEETING
from ..workflow.common import lock_meeting
from .meetings import check_document

STAFF = "general_office"


@transaction.atomic
def outcome_record(
    *,
    user: User,
    meeting_id: int,
    kind: str,
    title: str,
    summary: str,
    sent_to: str = "",
    sent_on: dt.date | None = None,
    upload: File | None = None,
) -> Outcome:
    """File an outcome of a held meeting, with its summary and (once sent) the date and the
    recipients (党委/政府)."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "record_outcome")
    refuse_control_characters(
        {
            "title": (_("成果标题"), title),
            "summary": (_("成果摘要"), summary),
            "sent_to": (_("报送对象"), sent_to),
        }
    )
    errors: dict[str, str] = {}
    if kind not in OutcomeKind.values:
        errors["kind"] = _("请选择成果类型。")
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("请填写成果标题。")
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("请填写成果摘要。")
    if sent_on is not None and sent_on > clock.today():
        errors["sent_on"] = _("报送日期不能晚于今天。")
    if sent_on is not None and not sent_to.strip():
        errors["sent_to"] = _("请填写报送对象（如市委、市政府）。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    name = ""
    if upload is not None:
        name = check_document(upload).name
    outcome = Outcome.objects.create(
        meeting=meeting,
        committee_id=meeting.committee_id,
        kind=kind,
        title=title[:150],
        summary=summary,
        sent_to=sent_to.strip()[:150],
        sent_on=sent_on,
        file=upload or "",
        original_name=name,
        created_by=user,
    )
    audit_record(
        verb="meeting_outcome_record",
        actor=user,
        obj=meeting,
        role=STAFF,
        data={"outcome": outcome.title, "kind": kind},
    )
    return outcome


def _lock_outcome(outcome_id: int) -> Outcome:
    outcome = Outcome.objects.filter(pk=outcome_id).first()
    if outcome is None:
        raise NotFound(_("未找到该成果。"))
    lock_meeting(outcome.meeting_id)
    return Outcome.objects.select_for_update().select_related("meeting__form").get(pk=outcome_id)


@transaction.atomic
def outcome_mark_sent(*, user: User, outcome_id: int, sent_to: str, sent_on: dt.date) -> Outcome:
    """Record that a filed outcome was sent (to whom, on which day)."""
    outcome = _lock_outcome(outcome_id)
    MEETING.check(user, outcome.meeting, "record_outcome")
    refuse_control_characters({"sent_to": (_("报送对象"), sent_to)})
    if not sent_to.strip():
        raise ValidationFailed(
            _("请填写报送对象（如市委、市政府）。"), extra={"errors": {"sent_to": _("请填写。")}}
        )
    if sent_on > clock.today():
        raise ValidationFailed(
            _("报送日期不能晚于今天。"), extra={"errors": {"sent_on": _("日期有误。")}}
        )
    model_update(
        instance=outcome,
        data={"sent_to": sent_to.strip()[:150], "sent_on": sent_on},
        validate=False,
    )
    audit_record(
        verb="meeting_outcome_sent",
        actor=user,
        obj=outcome.meeting,
        role=STAFF,
        data={"outcome": outcome.title, "sent_on": sent_on.isoformat()},
    )
    return outcome


@transaction.atomic
def follow_up_record(
    *,
    user: User,
    outcome_id: int,
    kind: str,
    text: str,
    happened_on: dt.date,
    leader: str = "",
    level: str = "",
    close: bool = False,
) -> FollowUp:
    """Record a leader's instruction (批示: leader, level, text, date) or an adoption note on
    a sent outcome; `close` marks the outcome's follow-up closed (已闭环), otherwise it is
    跟踪落实中."""
    outcome = _lock_outcome(outcome_id)
    MEETING.check(user, outcome.meeting, "follow_up")
    refuse_control_characters(
        {
            "text": (_("批示或落实内容"), text),
            "leader": (_("批示领导"), leader),
            "level": (_("领导层级"), level),
        }
    )
    errors: dict[str, str] = {}
    if kind not in FollowUpKind.values:
        errors["kind"] = _("请选择类型。")
    if not (text or "").strip():
        errors["text"] = _("请填写批示或落实内容。")
    if kind == FollowUpKind.INSTRUCTION and not leader.strip():
        errors["leader"] = _("请填写批示领导。")
    if happened_on > clock.today():
        errors["happened_on"] = _("日期不能晚于今天。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    follow_up = FollowUp.objects.create(
        outcome=outcome,
        kind=kind,
        leader=leader.strip()[:60],
        level=level.strip()[:40],
        text=text.strip(),
        happened_on=happened_on,
        recorded_by=user,
    )
    status = FollowStatus.CLOSED if close else FollowStatus.FOLLOWING
    previous = outcome.follow_status
    model_update(instance=outcome, data={"follow_status": status}, validate=False)
    audit_record(
        verb="meeting_follow_up_record",
        actor=user,
        obj=outcome.meeting,
        role=STAFF,
        from_state=previous,
        to_state=status,
        data={"outcome": outcome.title, "kind": kind},
    )
    return follow_up
