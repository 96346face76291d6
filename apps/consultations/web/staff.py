"""会务 staff pages: the meetings list and calendars, the editor with the notice-rule and
conflict warnings, and the meeting's buttons (notice, reschedule, start, end, report, close,
cancel), invitees, materials, attendance, speeches, outcomes and exports. Every POST is one
service or workflow call through apps.core.pages.perform."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import perform

from .. import services, workflow
from ..models import MeetingStatus
from ..permissions import can_schedule
from ..selectors import (
    MeetingFilters,
    meeting_conflicts,
    meeting_form_list,
    meeting_list_for_staff,
    meetings_between,
    month_bounds,
    notice_rule_warnings,
    week_bounds,
)
from . import forms
from .common import meeting_url, next_url, parse_day, render_page, visible_meeting
from .detail import render_detail


def _require_scheduler(request: AuthenticatedRequest) -> int:
    committee_id = request.user.committee_id
    if committee_id is None or not can_schedule(request.user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以访问此页面。"))
    return committee_id


@login_required
def office(request: AuthenticatedRequest) -> HttpResponse:
    """All meetings of the committee, filtered, paged (fixed queries per page)."""
    committee_id = _require_scheduler(request)
    status = request.GET.get("status", "")
    form_id = request.GET.get("form", "")
    filters = MeetingFilters(
        q=request.GET.get("q", "")[:60],
        status=status if status in MeetingStatus.values else "",
        form_id=int(form_id) if form_id.isdigit() else None,
    )
    page = Paginator(meeting_list_for_staff(user=request.user, filters=filters), 20).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "consultations/office/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": MeetingStatus.choices,
            "forms_list": meeting_form_list(committee=committee_id),
            "filtered": bool(filters.q or filters.status or filters.form_id),
        },
        partial="results",
    )


def _calendar_days(
    start: dt.datetime, end: dt.datetime, meetings: list[Any]
) -> list[dict[str, Any]]:
    days = []
    day = start.date()
    today = timezone.localdate()
    while day < end.date():
        on_day = [
            m
            for m in meetings
            if timezone.localdate(m.starts_at) <= day <= timezone.localdate(m.ends_at)
        ]
        days.append({"date": day, "meetings": on_day, "today": day == today})
        day += dt.timedelta(days=1)
    return days


def calendar_context(request: AuthenticatedRequest, *, mine: bool) -> dict[str, Any]:
    """Month or week view around ?date= (default today); `mine`: the user's invitations."""
    view = "week" if request.GET.get("view") == "week" else "month"
    day = parse_day(request.GET.get("date"))
    if view == "week":
        start, end = week_bounds(day)
        previous, following = day - dt.timedelta(days=7), day + dt.timedelta(days=7)
        grid_start, grid_end = start, end
    else:
        start, end = month_bounds(day)
        previous = (start.date() - dt.timedelta(days=1)).replace(day=1)
        following = end.date()
        grid_start = start - dt.timedelta(days=start.weekday())
        grid_end = end + dt.timedelta(days=(7 - end.weekday()) % 7)
    meetings = meetings_between(user=request.user, start=grid_start, end=grid_end, mine=mine)
    days = _calendar_days(grid_start, grid_end, meetings)
    return {
        "view": view,
        "day": day,
        "month": start.date(),
        "previous": previous,
        "following": following,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "meetings": [m for m in meetings if m.starts_at < end and m.ends_at > start],
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
    }


@login_required
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    _require_scheduler(request)
    context = calendar_context(request, mine=False)
    context["here"] = reverse("consultations:office_calendar")
    return render_page(request, "consultations/calendar.html", context, partial="grid")


def _warnings(committee_id: int, form: forms.MeetingEditForm, exclude: int | None) -> list[str]:
    """The notice rules and the conflicts of what the form holds (nothing saved)."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not (isinstance(starts, dt.datetime) and isinstance(ends, dt.datetime)) or ends <= starts:
        return []
    lines = [
        w.message
        for w in notice_rule_warnings(
            committee_id=committee_id,
            starts_at=starts,
            materials_release_at=data.get("materials_release_at"),
        )
    ]
    venue = data.get("venue")
    leaders = data.get("invited_leaders") or []
    conflicts = meeting_conflicts(
        committee_id=committee_id,
        starts_at=starts,
        ends_at=ends,
        venue_id=venue.pk if venue else None,
        leader_ids=[u.pk for u in leaders],
        exclude_meeting_id=exclude,
    )
    return lines + conflicts.messages()


def _editor(
    request: AuthenticatedRequest,
    *,
    committee_id: int,
    form: forms.MeetingEditForm,
    meeting: Any = None,
    warnings: list[str] | None = None,
) -> HttpResponse:
    return render_page(
        request,
        "consultations/office/edit.html",
        {"form": form, "meeting": meeting, "warnings": warnings or []},
        partial="warnings" if request.POST.get("check") else None,
    )


@login_required
def meeting_new(request: AuthenticatedRequest) -> HttpResponse:
    """A new draft. POST with `check` only shows the warnings; POST saves and opens the
    meeting page (where the invitees are chosen)."""
    committee_id = _require_scheduler(request)
    if request.method != "POST":
        start = request.GET.get("date")
        initial = {}
        if start:
            day = parse_day(start)
            initial = {
                "starts_at": dt.datetime.combine(day, dt.time(9, 0)),
                "ends_at": dt.datetime.combine(day, dt.time(11, 30)),
            }
        form = forms.MeetingEditForm(committee_id=committee_id, initial=initial)
        return _editor(request, committee_id=committee_id, form=form)
    form = forms.MeetingEditForm(request.POST, committee_id=committee_id)
    if request.POST.get("check"):
        form.is_valid()
        warnings = _warnings(committee_id, form, None)
        return _editor(request, committee_id=committee_id, form=form, warnings=warnings)
    return perform(
        request,
        lambda: services.meeting_create(
            user=request.user, data=form.service_data(), leader_ids=form.leader_ids()
        ),
        form=form,
        success=_("会议草稿已保存。请选择邀请对象，确认无误后发出通知。"),
        redirect_to=lambda meeting: meeting_url(meeting.pk),
        render=lambda: _editor(
            request,
            committee_id=committee_id,
            form=form,
            warnings=_warnings(committee_id, form, None),
        ),
    )


@login_required
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request.user, pk)
    actions = workflow.meeting_actions_for(request.user, meeting)
    details_only = meeting.status != MeetingStatus.DRAFT
    if not (actions.get("edit") or actions.get("edit_details")):
        raise PermissionDenied(_("当前状态下不能修改此会议。"))
    committee_id = meeting.committee_id
    if request.method != "POST":
        initial = {
            "title": meeting.title,
            "form": meeting.form_id,
            "topic": meeting.topic_id,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "venue": meeting.venue_id,
            "location_note": meeting.location_note,
            "online_url": meeting.online_url,
            "lead_special_committee": meeting.lead_special_committee_id,
            "leave_approver": meeting.leave_approver_id,
            "invited_leaders": list(meeting.invited_leaders.all()),
            "invited_departments": meeting.invited_departments,
            "signup_required": meeting.signup_required,
            "signup_cap": meeting.signup_cap,
            "materials_release_at": timezone.localtime(meeting.materials_release_at)
            if meeting.materials_release_at
            else None,
            "agenda": "\n".join(meeting.agenda or []),
            "description": meeting.description,
        }
        form = forms.MeetingEditForm(
            committee_id=committee_id, details_only=details_only, initial=initial
        )
        return _editor(request, committee_id=committee_id, form=form, meeting=meeting)
    form = forms.MeetingEditForm(request.POST, committee_id=committee_id, details_only=details_only)
    if request.POST.get("check"):
        form.is_valid()
        return _editor(
            request,
            committee_id=committee_id,
            form=form,
            meeting=meeting,
            warnings=_warnings(committee_id, form, meeting.pk),
        )
    return perform(
        request,
        lambda: services.meeting_update(
            user=request.user,
            meeting_id=pk,
            data=form.service_data(),
            leader_ids=form.leader_ids(),
        ),
        form=form,
        success=_("会议信息已保存。"),
        redirect_to=meeting_url(pk),
        render=lambda: _editor(request, committee_id=committee_id, form=form, meeting=meeting),
    )


def _on_meeting(
    request: AuthenticatedRequest,
    pk: int,
    call: Callable[[], Any],
    *,
    success: str,
    form: Any = None,
) -> HttpResponse:
    """A button on the meeting page: 404 if the user may not see it; a refusal shows the page
    again with the reason (and the form's errors)."""
    visible_meeting(request.user, pk)
    return perform(
        request,
        call,
        form=form,
        success=success,
        redirect_to=next_url(request, meeting_url(pk)),
        render=lambda: render_detail(request, pk, forms_bound={"step": form} if form else None),
        back=meeting_url(pk),
    )


STEPS: dict[str, tuple[Callable[..., Any], Any]] = {
    "notice": (workflow.meeting_send_notice, _("会议通知已发出，邀请名单已确定。")),
    "start": (workflow.meeting_start, _("会议已开始。")),
    "end": (workflow.meeting_end, _("会议已结束，出勤情况已按规则确定。")),
    "report": (workflow.meeting_report_outcome, _("已标记为成果已报送。")),
    "close": (workflow.meeting_close, _("会议已闭环。")),
}


@login_required
@require_POST
def meeting_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404(_("没有这个操作。"))
    verb, message = STEPS[step]
    return _on_meeting(
        request, pk, lambda: verb(user=request.user, meeting_id=pk), success=str(message)
    )


@login_required
@require_POST
def meeting_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = forms.ReasonForm(request.POST, prefix="cancel")
    return _on_meeting(
        request,
        pk,
        lambda: workflow.meeting_cancel(
            user=request.user, meeting_id=pk, reason=form.cleaned_data["reason"]
        ),
        form=form,
        success=_("会议已取消，已通知受邀委员。"),
    )


@login_required
@require_POST
def meeting_reschedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = forms.RescheduleForm(request.POST, prefix="reschedule")
    return _on_meeting(
        request,
        pk,
        lambda: workflow.meeting_reschedule(
            user=request.user,
            meeting_id=pk,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        success=_("会议已改期，已通知受邀委员；原时间的提醒不会再发送。"),
    )


@login_required
@require_POST
def meeting_invitees(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request.user, pk)
    form = forms.InviteesForm(request.POST, committee_id=meeting.committee_id)
    return _on_meeting(
        request,
        pk,
        lambda: services.meeting_invitees_set(
            user=request.user,
            meeting_id=pk,
            rules=[services.RuleSpec(kind, target) for kind, target in form.rules()],
        ),
        form=form,
        success=_("邀请对象已保存。发出通知时将按此确定参会名单。"),
    )


@login_required
@require_POST
def meeting_invitees_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request.user, pk)
    form = forms.AddInviteesForm(
        request.POST, committee_id=meeting.committee_id, exclude_ids=set(), prefix="add"
    )
    return _on_meeting(
        request,
        pk,
        lambda: services.meeting_invitees_add(
            user=request.user,
            meeting_id=pk,
            membership_ids=[m.pk for m in form.cleaned_data["people"]],
        ),
        form=form,
        success=_("已增加参会委员并发送通知。"),
    )


@login_required
@require_POST
def material_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = forms.MaterialForm(request.POST, request.FILES, prefix="material")
    return _on_meeting(
        request,
        pk,
        lambda: services.material_upload(
            user=request.user,
            meeting_id=pk,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        form=form,
        success=_("材料已上传，委员将在发布时间后看到。"),
    )


@login_required
@require_POST
def material_remove(request: AuthenticatedRequest, pk: int, material_id: int) -> HttpResponse:
    return _on_meeting(
        request,
        pk,
        lambda: services.material_remove(user=request.user, material_id=material_id),
        success=_("材料已删除。"),
    )


@login_required
@require_POST
def manual_checkin(request: AuthenticatedRequest, pk: int, invitation_id: int) -> HttpResponse:
    form = forms.ManualCheckinForm(request.POST)
    return _on_meeting(
        request,
        pk,
        lambda: services.checkin_manual(
            user=request.user,
            invitation_id=invitation_id,
            arrived_at=form.cleaned_data["arrived_at"],
            left_at=form.cleaned_data["left_at"],
        ),
        form=form,
        success=_("已代为签到。"),
    )


@login_required
@require_POST
def attendance_set(request: AuthenticatedRequest, pk: int, invitation_id: int) -> HttpResponse:
    form = forms.AttendanceForm(request.POST)
    return _on_meeting(
        request,
        pk,
        lambda: services.attendance_set(
            user=request.user,
            invitation_id=invitation_id,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success=_("出勤情况已更新。"),
    )


@login_required
@require_POST
def speech_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request.user, pk)
    form = forms.SpeechForm(
        request.POST, request.FILES, committee_id=meeting.committee_id, prefix="speech"
    )
    return _on_meeting(
        request,
        pk,
        lambda: services.speech_record(
            user=request.user,
            meeting_id=pk,
            membership_id=form.cleaned_data["membership"].pk,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["file"],
        ),
        form=form,
        success=_("发言已记录。"),
    )


@login_required
@require_POST
def outcome_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = forms.OutcomeForm(request.POST, request.FILES, prefix="outcome")
    return _on_meeting(
        request,
        pk,
        lambda: services.outcome_record(
            user=request.user,
            meeting_id=pk,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            sent_to=form.cleaned_data["sent_to"],
            sent_on=form.cleaned_data["sent_on"],
            upload=form.cleaned_data["file"],
        ),
        form=form,
        success=_("成果已录入。"),
    )


@login_required
@require_POST
def outcome_sent(request: AuthenticatedRequest, pk: int, outcome_id: int) -> HttpResponse:
    form = forms.OutcomeSentForm(request.POST, prefix="sent")
    return _on_meeting(
        request,
        pk,
        lambda: services.outcome_mark_sent(
            user=request.user,
            outcome_id=outcome_id,
            sent_to=form.cleaned_data["sent_to"],
            sent_on=form.cleaned_data["sent_on"],
        ),
        form=form,
        success=_("已记录报送情况。"),
    )


@login_required
@require_POST
def follow_up(request: AuthenticatedRequest, pk: int, outcome_id: int) -> HttpResponse:
    form = forms.FollowUpForm(request.POST, prefix="follow")
    return _on_meeting(
        request,
        pk,
        lambda: services.follow_up_record(
            user=request.user,
            outcome_id=outcome_id,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            happened_on=form.cleaned_data["happened_on"],
            leader=form.cleaned_data["leader"],
            level=form.cleaned_data["level"],
            close=form.cleaned_data["close"],
        ),
        form=form,
        success=_("已记录批示与落实情况。"),
    )
