"""集体提案召集人: who convenes which party, people's organisation, sector, member group or
special committee in a term (and so may file collective proposals in its name)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import error_response, perform

from ..forms import ConvenerForm, term_label
from ..models import ConvenedBody
from ..permissions import can_manage_roster, can_view_roster
from ..selectors import convener_body_options, convener_list, membership_options_for_term
from ..services import convener_add, convener_remove
from ._common import parse_int, pick_term, require


def _page_url(term_id: int | None) -> str:
    url = reverse("members:conveners")
    return f"{url}?term={term_id}" if term_id else url


@login_required
def conveners(request: AuthenticatedRequest) -> HttpResponse:
    """Roster viewers see the conveners; holders of members.manage_roster name them here."""
    user = request.user
    require(can_view_roster(user))
    can_manage = can_manage_roster(user)
    if request.method == "POST":
        require(can_manage, _("您没有维护集体提案召集人的权限。"))
    source = request.POST if request.method == "POST" else request.GET
    term, terms = pick_term(request, source.get("term"))
    form = None
    if term is not None and can_manage:
        form = ConvenerForm(
            request.POST if request.method == "POST" else None,
            memberships=membership_options_for_term(term=term),
            bodies=convener_body_options(committee_id=term.committee_id),
        )

    def page() -> HttpResponse:
        rows = convener_list(term=term) if term is not None else []
        sections = [
            {"kind": kind, "label": label, "conveners": [c for c in rows if c.body == kind]}
            for kind, label in ConvenedBody.choices
        ]
        context = {
            "term": term,
            "term_options": [(t, term_label(t, terms)) for t in terms],
            "sections": sections,
            "form": form,
            "can_manage": can_manage,
        }
        return render(request, "members/conveners.html", context)

    if request.method != "POST":
        return page()
    if term is None or form is None:
        return error_response(request, 404, _("尚未设置届次，无法添加召集人。"))
    add_form, add_term = form, term

    def add() -> object:
        kind, target = add_form.body_parts()
        return convener_add(
            actor=user,
            term=add_term,
            membership_id=add_form.cleaned_data["membership"],
            body=kind,
            target=target,
            organisation_name=add_form.cleaned_data["organisation_name"],
        )

    return perform(
        request,
        add,
        form=add_form,
        render=page,
        success=_("已添加集体提案召集人。"),
        redirect_to=_page_url(add_term.pk),
    )


@login_required
@require_POST
def convener_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(can_manage_roster(request.user), _("您没有维护集体提案召集人的权限。"))
    back = _page_url(parse_int(request.POST.get("term")))
    return perform(
        request,
        lambda: convener_remove(actor=request.user, convener_id=pk),
        success=_("已移除集体提案召集人。"),
        redirect_to=back,
    )
