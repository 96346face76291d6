"""Standing contact duties (联系制度) of a term: list by kind; staff add and remove pairs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.organisation.models import Term

from ..forms import ContactDutyForm
from ..models import ContactDutyKind
from ..selectors import contact_duty_list, membership_options_for_term
from ..services import contact_duty_add, contact_duty_remove
from ._common import term_relation_delete, term_relations_page


def _form(term: Term, data: QueryDict | None) -> ContactDutyForm:
    return ContactDutyForm(data, memberships=membership_options_for_term(term=term))


def _sections(term: Term) -> list[dict[str, Any]]:
    grouped = contact_duty_list(term=term)
    return [
        {"kind": kind, "label": label, "duties": grouped.get(kind, [])}
        for kind, label in ContactDutyKind.choices
    ]


@login_required
def contact_duties(request: AuthenticatedRequest) -> HttpResponse:
    """Roster viewers see the pairs; holders of members.manage_roster add them here."""

    def add(form: ContactDutyForm, term: Term) -> object:
        return contact_duty_add(
            actor=request.user,
            term=term,
            kind=form.cleaned_data["kind"],
            contact_id=form.cleaned_data["contact"],
            contacted_id=form.cleaned_data["contacted"],
        )

    return term_relations_page(
        request,
        url_name="members:contact_duties",
        template="members/contact_duties.html",
        denied=_("您没有维护联系制度的权限。"),
        no_term=_("尚未设置届次，无法添加联系关系。"),
        make_form=_form,
        sections=_sections,
        add=add,
        added=_("已添加联系关系。"),
    )


@login_required
@require_POST
def contact_duty_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return term_relation_delete(
        request,
        url_name="members:contact_duties",
        denied=_("您没有维护联系制度的权限。"),
        remove=lambda: contact_duty_remove(actor=request.user, duty_id=pk),
        removed=_("已删除联系关系。"),
    )
