"""全部提案: the committee's proposals with filters, sortable by number, 50 a page, and the same
list as .xlsx."""

from __future__ import annotations

import io
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import xlsx_response
from apps.organisation.models import PlenarySession, Term

from ....selectors.config import category_list
from ....selectors.office import (
    handling_units_grouped,
    proposal_export_rows,
    proposal_office_list,
)
from ...common import render_page
from ..exports import proposals_xlsx
from ..forms import OfficeListFilterForm
from ._common import office_committee_id, staff_required

PAGE_SIZE = 50


def _filter_form(request: AuthenticatedRequest, committee_id: int) -> OfficeListFilterForm:
    """The filters; without any `term` in the query the current term is shown."""
    terms = list(Term.objects.filter(committee_id=committee_id).order_by("-number"))
    sessions = list(
        PlenarySession.objects.filter(committee_id=committee_id)
        .select_related("term")
        .order_by("-term__number", "-number")
    )
    data: QueryDict = request.GET.copy()
    if "term" not in data:
        current = next((t for t in terms if t.is_current), None)
        if current is not None:
            data["term"] = str(current.pk)
    return OfficeListFilterForm(
        data,
        terms=terms,
        sessions=sessions,
        categories=category_list(committee=committee_id, include_inactive=True),
        unit_groups=handling_units_grouped(committee_id=committee_id),
    )


@staff_required
def proposal_list(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """The office's list of every proposal of its committee (leadership reads it too)."""
    form = _filter_form(request, committee_id)
    filters = form.filters(committee_id=committee_id)
    page = Paginator(proposal_office_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = form.as_query()
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "proposals": list(page.object_list),
        "query": query,
        "filtered": bool({k: v for k, v in query.items() if k not in ("term", "sort")}),
        "sort": filters.sort,
        "nav_office": office_committee_id(request.user) is not None,
    }
    return render_page(request, "proposals/office/list.html", "results", context)


@staff_required
def proposal_export(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """The list with the current filters as .xlsx (every row, not only one page)."""
    form = _filter_form(request, committee_id)
    rows = proposal_export_rows(user=request.user, filters=form.filters(committee_id=committee_id))
    buffer = io.BytesIO()
    proposals_xlsx(rows.iterator(chunk_size=500), buffer)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(buffer.getvalue(), _("提案列表-%(date)s.xlsx") % {"date": stamp})
