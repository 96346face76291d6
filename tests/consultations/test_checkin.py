"""QR check-in with a frozen clock: a current code checks in (also after signing in); an
expired, forged or other meeting's code and a replayed ticket are refused with a clear message
and change nothing; the 6-digit code; staff check-in with late arrival and early departure;
each invitee's final attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.consultations import checkin, services, workflow
from apps.consultations.checkin import CheckInRefused
from apps.consultations.models import Invitation
from apps.core.models import AuditEvent

from .conftest import END, START, at

pytestmark = pytest.mark.django_db
ROTATION = 30


@pytest.fixture
def meeting(builder, frozen):
    return builder.noticed()


def _invitation(meeting, user) -> Invitation:
    return Invitation.objects.get(meeting=meeting, user=user)


def _token(meeting, moment) -> str:
    return checkin.screen_code(meeting, moment, ROTATION).token


def test_current_code_checks_in(meeting, member_user):
    moment = START - dt.timedelta(minutes=10)
    with at(moment):
        ticket = services.checkin_scan(meeting_id=meeting.pk, token=_token(meeting, moment))
        services.checkin_with_ticket(user=member_user, ticket_key=ticket.key)
    invitation = _invitation(meeting, member_user)
    assert invitation.checked_in_at == moment
    assert invitation.check_in_method == "qr"
    assert invitation.answer == "attend"
    assert AuditEvent.objects.filter(verb="meeting_check_in", object_id=str(invitation.pk)).exists()


def test_code_of_the_previous_period_still_works(meeting, member_user):
    moment = START - dt.timedelta(minutes=10)
    token = _token(meeting, moment)
    with at(moment + dt.timedelta(seconds=ROTATION)):
        services.checkin_with_token(user=member_user, token=token)
    assert _invitation(meeting, member_user).checked_in_at is not None


def test_expired_code_is_refused(meeting, member_user):
    moment = START - dt.timedelta(minutes=10)
    token = _token(meeting, moment)  # photographed two periods ago
    with (
        at(moment + dt.timedelta(seconds=2 * ROTATION + 1)),
        pytest.raises(CheckInRefused) as caught,
    ):
        services.checkin_scan(meeting_id=meeting.pk, token=token)
    assert caught.value.extra["reason"] == "expired"
    assert "已过期" in caught.value.message
    assert _invitation(meeting, member_user).checked_in_at is None


def test_forged_code_is_refused(meeting, member_user):
    moment = START - dt.timedelta(minutes=10)
    value = _token(meeting, moment).rsplit(":", 1)[0]
    with at(moment):
        for forged in (
            f"{value}:AAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "garbage",
            f"{meeting.pk}.999999999999:x",
        ):
            with pytest.raises(CheckInRefused) as caught:
                services.checkin_with_token(user=member_user, token=forged)
            assert caught.value.extra["reason"] == "forged"
    assert _invitation(meeting, member_user).checked_in_at is None


def test_other_meetings_code_is_refused(meeting, builder, member_user):
    other = builder.noticed(title="另一场会议", venue_id=None)
    moment = START - dt.timedelta(minutes=10)
    with at(moment), pytest.raises(CheckInRefused) as caught:
        services.checkin_scan(meeting_id=meeting.pk, token=_token(other, moment))
    assert caught.value.extra["reason"] == "other_meeting"
    assert "另一场会议" in caught.value.message


def test_replayed_ticket_is_refused(meeting, member_user, standing_user):
    moment = START - dt.timedelta(minutes=10)
    with at(moment):
        ticket = services.checkin_scan(meeting_id=meeting.pk, token=_token(meeting, moment))
        services.checkin_with_ticket(user=member_user, ticket_key=ticket.key)
        # The same member again: harmless, still checked in.
        services.checkin_with_ticket(user=member_user, ticket_key=ticket.key)
        with pytest.raises(CheckInRefused) as caught:
            services.checkin_with_ticket(user=standing_user, ticket_key=ticket.key)
    assert caught.value.extra["reason"] == "replayed"
    assert _invitation(meeting, standing_user).checked_in_at is None


def test_ticket_expires_after_the_sign_in_window(meeting, member_user):
    moment = START - dt.timedelta(minutes=30)
    with at(moment):
        ticket = services.checkin_scan(meeting_id=meeting.pk, token=_token(meeting, moment))
    with at(moment + dt.timedelta(minutes=11)), pytest.raises(CheckInRefused) as caught:
        services.checkin_with_ticket(user=member_user, ticket_key=ticket.key)
    assert caught.value.extra["reason"] == "expired"


def test_not_invited_member_is_refused(meeting, other_member_user):
    moment = START - dt.timedelta(minutes=10)
    with at(moment), pytest.raises(CheckInRefused) as caught:
        services.checkin_with_token(user=other_member_user, token=_token(meeting, moment))
    assert caught.value.extra["reason"] == "not_invited"


def test_checkin_closed_before_the_window(meeting, member_user):
    from apps.core.errors import Conflict

    moment = START - dt.timedelta(hours=3)
    with at(moment), pytest.raises(Conflict):
        services.checkin_with_token(user=member_user, token=_token(meeting, moment))
    assert _invitation(meeting, member_user).checked_in_at is None


def test_six_digit_code(meeting, member_user):
    moment = START - dt.timedelta(minutes=5)
    code = checkin.screen_code(meeting, moment, ROTATION).code
    with at(moment):
        with pytest.raises(CheckInRefused):
            services.checkin_with_code(user=member_user, code=f"{(int(code) + 1) % 1_000_000:06d}")
        services.checkin_with_code(user=member_user, code=code)
    assert _invitation(meeting, member_user).check_in_method == "code"


def test_scan_signed_out_goes_through_sign_in_and_lands_checked_in(client, meeting, member_user):
    moment = START - dt.timedelta(minutes=10)
    with at(moment):
        response = client.get(
            reverse("consultations:scan", args=[meeting.pk, _token(meeting, moment)])
        )
        assert response.status_code == 302
        ticket_url = response["Location"]
        response = client.get(ticket_url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with at(moment + dt.timedelta(minutes=3)):  # the sign-in took longer than a code lives
        client.force_login(member_user)
        page = client.get(ticket_url)
        assert 'data-autosubmit="1"' in page.content.decode()
        done = client.post(ticket_url)
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    assert _invitation(meeting, member_user).checked_in_at is not None


def test_refused_scan_page_says_why(client, meeting):
    moment = START - dt.timedelta(minutes=10)
    token = _token(meeting, moment)
    with at(moment + dt.timedelta(minutes=5)):
        response = client.get(reverse("consultations:scan", args=[meeting.pk, token]))
    assert response.status_code == 409
    assert "签到码已过期" in response.content.decode()


def test_manual_checkin_late_and_early_and_final_statuses(
    meeting, office_user, member_user, standing_user, secretary_user
):
    member = _invitation(meeting, member_user)
    standing = _invitation(meeting, standing_user)
    with at(START - dt.timedelta(minutes=1)):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
    with at(START + dt.timedelta(minutes=40)):
        services.checkin_manual(
            user=office_user, invitation_id=member.pk, arrived_at=START + dt.timedelta(minutes=40)
        )
        services.checkin_manual(
            user=office_user,
            invitation_id=standing.pk,
            arrived_at=START,
            left_at=END - dt.timedelta(minutes=30),
        )
    with at(END + dt.timedelta(minutes=1)):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
    member.refresh_from_db()
    standing.refresh_from_db()
    assert member.attendance == "late"
    assert standing.attendance == "early"


def test_under_two_thirds_counts_as_absent(meeting, office_user, member_user):
    member = _invitation(meeting, member_user)
    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
        services.checkin_manual(
            user=office_user,
            invitation_id=member.pk,
            arrived_at=START,
            left_at=START + dt.timedelta(minutes=60),  # 60 of 150 minutes
        )
    with at(END + dt.timedelta(minutes=1)):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
    member.refresh_from_db()
    assert member.attendance == "absent"
    assert member.attendance_note


def test_approved_leave_is_leave_and_no_checkin_is_absent(
    meeting, office_user, member_user, standing_user, secretary_user
):
    with at(START - dt.timedelta(days=5)):
        leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
        workflow.leave_approve(user=secretary_user, leave_id=leave.pk)
    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
    with at(END):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
    assert _invitation(meeting, member_user).attendance == "leave"
    assert _invitation(meeting, standing_user).attendance == "absent"


def test_attendance_records_for_the_duties_app(meeting, office_user, member_user):
    from apps.consultations.selectors import attendance_records_for
    from apps.members.models import Membership

    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
        services.checkin_with_code(
            user=member_user, code=checkin.screen_code(meeting, START, ROTATION).code
        )
    with at(END):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
    membership = Membership.objects.get(member__user=member_user)
    [record] = attendance_records_for(membership, 2026)
    assert (record.meeting_id, record.status, record.status_label) == (
        meeting.pk,
        "present",
        "出席",
    )
    assert attendance_records_for(membership.pk, 2025) == []
