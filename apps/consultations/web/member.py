"""The member's pages: my meetings, the answer, sign-up and leave buttons, materials (audited
downloads), my calendar; and the approver's leave queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import download_response
from apps.core.errors import NotFound
from apps.core.pages import perform

from .. import services, workflow
from ..models import LeaveStatus, Material
from ..selectors import leave_get_for_user, leave_requests_for_approver, my_invitations
from ..workflow import leave_actions_for, meeting_actions_for
from . import forms
from .common import meeting_url, next_url, render_page, visible_meeting
from .detail import render_detail
from .staff import calendar_context


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """我的会议: upcoming invitations first (with what to do), then past ones with the
    attendance recorded."""
    upcoming = list(my_invitations(user=request.user, upcoming=True)[:50])
    past = list(my_invitations(user=request.user, upcoming=False)[:30])
    committees: dict[int, object] = {}
    for invitation in upcoming:
        # One committee object (and its cached settings) and the prefetched invitation for
        # every row, so the actions below cost no query per meeting.
        meeting = invitation.meeting
        meeting.committee = committees.setdefault(meeting.committee_id, meeting.committee)  # type: ignore[assignment]
        meeting.__dict__.setdefault("_invitations_by_user", {})[request.user.pk] = invitation
    rows = [
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "leave": invitation.all_leave_requests[0] if invitation.all_leave_requests else None,  # type: ignore[attr-defined]
            "actions": meeting_actions_for(request.user, invitation.meeting),
        }
        for invitation in upcoming
    ]
    return render_page(request, "consultations/member/mine.html", {"rows": rows, "past": past})


def _member_step(request: AuthenticatedRequest, pk: int, call, *, success: str, form=None):  # type: ignore[no-untyped-def]
    visible_meeting(request.user, pk)
    return perform(
        request,
        call,
        form=form,
        success=success,
        redirect_to=next_url(request, meeting_url(pk)),
        render=lambda: render_detail(request, pk),
        back=meeting_url(pk),
    )


@login_required
@require_POST
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = forms.AnswerForm(request.POST)
    return _member_step(
        request,
        pk,
        lambda: workflow.invitation_answer(
            user=request.user,
            meeting_id=pk,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success=_("已收到您的答复，谢谢。"),
    )


@login_required
@require_POST
def sign_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _member_step(
        request,
        pk,
        lambda: workflow.invitation_sign_up(user=request.user, meeting_id=pk),
        success=_("报名成功。"),
    )


@login_required
@require_POST
def ask_leave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = forms.LeaveForm(request.POST)
    return _member_step(
        request,
        pk,
        lambda: workflow.leave_request(
            user=request.user, meeting_id=pk, reason=form.cleaned_data["reason"]
        ),
        form=form,
        success=_("请假申请已提交，审批结果会通知您。"),
    )


@login_required
@require_POST
def leave_withdraw(request: AuthenticatedRequest, leave_id: int) -> HttpResponse:
    try:
        leave = leave_get_for_user(user=request.user, leave_id=leave_id)
    except NotFound as error:
        raise Http404(error.message) from error
    pk = leave.invitation.meeting_id
    return _member_step(
        request,
        pk,
        lambda: workflow.leave_withdraw(user=request.user, leave_id=leave_id),
        success=_("请假申请已撤回。"),
    )


@login_required
def material_download(request: AuthenticatedRequest, material_id: int) -> HttpResponse:
    """A meeting document, for those who may read it once released; every download is
    audited."""
    material = Material.objects.select_related("meeting").filter(pk=material_id).first()
    if material is None:
        raise Http404(_("未找到该材料。"))
    meeting = visible_meeting(request.user, material.meeting_id)
    actions = meeting_actions_for(request.user, meeting)
    if "view_materials" not in actions and "upload_material" not in actions:
        blocked = actions.blocked.get("view_materials")
        raise PermissionDenied(blocked.reason if blocked else _("会议材料尚未发布。"))
    services.material_download_record(user=request.user, material=material)
    with material.file.open("rb") as handle:
        content = handle.read()
    return download_response(
        content, material.original_name, material.content_type or "application/octet-stream"
    )


@login_required
def my_calendar(request: AuthenticatedRequest) -> HttpResponse:
    context = calendar_context(request, mine=True)
    context["here"] = reverse("consultations:my_calendar")
    context["mine"] = True
    from ..selectors.feeds import feed_for_user

    context["feed"] = feed_for_user(user=request.user)
    return render_page(request, "consultations/calendar.html", context, partial="grid")


@login_required
def leave_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Leave requests waiting for this approver (and the ones decided recently)."""
    status = request.GET.get("status", LeaveStatus.PENDING)
    if status not in LeaveStatus.values:
        status = LeaveStatus.PENDING
    rows = leave_requests_for_approver(user=request.user, status=status)
    return render_page(
        request,
        "consultations/member/leave_queue.html",
        {
            "rows": [(leave, leave_actions_for(request.user, leave)) for leave in rows[:200]],
            "status": status,
            "statuses": LeaveStatus.choices,
            "form": forms.DecisionForm(),
        },
    )


@login_required
@require_POST
def leave_decide(request: AuthenticatedRequest, leave_id: int, decision: str) -> HttpResponse:
    try:
        leave_get_for_user(user=request.user, leave_id=leave_id)
    except NotFound as error:
        raise Http404(error.message) from error
    form = forms.DecisionForm(request.POST)
    verb = workflow.leave_approve if decision == "approve" else workflow.leave_refuse
    back = next_url(request, reverse("consultations:leave_queue"))
    return perform(
        request,
        lambda: verb(user=request.user, leave_id=leave_id, note=form.cleaned_data["note"]),
        form=form,
        success=_("已批准请假，已通知委员。")
        if decision == "approve"
        else _("已不批准请假，已通知委员。"),
        redirect_to=back,
        back=back,
    )
