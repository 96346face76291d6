"""Course pages (学习培训班): the office's list with the new-course form, one course (details,
audience, sessions with their teachers, the attendance grid and who completed it; a member sees
their own row), the member's 我的学习培训, and the office's buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound
from apps.core.pages import perform

from ..models import Course, CourseStatus
from ..permissions import can_run_courses
from ..selectors.courses import (
    course_get_for_user,
    course_progress,
    course_roster,
    my_courses,
    office_courses,
    session_tallies,
    sessions_open_for_signup,
)
from ..services import courses as services
from ..services.courses import course_audience_labels
from ..workflow import courses as workflow
from . import forms
from .common import render_page

ROSTER_PAGE = 50  # rows of the attendance grid per page (a sector's course has hundreds)


def _course(request: AuthenticatedRequest, pk: int) -> Course:
    try:
        return course_get_for_user(user=request.user, course_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _course_url(pk: int) -> str:
    return reverse("consultations:course", args=[pk])


def _audience_initial(course: Course) -> dict[str, Any]:
    keys = {
        "sector": "sectors",
        "special_committee": "special_committees",
        "group": "groups",
        "person": "people",
    }
    flags = {"new_members": "new_members", "standing": "all_standing", "all": "all_members"}
    initial: dict[str, Any] = {key: [] for key in keys.values()}
    for rule in course.audience or []:
        if rule["kind"] in keys:
            initial[keys[rule["kind"]]].append(rule.get("target_id"))
        elif rule["kind"] in flags:
            initial[flags[rule["kind"]]] = True
    return initial


@login_required
def office(request: AuthenticatedRequest) -> HttpResponse:
    try:
        courses = list(office_courses(user=request.user))
    except NotFound as error:
        raise Http404(error.message) from error
    return render_page(
        request,
        "consultations/courses/office.html",
        {"courses": courses, "form": forms.CourseForm()},
    )


@login_required
@require_POST
def create(request: AuthenticatedRequest) -> HttpResponse:
    if not can_run_courses(request.user, request.user.committee_id):
        raise Http404(_("只有委员联络处或会务办公室可以管理学习培训。"))
    form = forms.CourseForm(request.POST)
    return perform(
        request,
        lambda: services.course_create(user=request.user, data=form.service_data()),
        form=form,
        success=_("培训班已创建。请设置参训范围并添加课程，然后发布。"),
        redirect_to=lambda course: _course_url(course.pk),
        back=reverse("consultations:courses_office"),
    )


def render_course(
    request: AuthenticatedRequest,
    pk: int,
    *,
    course_form: forms.CourseForm | None = None,
    session_form: forms.CourseSessionForm | None = None,
    audience_form: forms.InviteesForm | None = None,
) -> HttpResponse:
    course = _course(request, pk)
    actions = workflow.course_actions_for(request.user, course)
    staff = can_run_courses(request.user, course.committee_id)
    _errors_of_hidden_forms(
        request,
        actions,
        {"edit": course_form, "add_session": session_form, "set_audience": audience_form},
    )
    sessions = list(course.sessions.all())
    progress = course_progress(course, sessions)
    roster = course_roster(course, user=None if staff else request.user)
    own = roster[0] if roster and not staff else None
    open_for_signup = sessions_open_for_signup(course, sessions, own)
    pending_only = staff and request.GET.get("pending") == "1"
    shown = [row for row in roster if not row.completed] if pending_only else roster
    context: dict[str, Any] = {
        "course": course,
        "actions": actions,
        "staff": staff,
        "sessions": sessions,
        "held_count": progress.held,
        "required": progress.required,
        "roster": roster,
        "roster_page": Paginator(shown, ROSTER_PAGE).get_page(request.GET.get("page")),
        "pending_only": pending_only,
        "open_for_signup": open_for_signup,
        "tallies": session_tallies(sessions, roster) if staff and progress.held else [],
        "completed": sum(1 for row in roster if row.completed),
        "audience": course_audience_labels(course),
    }
    if staff:
        context["course_form"] = course_form or forms.CourseForm(
            initial={
                "kind": course.kind,
                "title": course.title,
                "topics": course.topics,
                "description": course.description,
                "pass_sessions": course.pass_sessions,
                "signup_required": course.signup_required,
                "signup_cap": course.signup_cap,
            }
        )
        context["session_form"] = session_form or forms.CourseSessionForm(
            committee_id=course.committee_id
        )
        context["audience_form"] = audience_form or forms.InviteesForm(
            committee_id=course.committee_id, initial=_audience_initial(course)
        )
    return render_page(request, "consultations/courses/detail.html", context)


def _errors_of_hidden_forms(
    request: AuthenticatedRequest,
    actions: Any,
    bound: dict[str, forms.StyledForm | None],
) -> None:
    """A refused form whose section the page no longer shows (the course moved on: 参训范围
    after publishing, anything after 结业) would take its error with it: say it above the
    page instead."""
    for action, form in bound.items():
        if form is None or not form.is_bound or action in actions:
            continue
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render_course(request, pk)


@login_required
@require_POST
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _course(request, pk)
    form = forms.CourseForm(request.POST)
    return perform(
        request,
        lambda: services.course_update(user=request.user, course_id=pk, data=form.service_data()),
        form=form,
        success=_("培训班信息已保存。"),
        redirect_to=_course_url(pk),
        render=lambda: render_course(request, pk, course_form=form),
    )


@login_required
@require_POST
def audience(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    form = forms.InviteesForm(request.POST, committee_id=course.committee_id)
    return perform(
        request,
        lambda: services.course_audience_set(user=request.user, course_id=pk, rules=form.rules()),
        form=form,
        success=_("参训范围已保存。"),
        redirect_to=_course_url(pk),
        render=lambda: render_course(request, pk, audience_form=form),
    )


@login_required
@require_POST
def session_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    form = forms.CourseSessionForm(request.POST, committee_id=course.committee_id)
    return perform(
        request,
        lambda: services.course_session_add(
            user=request.user, course_id=pk, data=form.service_data()
        ),
        form=form,
        success=lambda session: (
            _("课程已添加，并已通知参训委员。")
            if course.status == CourseStatus.PUBLISHED
            else _("课程已添加。")
        ),
        redirect_to=_course_url(pk),
        render=lambda: render_course(request, pk, session_form=form),
    )


@login_required
@require_POST
def session_remove(request: AuthenticatedRequest, pk: int, session_id: int) -> HttpResponse:
    course = _course(request, pk)
    # A session of this course (its live sessions are loaded with it; a cancelled one cannot
    # be removed anyway), not of another course reached through this one's address.
    if session_id not in {session.pk for session in course.sessions.all()}:
        raise Http404(_("未找到该课程。"))
    return perform(
        request,
        lambda: services.course_session_remove(user=request.user, session_id=session_id),
        success=_("课程已移除。"),
        redirect_to=_course_url(pk),
        render=lambda: render_course(request, pk),
    )


@login_required
@require_POST
def step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    _course(request, pk)
    calls = {
        "publish": (
            lambda: workflow.course_publish(user=request.user, course_id=pk),
            _("培训班已发布，参训委员已收到通知。"),
        ),
        "finish": (
            lambda: workflow.course_finish(user=request.user, course_id=pk),
            _("培训班已结业。"),
        ),
    }
    if step not in calls:
        raise Http404(_("没有这个操作。"))
    call, message = calls[step]
    return perform(
        request,
        call,
        success=str(message),
        redirect_to=_course_url(pk),
        render=lambda: render_course(request, pk),
    )


@login_required
@require_POST
def sign_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """报名参加本培训班: every session not started yet (a full one is named)."""
    _course(request, pk)

    def said(result: services.CourseSignUp) -> str:
        message = _("已报名%(count)d次课程。") % {"count": len(result.signed)}
        if result.full:
            message += _("以下课程名额已满：%(titles)s。") % {
                "titles": "、".join(meeting.title for meeting in result.full)
            }
        return message

    return perform(
        request,
        lambda: services.course_sign_up(user=request.user, course_id=pk),
        success=said,
        redirect_to=_course_url(pk),
        render=lambda: render_course(request, pk),
    )


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    return render_page(
        request, "consultations/courses/mine.html", {"courses": my_courses(user=request.user)}
    )
