"""The scoring items: what a rule can give points for, and which items a record counts as.

A record (one fact from a source) counts as one or more items: a proposal as 提交 and, once
accepted, 立案, 重点, 优秀; a meeting as 出席/请假/缺席/迟到/早退 of its category; an activity
meeting attended also as the activity itself (调研, 视察 …), like a verified filing of that type.
Rules name items by code (``proposal.accepted``, ``meeting.plenary.absent``,
``activity.research``); activity codes follow the committee's activity types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MEETING_TYPES: dict[str, Any] = {
    "plenary": _("全体会议"),
    "standing": _("常委会议"),
    "other": _("其他会议"),
    "activity": _("视察调研等活动"),
    "study": _("学习培训"),
}
ATTENDANCE: dict[str, Any] = {
    "present": _("出席"),
    "leave": _("请假"),
    "absent": _("无故缺席"),
    "late": _("迟到"),
    "early": _("早退"),
}
ATTENDED = frozenset({"present", "late", "early"})

OTHER_ITEMS: dict[str, Any] = {
    "speech.oral": _("会议口头发言"),
    "speech.written": _("会议书面发言"),
    "online.comment": _("参与网络议政（码上商量）"),
    "studio.present": _("委员工作室/接待日值班"),
    "studio.leave": _("委员工作室/接待日值班请假"),
    "studio.absent": _("委员工作室/接待日值班缺席"),
    "proposal.submitted": _("提交提案"),
    "proposal.accepted": _("提案立案"),
    "proposal.key": _("重点提案"),
    "proposal.excellent": _("优秀提案"),
    "opinion.submitted": _("报送社情民意信息"),
    "opinion.used": _("社情民意信息被编发"),
    "opinion.adopted": _("社情民意信息被上级采用"),
    "opinion.instruction": _("社情民意信息获领导批示"),
    "study.submitted": _("提交学习材料（心得体会、研讨发言等）"),
    "study.adopted": _("学习材料被采用"),
    "study.compiled": _("学习材料编入汇编"),
    "study.reading": _("参加读书活动（读书打卡）"),
}
# Items that do not depend on the committee's activity types, in display order.
FIXED_ITEMS: tuple[str, ...] = (
    *(f"meeting.{mtype}.{status}" for mtype in MEETING_TYPES for status in ATTENDANCE),
    *OTHER_ITEMS,
)
# Items whose points depend on the role (first proposer / co-signer / collective).
ROLE_ITEMS = frozenset(code for code in FIXED_ITEMS if code.startswith(("proposal.", "opinion.")))
# Items a joint proposal's points may be split on (first proposer half, co-signers the rest).
SPLIT_ITEMS = frozenset(code for code in FIXED_ITEMS if code.startswith("proposal."))
ROLE_LABELS: dict[str, Any] = {
    "first": _("第一提案人"),
    "cosigner": _("附议人"),
    "collective": _("集体提案"),
    "co": _("联名"),
    "merged": _("合并计入"),
}


def item_labels(activity_types: Mapping[str, str]) -> dict[str, str]:
    """Every item code with its label (in display order): the fixed items and one
    ``activity.<code>`` per activity type of the committee ({code: name})."""
    labels: dict[str, str] = {}
    for mtype, mlabel in MEETING_TYPES.items():
        for status, slabel in ATTENDANCE.items():
            labels[f"meeting.{mtype}.{status}"] = gettext("%(meeting)s · %(status)s") % {
                "meeting": mlabel,
                "status": slabel,
            }
    labels.update({code: str(label) for code, label in OTHER_ITEMS.items()})
    for code, name in activity_types.items():
        labels[f"activity.{code}"] = gettext("履职活动 · %(name)s") % {"name": name}
    return labels


@dataclass(frozen=True)
class Hit:
    """One item a record counts as (the record is given by its index in the scored list)."""

    code: str
    record: int
    role: str = ""


def record_items(record: Any) -> list[str]:
    """The item codes one record counts as. `record` has the DutyFact attributes (a DutyRecord
    row or a DutyFact)."""
    kind = record.kind
    if kind == "proposal":
        codes = ["proposal.submitted"]
        if record.accepted:
            codes.append("proposal.accepted")
        if record.is_key:
            codes.append("proposal.key")
        if record.is_excellent:
            codes.append("proposal.excellent")
        return codes
    if kind == "meeting":
        codes = [f"meeting.{record.meeting_type}.{record.attendance}"]
        if record.meeting_type == "activity" and record.attendance in ATTENDED and record.level:
            codes.append(f"activity.{record.level}")
        return codes
    if kind == "speech":
        return [f"speech.{record.level or 'oral'}"]
    if kind == "online":
        return ["online.comment"]
    if kind == "studio":
        return [f"studio.{record.attendance or 'present'}"]
    if kind == "opinion":
        codes = [] if record.role == "merged" else ["opinion.submitted"]
        if record.accepted:
            codes.append("opinion.used")
        if record.adopted:
            codes.append("opinion.adopted")
        codes.extend(["opinion.instruction"] * int(record.instructions or 0))
        return codes
    if kind == "study" and record.role == "reading":
        return ["study.reading"]
    if kind == "study":
        codes = ["study.submitted"]
        if record.accepted:
            codes.append("study.adopted")
        if record.level == "compiled":
            codes.append("study.compiled")
        return codes
    if kind == "activity":
        return [f"activity.{record.level}"]
    return []
