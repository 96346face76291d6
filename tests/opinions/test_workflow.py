"""The report's state machine against an independent oracle: every verb from every state, by
the person allowed to take it. A legal step moves the report and writes one audit event; asking
for the state it is already in changes nothing; anything else is refused (409) and changes
nothing either.

The two system steps are taken the way the app takes them, by the bulletin services: 编入期刊
(compile) when the office publishes the issue the report is in, 报送 (report_upward) when it
records the published issue as sent upward."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.core.errors import Conflict
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.opinions import services, workflow
from apps.opinions.models import (
    BulletinIssue,
    IssueStatus,
    OpinionReport,
    ReportStatus,
    ReportVersion,
    UpwardSubmission,
)

from .conftest import force_status

pytestmark = pytest.mark.django_db

STATES = [
    "draft",
    "submitted",
    "returned",
    "declined",
    "accepted",
    "awaiting_signoff",
    "signed",
    "compiled",
    "reported",
    "merged",
]

# Written out by hand from the process (DOMAIN.md §3), not derived from the code's table:
# verb → {state it may start from: state it leads to}.
ORACLE: dict[str, dict[str, str]] = {
    "submit": {"draft": "submitted"},
    "resubmit": {"returned": "submitted"},
    "accept": {"submitted": "accepted"},
    "return": {"submitted": "returned"},
    "decline": {"submitted": "declined"},
    "merge": {"submitted": "merged", "accepted": "merged"},
    "request_signoff": {"accepted": "awaiting_signoff"},
    "sign": {"awaiting_signoff": "signed"},
    "send_back": {"awaiting_signoff": "accepted"},
    # System steps (no person's action): publishing the issue, recording it sent upward.
    "compile": {"signed": "compiled"},
    "report_upward": {"compiled": "reported"},
}
SYSTEM_STEPS = {"compile", "report_upward"}
# Where each verb leads: asking for it there is a harmless no-op.
TARGET = {verb: next(iter(moves.values())) for verb, moves in ORACLE.items()}


def _in_issue(report, editor, *, published: bool) -> BulletinIssue:
    """An issue of the office holding `report` (left in whatever state the test put it in): a
    draft, or one already published with its number."""
    issue = services.issue_create(user=editor)
    OpinionReport.objects.filter(pk=report.pk).update(issue=issue, issue_position=1)
    if published:
        BulletinIssue.objects.filter(pk=issue.pk).update(
            status=IssueStatus.PUBLISHED,
            year=timezone.localdate().year,
            number=1,
            published_at=timezone.now(),
        )
    return issue


def _publish(report, editor):
    """编入期刊: the office publishes the issue the report is in."""
    issue = _in_issue(report, editor, published=False)
    services.issue_publish(user=editor, issue_id=issue.pk)


def _send_upward(report, editor):
    """报送: the office records the published issue holding the report as sent upward."""
    issue = _in_issue(report, editor, published=True)
    services.issue_record_upward(
        user=editor, issue_id=issue.pk, target="superior_cppcc", sent_on=timezone.localdate()
    )


def _run(verb, report, build, target):
    member, editor, leader = build.member, build.editor, build.leader
    calls = {
        "submit": lambda: workflow.report_submit(user=member, report_id=report.pk),
        "resubmit": lambda: workflow.report_resubmit(user=member, report_id=report.pk),
        "accept": lambda: workflow.report_accept(user=editor, report_id=report.pk),
        "return": lambda: workflow.report_return(
            user=editor, report_id=report.pk, reason="请补充数据来源。"
        ),
        "decline": lambda: workflow.report_decline(
            user=editor, report_id=report.pk, reason="已有同类信息。"
        ),
        "merge": lambda: workflow.report_merge(user=editor, report_id=report.pk, into_id=target.pk),
        "request_signoff": lambda: workflow.report_request_signoff(
            user=editor, report_id=report.pk, signer_id=leader.pk
        ),
        "sign": lambda: workflow.report_sign(user=leader, report_id=report.pk),
        "send_back": lambda: workflow.report_send_back(
            user=leader, report_id=report.pk, note="请压缩篇幅。"
        ),
        "compile": lambda: _publish(report, editor),
        "report_upward": lambda: _send_upward(report, editor),
    }
    return calls[verb]()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", list(ORACLE))
def test_every_verb_from_every_state(verb, state, build):
    target = build.accepted(title="关于合并目标的信息")
    report = build.draft()
    extra = {"signer_id": build.leader.pk}
    if state == "merged":
        extra["merged_into_id"] = target.pk if verb != "merge" else build.accepted().pk
    report = force_status(report, state, **extra)
    events_before = AuditEvent.objects.filter(verb=f"opinion_{verb}").count()
    expected = ORACLE[verb].get(state)

    if expected is not None:
        _run(verb, report, build, target)
        report.refresh_from_db()
        assert report.status == expected
        assert AuditEvent.objects.filter(verb=f"opinion_{verb}").count() == events_before + 1
        event = AuditEvent.objects.filter(verb=f"opinion_{verb}").latest("id")
        assert (event.from_state, event.to_state) == (state, expected)
    elif state == TARGET[verb] and verb != "merge":
        _run(verb, report, build, target)  # the harmless no-op
        report.refresh_from_db()
        assert report.status == state
        assert AuditEvent.objects.filter(verb=f"opinion_{verb}").count() == events_before
    else:
        outbox, sent = OutboxMessage.objects.count(), UpwardSubmission.objects.count()
        with pytest.raises(Conflict):
            _run(verb, report, build, target)
        report.refresh_from_db()
        assert report.status == state
        assert AuditEvent.objects.filter(verb=f"opinion_{verb}").count() == events_before
        # Nobody told, nothing recorded as sent upward, no issue published.
        assert (OutboxMessage.objects.count(), UpwardSubmission.objects.count()) == (outbox, sent)
        if verb == "compile":
            assert not BulletinIssue.objects.filter(number__isnull=False).exists()


def test_the_code_table_matches_the_oracle():
    from apps.opinions.workflow import REPORT, REPORT_TRANSITIONS

    assert set(REPORT_TRANSITIONS) == set(ORACLE)
    for verb, moves in ORACLE.items():
        step = REPORT_TRANSITIONS[verb]
        assert set(step.sources) == set(moves)
        assert {step.target} == set(moves.values())
        assert step.system == (verb in SYSTEM_STEPS), verb
    assert set(ReportStatus.values) == set(STATES)
    # No person's action takes a system step.
    assert not {spec.transition for spec in REPORT.specs.values()} & SYSTEM_STEPS


def test_an_issue_with_a_report_not_signed_is_not_published(build):
    """Publishing checks every report of the issue: one that is not (or no longer) 已签发
    refuses the whole issue — no number drawn, no report moved, no adoption, no notice."""
    from apps.notifications.models import OutboxMessage
    from apps.opinions.models import Adoption, BulletinCounter
    from tests.proposals.conftest import db_snapshot

    signed = build.signed()
    issue = services.issue_create(user=build.editor)
    services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=signed.pk)
    other = build.signed(title="关于公交站台无障碍设施缺失的情况反映")
    services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=other.pk)
    force_status(other, ReportStatus.ACCEPTED)
    watched = (OpinionReport, BulletinIssue, BulletinCounter, Adoption, AuditEvent, OutboxMessage)
    before = db_snapshot(*watched)
    with pytest.raises(Conflict, match="不能编入期刊"):
        services.issue_publish(user=build.editor, issue_id=issue.pk)
    assert db_snapshot(*watched) == before
    force_status(other, ReportStatus.SIGNED)
    services.issue_publish(user=build.editor, issue_id=issue.pk)
    statuses = set(OpinionReport.objects.filter(issue=issue).values_list("status", flat=True))
    assert statuses == {ReportStatus.COMPILED}


def test_return_and_resubmission_keep_each_text_as_a_version(build):
    report = build.returned()
    assert report.status == ReportStatus.RETURNED and report.return_count == 1
    assert report.screening_note == "请补充数据。"
    from apps.opinions import services

    services.report_draft_update(
        user=build.member,
        report_id=report.pk,
        situation=report.situation + "补充：涉及三百余部电梯。",
    )
    workflow.report_resubmit(user=build.member, report_id=report.pk)
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [v.kind for v in versions] == ["submitted", "resubmitted"]
    assert "三百余部" in versions[1].situation and "三百余部" not in versions[0].situation


def test_return_needs_a_reason_and_changes_nothing_without_one(build):
    from apps.core.errors import ValidationFailed

    report = build.submitted()
    with pytest.raises(ValidationFailed) as caught:
        workflow.report_return(user=build.editor, report_id=report.pk, reason="  ")
    assert "reason" in caught.value.extra["errors"]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not AuditEvent.objects.filter(verb="opinion_return").exists()


def test_submission_checks_the_length_as_a_chinese_reader_counts(build, city):
    from apps.core.errors import ValidationFailed
    from apps.opinions.selectors import opinion_settings_for

    settings = opinion_settings_for(city)
    settings.body_max_chars = 60
    settings.save()
    # 61 characters of text with spaces and line breaks in between: spaces do not count.
    text = "情况" * 20 + " \n\u3000" + "分析" * 10 + "建"
    report = build.draft(situation=text, analysis="", suggestion="")
    with pytest.raises(ValidationFailed) as caught:
        workflow.report_submit(user=build.member, report_id=report.pk)
    assert set(caught.value.extra["errors"]) >= {"body", "suggestion"}
    fits = build.draft(situation="情况" * 20, analysis="", suggestion="建议" * 10)
    workflow.report_submit(user=build.member, report_id=fits.pk)
    assert OpinionReport.objects.get(pk=fits.pk).status == ReportStatus.SUBMITTED


def test_only_the_chosen_leader_signs(build, chair_user):
    from apps.core.errors import PermissionDenied

    report = build.awaiting()
    with pytest.raises(PermissionDenied):
        workflow.report_sign(user=chair_user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_SIGNOFF
    workflow.report_sign(user=build.leader, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED and report.signed_at is not None


def test_signoff_must_go_to_a_leader(build, other_member_user):
    from apps.core.errors import ValidationFailed

    report = build.accepted()
    with pytest.raises(ValidationFailed):
        workflow.report_request_signoff(
            user=build.editor, report_id=report.pk, signer_id=other_member_user.pk
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.signer_id is None


def test_publishing_and_sending_upward_move_the_reports(build, levels):
    report = build.compiled()
    assert report.status == ReportStatus.COMPILED
    assert report.adoptions.get().level == levels["本级编发"]
    report = build.reported()
    assert report.status == ReportStatus.REPORTED and report.reported_at is not None


def test_actions_for_follow_the_state_and_the_person(build, chair_user, other_member_user):
    from apps.opinions.workflow import report_actions_for

    draft = build.draft()
    assert {"edit", "submit", "delete_draft"} <= set(report_actions_for(build.member, draft))
    assert not report_actions_for(other_member_user, draft)
    awaiting = build.awaiting()
    assert set(report_actions_for(build.leader, awaiting)) >= {"sign", "send_back"}
    assert "sign" not in report_actions_for(chair_user, awaiting)
    assert "sign" not in report_actions_for(build.editor, awaiting)
    incomplete = build.draft(suggestion="")
    actions = report_actions_for(build.member, incomplete)
    assert "submit" not in actions and "submit" in actions.blocked
    assert "意见建议" in actions.blocked["submit"].reason
