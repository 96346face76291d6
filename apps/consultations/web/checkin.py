"""Check-in pages: the venue screen with the rotating QR code and 6-digit code (staff), the
page a scan opens (anyone: a member not signed in is sent through sign-in and lands checked
in), the confirmation, and the 6-digit code form."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.errors import DomainError
from apps.core.pages import perform

from .. import checkin, services
from ..models import CheckInTicket, Invitation
from ..selectors import consultation_settings_for
from ..workflow import meeting_actions_for
from . import forms
from .common import meeting_url, render_page, visible_meeting


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image request, nothing from outside)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _screen_context(request: HttpRequest, meeting) -> dict:  # type: ignore[no-untyped-def]
    rotation = consultation_settings_for(meeting.committee).checkin_rotation_seconds
    code = checkin.screen_code(meeting, clock.now(), rotation)
    url = request.build_absolute_uri(reverse("consultations:scan", args=[meeting.pk, code.token]))
    checked = Invitation.objects.filter(meeting=meeting, checked_in_at__isnull=False).count()
    total = Invitation.objects.filter(meeting=meeting).count()
    return {
        "meeting": meeting,
        "code": code,
        "url": url,
        "svg": qr_svg(url),
        "rotation": rotation,
        "checked": checked,
        "total": total,
        "now": timezone.localtime(clock.now()),
    }


@never_cache
@login_required
def screen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The venue screen: QR code and 6-digit code, refreshed every rotation (htmx poll)."""
    meeting = visible_meeting(request.user, pk)
    if "checkin_screen" not in meeting_actions_for(request.user, meeting):
        raise PermissionDenied(_("当前不能打开签到大屏（会议未发通知、已结束或您不是组织人）。"))
    return render_page(
        request,
        "consultations/checkin/screen.html",
        _screen_context(request, meeting),
        partial="code",
    )


def _refused(request: HttpRequest, error: DomainError, meeting_id: int | None) -> HttpResponse:
    return render_page(
        request,
        "consultations/checkin/result.html",
        {"ok": False, "message": error.message, "reason": error.extra.get("reason", "")},
        status=error.status,
    )


@never_cache
def scan(request: HttpRequest, meeting_id: int, token: str) -> HttpResponse:
    """What a scanned QR code opens. A valid code becomes a one-time ticket; the ticket page
    asks for sign-in first when needed (so the 30-second code does not run out on the way)."""
    try:
        ticket = services.checkin_scan(meeting_id=meeting_id, token=token)
    except DomainError as error:
        return _refused(request, error, meeting_id)
    return redirect("consultations:ticket", key=ticket.key)


@never_cache
@login_required
def ticket(request: AuthenticatedRequest, key: str) -> HttpResponse:
    """Confirm the check-in (the page submits itself once; without JavaScript a big button)."""
    found = CheckInTicket.objects.select_related("meeting").filter(key=key).first()
    if request.method != "POST":
        return render_page(
            request,
            "consultations/checkin/confirm.html",
            {"ticket": found, "key": key, "used": bool(found and found.used_at)},
        )
    return perform(
        request,
        lambda: services.checkin_with_ticket(user=request.user, ticket_key=key),
        on_success=lambda invitation: render_page(
            request,
            "consultations/checkin/result.html",
            {"ok": True, "meeting": invitation.meeting, "invitation": invitation},
        ),
        # A refusal (expired, replayed, not invited…): the result page with the reason above.
        render=lambda: render_page(request, "consultations/checkin/result.html", {"ok": False}),
        back=reverse("consultations:mine"),
    )


@never_cache
@login_required
def code(request: AuthenticatedRequest) -> HttpResponse:
    """The 6-digit code form (for phones that cannot scan)."""
    form = forms.CodeForm(request.POST or None)
    if request.method != "POST":
        return render_page(request, "consultations/checkin/code.html", {"form": form})
    return perform(
        request,
        lambda: services.checkin_with_code(user=request.user, code=form.cleaned_data["code"]),
        form=form,
        success=_("签到成功。"),
        redirect_to=lambda invitation: meeting_url(invitation.meeting_id),
        render=lambda: render_page(request, "consultations/checkin/code.html", {"form": form}),
    )
