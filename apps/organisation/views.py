"""The organisation page: a committee's structure, and small edit forms for those who may.

Each edit posts to its own URL, parses one form and calls one service through
apps.core.pages.perform. With htmx the changed section comes back as a template partial with a
short status line (the success, or the error and the bound form); without JavaScript a success
redirects back to the page and an error shows the page again with the message in its section
(422 / 409). A committee or row outside the user's scope is the portal's 404 page, a read-only
one its 403 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import NotFound
from apps.core.forms import StyledForm
from apps.core.pages import is_htmx, perform
from apps.sectors.models import Sector
from apps.sectors.services import sector_create, sector_move, sector_update

from . import services
from .forms import (
    ActiveForm,
    HandlingUnitForm,
    MemberGroupForm,
    MoveForm,
    PlenarySessionForm,
    SectorForm,
    SectorRenameForm,
    SpecialCommitteeForm,
)
from .models import Committee, HandlingUnit, MemberGroup, PlenarySession, SpecialCommittee
from .permissions import can_edit_organisation, can_view_organisation
from .selectors import (
    committee_for_user,
    committee_ids_visible_to,
    committee_list_visible_to,
    organisation_overview,
    term_list,
)

# (section, level, text): a short status line shown inside the section that changed.
type SectionMessage = tuple[str, str, str]


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


def _overview_url(committee: Committee, section: str) -> str:
    return f"{reverse('organisation:overview')}?committee={committee.pk}#{section}"


def _overview_context(
    request: HttpRequest,
    committee: Committee,
    *,
    section_message: SectionMessage | None = None,
    bound_forms: dict[str, StyledForm] | None = None,
) -> dict[str, object]:
    overview = organisation_overview(committee=committee)
    can_edit = can_edit_organisation(request.user, committee.pk)
    visible_ids = committee_ids_visible_to(request.user)
    committees = (
        list(committee_list_visible_to(user=request.user).order_by("id"))
        if len(visible_ids) > 1
        else []
    )
    context: dict[str, object] = {
        "overview": overview,
        "committee": committee,
        "committees": committees,
        "visible_ids": visible_ids,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        "section_message": section_message,
    }
    if can_edit:
        bound = bound_forms or {}
        context["forms"] = {
            "sector": bound.get("sector") or SectorForm(prefix="sector"),
            "special_committee": bound.get("special_committee")
            or SpecialCommitteeForm(prefix="special"),
            "group": bound.get("group") or MemberGroupForm(prefix="group"),
            "unit": bound.get("unit") or HandlingUnitForm(prefix="unit"),
            "session": bound.get("session")
            or PlenarySessionForm(prefix="session", terms=overview.terms),
        }
    return context


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Staff offices, leadership and sysadmins: one committee's structure (switchable)."""
    if not can_view_organisation(request.user):
        raise PermissionDenied(_("只有机关工作人员、主席会议成员和系统管理员可以查看组织机构。"))
    committee = _committee_or_404(request, _committee_id_param(request.GET.get("committee")))
    return render(request, "organisation/overview.html", _overview_context(request, committee))


def _editable_committee(request: HttpRequest, committee_id: int) -> Committee:
    committee = _committee_or_404(request, committee_id)
    if not can_edit_organisation(request.user, committee.pk):
        raise PermissionDenied(_("只有系统管理员或委员联络处可以修改组织机构。"))
    return committee


def _editable_row[RowT: Sector | SpecialCommittee | HandlingUnit](
    request: HttpRequest, rows: QuerySet[RowT], pk: int
) -> RowT:
    """The row `pk` of `rows` if it is in a committee the user may edit (404 outside scope,
    403 read-only)."""
    visible = committee_ids_visible_to(request.user)
    row = rows.select_related("committee").filter(pk=pk, committee_id__in=visible).first()
    if row is None:
        raise Http404(_("未找到该记录，或您无权查看。"))
    if not can_edit_organisation(request.user, row.committee_id):
        raise PermissionDenied(_("只有系统管理员或委员联络处可以修改组织机构。"))
    return row


def _edit_section[ResultT](
    request: HttpRequest,
    committee: Committee,
    section: str,
    call: Callable[[], ResultT],
    *,
    form: StyledForm,
    success: Callable[[ResultT], str],
    form_key: str | None = None,
) -> HttpResponse:
    """One edit of one section of the page, through core `perform`.

    `form` is validated first and `call` reads its cleaned data. `form_key` names the form in
    the page's `forms` when the section draws it (the add forms), so an error shows it bound.
    """

    def page(message: SectionMessage, bound_forms: dict[str, StyledForm] | None) -> HttpResponse:
        context = _overview_context(
            request, committee, section_message=message, bound_forms=bound_forms
        )
        template = "organisation/overview.html"
        return render(request, f"{template}#{section}" if is_htmx(request) else template, context)

    def again() -> HttpResponse:
        bound = {form_key: form} if form_key else None
        return page((section, "danger", form.first_error()), bound)

    if is_htmx(request):
        # The section shows the success itself; nothing waits in the session for the next page.
        return perform(
            request,
            call,
            form=form,
            render=again,
            on_success=lambda result: page((section, "success", success(result)), None),
            redirect_to=_overview_url(committee, section),
        )
    return perform(
        request,
        call,
        form=form,
        render=again,
        success=success,
        redirect_to=_overview_url(committee, section),
    )


# Sectors ------------------------------------------------------------------------------------


@login_required
@require_POST
def sector_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = SectorForm(request.POST, prefix="sector")

    def added(sector: Sector) -> str:
        return _("已添加界别“%(name)s”。") % {"name": sector.name}

    return _edit_section(
        request,
        committee,
        "sectors",
        lambda: sector_create(
            committee=committee, name=form.cleaned_data["name"], created_by=request.user
        ),
        form=form,
        success=added,
        form_key="sector",
    )


@login_required
@require_POST
def sector_rename(request: HttpRequest, sector_id: int) -> HttpResponse:
    sector = _editable_row(request, Sector.objects.all(), sector_id)
    form = SectorRenameForm(request.POST)
    return _edit_section(
        request,
        sector.committee,
        "sectors",
        lambda: sector_update(sector=sector, name=form.cleaned_data["name"], actor=request.user),
        form=form,
        success=lambda _sector: _("界别名称已保存。"),
    )


@login_required
@require_POST
def sector_move_view(request: HttpRequest, sector_id: int) -> HttpResponse:
    sector = _editable_row(request, Sector.objects.all(), sector_id)
    form = MoveForm(request.POST)

    def moved(row: Sector) -> str:
        return _("已调整“%(name)s”的顺序。") % {"name": row.name}

    return _edit_section(
        request,
        sector.committee,
        "sectors",
        lambda: sector_move(sector=sector, offset=form.offset, actor=request.user),
        form=form,
        success=moved,
    )


@login_required
@require_POST
def sector_set_active(request: HttpRequest, sector_id: int) -> HttpResponse:
    sector = _editable_row(request, Sector.objects.all(), sector_id)
    form = ActiveForm(request.POST)

    def done(row: Sector) -> str:
        message = _("已启用界别“%(name)s”。") if row.is_active else _("已停用界别“%(name)s”。")
        return message % {"name": row.name}

    return _edit_section(
        request,
        sector.committee,
        "sectors",
        lambda: sector_update(
            sector=sector, is_active=form.cleaned_data["active"], actor=request.user
        ),
        form=form,
        success=done,
    )


# Special committees, groups, units, plenary sessions -----------------------------------------


def _active_message(row: SpecialCommittee | HandlingUnit) -> str:
    message = _("已启用“%(name)s”。") if row.is_active else _("已停用“%(name)s”。")
    return message % {"name": row.name}


@login_required
@require_POST
def special_committee_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = SpecialCommitteeForm(request.POST, prefix="special")

    def added(row: SpecialCommittee) -> str:
        return _("已添加专门委员会“%(name)s”。") % {"name": row.name}

    return _edit_section(
        request,
        committee,
        "special_committees",
        lambda: services.special_committee_create(
            committee=committee, name=form.cleaned_data["name"], created_by=request.user
        ),
        form=form,
        success=added,
        form_key="special_committee",
    )


@login_required
@require_POST
def special_committee_set_active(request: HttpRequest, special_committee_id: int) -> HttpResponse:
    row = _editable_row(request, SpecialCommittee.objects.all(), special_committee_id)
    form = ActiveForm(request.POST)
    return _edit_section(
        request,
        row.committee,
        "special_committees",
        lambda: services.special_committee_update(
            special_committee=row, is_active=form.cleaned_data["active"], actor=request.user
        ),
        form=form,
        success=_active_message,
    )


@login_required
@require_POST
def member_group_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = MemberGroupForm(request.POST, prefix="group")

    def added(group: MemberGroup) -> str:
        return _("已添加“%(name)s”。") % {"name": group.name}

    return _edit_section(
        request,
        committee,
        "groups",
        lambda: services.member_group_create(
            committee=committee,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            created_by=request.user,
        ),
        form=form,
        success=added,
        form_key="group",
    )


@login_required
@require_POST
def handling_unit_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    form = HandlingUnitForm(request.POST, prefix="unit")

    def added(unit: HandlingUnit) -> str:
        return _("已添加承办单位“%(name)s”。") % {"name": unit.name}

    def create() -> HandlingUnit:
        data = form.cleaned_data
        return services.handling_unit_create(
            committee=committee,
            name=data["name"],
            system=data["system"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            created_by=request.user,
        )

    return _edit_section(
        request, committee, "units", create, form=form, success=added, form_key="unit"
    )


@login_required
@require_POST
def handling_unit_set_active(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _editable_row(request, HandlingUnit.objects.all(), unit_id)
    form = ActiveForm(request.POST)
    return _edit_section(
        request,
        unit.committee,
        "units",
        lambda: services.handling_unit_update(
            handling_unit=unit, is_active=form.cleaned_data["active"], actor=request.user
        ),
        form=form,
        success=_active_message,
    )


@login_required
@require_POST
def plenary_session_add(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _editable_committee(request, committee_id)
    terms = term_list(committee_id=committee.pk)
    form = PlenarySessionForm(request.POST, prefix="session", terms=terms)

    def added(session: PlenarySession) -> str:
        return _("已添加%(name)s。") % {"name": session.name}

    def create() -> PlenarySession:
        data = form.cleaned_data
        return services.plenary_session_create(
            term=next(term for term in terms if term.pk == data["term"]),
            number=data["number"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            proposal_deadline=data["proposal_deadline"],
            created_by=request.user,
        )

    return _edit_section(
        request, committee, "sessions", create, form=form, success=added, form_key="session"
    )
