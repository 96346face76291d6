"""The plenary's 会务 pages (staff): discussion groups, the seat chart (generated, adjusted),
hotel/bus/meal per invitee, printable seat chart and sign-in sheets; and each member's 参会指南."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import perform

from ..models import Arrangement, DiscussionGroup, Meeting
from ..permissions import can_manage_meeting, invitation_of
from ..selectors import materials_for
from ..services.affairs import arrangement_update, groups_set, seat_swap, seats_generate
from ..workflow import meeting_actions_for
from .common import render_page, visible_meeting


def _managed(request: AuthenticatedRequest, pk: int) -> Meeting:
    meeting = visible_meeting(request.user, pk)
    if not can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("只有会务工作人员或会议组织人可以安排会务。"))
    return meeting


def _rows(meeting: Meeting) -> list[Arrangement]:
    return list(
        Arrangement.objects.filter(meeting=meeting)
        .select_related(
            "invitation__membership__member", "invitation__membership__sector", "discussion_group"
        )
        .order_by("seat_row", "seat_number", "id")
    )


def _chart(rows: list[Arrangement]) -> list[list[Arrangement | None]]:
    seated = [r for r in rows if r.seat_row is not None]
    if not seated:
        return []
    width = max(r.seat_number or 0 for r in seated)
    height = max(r.seat_row or 0 for r in seated)
    grid: list[list[Arrangement | None]] = [[None] * width for _ in range(height)]
    for row in seated:
        assert row.seat_row is not None and row.seat_number is not None
        grid[row.seat_row - 1][row.seat_number - 1] = row
    return grid


def _context(meeting: Meeting) -> dict[str, Any]:
    rows = _rows(meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "chart": _chart(rows),
        "groups": list(DiscussionGroup.objects.filter(meeting=meeting)),
    }


@login_required
def affairs(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    return render_page(request, "consultations/affairs/manage.html", _context(meeting))


@login_required
def affairs_print(request: AuthenticatedRequest, pk: int, sheet: str) -> HttpResponse:
    meeting = _managed(request, pk)
    context = _context(meeting)
    context["sheet"] = "seats" if sheet == "seats" else "signin"
    by_group: dict[str, list[Arrangement]] = {}
    for row in sorted(
        context["rows"],
        key=lambda a: (
            a.discussion_group.sort_order if a.discussion_group else 999,
            a.seat_row or 999,
            a.seat_number or 999,
        ),
    ):
        name = row.discussion_group.name if row.discussion_group else _("未分组")
        by_group.setdefault(name, []).append(row)
    context["by_group"] = list(by_group.items())
    return render_page(request, "consultations/affairs/print.html", context)


def _back(pk: int) -> str:
    return reverse("consultations:affairs", args=[pk])


@login_required
@require_POST
def seats(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _managed(request, pk)
    return perform(
        request,
        lambda: seats_generate(
            user=request.user, meeting_id=pk, keep_manual=request.POST.get("reset") != "1"
        ),
        success=lambda count: _("已按规则排定%(count)d个座位。") % {"count": count},
        redirect_to=_back(pk),
    )


@login_required
@require_POST
def swap(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _managed(request, pk)
    first, second = request.POST.get("first", ""), request.POST.get("second", "")
    return perform(
        request,
        lambda: seat_swap(
            user=request.user,
            meeting_id=pk,
            first_id=int(first) if first.isdigit() else 0,
            second_id=int(second) if second.isdigit() else 0,
        ),
        success=_("座位已调换。"),
        redirect_to=_back(pk),
    )


@login_required
@require_POST
def groups(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _managed(request, pk)
    names = request.POST.getlist("name")
    rooms = request.POST.getlist("room")
    conveners = request.POST.getlist("convener")
    wanted = [
        {
            "name": name,
            "room": rooms[i] if i < len(rooms) else "",
            "convener": conveners[i] if i < len(conveners) else "",
        }
        for i, name in enumerate(names)
    ]
    return perform(
        request,
        lambda: groups_set(user=request.user, meeting_id=pk, groups=wanted),
        success=_("讨论组已分好（同一界别在同一组）。"),
        redirect_to=_back(pk),
    )


@login_required
@require_POST
def arrangement(request: AuthenticatedRequest, pk: int, invitation_id: int) -> HttpResponse:
    _managed(request, pk)
    data = {
        name: request.POST.get(name, "")
        for name in ("hotel", "room", "bus", "meal_table", "discussion_group")
    }
    return perform(
        request,
        lambda: arrangement_update(
            user=request.user, meeting_id=pk, invitation_id=invitation_id, data=data
        ),
        success=_("已保存。"),
        redirect_to=_back(pk),
    )


@login_required
def guide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """参会指南: on the member's phone — agenda, seat, group, room, bus, table, documents."""
    meeting = visible_meeting(request.user, pk)
    invitation = invitation_of(request.user, meeting)
    if invitation is None:
        raise PermissionDenied(_("参会指南只对参会委员开放。"))
    arrangement = (
        Arrangement.objects.filter(invitation=invitation).select_related("discussion_group").first()
    )
    actions = meeting_actions_for(request.user, meeting)
    return render_page(
        request,
        "consultations/affairs/guide.html",
        {
            "meeting": meeting,
            "invitation": invitation,
            "arrangement": arrangement,
            "materials": materials_for(meeting=meeting) if "view_materials" in actions else [],
            "actions": actions,
        },
    )
