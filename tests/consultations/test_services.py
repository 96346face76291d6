"""Service rules not covered elsewhere: activity sign-up within its cap, the designated leave
approver, people added after the notice, outcomes before 报送 and 闭环, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.consultations import services, workflow
from apps.consultations.models import Invitation, Meeting
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.members.models import Membership
from apps.notifications.models import OutboxMessage

from .conftest import END, NOW, START, at

pytestmark = pytest.mark.django_db


def test_sign_up_within_the_cap(builder, forms, member_user, standing_user, frozen):
    meeting = builder.noticed(form_id=forms["视察"].pk, signup_required=True, signup_cap=1)
    workflow.invitation_sign_up(user=member_user, meeting_id=meeting.pk)
    with pytest.raises(Conflict) as caught:
        workflow.invitation_sign_up(user=standing_user, meeting_id=meeting.pk)
    assert "报名人数已满" in caught.value.message
    assert Invitation.objects.filter(meeting=meeting, signed_up=True).count() == 1


def test_an_activity_with_sign_up_records_no_absence_for_those_who_did_not_sign_up(
    builder, forms, office_user, member_user, standing_user, other_member_user, frozen
):
    """报名 activities invite many and expect the ones who signed up: a signed-up member who
    came is 出席, one who signed up and stayed away is 缺席, an invitee who never signed up
    and did not come has no attendance (and so no duty record), and one who came without
    signing up is 出席."""
    meeting = builder.noticed(form_id=forms["视察"].pk, signup_required=True, signup_cap=5)
    services.meeting_invitees_add(
        user=office_user,
        meeting_id=meeting.pk,
        membership_ids=[Membership.objects.get(member__user=other_member_user).pk],
    )
    third = builder.noticed(form_id=forms["视察"].pk, signup_required=True)
    assert third.pk  # a second activity, only to show the rule is per meeting
    workflow.invitation_sign_up(user=member_user, meeting_id=meeting.pk)
    workflow.invitation_sign_up(user=other_member_user, meeting_id=meeting.pk)
    invitations = {
        row.user_id: row for row in Invitation.objects.filter(meeting=meeting, user__isnull=False)
    }
    assert set(invitations) >= {member_user.pk, standing_user.pk, other_member_user.pk}
    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
        services.checkin_manual(user=office_user, invitation_id=invitations[member_user.pk].pk)
    with at(END):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
    attendance = dict(
        Invitation.objects.filter(meeting=meeting, user__isnull=False).values_list(
            "user_id", "attendance"
        )
    )
    assert attendance[member_user.pk] == "present"
    assert attendance[other_member_user.pk] == "absent"  # signed up, stayed away
    assert attendance[standing_user.pk] == ""  # never signed up, never came

    # Coming without signing up still counts.
    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=third.pk)
        walk_in = Invitation.objects.get(meeting=third, user=standing_user)
        services.checkin_manual(user=office_user, invitation_id=walk_in.pk)
    with at(END):
        workflow.meeting_end(user=office_user, meeting_id=third.pk)
    walk_in.refresh_from_db()
    assert walk_in.attendance == "present"


def test_designated_approver_decides_instead_of_the_secretary(
    builder, member_user, leader_user, secretary_user, frozen
):
    meeting = builder.noticed(leave_approver_id=leader_user.pk)
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    assert OutboxMessage.objects.filter(
        key=f"leave:{leave.pk}:requested:u{leader_user.pk}"
    ).exists()
    with pytest.raises(PermissionDenied):
        workflow.leave_approve(user=secretary_user, leave_id=leave.pk)
    workflow.leave_refuse(user=leader_user, leave_id=leave.pk, note="会议重要，请尽量参加")
    leave.refresh_from_db()
    assert leave.status == "refused"
    assert OutboxMessage.objects.filter(key=f"leave:{leave.pk}:decided:u{member_user.pk}").exists()


def test_plenary_leave_goes_to_the_secretary(builder, forms, member_user, secretary_user, frozen):
    meeting = builder.noticed(form_id=forms["全体会议"].pk)
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    workflow.leave_approve(user=secretary_user, leave_id=leave.pk)
    assert Invitation.objects.get(meeting=meeting, user=member_user).answer == "decline"


def test_refusal_needs_a_reason(builder, member_user, secretary_user, frozen):
    meeting = builder.noticed()
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    with pytest.raises(ValidationFailed):
        workflow.leave_refuse(user=secretary_user, leave_id=leave.pk, note="")
    leave.refresh_from_db()
    assert leave.status == "pending"


def test_people_added_after_the_notice_get_it(builder, office_user, other_member_user, frozen):
    meeting = builder.noticed()
    membership = Membership.objects.get(member__user=other_member_user)
    assert (
        services.meeting_invitees_add(
            user=office_user, meeting_id=meeting.pk, membership_ids=[membership.pk]
        )
        == 1
    )
    assert OutboxMessage.objects.filter(
        key=f"meeting:{meeting.pk}:notice:v1:u{other_member_user.pk}"
    ).exists()
    assert Invitation.objects.get(membership=membership).source == "person"


def test_report_and_close_need_their_outcomes(builder, office_user, frozen):
    meeting = builder.noticed()
    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
    with at(END):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
        with pytest.raises(Conflict):
            workflow.meeting_report_outcome(user=office_user, meeting_id=meeting.pk)
        outcome = services.outcome_record(
            user=office_user,
            meeting_id=meeting.pk,
            kind="minutes",
            title="纪要",
            summary="纪要摘要",
        )
        with pytest.raises(Conflict):
            workflow.meeting_report_outcome(user=office_user, meeting_id=meeting.pk)
        services.outcome_mark_sent(
            user=office_user, outcome_id=outcome.pk, sent_to="市委", sent_on=END.date()
        )
        workflow.meeting_report_outcome(user=office_user, meeting_id=meeting.pk)
        with pytest.raises(Conflict) as caught:
            workflow.meeting_close(user=office_user, meeting_id=meeting.pk)
        assert "未闭环" in caught.value.message
        services.follow_up_record(
            user=office_user,
            outcome_id=outcome.pk,
            kind="instruction",
            leader="市委书记",
            level="市委",
            text="请认真研究办理",
            happened_on=END.date(),
            close=True,
        )
        workflow.meeting_close(user=office_user, meeting_id=meeting.pk)
    assert Meeting.objects.get(pk=meeting.pk).status == "closed"


def test_bad_meeting_input_is_a_message(office_user, forms, frozen):
    with pytest.raises(ValidationFailed) as caught:
        services.meeting_create(
            user=office_user,
            data={
                "title": " ",
                "form_id": forms["专题协商会"].pk,
                "starts_at": START,
                "ends_at": START - dt.timedelta(hours=1),
            },
        )
    assert set(caught.value.extra["errors"]) >= {"title", "ends_at"}
    assert not Meeting.objects.exists()


def test_notice_refused_when_the_start_has_passed(builder, office_user, frozen):
    meeting = builder.draft(
        starts_at=NOW - dt.timedelta(hours=1), ends_at=NOW + dt.timedelta(hours=1)
    )
    with pytest.raises(Conflict):
        workflow.meeting_send_notice(user=office_user, meeting_id=meeting.pk)
    assert Meeting.objects.get(pk=meeting.pk).status == "draft"
