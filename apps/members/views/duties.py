"""Standing contact duties (联系制度) of a term: list by kind; staff add and remove pairs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import error_response, perform

from ..forms import ContactDutyForm, term_label
from ..models import ContactDutyKind
from ..permissions import can_manage_roster, can_view_roster
from ..selectors import contact_duty_list, membership_options_for_term
from ..services import contact_duty_add, contact_duty_remove
from ._common import parse_int, pick_term, require


def _page_url(term_id: int | None) -> str:
    url = reverse("members:contact_duties")
    return f"{url}?term={term_id}" if term_id else url


@login_required
def contact_duties(request: AuthenticatedRequest) -> HttpResponse:
    """Roster viewers see the pairs; holders of members.manage_roster add them here."""
    user = request.user
    require(can_view_roster(user))
    can_manage = can_manage_roster(user)
    if request.method == "POST":
        require(can_manage, _("您没有维护联系制度的权限。"))
    source = request.POST if request.method == "POST" else request.GET
    term, terms = pick_term(request, source.get("term"))
    form = None
    if term is not None and can_manage:
        options = membership_options_for_term(term=term)
        form = ContactDutyForm(
            request.POST if request.method == "POST" else None, memberships=options
        )

    def page() -> HttpResponse:
        grouped = contact_duty_list(term=term) if term is not None else {}
        sections = [
            {"kind": kind, "label": label, "duties": grouped.get(kind, [])}
            for kind, label in ContactDutyKind.choices
        ]
        context = {
            "term": term,
            "term_options": [(t, term_label(t, terms)) for t in terms],
            "sections": sections,
            "form": form,
            "can_manage": can_manage,
        }
        return render(request, "members/contact_duties.html", context)

    if request.method != "POST":
        return page()
    if term is None or form is None:
        return error_response(request, 404, _("尚未设置届次，无法添加联系关系。"))
    add_form, add_term = form, term
    return perform(
        request,
        lambda: contact_duty_add(
            actor=user,
            term=add_term,
            kind=add_form.cleaned_data["kind"],
            contact_id=add_form.cleaned_data["contact"],
            contacted_id=add_form.cleaned_data["contacted"],
        ),
        form=add_form,
        render=page,
        success=_("已添加联系关系。"),
        redirect_to=_page_url(add_term.pk),
    )


@login_required
@require_POST
def contact_duty_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(can_manage_roster(request.user), _("您没有维护联系制度的权限。"))
    back = _page_url(parse_int(request.POST.get("term")))
    return perform(
        request,
        lambda: contact_duty_remove(actor=request.user, duty_id=pk),
        success=_("已删除联系关系。"),
        redirect_to=back,
    )
