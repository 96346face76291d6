"""The scoring items: what a rule can give points for, and which items a record counts as.

A record (one fact from a source) counts as one or more items: a proposal as 提交 and, once
accepted, 立案, 重点, 优秀; a meeting as 出席/请假/缺席/迟到/早退 of its category; an activity
meeting attended also as the activity itself (调研, 视察 …), like a verified filing of that type.
Rules name items by code (``proposal.accepted``, ``meeting.plenary.absent``,
``activity.research``); activity codes follow the committee's activity types.

Adoption of a social-opinion report (采用) is scored either per level or not at all by level:
``opinion.adopted.<level key>`` is one item per level of the committee's own list above its
bulletin (市委、市政府采用, 省政协采用, 全国政协单篇采用 …; the key is the level's id, so a
renamed level keeps its points), counted once for every level a report was adopted at;
``opinion.adopted`` (the older item, kept so older rule sets stay valid) counts a report once
if it was adopted at any of those levels. A rule set uses one way or the other, not both
(validate.py). The bulletin's own level (本级编发) is ``opinion.used``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    "opinion.adopted": _("社情民意信息被上级采用（不分层级，每篇计一次）"),
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
# One item per adoption level: "opinion.adopted.<level key>".
ADOPTION_PREFIX = "opinion.adopted."
ANY_ADOPTION = "opinion.adopted"
# Items a joint proposal's points may be split on (first proposer half, co-signers the rest).
SPLIT_ITEMS = frozenset(code for code in FIXED_ITEMS if code.startswith("proposal."))
ROLE_LABELS: dict[str, Any] = {
    "first": _("第一提案人"),
    "cosigner": _("附议人"),
    "collective": _("集体提案"),
    "co": _("联名"),
    "merged": _("合并计入"),
}


def adoption_code(level_key: str) -> str:
    """The item code of one adoption level ("opinion.adopted.12")."""
    return f"{ADOPTION_PREFIX}{level_key}"


def is_adoption_level(code: str) -> bool:
    return code.startswith(ADOPTION_PREFIX) and len(code) > len(ADOPTION_PREFIX)


def is_role_item(code: str) -> bool:
    """Items whose points depend on the role (first proposer / co-signer / collective; an
    opinion report's 报送人 / 联名)."""
    return code in ROLE_ITEMS or is_adoption_level(code)


@dataclass(frozen=True)
class AdoptionLevelInfo:
    """An adoption level above the committee's bulletin, as the opinions app describes it
    (through the "duty_adoption_levels" hand-off): `key` stays when the level is renamed."""

    key: str
    name: str
    active: bool = True

    @property
    def code(self) -> str:
        return adoption_code(self.key)


def adoption_codes(levels: Sequence[AdoptionLevelInfo]) -> dict[str, str]:
    """{level name: item code} — what `record_items` needs (records carry the level names)."""
    return {level.name: level.code for level in levels}


def item_labels(
    activity_types: Mapping[str, str], adoption_levels: Sequence[AdoptionLevelInfo] = ()
) -> dict[str, str]:
    """Every item code with its label (in display order): the fixed items, one
    ``opinion.adopted.<key>`` per adoption level of the committee above its bulletin (lowest
    first; a level switched off is still named, so older rules and records keep their label)
    and one ``activity.<code>`` per activity type ({code: name})."""
    labels: dict[str, str] = {}
    for mtype, mlabel in MEETING_TYPES.items():
        for status, slabel in ATTENDANCE.items():
            labels[f"meeting.{mtype}.{status}"] = gettext("%(meeting)s · %(status)s") % {
                "meeting": mlabel,
                "status": slabel,
            }
    for code, label in OTHER_ITEMS.items():
        labels[code] = str(label)
        if code == ANY_ADOPTION:
            for level in adoption_levels:
                labels[level.code] = (
                    gettext("社情民意信息被采用 · %(level)s")
                    if level.active
                    else gettext("社情民意信息被采用 · %(level)s（已停用）")
                ) % {"level": level.name}
    for code, name in activity_types.items():
        labels[f"activity.{code}"] = gettext("履职活动 · %(name)s") % {"name": name}
    return labels


@dataclass(frozen=True)
class Hit:
    """One item a record counts as (the record is given by its index in the scored list)."""

    code: str
    record: int
    role: str = ""


def record_items(record: Any, levels: Mapping[str, str] | None = None) -> list[str]:
    """The item codes one record counts as. `record` has the DutyFact attributes (a DutyRecord
    row or a DutyFact); `levels` maps the committee's adoption level names to their item codes
    ({"省政协采用": "opinion.adopted.12"}): a report adopted at a level counts as that level's
    item (a name the committee no longer has counts only as ``opinion.adopted``)."""
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
            codes.append(ANY_ADOPTION)
            for name in record.adopted:
                code = (levels or {}).get(name)
                if code and code not in codes:
                    codes.append(code)
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
