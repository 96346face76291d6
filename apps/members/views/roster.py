"""The roster list (with htmx-updated results) and its .xlsx export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.downloads import xlsx_response
from apps.core.errors import PermissionDenied

from ..forms import RosterFilterForm, term_label
from ..models import MembershipStatus
from ..permissions import can_export_roster, can_manage_roster, can_unmask, can_view_roster
from ..selectors import membership_roster, roster_choices
from ..services import roster_export
from ._common import forbidden, pick_term

PAGE_SIZE = 50


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """委员名册: one term, searchable and filterable; htmx asks only for the results fragment."""
    user = request.user
    if not can_view_roster(user):
        return forbidden(request)
    term, terms = pick_term(request, request.GET.get("term"))
    context: dict[str, object] = {
        "term": term,
        "term_options": [(t, term_label(t, terms)) for t in terms],
        "can_manage": can_manage_roster(user),
        "can_export": can_export_roster(user),
        "can_unmask": can_unmask(user),
        "statuses": MembershipStatus,
    }
    if term is not None:
        form = RosterFilterForm(request.GET, choices=roster_choices(committee_id=term.committee_id))
        filters = form.filters()
        paginator = Paginator(membership_roster(user=user, term=term, filters=filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context.update(
            form=form,
            filters=filters,
            filter_query=filters.as_query(),
            page=page,
            memberships=list(page.object_list),
            filtered=bool(filters.as_query()),
        )
    partial = bool(request.htmx) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "members/roster.html#results" if partial and term else "members/roster.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """The filtered roster as .xlsx; full phone/ID only for unmaskers who ask (audited)."""
    user = request.user
    if not can_export_roster(user):
        return forbidden(request, _("您没有导出委员名册的权限。"))
    term, _terms = pick_term(request, request.POST.get("term"))
    if term is None:
        return forbidden(request, _("没有可导出的名册。"))
    form = RosterFilterForm(request.POST, choices=roster_choices(committee_id=term.committee_id))
    full = request.POST.get("full") == "1"
    try:
        content, _count = roster_export(actor=user, term=term, filters=form.filters(), full=full)
    except PermissionDenied as exc:
        return forbidden(request, exc.message)
    stamp = timezone.localdate().strftime("%Y%m%d")
    suffix = "完整" if full else "脱敏"
    return xlsx_response(content, f"委员名册-{term}-{suffix}-{stamp}.xlsx")
