"""What one member's 年度履职报告 says, assembled from the duties app's maintained rows (the
member's DutyRecord rows of the year and their DutySummary) and the roster: basics, meetings,
proposals, social-opinion reports with adoption and 批示, speeches, study, activities, the score
with its explained breakdown and the grade.

`contents_for` builds many members' reports in a fixed number of queries (a chunk of a batch);
the result is plain JSON, stored on the AnnualReport row, shown by the web page and the PDF.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.core.pdf import committee_title
from apps.duties.models import DutyRecord, DutySummary, RecordKind
from apps.duties.selectors import rank_label
from apps.duties.web.common import record_note
from apps.members.models import Membership
from apps.organisation.models import SpecialCommittee

# Activity types that are study (学习培训, 读书, 文史资料) rather than fieldwork.
STUDY_TYPES = frozenset({"training", "reading", "history"})
ATTENDED = ("present", "late", "early")


def _sections() -> list[tuple[str, str]]:
    return [
        ("meetings", _("参加会议和活动")),
        ("proposals", _("提交提案")),
        ("opinions", _("报送社情民意信息")),
        ("speeches", _("会议发言")),
        ("study", _("学习培训")),
        ("activities", _("调研视察等履职活动")),
    ]


def _section_of(record: DutyRecord) -> str:
    if record.kind == RecordKind.MEETING:
        return "meetings"
    if record.kind == RecordKind.PROPOSAL:
        return "proposals"
    if record.kind == RecordKind.OPINION:
        return "opinions"
    if record.kind == RecordKind.SPEECH:
        return "speeches"
    if record.kind == RecordKind.STUDY or (
        record.kind == RecordKind.ACTIVITY and record.level in STUDY_TYPES
    ):
        return "study"
    return "activities"


def _summary_lines(section: str, records: list[DutyRecord]) -> str:
    """One sentence of totals per section (the part a nominating body reads first)."""
    if not records:
        return _("本年度无记录。")
    if section == "meetings":
        attendance = Counter(record.attendance for record in records)
        attended = sum(attendance[key] for key in ATTENDED)
        return _(
            "应出席 %(total)s 次，出席 %(attended)s 次，请假 %(leave)s 次，缺席 %(absent)s 次。"
        ) % {
            "total": len(records),
            "attended": attended,
            "leave": attendance["leave"],
            "absent": attendance["absent"],
        }
    if section == "proposals":
        first = sum(record.role == "first" for record in records)
        accepted = sum(record.accepted for record in records)
        key = sum(record.is_key for record in records)
        return _(
            "共 %(total)s 件，其中作为第一提案人 %(first)s 件，"
            "立案 %(accepted)s 件，重点提案 %(key)s 件。"
        ) % {"total": len(records), "first": first, "accepted": accepted, "key": key}
    if section == "opinions":
        used = sum(record.accepted for record in records)
        adopted = sum(bool(record.adopted) for record in records)
        instructions = sum(record.instructions for record in records)
        return _(
            "共 %(total)s 篇，编发 %(used)s 篇，获各级采用 %(adopted)s 篇，获领导批示 %(n)s 次。"
        ) % {"total": len(records), "used": used, "adopted": adopted, "n": instructions}
    if section == "speeches":
        written = sum(record.level == "written" for record in records)
        return _("共 %(total)s 次，其中书面发言 %(written)s 次。") % {
            "total": len(records),
            "written": written,
        }
    return _("共 %(total)s 次。") % {"total": len(records)}


def _breakdown(summary: DutySummary | None) -> dict[str, Any]:
    """The score's explained breakdown as the report prints it: each category's lines and
    subtotal, the minimums, the general lines (base, caps, floors)."""
    if summary is None or not summary.breakdown:
        return {"categories": [], "minimums": [], "general": []}
    data = summary.breakdown
    return {
        "categories": [
            {
                "name": category.get("name", ""),
                "subtotal": category.get("subtotal", ""),
                "lines": [
                    {
                        "label": line.get("record") or line.get("label", ""),
                        "points": line.get("points", ""),
                        "note": line.get("note", ""),
                    }
                    for line in category.get("lines", [])
                ],
            }
            for category in data.get("categories", [])
        ],
        "minimums": [
            {
                "label": item.get("label", ""),
                "required": item.get("required", 0),
                "done": item.get("done", 0),
                "met": bool(item.get("met")),
            }
            for item in data.get("minimums", [])
        ],
        "general": [
            {"label": line.get("label", ""), "points": line.get("points", "")}
            for line in data.get("general", [])
        ],
    }


def contents_for(*, membership_ids: Sequence[int], year: int) -> dict[int, dict[str, Any]]:
    """Each membership's report content for `year` (four queries whatever the number)."""
    memberships = (
        Membership.objects.filter(pk__in=list(membership_ids))
        .select_related("member", "sector", "term", "committee", "group")
        .prefetch_related(
            Prefetch(
                "special_committees",
                queryset=SpecialCommittee.objects.order_by("sort_order", "id"),
            )
        )
    )
    summaries = {
        summary.membership_id: summary
        for summary in DutySummary.objects.filter(
            membership_id__in=list(membership_ids), year=year
        ).select_related("rule_set")
    }
    records: dict[int, list[DutyRecord]] = defaultdict(list)
    for record in DutyRecord.objects.filter(
        membership_id__in=list(membership_ids), year=year
    ).order_by("membership_id", "date", "id"):
        records[record.membership_id].append(record)
    result: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        result[membership.pk] = _content(
            membership, year, summaries.get(membership.pk), records.get(membership.pk, [])
        )
    return result


def _content(
    membership: Membership, year: int, summary: DutySummary | None, records: list[DutyRecord]
) -> dict[str, Any]:
    grouped: dict[str, list[DutyRecord]] = defaultdict(list)
    for record in records:
        grouped[_section_of(record)].append(record)
    member = membership.member
    sections = [
        {
            "key": key,
            "title": title,
            "summary": _summary_lines(key, grouped.get(key, [])),
            "rows": [
                {
                    "date": record.date.isoformat(),
                    "label": record.label,
                    "note": record_note(record) or record.get_kind_display(),
                }
                for record in grouped.get(key, [])
            ],
        }
        for key, title in _sections()
    ]
    score = summary.score if summary is not None else None
    return {
        "year": year,
        "committee": membership.committee.name,
        "committee_title": committee_title(membership.committee.name),
        "basics": {
            "name": member.name,
            "gender": member.get_gender_display(),
            "sector": membership.sector.name,
            "party": membership.get_party_display(),
            "position": membership.get_position_display(),
            "special_committees": [sc.name for sc in membership.special_committees.all()],
            "group": membership.group.name if membership.group else "",
            "work_unit": membership.work_unit,
            "job_title": membership.job_title,
            "nominated_by": membership.nominated_by,
            "term": str(membership.term),
            "is_standing": membership.is_standing,
        },
        "sections": sections,
        "records": len(records),
        "score": {
            "total": str(score) if score is not None else None,
            "grade": summary.grade if summary is not None else "",
            "passed": summary.passed if summary is not None else None,
            "minimums_met": summary.minimums_met if summary is not None else None,
            "rank": rank_label(summary.rank_band) if summary is not None else "",
            "rule_set": summary.rule_set.name
            if summary is not None and summary.rule_set is not None
            else "",
            "breakdown": _breakdown(summary),
        },
    }
