"""A report's timeline: every step written to the audit log for it, oldest first, as the viewer
may see it — with what each step means for the submitter (the reason of a return, the issue it
was published in, the level of an adoption, the text of a 批示, the department and its reply).

One query (plus the cached content type). The office and leadership see who did each step and
the office's internal back and forth; the submitter and the people credited see every step of
their report, with the office or the leader named by role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.models import AuditEvent

from ..labels import AUDIT_VERB_LABELS
from ..models import InstructionLevel, OpinionReport, ReportStatus, UpwardTarget

# Steps between the office and the leader that the submitter does not need to see.
INTERNAL_VERBS = frozenset({"opinion_send_back", "opinion_issue_add", "opinion_issue_remove"})
# Steps people outside the office see with the role instead of the person.
ROLE_LABELS = {
    **dict(Role.choices),
    "liaison": gettext_lazy("信息联络员"),
    "system": gettext_lazy("系统"),
}
STATE_LABELS = dict(ReportStatus.choices)
# Outcomes: the steps the submitter waits for (highlighted on the timeline).
OUTCOME_VERBS = frozenset(
    {
        "opinion_compile",
        "opinion_report_upward",
        "opinion_report_upward_again",
        "opinion_adoption_record",
        "opinion_instruction_record",
        "opinion_referral_create",
        "opinion_referral_reply",
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: dt.datetime
    verb: str
    label: str
    actor: str
    role_label: str
    detail: str
    from_label: str
    to_label: str
    is_outcome: bool


def _day(value: Any) -> str:
    day = parse_date(str(value or ""))
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _detail(verb: str, data: dict[str, Any], staff: bool) -> str:
    """What the step means, in one line."""
    if verb in ("opinion_return", "opinion_decline"):
        return _("理由：%(reason)s") % {"reason": data.get("reason", "")}
    if verb == "opinion_compile":
        return str(data.get("issue", ""))
    if verb in ("opinion_report_upward", "opinion_report_upward_again"):
        target = data.get("target", "")
        label = UpwardTarget(target).label if target in UpwardTarget.values else target
        return _("报送%(target)s（%(day)s）") % {"target": label, "day": _day(data.get("sent_on"))}
    if verb == "opinion_adoption_record":
        parts = [
            str(data.get("level", "")),
            str(data.get("publication", "")),
            _day(data.get("adopted_on")),
        ]
        return " · ".join(part for part in parts if part)
    if verb == "opinion_instruction_record":
        level = data.get("level", "")
        level_label = InstructionLevel(level).label if level in InstructionLevel.values else level
        return _("%(leader)s（%(level)s，%(day)s）：%(text)s") % {
            "leader": data.get("leader", ""),
            "level": level_label,
            "day": _day(data.get("instructed_on")),
            "text": data.get("text", ""),
        }
    if verb == "opinion_referral_create":
        return _("转%(department)s办理（%(day)s）") % {
            "department": data.get("department", ""),
            "day": _day(data.get("referred_on")),
        }
    if verb == "opinion_referral_reply":
        return _("%(department)s回函（%(day)s）：%(text)s") % {
            "department": data.get("department", ""),
            "day": _day(data.get("replied_on")),
            "text": data.get("text", ""),
        }
    if verb == "opinion_transfer_receive":
        number = data.get("number") or ""
        return _("来源：提案 %(number)s") % {"number": number} if number else ""
    if verb == "opinion_edit":
        return _("第%(n)s稿") % {"n": data.get("version", "")}
    if verb == "opinion_sign" and data.get("note"):
        return str(data["note"])
    if verb == "opinion_request_signoff" and staff:
        return _("送%(signer)s签发") % {"signer": data.get("signer", "")}
    if verb == "opinion_send_back" and staff:
        return str(data.get("note", ""))
    if verb in ("opinion_coauthor_add", "opinion_coauthor_remove"):
        return str(data.get("name", ""))
    return ""


def report_timeline(*, user: User, report: OpinionReport) -> list[TimelineEntry]:
    """The steps of `report` as `user` may see them (see the module docstring)."""
    report_type = ContentType.objects.get_for_model(OpinionReport)
    events = (
        AuditEvent.objects.filter(content_type=report_type, object_id=str(report.pk))
        .only("occurred_at", "verb", "actor_label", "role", "from_state", "to_state", "data")
        .order_by("occurred_at", "id")
    )
    roles = user_roles(user)
    staff = bool({Role.OPINION_OFFICE, Role.LEADERSHIP, Role.SYSADMIN} & roles)
    entries = []
    for event in events:
        if not staff and event.verb in INTERNAL_VERBS:
            continue
        role = event.role
        by_role = role in (Role.OPINION_OFFICE.value, Role.LEADERSHIP.value, "system")
        entries.append(
            TimelineEntry(
                occurred_at=event.occurred_at,
                verb=event.verb,
                label=str(AUDIT_VERB_LABELS.get(event.verb, event.verb)),
                actor="" if (by_role and not staff) else event.actor_label,
                role_label=str(ROLE_LABELS.get(role, "")),
                detail=_detail(event.verb, event.data or {}, staff),
                from_label=str(STATE_LABELS.get(event.from_state, "")),
                to_label=str(STATE_LABELS.get(event.to_state, "")),
                is_outcome=event.verb in OUTCOME_VERBS,
            )
        )
    return entries
