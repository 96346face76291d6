"""Both presets (济南 2015, 桐城 2019) and the 党员委员“六个一” checklist scored on hand-computed
examples. Each example writes its arithmetic out; the totals must equal the sum of the
explained lines (every point traces to a record, caps and splits are lines of their own).

Pure: the scorer reads records with the DutyFact attributes; no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from apps.duties.models import DEFAULT_ACTIVITY_TYPES
from apps.duties.rules.items import item_labels
from apps.duties.rules.library import preset_get
from apps.duties.rules.schema import definition_from_dict
from apps.duties.rules.scoring import ScoreResult, score_year

LABELS = item_labels(dict(DEFAULT_ACTIVITY_TYPES))


@dataclass
class Rec:
    """A record as the scorer sees it (a DutyRecord has the same attributes)."""

    kind: str
    source_key: str
    date: dt.date
    label: str = ""
    source_url: str = ""
    role: str = ""
    meeting_type: str = ""
    attendance: str = ""
    level: str = ""
    accepted: bool = False
    is_key: bool = False
    is_excellent: bool = False
    adopted: tuple[str, ...] = ()
    instructions: int = 0
    signers: int = 1

    def __post_init__(self) -> None:
        self.label = self.label or self.source_key
        self.source_url = self.source_url or f"/x/{self.source_key}/"


def day(month: int, date: int = 1) -> dt.date:
    return dt.date(2026, month, date)


def plenary(key: str, attendance: str, month: int = 1) -> Rec:
    return Rec("meeting", key, day(month, 15), meeting_type="plenary", attendance=attendance)


def meeting(key: str, mtype: str, attendance: str, month: int = 3) -> Rec:
    return Rec("meeting", key, day(month), meeting_type=mtype, attendance=attendance)


def proposal(key: str, month: int, role: str = "first", **facts: object) -> Rec:
    return Rec("proposal", key, day(month), role=role, **facts)  # type: ignore[arg-type]


def activity(key: str, code: str, month: int = 5) -> Rec:
    return Rec("activity", key, day(month), level=code)


def score(preset: str, records: list[Rec], **kwargs: object) -> ScoreResult:
    found = preset_get(preset)
    assert found is not None
    return score_year(
        definition_from_dict(found.definition),
        records,
        labels=LABELS,
        checklist=found.kind == "checklist",
        **kwargs,  # type: ignore[arg-type]
    )


def category(result: ScoreResult, key: str):  # type: ignore[no-untyped-def]
    return next(c for c in result.categories if c.key == key)


def lines_add_up(result: ScoreResult) -> None:
    """Every subtotal is the sum of its lines, and the total the sum of everything."""
    total = Decimal(0)
    for item in result.categories:
        assert sum((line.points for line in item.lines), Decimal(0)) == item.subtotal
        total += item.subtotal
    total += sum((line.points for line in result.general), Decimal(0))
    assert total == result.total


# 济南 (2015) -----------------------------------------------------------------------------


def test_jinan_excellent_member_with_extra_proposals_key_excellent_and_welfare_cap():
    """三个一 met → base 70.
    提案加分 (first proposer only; the first accepted one fulfils the minimum):
      P1 accepted → 第1件不计分 0; P2 accepted +5; P3 accepted +5 → 10
      P2 重点 +5; P3 优秀 +10 → 提案加分 = 10 + 5 + 10 = 25
      P4 submitted, not accepted → nothing; P5 co-signed and accepted → 附议人 0
    公益: 6 activities × 2 = 12, cap 10 → a cap line of −2 → 10
    bonus 25 + 10 = 35 (under the 50 cap); no deductions.
    total = 70 + 35 = 105 → 优秀 (≥ 85)."""
    records = [
        plenary("meeting:1", "present"),
        proposal("proposal:1", 2, accepted=True),
        proposal("proposal:2", 3, accepted=True, is_key=True),
        proposal("proposal:3", 4, accepted=True, is_excellent=True),
        proposal("proposal:4", 5),
        proposal("proposal:5", 6, role="cosigner", accepted=True, signers=2),
        activity("filing:1", "research"),
        *[activity(f"filing:w{n}", "welfare", month=n + 1) for n in range(6)],
    ]
    result = score("jinan-2015", records)
    assert result.minimums_met is True
    assert [line.points for line in result.general] == [Decimal(70)]
    proposals = category(result, "proposals")
    accepted = [line for line in proposals.lines if line.code == "proposal.accepted"]
    assert [(line.kind, line.source_key, line.points) for line in accepted] == [
        ("exempt", "proposal:1", Decimal(0)),
        ("item", "proposal:2", Decimal(5)),
        ("item", "proposal:3", Decimal(5)),
        ("item", "proposal:5", Decimal(0)),  # 附议人: 0 points, still traced
    ]
    assert proposals.subtotal == Decimal(25)
    welfare = category(result, "welfare")
    assert [line.kind for line in welfare.lines][-1] == "cap"
    assert welfare.lines[-1].points == Decimal(-2)
    assert welfare.subtotal == Decimal(10)
    assert result.total == Decimal(105)
    assert result.grade == "优秀"
    assert result.passed is True
    lines_add_up(result)


def test_jinan_competent_member_meets_minimums_only():
    """Plenary attended (late counts as attended), one accepted proposal (第1件: 0), a
    verified 视察 → base 70, no bonus → 70 → 称职 (60 ≤ 70 < 85)."""
    records = [
        plenary("meeting:1", "late"),
        proposal("proposal:1", 2, accepted=True),
        activity("filing:1", "inspection"),
    ]
    result = score("jinan-2015", records)
    assert result.minimums_met is True
    assert result.total == Decimal(70)
    assert result.grade == "称职"
    lines_add_up(result)


def test_jinan_unexcused_plenary_absence_loses_base_and_deducts_floor_zero():
    """Unexcused plenary absence: 出席全体会议 not met → base 70 not given (the preset's
    reading) → 0; deduction −30; a submitted opinion report (0 points) and a 调研 meet the
    other two minimums. 0 − 30 = −30 → floored at 0 (a line of +30) → 0 → 不称职."""
    records = [
        plenary("meeting:1", "absent"),
        Rec("opinion", "opinion:1", day(4), role="first"),
        activity("filing:1", "research"),
    ]
    result = score("jinan-2015", records)
    assert result.minimums_met is False
    assert [m.met for m in result.minimums] == [False, True, True]
    assert category(result, "absence").subtotal == Decimal(-30)
    kinds = [line.kind for line in result.general]
    assert kinds == ["base", "floor"]
    assert result.general[0].points == Decimal(0)
    assert result.general[1].points == Decimal(30)
    assert result.total == Decimal(0)
    assert result.grade == "不称职"
    lines_add_up(result)


def test_jinan_leave_deduction_and_bonus_cap():
    """Approved leave from the plenary: −10 and 出席全体会议 not met (base 0).
    11 accepted first-proposer proposals: the first 0, then 10 × 5 = 50; two of them 重点:
    2 × 5 = 10 → 提案加分 60; bonus cap 50 → a line of −10.
    total = 0 + 50 − 10 = 40 → 不称职 (< 60)."""
    records = [
        plenary("meeting:1", "leave"),
        *[proposal(f"proposal:{n}", 2, accepted=True, is_key=n in (3, 4)) for n in range(1, 12)],
        activity("filing:1", "research"),
    ]
    result = score("jinan-2015", records)
    assert category(result, "proposals").subtotal == Decimal(60)
    assert category(result, "absence").subtotal == Decimal(-10)
    bonus_cap = next(line for line in result.general if line.kind == "bonus_cap")
    assert bonus_cap.points == Decimal(-10)
    assert result.total == Decimal(40)
    assert result.grade == "不称职"
    lines_add_up(result)


# 桐城 (2019) -----------------------------------------------------------------------------


def test_tongcheng_average_meetings_joint_split_caps_and_pass():
    """会议 (average): plenary present 50, standing present 50, other meeting leave 30 →
      (50 + 50 + 30) ÷ 3 = 43.33 (an average line of 43.33 − 130 = −86.67).
    提案: P1 individual, accepted: 10 + 15 = 25.
      P2 joint (3 signers), first proposer, accepted: submitted 10 → split line −5 (10 × 1/2);
      accepted 15 → split line −7.5 → P2 gives 5 + 7.5 = 12.5.
      25 + 12.5 = 37.5, cap 25 → a cap line of −12.5 → 25.
    活动: 调研 2 + 视察 2 + 书面发言 5 + 口头发言 2 = 11, cap 10 → 10.
    社情民意: one report submitted 10, used +5 → 15 (cap 15).
    total = 43.33 + 25 + 10 + 15 = 93.33 → 合格 (≥ 60)."""
    records = [
        plenary("meeting:1", "present"),
        meeting("meeting:2", "standing", "present"),
        meeting("meeting:3", "other", "leave"),
        proposal("proposal:1", 2, accepted=True),
        proposal("proposal:2", 3, accepted=True, signers=3),
        activity("filing:1", "research"),
        activity("filing:2", "inspection"),
        Rec("speech", "speech:1", day(6), level="written", meeting_type="other"),
        Rec("speech", "speech:2", day(7), level="oral", meeting_type="plenary"),
        Rec("opinion", "opinion:1", day(8), role="first", accepted=True),
    ]
    result = score("tongcheng-2019", records)
    meetings = category(result, "meetings")
    average = meetings.lines[-1]
    assert average.kind == "average" and average.points == Decimal("-86.67")
    assert meetings.subtotal == Decimal("43.33")
    proposals = category(result, "proposals")
    splits = [(line.source_key, line.points) for line in proposals.lines if line.kind == "split"]
    assert splits == [("proposal:2", Decimal(-5)), ("proposal:2", Decimal("-7.50"))]
    assert proposals.lines[-1].kind == "cap" and proposals.lines[-1].points == Decimal("-12.50")
    assert proposals.subtotal == Decimal(25)
    assert category(result, "activities").subtotal == Decimal(10)
    assert category(result, "opinions").subtotal == Decimal(15)
    assert result.total == Decimal("93.33")
    assert result.grade == "合格" and result.passed is True
    lines_add_up(result)


def test_tongcheng_cosigner_share_absence_and_fail():
    """会议: plenary absent 0, standing leave 30 → (0 + 30) ÷ 2 = 15.
    提案: co-signer of a joint proposal with 3 signers (accepted): the other half is shared by
      the 2 co-signers — submitted 10 × 1/2 ÷ 2 = 2.5 (split line −7.5), accepted
      15 × 1/2 ÷ 2 = 3.75 (split line −11.25) → 6.25.
      A collective proposal they convened: 集体提案 0 points.
    社情民意: a co-authored report, not used: 联名 10.
    total = 15 + 6.25 + 0 + 10 = 31.25 → 不合格 (< 60)."""
    records = [
        plenary("meeting:1", "absent"),
        meeting("meeting:2", "standing", "leave"),
        proposal("proposal:2", 3, role="cosigner", accepted=True, signers=3),
        proposal("proposal:9", 4, role="collective", accepted=True),
        Rec("opinion", "opinion:1", day(8), role="co"),
    ]
    result = score("tongcheng-2019", records)
    assert category(result, "meetings").subtotal == Decimal(15)
    proposals = category(result, "proposals")
    assert [
        (line.kind, line.points) for line in proposals.lines if line.source_key == "proposal:2"
    ] == [
        ("item", Decimal(10)),
        ("split", Decimal("-7.50")),
        ("item", Decimal(15)),
        ("split", Decimal("-11.25")),
    ]
    collective = [line.points for line in proposals.lines if line.source_key == "proposal:9"]
    assert collective == [Decimal(0), Decimal(0)]
    assert proposals.subtotal == Decimal("6.25")
    assert category(result, "opinions").subtotal == Decimal(10)
    assert result.total == Decimal("31.25")
    assert result.grade == "不合格" and result.passed is False
    lines_add_up(result)


def test_tongcheng_no_records_scores_zero():
    """No meetings (no average to take), nothing else: 0 → 不合格."""
    result = score("tongcheng-2019", [])
    assert result.total == Decimal(0)
    assert result.grade == "不合格"


# 党员委员“六个一” -------------------------------------------------------------------------


def test_six_ones_for_a_cpc_member_five_of_six_met():
    """读书 3 (required 3) ✓; 专题建言: one written speech ✓; 联系界别群众 1 ✓;
    高质量提案: one accepted as first proposer ✓ (a co-signed one would not count);
    高水平社情民意: one used ✓; 招商引资: none ✗."""
    records = [
        *[activity(f"filing:r{n}", "reading", month=n + 1) for n in range(3)],
        Rec("speech", "speech:1", day(6), level="written", meeting_type="other"),
        activity("filing:c1", "contact"),
        proposal("proposal:1", 2, role="cosigner", accepted=True, signers=2),
        proposal("proposal:2", 3, accepted=True),
        Rec("opinion", "opinion:1", day(8), role="first", accepted=True),
    ]
    result = score("six-ones", records, party="cpc")
    assert result.total is None
    assert [(m.label, m.done, m.met) for m in result.minimums] == [
        ("一系列读书活动", 3, True),
        ("一次专题建言活动", 1, True),
        ("为联系的界别群众办一件实事", 1, True),
        ("一件高质量提案", 1, True),
        ("一条高水平社情民意信息", 1, True),
        ("一次招商引资活动", 0, False),
    ]
    assert result.minimums_met is False


def test_six_ones_reading_counts_filings_group_check_ins_and_study_sessions():
    """一系列读书活动: a verified 读书 filing, a reading group's book checked in for and a
    读书班 session attended make three; a session missed (缺席) does not count."""
    records = [
        activity("filing:r1", "reading"),
        Rec("study", "reading:g1:b1", day(3), role="reading"),
        Rec("meeting", "meeting:7", day(4), meeting_type="study", attendance="late"),
        Rec("meeting", "meeting:8", day(5), meeting_type="study", attendance="absent"),
    ]
    result = score("six-ones", records, party="cpc")
    assert (result.minimums[0].label, result.minimums[0].done, result.minimums[0].met) == (
        "一系列读书活动",
        3,
        True,
    )


def test_six_ones_does_not_apply_to_non_party_members():
    result = score("six-ones", [activity("filing:r1", "reading")], party="nonparty")
    assert result.minimums == []
    assert result.minimums_met is None


@pytest.mark.parametrize("key", ["jinan-2015", "tongcheng-2019", "six-ones"])
def test_presets_state_their_reading_of_open_points(key):
    preset = preset_get(key)
    assert preset is not None
    assert definition_from_dict(preset.definition).readings


def test_progress_is_the_score_at_each_month_end():
    """桐城 on 15 June: a proposal in March (提交 10), a 调研 and a 视察 in May (2 + 2): the
    chart's months read 0, 0, 10, 10, 14, 14 — the score of the records up to each month's end —
    with that month's records beside it."""
    import time_machine

    from apps.duties.services.refresh import _progress

    found = preset_get("tongcheng-2019")
    assert found is not None
    records = [
        proposal("p1", 3),
        activity("a1", "research", 5),
        activity("a2", "inspection", 5),
    ]
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)):
        months = _progress(definition_from_dict(found.definition), records, 2026, labels=LABELS)
    assert [(m["month"], m["score"], m["records"]) for m in months] == [
        (1, "0.00", 0),
        (2, "0.00", 0),
        (3, "10.00", 1),
        (4, "10.00", 0),
        (5, "14.00", 2),
        (6, "14.00", 0),
    ]
