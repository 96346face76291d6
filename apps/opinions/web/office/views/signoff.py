"""签发: the leader's list of reports waiting for them, and 签发 / 退回编辑 (on the report page,
where the leader reads the edited text beside the original)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest

from .... import workflow
from ....selectors import signoff_list_for
from ...common import render_page
from ..forms import NoteForm
from ._common import act, leader_required

PAGE_SIZE = 20


@leader_required
@require_GET
def signoff_list(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    page = Paginator(signoff_list_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page(request, "opinions/office/signoff.html", "results", {"page": page})


@leader_required
@require_POST
def sign(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = NoteForm(request.POST, prefix="sign")
    return act(
        request,
        pk,
        lambda: workflow.report_sign(
            user=request.user, report_id=pk, note=form.cleaned_data["note"]
        ),
        success=_("已签发，社情民意信息处将编入期刊。"),
        form=form,
        form_key="sign",
    )


@leader_required
@require_POST
def send_back(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = NoteForm(request.POST, prefix="send_back", required=True)
    return act(
        request,
        pk,
        lambda: workflow.report_send_back(
            user=request.user, report_id=pk, note=form.cleaned_data["note"]
        ),
        success=_("已退回社情民意信息处修改。"),
        form=form,
        form_key="send_back",
    )
