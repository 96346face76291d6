"""Downloads and print views of a meeting: the attendance sheet (.xlsx and print), the notice
(.docx). Organisers only (the record_attendance / manual_checkin actions' people)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import download_response, xlsx_response

from .. import documents
from ..models import Meeting
from ..permissions import can_manage_meeting
from ..selectors import invitation_list
from .common import render_page, visible_meeting

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _managed(request: AuthenticatedRequest, pk: int) -> Meeting:
    meeting = visible_meeting(request.user, pk)
    if not can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("只有会务工作人员或会议组织人可以导出。"))
    return meeting


@login_required
def attendance_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    content = documents.attendance_xlsx(meeting, list(invitation_list(meeting=meeting)))
    return xlsx_response(content, f"{meeting.title}-签到表.xlsx")


@login_required
def attendance_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    return render_page(
        request,
        "consultations/office/attendance_print.html",
        {"meeting": meeting, "invitations": list(invitation_list(meeting=meeting))},
    )


@login_required
def notice_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    content = documents.notice_docx(meeting, list(invitation_list(meeting=meeting)))
    return download_response(content, f"{meeting.title}-会议通知.docx", DOCX)
