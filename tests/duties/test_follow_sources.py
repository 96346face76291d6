"""The record follows its sources within seconds: every source change writes an audit event in
its transaction; when it commits, the observer's task refreshes the members concerned. Driven
through the real workflows of proposals, consultations and opinions (nothing is written into
the duty tables by hand), and nothing is queued when a transaction rolls back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from apps.duties.models import DutyRecord, DutySummary

from .conftest import install, membership_of, summary_of

pytestmark = pytest.mark.django_db


def record(user, key: str) -> DutyRecord:
    return DutyRecord.objects.get(membership=membership_of(user), source_key=key)


def test_a_proposal_marked_key_changes_the_score(
    proposals, leader_user, member_user, jinan_rules, year, on_commit
):
    """济南: the first accepted proposal fulfils the minimum (0 points); marked 重点 it adds +5
    — the score moves from 0 to 5 as soon as the marking commits."""
    from apps.proposals import services as proposal_services

    with on_commit():
        proposal = proposals.accepted()
    fact = record(member_user, f"proposal:{proposal.pk}")
    assert fact.accepted and not fact.is_key and fact.role == "first"
    assert summary_of(member_user, year).score == Decimal(0)

    with on_commit():
        proposal_services.proposal_mark_key(
            user=leader_user,
            proposal_id=proposal.pk,
            supervising_leader_id=leader_user.pk,
            mode="supervise",
        )
    assert record(member_user, f"proposal:{proposal.pk}").is_key
    summary = summary_of(member_user, year)
    assert summary.score == Decimal(5)
    key_lines = [
        line
        for category in summary.breakdown["categories"]
        for line in category["lines"]
        if line["code"] == "proposal.key"
    ]
    assert [(line["source_key"], line["points"]) for line in key_lines] == [
        (f"proposal:{proposal.pk}", "5.00")
    ]
    assert key_lines[0]["url"] == f"/proposals/{proposal.pk}/"


def test_a_co_signer_gets_the_proposal_too(
    proposals, standing_user, tongcheng_rules, year, on_commit
):
    """桐城: a joint proposal (李红梅 first, 陈志强 co-signing): submitted, the co-signer's
    record appears with 2 signers; his share of 提交 10 is 10 × 1/2 ÷ 1 = 5."""
    from apps.proposals import workflow

    with on_commit():
        draft = proposals.draft(cosigners=[standing_user], kind="joint")
        workflow.proposal_submit(user=proposals.member, proposal_id=draft.pk)
    fact = record(standing_user, f"proposal:{draft.pk}")
    assert (fact.role, fact.signers, fact.accepted) == ("cosigner", 2, False)
    proposals_category = next(
        c
        for c in summary_of(standing_user, year).breakdown["categories"]
        if c["key"] == "proposals"
    )
    assert proposals_category["subtotal"] == "5.00"


def test_an_attendance_correction_changes_the_score(
    meetings, meeting_office, member_user, jinan_rules, on_commit
):
    """A plenary session the member did not check in to is settled 缺席 (济南 −30); the office
    corrects it to 出席: the deduction goes and 出席全体会议 is met, at once."""
    from apps.consultations import services as consultation_services
    from apps.consultations import workflow
    from apps.consultations.models import Invitation
    from tests.consultations.conftest import END, NOW, START, at

    with at(NOW), on_commit():
        meeting = meetings.noticed(
            form_id=meetings.forms["全体会议"].pk, title="政协第十四届第四次会议"
        )
    with at(START), on_commit():
        workflow.meeting_start(user=meeting_office, meeting_id=meeting.pk)
    with at(END), on_commit():
        workflow.meeting_end(user=meeting_office, meeting_id=meeting.pk)
    year = START.year
    fact = record(member_user, f"meeting:{meeting.pk}")
    assert (fact.meeting_type, fact.attendance) == ("plenary", "absent")
    summary = summary_of(member_user, year)
    absence = next(c for c in summary.breakdown["categories"] if c["key"] == "absence")
    assert absence["subtotal"] == "-30.00"
    assert summary.minimums_met is False

    invitation = Invitation.objects.get(meeting=meeting, membership=membership_of(member_user))
    with at(END), on_commit():
        consultation_services.attendance_set(
            user=meeting_office, invitation_id=invitation.pk, status="present", note="补签"
        )
    assert record(member_user, f"meeting:{meeting.pk}").attendance == "present"
    summary = summary_of(member_user, year)
    absence = next(c for c in summary.breakdown["categories"] if c["key"] == "absence")
    assert absence["subtotal"] == "0.00"
    plenary = next(m for m in summary.breakdown["minimums"] if m["key"] == "plenary")
    assert plenary["met"] is True


def test_an_opinion_adoption_reaches_the_record(
    opinions, opinion_editor, member_user, liaison_user, city, year, on_commit
):
    """A rule set giving 8 points for 上级采用: a published report is used (编发); when the
    office records its adoption by 省政协, the record carries the level and the score gains 8."""
    from apps.opinions import services as opinion_services
    from apps.opinions.selectors import adoption_level_list

    definition = {
        "categories": [
            {
                "key": "opinions",
                "name": "社情民意信息",
                "section": "base",
                "items": [
                    {"code": "opinion.used", "points": 4},
                    {"code": "opinion.adopted", "points": 8},
                ],
            }
        ],
        "grades": [{"label": "合格", "min": 0}],
        "minimums": [],
    }
    with on_commit():
        install(liaison_user, city, year, "tongcheng-2019", **definition)
    with on_commit():
        report = opinions.compiled()
    fact = record(member_user, f"opinion:{report.pk}")
    assert fact.accepted and fact.adopted == []
    assert summary_of(member_user, year).score == Decimal(4)

    level = next(lv for lv in adoption_level_list(committee=city) if lv.name == "省政协采用")
    with on_commit():
        opinion_services.adoption_record(
            user=opinion_editor,
            report_id=report.pk,
            level_id=level.pk,
            adopted_on=dt.date(2026, 6, 15),
        )
    assert record(member_user, f"opinion:{report.pk}").adopted == ["省政协采用"]
    assert summary_of(member_user, year).score == Decimal(12)


def test_nothing_is_queued_when_the_transaction_rolls_back(
    proposals, member_user, jinan_rules, on_commit
):
    """A failed change leaves no refresh behind: the audit event rolled back with it, and the
    callback that would have queued the task is dropped."""
    before = DutySummary.objects.count()
    with on_commit():
        try:
            with transaction.atomic():
                proposals.submitted()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not DutyRecord.objects.filter(membership=membership_of(member_user)).exists()
    assert DutySummary.objects.count() == before


def test_refresh_is_idempotent(proposals, member_user, jinan_rules, year, on_commit):
    """Running the refresh again writes nothing: no record changes, the summary untouched."""
    from apps.duties.services import duty_refresh

    with on_commit():
        proposals.accepted()
    summary = summary_of(member_user, year)
    assert duty_refresh(membership_ids=[membership_of(member_user).pk], year=year) == 0
    again = summary_of(member_user, year)
    assert again.computed_at == summary.computed_at
