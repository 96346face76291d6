"""The permission matrix over every consultation page and API operation.

Personas: the invited member (李红梅), a member not invited (王建国), the leave approver (秘书长
孙建), the meeting's organiser (吴晓, no office role), 会务 staff (钱进), another committee's
会务 staff (历下区) and the public (not signed in). An allowed cell proves its effect (the state
changed, a row or an audit event written, or the page shows the record); a denied cell proves
nothing changed (no new audit event, the same state) and answers 403/404 (401 from the API,
sign-in for the public)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.consultations import workflow
from apps.consultations.models import (
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingStatus,
    Outcome,
)
from apps.core.models import AuditEvent

from .conftest import NOW

pytestmark = pytest.mark.django_db

PERSONAS = ("invited", "not_invited", "approver", "organiser", "staff", "other_committee", "public")


@pytest.fixture
def people(
    member_user,
    other_member_user,
    secretary_user,
    organiser_user,
    office_user,
    district_office_user,
):
    return {
        "invited": member_user,
        "not_invited": other_member_user,
        "approver": secretary_user,
        "organiser": organiser_user,
        "staff": office_user,
        "other_committee": district_office_user,
        "public": None,
    }


@dataclass(frozen=True)
class Operation:
    state: str  # the meeting's state the cell starts from
    call: Callable[[Any, Meeting, dict[str, Any]], Any]  # (client, meeting, extra) → response
    effect: Callable[[Meeting, dict[str, Any]], bool]  # did the allowed effect happen?
    allowed: frozenset[str]
    page: bool = True  # a page (public → sign-in) or the API (public → 401)
    read: bool = False  # a read: the effect is what the response shows


def _post(url: str) -> Callable[..., Any]:
    return lambda client, meeting, extra, data=None: client.post(url, data or {})


def _invitation(meeting: Meeting, extra: dict[str, Any]) -> Invitation:
    return Invitation.objects.get(meeting=meeting, user=extra["member"])


OPERATIONS: dict[str, Operation] = {
    "view_detail": Operation(
        "noticed",
        lambda c, m, e: c.get(reverse("consultations:detail", args=[m.pk])),
        lambda m, e: m.title in e["response"].content.decode(),
        frozenset({"invited", "approver", "organiser", "staff"}),
        read=True,
    ),
    "edit_draft_page": Operation(
        "draft",
        lambda c, m, e: c.get(reverse("consultations:meeting_edit", args=[m.pk])),
        lambda m, e: m.title in e["response"].content.decode(),
        frozenset({"organiser", "staff"}),
        read=True,
    ),
    "screen": Operation(
        "noticed",
        lambda c, m, e: c.get(reverse("consultations:screen", args=[m.pk])),
        lambda m, e: "<svg" in e["response"].content.decode(),
        frozenset({"organiser", "staff"}),
        read=True,
    ),
    "attendance_xlsx": Operation(
        "noticed",
        lambda c, m, e: c.get(reverse("consultations:attendance_xlsx", args=[m.pk])),
        lambda m, e: e["response"].content[:2] == b"PK",
        frozenset({"organiser", "staff"}),
        read=True,
    ),
    "answer": Operation(
        "noticed",
        lambda c, m, e: c.post(reverse("consultations:answer", args=[m.pk]), {"answer": "attend"}),
        lambda m, e: _invitation(m, e).answer == "attend",
        frozenset({"invited"}),
    ),
    "ask_leave": Operation(
        "noticed",
        lambda c, m, e: c.post(reverse("consultations:ask_leave", args=[m.pk]), {"reason": "出差"}),
        lambda m, e: LeaveRequest.objects.filter(invitation__meeting=m).exists(),
        frozenset({"invited"}),
    ),
    "decide_leave": Operation(
        "noticed",
        lambda c, m, e: c.post(
            reverse("consultations:leave_decide", args=[e["leave"].pk, "approve"]), {"note": ""}
        ),
        lambda m, e: LeaveRequest.objects.get(pk=e["leave"].pk).status == "approved",
        frozenset({"approver"}),
    ),
    "send_notice": Operation(
        "draft",
        lambda c, m, e: c.post(reverse("consultations:meeting_step", args=[m.pk, "notice"])),
        lambda m, e: Meeting.objects.get(pk=m.pk).status == "noticed",
        frozenset({"organiser", "staff"}),
    ),
    "cancel": Operation(
        "noticed",
        lambda c, m, e: c.post(
            reverse("consultations:meeting_cancel", args=[m.pk]), {"cancel-reason": "另行安排"}
        ),
        lambda m, e: Meeting.objects.get(pk=m.pk).status == "cancelled",
        frozenset({"organiser", "staff"}),
    ),
    "manual_checkin": Operation(
        "noticed",
        lambda c, m, e: c.post(
            reverse("consultations:manual_checkin", args=[m.pk, _invitation(m, e).pk]), {}
        ),
        lambda m, e: _invitation(m, e).checked_in_at is not None,
        frozenset({"organiser", "staff"}),
    ),
    "record_outcome": Operation(
        "ended",
        lambda c, m, e: c.post(
            reverse("consultations:outcome_record", args=[m.pk]),
            {"outcome-kind": "minutes", "outcome-title": "会议纪要", "outcome-summary": "纪要正文"},
        ),
        lambda m, e: Outcome.objects.filter(meeting=m).exists(),
        frozenset({"organiser", "staff"}),
    ),
    "api_detail": Operation(
        "noticed",
        lambda c, m, e: c.get(f"/api/v1/consultations/meetings/{m.pk}"),
        lambda m, e: e["response"].json()["title"] == m.title,
        frozenset({"invited", "approver", "organiser", "staff"}),
        page=False,
        read=True,
    ),
    "api_answer": Operation(
        "noticed",
        lambda c, m, e: c.post(
            f"/api/v1/consultations/meetings/{m.pk}/answer",
            data=json.dumps({"answer": "decline"}),
            content_type="application/json",
        ),
        lambda m, e: _invitation(m, e).answer == "decline",
        frozenset({"invited"}),
        page=False,
    ),
    "api_leave": Operation(
        "noticed",
        lambda c, m, e: c.post(
            f"/api/v1/consultations/meetings/{m.pk}/leave",
            data=json.dumps({"reason": "出差"}),
            content_type="application/json",
        ),
        lambda m, e: LeaveRequest.objects.filter(invitation__meeting=m).exists(),
        frozenset({"invited"}),
        page=False,
    ),
}


def _meeting_in(builder, state: str) -> Meeting:
    if state == "draft":
        return builder.draft()
    meeting = builder.noticed()
    if state != "noticed":
        Meeting.objects.filter(pk=meeting.pk).update(status=state)
    return Meeting.objects.get(pk=meeting.pk)


def _state(meeting: Meeting) -> tuple[Any, ...]:
    return (
        Meeting.objects.get(pk=meeting.pk).status,
        tuple(
            Invitation.objects.filter(meeting=meeting)
            .order_by("id")
            .values_list("answer", "checked_in_at", "attendance")
        ),
        tuple(LeaveRequest.objects.filter(invitation__meeting=meeting).values_list("status")),
        Outcome.objects.filter(meeting=meeting).count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_permission_matrix(name, persona, client, builder, people, member_user, frozen):
    operation = OPERATIONS[name]
    meeting = _meeting_in(builder, operation.state)
    extra: dict[str, Any] = {"member": member_user}
    if name == "decide_leave":
        extra["leave"] = workflow.leave_request(
            user=member_user, meeting_id=meeting.pk, reason="出差"
        )
    user = people[persona]
    if user is not None:
        client.force_login(user)
    events = AuditEvent.objects.count()
    before = _state(meeting)
    response = operation.call(client, meeting, extra)
    extra["response"] = response
    if persona in operation.allowed:
        assert response.status_code in (200, 201, 302), (name, persona, response.status_code)
        assert operation.effect(meeting, extra), (name, persona)
        if not operation.read:
            assert AuditEvent.objects.count() > events
        return
    signed_out = {302} if operation.page else {401}
    expected = signed_out if user is None else {403, 404}
    assert response.status_code in expected, (name, persona, response.status_code)
    if user is None and operation.page:
        assert "/accounts/login/" in response["Location"]
    assert AuditEvent.objects.count() == events
    assert _state(meeting) == before


def test_public_sees_only_open_consultations(client, office_user, frozen):
    """The public reaches 码上商量 pages only; a meeting page asks for sign-in."""
    from apps.consultations.services.online import online_create

    consultation = online_create(
        user=office_user,
        data={
            "title": "公开议题",
            "introduction": "介绍",
            "opens_at": NOW - dt.timedelta(hours=1),
            "closes_at": NOW + dt.timedelta(days=1),
        },
    )
    assert (
        client.get(reverse("consultations:public", args=[consultation.public_key])).status_code
        == 200
    )
    assert (
        client.get(reverse("consultations:online_detail", args=[consultation.pk])).status_code
        == 302
    )
    assert client.get(reverse("consultations:office")).status_code == 302


def test_other_committee_staff_cannot_schedule_here(client, district_office_user, builder, frozen):
    meeting = builder.noticed()
    client.force_login(district_office_user)
    assert client.get(reverse("consultations:office")).status_code == 200
    page = client.get(reverse("consultations:office")).content.decode()
    assert meeting.title not in page
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NOTICED
