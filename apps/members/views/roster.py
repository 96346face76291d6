"""The roster list (with htmx-updated results) and its .xlsx export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import xlsx_response
from apps.core.pages import perform

from ..forms import RosterFilterForm, term_label
from ..models import MembershipStatus
from ..permissions import can_export_roster, can_manage_roster, can_unmask, can_view_roster
from ..selectors import membership_roster, roster_choices
from ..services import roster_export
from ._common import pick_term, require

PAGE_SIZE = 50


@login_required
def roster(request: AuthenticatedRequest) -> HttpResponse:
    """委员名册: one term, searchable and filterable; htmx asks only for the results fragment."""
    user = request.user
    require(can_view_roster(user))
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
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "members/roster.html#results" if partial and term else "members/roster.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def export(request: AuthenticatedRequest) -> HttpResponse:
    """The filtered roster as .xlsx; full phone/ID only for unmaskers who ask (audited)."""
    user = request.user
    require(can_export_roster(user), _("您没有导出委员名册的权限。"))
    term, _terms = pick_term(request, request.POST.get("term"))
    if term is None:
        raise Http404(_("没有可导出的名册。"))
    form = RosterFilterForm(request.POST, choices=roster_choices(committee_id=term.committee_id))
    full = request.POST.get("full") == "1"
    stamp = timezone.localdate().strftime("%Y%m%d")
    suffix = _("完整") if full else _("脱敏")
    filename = _("委员名册-%(term)s-%(kind)s-%(date)s.xlsx") % {
        "term": term,
        "kind": suffix,
        "date": stamp,
    }
    return perform(
        request,
        lambda: roster_export(actor=user, term=term, filters=form.filters(), full=full),
        on_success=lambda result: xlsx_response(result[0], filename),
        back=reverse("members:roster"),
    )
