"""The consultations API (/api/v1/consultations), member side: my meetings, one meeting with
its actions and released materials, answer an invitation, ask for leave, check in with a
scanned code, my calendar, my study courses with their sessions; and the public comment
endpoint of an open online consultation (no account, rate limited). Thin: schema in →
service, workflow or selector → schema out; domain errors become 403/404/409/422/429 in one
place (apps.core.api_errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from apps.accounts.auth import api_caller
from apps.accounts.models import User
from apps.core.api_schemas import labelled
from apps.core.context import client_ip
from apps.core.downloads import download_response
from apps.core.errors import NotFound

from . import services, workflow
from .models import Invitation, Material, Meeting
from .permissions import invitation_of
from .schemas import (
    ERRORS,
    AnswerIn,
    CalendarEventOut,
    CheckInIn,
    CheckInOut,
    CommentIn,
    CommentOut,
    CourseOut,
    CourseSignUpOut,
    LeaveIn,
    LeaveOut,
    MeetingOut,
    MeetingSummaryOut,
)
from .selectors import materials_for, meeting_get_for_user, meetings_between, my_invitations
from .selectors.courses import my_courses
from .selectors.online import online_get_public
from .services.courses import course_sign_up

router = Router(tags=["协商会议"])


def _place(meeting: Meeting) -> str:
    parts = [meeting.venue.name if meeting.venue else "", meeting.location_note]
    return " ".join(p for p in parts if p)


def _summary(
    meeting: Meeting, invitation: Invitation | None, *, with_leave: bool = True
) -> dict[str, Any]:
    leave = None
    if invitation is not None and with_leave:
        rows = getattr(invitation, "all_leave_requests", None)
        latest = rows[0] if rows else invitation.leave_requests.order_by("-id").first()
        if latest is not None:
            leave = labelled(latest.status, latest.get_status_display())
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "form": meeting.form.name,
        "status": labelled(meeting.status, meeting.get_status_display()),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": _place(meeting),
        "answer": labelled(invitation.answer, invitation.get_answer_display())
        if invitation
        else None,
        "attendance": labelled(invitation.attendance, invitation.get_attendance_display())
        if invitation and invitation.attendance
        else None,
        "checked_in_at": invitation.checked_in_at if invitation else None,
        "leave": leave,
    }


def _detail(user: User, meeting_id: int) -> dict[str, Any]:
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    actions = workflow.meeting_actions_for(user, meeting)
    materials = materials_for(meeting=meeting) if "view_materials" in actions else []
    return {
        **_summary(meeting, invitation_of(user, meeting)),
        "agenda": list(meeting.agenda or []),
        "description": meeting.description,
        "online_url": meeting.online_url,
        "materials": [
            {
                "id": m.pk,
                "title": m.title,
                "name": m.original_name,
                "size": m.size,
                "url": reverse("api:download_material", args=[m.pk]),
            }
            for m in materials
        ],
        "actions": actions.as_list(),
    }


@router.get(
    "/meetings",
    response=list[MeetingSummaryOut],
    summary="我的会议",
    description="受邀参加的会议活动。upcoming=true 只列即将召开的，false 只列已结束或已取消的。",
    operation_id="list_my_meetings",
)
def list_my_meetings(request: HttpRequest, upcoming: bool | None = None) -> list[dict[str, Any]]:
    user = api_caller(request)
    return [_summary(i.meeting, i) for i in my_invitations(user=user, upcoming=upcoming)[:200]]


@router.get(
    "/courses",
    response=list[CourseOut],
    summary="我的学习培训",
    description="受邀参加的学习培训班（已发布、已结业），每次课程的时间、授课人和我的出勤。"
    "签到与会议相同（POST /checkin）。",
    operation_id="list_my_courses",
)
def list_my_courses(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_caller(request)
    result = []
    for item in my_courses(user=user):
        course = item.course
        result.append(
            {
                "id": course.pk,
                "title": course.title,
                "kind": labelled(course.kind, course.get_kind_display()),
                "status": labelled(course.status, course.get_status_display()),
                "topics": course.topics,
                "description": course.description,
                "attended": item.attended,
                "required": item.required,
                "signup_required": course.signup_required,
                "signup_cap": course.signup_cap,
                "sessions": [
                    {
                        **_summary(session.meeting, invitation, with_leave=False),
                        "kind": labelled(session.kind, session.get_kind_display()),
                        "teacher": session.teacher,
                        "teacher_title": session.teacher_title,
                    }
                    for session, invitation in item.sessions
                ],
            }
        )
    return result


@router.post(
    "/courses/{int:course_id}/signup",
    response={200: CourseSignUpOut, **ERRORS},
    summary="报名参加学习培训班",
    description="报名参加本培训班所有尚未开始、受邀参加的课程；名额已满的课程列在 full 中。"
    "不需要报名或已全部报名返回 409，不在参训范围返回 404。",
    operation_id="sign_up_course",
)
def sign_up_course(request: HttpRequest, course_id: int) -> dict[str, Any]:
    user = api_caller(request)
    result = course_sign_up(user=user, course_id=course_id)
    return {"signed": [m.pk for m in result.signed], "full": [m.pk for m in result.full]}


@router.get(
    "/meetings/{int:meeting_id}",
    response={200: MeetingOut, **ERRORS},
    summary="会议详情",
    description="议程、已发布的会议材料和该用户现在可做的操作（actions）。",
    operation_id="get_meeting",
)
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _detail(api_caller(request), meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/answer",
    response={200: MeetingOut, **ERRORS},
    summary="答复会议邀请",
    operation_id="answer_invitation",
)
def answer_invitation(request: HttpRequest, meeting_id: int, payload: AnswerIn) -> dict[str, Any]:
    user = api_caller(request)
    meeting_get_for_user(user=user, meeting_id=meeting_id)
    workflow.invitation_answer(
        user=user, meeting_id=meeting_id, answer=payload.answer, note=payload.note
    )
    return _detail(user, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/leave",
    response={201: LeaveOut, **ERRORS},
    summary="请假",
    description="会前规定天数（默认2天）之前提出，由审批人批准或不批准，结果会通知本人。",
    operation_id="ask_leave",
)
def ask_leave(request: HttpRequest, meeting_id: int, payload: LeaveIn) -> Status[dict[str, Any]]:
    user = api_caller(request)
    meeting_get_for_user(user=user, meeting_id=meeting_id)
    leave = workflow.leave_request(user=user, meeting_id=meeting_id, reason=payload.reason)
    return Status(
        201,
        {
            "id": leave.pk,
            "status": labelled(leave.status, leave.get_status_display()),
            "reason": leave.reason,
            "requested_at": leave.requested_at,
        },
    )


@router.post(
    "/checkin",
    response={200: CheckInOut, **ERRORS},
    summary="扫码签到",
    description=(
        "提交扫描到的签到二维码内容（或大屏上的6位数字）。过期、伪造、其他会议的签到码返回 409，"
        "extra.reason 为 expired / forged / other_meeting / not_invited。"
    ),
    operation_id="check_in",
)
def check_in(request: HttpRequest, payload: CheckInIn) -> dict[str, Any]:
    user = api_caller(request)
    code = payload.code.strip()
    if code.isdigit() and len(code) == 6:
        invitation = services.checkin_with_code(user=user, code=code)
    else:
        invitation = services.checkin_with_token(user=user, token=code)
    meeting = invitation.meeting
    return {
        "meeting_id": meeting.pk,
        "title": meeting.title,
        "checked_in_at": invitation.checked_in_at,
    }


@router.get(
    "/calendar",
    response=list[CalendarEventOut],
    summary="我的日程",
    description="start、end 为日期（含 start，不含 end），默认本月。",
    operation_id="my_calendar",
)
def my_calendar(
    request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict[str, Any]]:
    user = api_caller(request)
    today = timezone.localdate()
    start = start or today.replace(day=1)
    end = end or (start + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    meetings = meetings_between(
        user=user,
        start=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        end=dt.datetime.combine(end, dt.time.min, tzinfo=tz),
        mine=True,
    )
    return [
        {
            "id": m.pk,
            "title": m.title,
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "place": _place(m),
            "status": labelled(m.status, m.get_status_display()),
        }
        for m in meetings
    ]


@router.get(
    "/materials/{int:material_id}",
    response={200: None, **ERRORS},
    summary="下载会议材料",
    description="发布后受邀委员可下载；每次下载都会记录。",
    operation_id="download_material",
    url_name="download_material",
)
def download_material(request: HttpRequest, material_id: int) -> HttpResponse:
    user = api_caller(request)
    material = Material.objects.select_related("meeting").filter(pk=material_id).first()
    if material is None:
        raise NotFound(_("未找到该材料。"))
    meeting = meeting_get_for_user(user=user, meeting_id=material.meeting_id)
    workflow.MEETING.check(user, meeting, "view_materials")
    services.material_download_record(user=user, material=material)
    with material.file.open("rb") as handle:
        content = handle.read()
    return download_response(content, material.original_name, material.content_type)


@router.post(
    "/online/{key}/comments",
    auth=None,
    response={201: CommentOut, **ERRORS},
    summary="网上协商留言（公开）",
    description=(
        "无需登录。每条不超过规定字数（默认2000字），同一地址每分钟不超过规定条数（默认10条，"
        "超过返回 429）；留言经审核后公开。"
    ),
    operation_id="post_comment",
)
def post_comment(request: HttpRequest, key: str, payload: CommentIn) -> Status[dict[str, Any]]:
    from .services.online import comment_post

    consultation = online_get_public(key=key)
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    comment_post(
        consultation_id=consultation.pk,
        body=payload.body,
        author_name=payload.author_name,
        honeypot=payload.website,
        ip=client_ip(request),
        user=user,
    )
    return Status(201, {"accepted": True, "message": _("感谢您的留言！留言经审核后公开显示。")})
