"""The organisation page: a committee's structure, and small edit forms for those who may.

Each edit posts to its own URL and calls one service. With htmx the changed section comes back
as a template partial; without JavaScript the browser is redirected back to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError, NotFound
from apps.sectors.models import Sector
from apps.sectors.services import sector_create, sector_move, sector_update

from . import services
from .forms import HandlingUnitForm, MemberGroupForm, NameForm, PlenarySessionForm
from .models import Committee, HandlingUnit, SpecialCommittee, Term
from .numerals import chinese_number
from .permissions import can_edit_organisation, can_view_organisation
from .selectors import (
    committee_for_user,
    committee_ids_visible_to,
    committee_list_visible_to,
    organisation_overview,
)


def _committee_id_param(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(_("未找到该政协组织，或您无权查看。")) from None


def _committee_or_404(request: HttpRequest, committee_id: int | None) -> Committee:
    try:
        return committee_for_user(user=request.user, committee_id=committee_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _sector_form(data: Any = None) -> NameForm:
    return NameForm(data, prefix="sector", label=_("新界别名称"))


def _special_form(data: Any = None) -> NameForm:
    return NameForm(data, prefix="special", label=_("新专门委员会名称"))


def _overview_context(
    request: HttpRequest,
    committee: Committee,
    *,
    section_message: tuple[str, str, str] | None = None,
    bound_forms: dict[str, Any] | None = None,
) -> dict[str, Any]:
    overview = organisation_overview(committee=committee)
    can_edit = can_edit_organisation(request.user, committee.pk)
    visible_ids = committee_ids_visible_to(request.user)
    committees = (
        list(committee_list_visible_to(user=request.user).order_by("id"))
        if len(visible_ids) > 1
        else []
    )
    bound_forms = bound_forms or {}
    context: dict[str, Any] = {
        "overview": overview,
        "committee": committee,
        "committees": committees,
        "visible_ids": visible_ids,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        # (section, level, text): a short status line shown inside the section that changed.
        "section_message": section_message,
    }
    if can_edit:
        context["forms"] = {
            "sector": bound_forms.get("sector") or NameForm(prefix="sector"),
            "special_committee": bound_forms.get("special_committee") or NameForm(prefix="special"),
            "group": bound_forms.get("group") or MemberGroupForm(prefix="group"),
            "unit": bound_forms.get("unit") or HandlingUnitForm(prefix="unit"),
            "session": bound_forms.get("session")
            or PlenarySessionForm(prefix="session", terms=overview.terms),
        }
    return context


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Staff offices, leadership and sysadmins: one committee's structure (switchable)."""
    if not can_view_organisation(request.user):
        raise DjangoPermissionDenied(
            _("只有机关工作人员、主席会议成员和系统管理员可以查看组织机构。")
        )
    committee = _committee_or_404(request, _committee_id_param(request.GET.get("committee")))
    return render(request, "organisation/overview.html", _overview_context(request, committee))


def _respond(
    request: HttpRequest,
    committee: Committee,
    section: str,
    *,
    ok: str | None = None,
    error: str | None = None,
    bound_forms: dict[str, Any] | None = None,
) -> HttpResponse:
    """After an edit: the section partial for htmx, else a redirect back with a message."""
    if getattr(request, "htmx", False):
        level, text = ("danger", error) if error else ("success", ok or "")
        context = _overview_context(
            request,
            committee,
            section_message=(section, level, text),
            bound_forms=bound_forms if error else None,
        )
        return render(request, f"organisation/overview.html#{section}", context)
    if error:
        messages.error(request, error)
    elif ok:
        messages.success(request, ok)
    url = reverse("organisation:overview")
    return redirect(f"{url}?committee={committee.pk}#{section}")


def _editable_committee(request: HttpRequest, committee_id: int) -> Committee:
    committee = _committee_or_404(request, committee_id)
    if not can_edit_organisation(request.user, committee.pk):
        raise DjangoPermissionDenied(_("只有系统管理员或委员联络处可以修改组织机构。"))
    return committee


def _editable_row(request: HttpRequest, model: type[models.Model], pk: int) -> Any:
    """A row of `model` in a committee the user may edit (404 outside scope, 403 read-only)."""
    visible = committee_ids_visible_to(request.user)
    row: Any = (
        model._default_manager.select_related("committee")
        .filter(pk=pk, committee_id__in=visible)
        .first()
    )
    if row is None:
        raise Http404(_("未找到该记录，或您无权查看。"))
    if not can_edit_organisation(request.user, row.committee_id):
        raise DjangoPermissionDenied(_("只有系统管理员或委员联络处可以修改组织机构。"))
    return row


def _run(
    request: HttpRequest,
    committee: Committee,
    section: str,
    action: Callable[[], Any],
    ok: str,
    *,
    form_key: str | None = None,
    form: Any = None,
) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        bound = {form_key: form} if form_key and form is not None else None
        return _respond(request, committee, section, error=exc.message, bound_forms=bound)
    return _respond(request, committee, section, ok=ok)


# Sectors ------------------------------------------------------------------------------------


@login_required
@require_POST
def sector_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = _sector_form(request.POST)
    if not form.is_valid():
        return _respond(
            request, committee, "sectors", error=form.first_error(), bound_forms={"sector": form}
        )
    name = form.cleaned_data["name"]
    return _run(
        request,
        committee,
        "sectors",
        lambda: sector_create(committee=committee, name=name, created_by=request.user),
        _("已添加界别“%(name)s”。") % {"name": name},
        form_key="sector",
        form=form,
    )


@login_required
@require_POST
def sector_rename(request: HttpRequest, sector_id: int) -> HttpResponse:
    sector: Sector = _editable_row(request, Sector, sector_id)
    name = request.POST.get("name", "")
    return _run(
        request,
        sector.committee,
        "sectors",
        lambda: sector_update(sector=sector, name=name, actor=request.user),
        _("界别名称已保存。"),
    )


@login_required
@require_POST
def sector_move_view(request: HttpRequest, sector_id: int) -> HttpResponse:
    sector: Sector = _editable_row(request, Sector, sector_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return _respond(request, sector.committee, "sectors", error=_("请选择上移或下移。"))
    return _run(
        request,
        sector.committee,
        "sectors",
        lambda: sector_move(sector=sector, offset=offset, actor=request.user),
        _("已调整“%(name)s”的顺序。") % {"name": sector.name},
    )


def _active_param(request: HttpRequest) -> bool | None:
    return {"1": True, "0": False}.get(request.POST.get("active", ""))


@login_required
@require_POST
def sector_set_active(request: HttpRequest, sector_id: int) -> HttpResponse:
    sector: Sector = _editable_row(request, Sector, sector_id)
    active = _active_param(request)
    if active is None:
        return _respond(request, sector.committee, "sectors", error=_("请选择启用或停用。"))
    message = _("已启用界别“%(name)s”。") if active else _("已停用界别“%(name)s”。")
    return _run(
        request,
        sector.committee,
        "sectors",
        lambda: sector_update(sector=sector, is_active=active, actor=request.user),
        message % {"name": sector.name},
    )


# Special committees, groups, units, plenary sessions -----------------------------------------


@login_required
@require_POST
def special_committee_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = _special_form(request.POST)
    section = "special_committees"
    if not form.is_valid():
        return _respond(
            request,
            committee,
            section,
            error=form.first_error(),
            bound_forms={"special_committee": form},
        )
    name = form.cleaned_data["name"]
    return _run(
        request,
        committee,
        section,
        lambda: services.special_committee_create(
            committee=committee, name=name, created_by=request.user
        ),
        _("已添加专门委员会“%(name)s”。") % {"name": name},
        form_key="special_committee",
        form=form,
    )


@login_required
@require_POST
def special_committee_set_active(request: HttpRequest, special_committee_id: int) -> HttpResponse:
    row: SpecialCommittee = _editable_row(request, SpecialCommittee, special_committee_id)
    active = _active_param(request)
    section = "special_committees"
    if active is None:
        return _respond(request, row.committee, section, error=_("请选择启用或停用。"))
    message = _("已启用“%(name)s”。") if active else _("已停用“%(name)s”。")
    return _run(
        request,
        row.committee,
        section,
        lambda: services.special_committee_update(
            special_committee=row, is_active=active, actor=request.user
        ),
        message % {"name": row.name},
    )


@login_required
@require_POST
def member_group_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = MemberGroupForm(request.POST, prefix="group")
    if not form.is_valid():
        return _respond(
            request, committee, "groups", error=form.first_error(), bound_forms={"group": form}
        )
    data = form.cleaned_data
    return _run(
        request,
        committee,
        "groups",
        lambda: services.member_group_create(
            committee=committee, name=data["name"], kind=data["kind"], created_by=request.user
        ),
        _("已添加“%(name)s”。") % {"name": data["name"]},
        form_key="group",
        form=form,
    )


@login_required
@require_POST
def handling_unit_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = HandlingUnitForm(request.POST, prefix="unit")
    if not form.is_valid():
        return _respond(
            request, committee, "units", error=form.first_error(), bound_forms={"unit": form}
        )
    data = form.cleaned_data
    return _run(
        request,
        committee,
        "units",
        lambda: services.handling_unit_create(
            committee=committee,
            name=data["name"],
            system=data["system"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            created_by=request.user,
        ),
        _("已添加承办单位“%(name)s”。") % {"name": data["name"]},
        form_key="unit",
        form=form,
    )


@login_required
@require_POST
def handling_unit_set_active(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit: HandlingUnit = _editable_row(request, HandlingUnit, unit_id)
    active = _active_param(request)
    if active is None:
        return _respond(request, unit.committee, "units", error=_("请选择启用或停用。"))
    message = _("已启用“%(name)s”。") if active else _("已停用“%(name)s”。")
    return _run(
        request,
        unit.committee,
        "units",
        lambda: services.handling_unit_update(
            handling_unit=unit, is_active=active, actor=request.user
        ),
        message % {"name": unit.name},
    )


@login_required
@require_POST
def plenary_session_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    terms = list(Term.objects.filter(committee=committee).order_by("-number"))
    form = PlenarySessionForm(request.POST, prefix="session", terms=terms)
    if not form.is_valid():
        return _respond(
            request, committee, "sessions", error=form.first_error(), bound_forms={"session": form}
        )
    data = form.cleaned_data
    term = next(term for term in terms if term.pk == data["term"])
    return _run(
        request,
        committee,
        "sessions",
        lambda: services.plenary_session_create(
            term=term,
            number=data["number"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            proposal_deadline=data["proposal_deadline"],
            created_by=request.user,
        ),
        _("已添加%(name)s。") % {"name": f"{term}第{chinese_number(data['number'])}次会议"},
        form_key="session",
        form=form,
    )
