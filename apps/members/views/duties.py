"""Standing contact duties (联系制度) of a term: list by kind; staff add and remove pairs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError

from ..forms import ContactDutyForm, add_domain_error, term_label
from ..models import ContactDutyKind
from ..permissions import can_manage_roster, can_view_roster
from ..selectors import contact_duty_list, membership_options_for_term
from ..services import contact_duty_add, contact_duty_remove
from ._common import forbidden, parse_int, pick_term


def _back(term_id: int | None) -> HttpResponse:
    url = reverse("members:contact_duties")
    return redirect(f"{url}?term={term_id}" if term_id else url)


@login_required
def contact_duties(request: HttpRequest) -> HttpResponse:
    """Roster viewers see the pairs; holders of members.manage_roster add them here."""
    user = request.user
    if not can_view_roster(user):
        return forbidden(request)
    source = request.POST if request.method == "POST" else request.GET
    term, terms = pick_term(request, source.get("term"))
    can_manage = can_manage_roster(user)
    if request.method == "POST" and not can_manage:
        return forbidden(request, _("您没有维护联系制度的权限。"))
    form = None
    if term is not None and can_manage:
        options = membership_options_for_term(term=term)
        form = ContactDutyForm(
            request.POST if request.method == "POST" else None, memberships=options
        )
        if request.method == "POST" and form.is_valid():
            try:
                contact_duty_add(
                    actor=user,
                    term=term,
                    kind=form.cleaned_data["kind"],
                    contact_id=form.cleaned_data["contact"],
                    contacted_id=form.cleaned_data["contacted"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已添加联系关系。"))
                return _back(term.pk)
    grouped = contact_duty_list(term=term) if term is not None else {}
    sections = [
        {"kind": kind, "label": label, "duties": grouped.get(kind, [])}
        for kind, label in ContactDutyKind.choices
    ]
    return render(
        request,
        "members/contact_duties.html",
        {
            "term": term,
            "term_options": [(t, term_label(t, terms)) for t in terms],
            "sections": sections,
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def contact_duty_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_roster(request.user):
        return forbidden(request, _("您没有维护联系制度的权限。"))
    term_id = parse_int(request.POST.get("term"))
    try:
        contact_duty_remove(actor=request.user, duty_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除联系关系。"))
    return _back(term_id)
