"""The meeting page every role shares. What it shows and which buttons it offers come from
`meeting_actions_for`: organisers get the invitees, attendance, materials and outcomes panels;
invitees their answer, leave, check-in and (once released) the materials."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from apps.accounts.requests import AuthenticatedRequest

from ..models import InviteeKind, MeetingStatus, Speech
from ..permissions import can_manage_meeting, invitation_of
from ..selectors import (
    invitation_list,
    materials_for,
    meeting_conflicts,
    notice_rule_warnings,
    outcomes_for,
)
from ..services.invitees import meeting_rule_specs, resolve
from ..workflow import meeting_actions_for
from . import forms
from .common import render_page, visible_meeting


def _invitee_initial(meeting: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "sectors": [],
        "special_committees": [],
        "groups": [],
        "people": [],
    }
    keys = {
        InviteeKind.SECTOR: "sectors",
        InviteeKind.SPECIAL_COMMITTEE: "special_committees",
        InviteeKind.GROUP: "groups",
        InviteeKind.PERSON: "people",
    }
    for rule in meeting.invitee_rules.all():
        if rule.kind in keys:
            initial[keys[rule.kind]].append(rule.target_id)
        elif rule.kind == InviteeKind.NEW_MEMBERS:
            initial["new_members"] = True
        elif rule.kind == InviteeKind.STANDING:
            initial["all_standing"] = True
        elif rule.kind == InviteeKind.ALL:
            initial["all_members"] = True
    return initial


def _draft_checks(meeting: Any) -> tuple[int, list[str]]:
    """Before the notice: how many people the rules reach now, and the warnings."""
    sources = resolve(committee_id=meeting.committee_id, specs=meeting_rule_specs(meeting))
    warnings = [
        w.message
        for w in notice_rule_warnings(
            committee_id=meeting.committee_id,
            starts_at=meeting.starts_at,
            materials_release_at=meeting.materials_release_at,
        )
    ]
    conflicts = meeting_conflicts(
        committee_id=meeting.committee_id,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue_id=meeting.venue_id,
        membership_ids=list(sources),
        leader_ids=[u.pk for u in meeting.invited_leaders.all()],
        exclude_meeting_id=meeting.pk,
    )
    return len(sources), warnings + conflicts.messages()


def detail_context(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    user = request.user
    meeting = visible_meeting(user, pk)
    actions = meeting_actions_for(user, meeting)
    manage = can_manage_meeting(user, meeting)
    invitation = invitation_of(user, meeting)
    leave = None
    if invitation is not None:
        leave = invitation.leave_requests.order_by("-id").first()
    context: dict[str, Any] = {
        "meeting": meeting,
        "actions": actions,
        "manage": manage,
        "invitation": invitation,
        "leave": leave,
        "outcomes": outcomes_for(meeting=meeting) if meeting.status != "draft" else [],
        "materials": materials_for(meeting=meeting)
        if manage or "view_materials" in actions
        else [],
        "Status": MeetingStatus,
    }
    if manage:
        invitations = list(invitation_list(meeting=meeting))
        context["invitations"] = invitations
        context["speeches"] = list(
            Speech.objects.filter(meeting=meeting).select_related("membership__member")
        )
        counts: dict[str, int] = {}
        for row in invitations:
            counts[row.answer] = counts.get(row.answer, 0) + 1
            if row.attendance:
                counts[f"att_{row.attendance}"] = counts.get(f"att_{row.attendance}", 0) + 1
            if row.checked_in_at:
                counts["checked_in"] = counts.get("checked_in", 0) + 1
        context["counts"] = counts
        committee_id = meeting.committee_id
        context["forms"] = {
            "invitees": forms.InviteesForm(
                committee_id=committee_id, initial=_invitee_initial(meeting)
            ),
            "add": forms.AddInviteesForm(
                committee_id=committee_id,
                exclude_ids={row.membership_id for row in invitations},
                prefix="add",
            ),
            "reschedule": forms.RescheduleForm(prefix="reschedule"),
            "cancel": forms.ReasonForm(prefix="cancel"),
            "material": forms.MaterialForm(prefix="material"),
            "speech": forms.SpeechForm(committee_id=committee_id, prefix="speech"),
            "outcome": forms.OutcomeForm(prefix="outcome"),
            "sent": forms.OutcomeSentForm(prefix="sent"),
            "follow": forms.FollowUpForm(prefix="follow"),
        }
        if meeting.status == MeetingStatus.DRAFT:
            context["reach"], context["warnings"] = _draft_checks(meeting)
    context["answer_form"] = forms.AnswerForm(
        initial={"answer": invitation.answer} if invitation else None
    )
    context["leave_form"] = forms.LeaveForm()
    return context


def render_detail(
    request: AuthenticatedRequest,
    pk: int,
    *,
    forms_bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = detail_context(request, pk)
    if forms_bound:
        context["bound"] = forms_bound.get("step")
    return render_page(request, "consultations/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)
