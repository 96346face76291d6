"""社情民意工作设置: the committee's numbers, adoption levels, categories, and the organisations
that report through information liaisons (with their quotas and liaisons)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.accounts.phones import phone_normalise
from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.errors import ValidationFailed
from apps.core.forms import StyledForm
from apps.core.pages import perform
from apps.organisation.models import MemberGroup
from apps.organisation.selectors import special_committee_list

from .... import services
from ....selectors import adoption_level_list, category_list, opinion_settings_for
from ....selectors.liaison import reporting_units
from ....selectors.reports import leaders_of
from ...common import parse_int
from ..forms import CategoryForm, LevelForm, LiaisonForm, SettingsForm, UnitForm
from ._common import office_required


def _unit_form(committee_id: int, data: Any = None, **kwargs: Any) -> UnitForm:
    return UnitForm(
        data,
        special_committees=list(special_committee_list(committee_id=committee_id)),
        groups=list(MemberGroup.objects.filter(committee_id=committee_id).order_by("sort_order")),
        **kwargs,
    )


def _page(
    request: AuthenticatedRequest, committee_id: int, bound: dict[str, StyledForm] | None = None
) -> HttpResponse:
    bound = bound or {}
    settings = opinion_settings_for(committee_id)
    leaders = leaders_of(committee_id=committee_id)
    context = {
        "settings_form": bound.get("settings")
        or SettingsForm(initial=SettingsForm.initial_from(settings), leaders=leaders),
        "levels": adoption_level_list(committee=committee_id, include_inactive=True),
        "level_form": bound.get("level") or LevelForm(prefix="level", initial={"is_active": True}),
        "categories": list(category_list(committee=committee_id, include_inactive=True)),
        "category_form": bound.get("category")
        or CategoryForm(prefix="category", initial={"is_active": True}),
        "units": reporting_units(committee_id=committee_id, day=clock.today()),
        "unit_form": bound.get("unit")
        or _unit_form(committee_id, prefix="unit", initial={"is_active": True}),
        "liaison_form": bound.get("liaison") or LiaisonForm(prefix="liaison"),
        "default_quota": settings.liaison_monthly_quota,
    }
    return render(request, "opinions/office/settings.html", context)


def _url(anchor: str) -> str:
    return f"{reverse('opinions:settings')}#{anchor}"


@office_required
def settings_page(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """GET: the settings; POST: save the numbers."""
    if request.method != "POST":
        return _page(request, committee_id)
    form = SettingsForm(request.POST, leaders=leaders_of(committee_id=committee_id))
    return perform(
        request,
        lambda: services.opinion_settings_update(user=request.user, data=form.values()),
        form=form,
        success=_("设置已保存。"),
        redirect_to=_url("numbers"),
        render=lambda: _page(request, committee_id, {"settings": form}),
    )


@office_required
@require_POST
def level_save(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    form = LevelForm(request.POST, prefix="level")
    level_id = parse_int(request.POST.get("level_id"))
    return perform(
        request,
        lambda: services.adoption_level_save(
            user=request.user,
            level_id=level_id,
            name=form.cleaned_data["name"],
            sort_order=form.cleaned_data["sort_order"],
            auto_on_publish=form.cleaned_data["auto_on_publish"],
            is_active=form.cleaned_data["is_active"],
        ),
        form=form,
        success=_("采用层级已保存。"),
        redirect_to=_url("levels"),
        render=lambda: _page(request, committee_id, {"level": form}),
    )


@office_required
@require_POST
def category_save(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    form = CategoryForm(request.POST, prefix="category")
    category_id = parse_int(request.POST.get("category_id"))
    return perform(
        request,
        lambda: services.category_save(
            user=request.user,
            category_id=category_id,
            name=form.cleaned_data["name"],
            sort_order=form.cleaned_data["sort_order"],
            is_active=form.cleaned_data["is_active"],
        ),
        form=form,
        success=_("类别已保存。"),
        redirect_to=_url("categories"),
        render=lambda: _page(request, committee_id, {"category": form}),
    )


@office_required
@require_POST
def unit_save(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    form = _unit_form(committee_id, request.POST, prefix="unit")
    unit_id = parse_int(request.POST.get("unit_id"))
    return perform(
        request,
        lambda: services.reporting_unit_save(
            user=request.user,
            unit_id=unit_id,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            special_committee_id=form.cleaned_data["special_committee"],
            member_group_id=form.cleaned_data["member_group"],
            monthly_quota=form.cleaned_data["monthly_quota"],
            is_active=form.cleaned_data["is_active"],
        ),
        form=form,
        success=_("报送单位已保存。"),
        redirect_to=_url("units"),
        render=lambda: _page(request, committee_id, {"unit": form}),
    )


def _account_id(committee_id: int, login: str) -> int:
    value = login.strip()
    phone = phone_normalise(value)
    condition = Q(username__iexact=value) | (Q(phone=phone) if phone else Q(pk__in=[]))
    user_id = (
        User.objects.filter(condition, committee_id=committee_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if user_id is None:
        message = _("本政协组织没有这个在用账户。")
        raise ValidationFailed(message, extra={"errors": {"username": message}})
    return int(user_id)


@office_required
@require_POST
def liaison_appoint(
    request: AuthenticatedRequest, unit_id: int, *, committee_id: int
) -> HttpResponse:
    form = LiaisonForm(request.POST, prefix="liaison")
    return perform(
        request,
        lambda: services.liaison_appoint(
            user=request.user,
            unit_id=unit_id,
            liaison_user_id=_account_id(committee_id, form.cleaned_data["username"]),
        ),
        form=form,
        success=_("已设置信息联络员。"),
        redirect_to=_url(f"unit-{unit_id}"),
        render=lambda: _page(request, committee_id, {"liaison": form}),
    )


@office_required
@require_POST
def liaison_release(
    request: AuthenticatedRequest, liaison_id: int, *, committee_id: int
) -> HttpResponse:
    return perform(
        request,
        lambda: services.liaison_release(user=request.user, liaison_id=liaison_id),
        success=_("已免去该信息联络员。"),
        redirect_to=_url("units"),
        render=lambda: _page(request, committee_id),
    )
