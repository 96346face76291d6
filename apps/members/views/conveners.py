"""集体提案召集人: who convenes which party, people's organisation, sector, member group or
special committee in a term (and so may file collective proposals in its name)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.organisation.models import Term

from ..forms import ConvenerForm
from ..models import ConvenedBody
from ..selectors import convener_body_options, convener_list, membership_options_for_term
from ..services import convener_add, convener_remove
from ._common import term_relation_delete, term_relations_page


def _form(term: Term, data: QueryDict | None) -> ConvenerForm:
    return ConvenerForm(
        data,
        memberships=membership_options_for_term(term=term),
        bodies=convener_body_options(committee_id=term.committee_id),
    )


def _sections(term: Term) -> list[dict[str, Any]]:
    rows = convener_list(term=term)
    return [
        {"kind": kind, "label": label, "conveners": [c for c in rows if c.body == kind]}
        for kind, label in ConvenedBody.choices
    ]


@login_required
def conveners(request: AuthenticatedRequest) -> HttpResponse:
    """Roster viewers see the conveners; holders of members.manage_roster name them here."""

    def add(form: ConvenerForm, term: Term) -> object:
        kind, target = form.body_parts()
        return convener_add(
            actor=request.user,
            term=term,
            membership_id=form.cleaned_data["membership"],
            body=kind,
            target=target,
            organisation_name=form.cleaned_data["organisation_name"],
        )

    return term_relations_page(
        request,
        url_name="members:conveners",
        template="members/conveners.html",
        denied=_("您没有维护集体提案召集人的权限。"),
        no_term=_("尚未设置届次，无法添加召集人。"),
        make_form=_form,
        sections=_sections,
        add=add,
        added=_("已添加集体提案召集人。"),
    )


@login_required
@require_POST
def convener_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return term_relation_delete(
        request,
        url_name="members:conveners",
        denied=_("您没有维护集体提案召集人的权限。"),
        remove=lambda: convener_remove(actor=request.user, convener_id=pk),
        removed=_("已移除集体提案召集人。"),
    )
