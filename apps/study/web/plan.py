"""专题学习计划: the committee's study plan of a year with its progress — read by its members
and its 委员联络处, edited by the latter (add an item, record it held, take it off)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.errors import NotFound
from apps.core.pages import perform

from .. import services
from ..forms import PlanDoneForm, PlanItemForm
from ..selectors import study_plan, study_plan_for_reader
from .office import _committee


def _year(request: AuthenticatedRequest) -> int:
    today = clock.today().year
    raw = request.GET.get("year") or request.POST.get("year") or ""
    year = int(raw) if raw.isdigit() else today
    return year if today - 1 <= year <= today + 1 else today


def _prefix(item_id: int) -> str:
    """Each item's 登记完成 form has its own field names (and so its own ids on the page)."""
    return f"item{item_id}"


def _years() -> list[int]:
    today = clock.today().year
    return [today - 1, today, today + 1]


@login_required
@require_GET
def plan(request: AuthenticatedRequest) -> HttpResponse:
    year = _year(request)
    try:
        found = study_plan_for_reader(user=request.user, year=year)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "study/plan/plan.html", {"plan": found, "years": _years()})


@login_required
def office_plan(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = _committee(request)
    year = _year(request)
    form = PlanItemForm(request.POST or None)

    def page() -> HttpResponse:
        found = study_plan(committee_id=committee_id, year=year)
        rows = [
            (item, PlanDoneForm(prefix=_prefix(item.pk), initial={"done_on": clock.today()}))
            for item in found.items
        ]
        context = {"plan": found, "rows": rows, "years": _years(), "form": form}
        return render(request, "study/plan/office.html", context)

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.plan_item_add(
            user=request.user,
            year=year,
            month=form.cleaned_data["month"],
            topic=form.cleaned_data["topic"],
            form=form.cleaned_data["form"],
            lead=form.cleaned_data["lead"],
        ),
        form=form,
        success=_("已加入专题学习计划。"),
        redirect_to=f"{reverse('study:office_plan')}?year={year}",
        render=page,
    )


@login_required
@require_POST
def office_plan_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _committee(request)
    undo = request.POST.get("undo") == "1"
    form = PlanDoneForm(request.POST, prefix=_prefix(pk))
    back = f"{reverse('study:office_plan')}?year={_year(request)}"
    if undo:
        return perform(
            request,
            lambda: services.plan_item_done(user=request.user, item_id=pk, done_on=None),
            success=_("已取消完成登记。"),
            redirect_to=back,
        )
    return perform(
        request,
        lambda: services.plan_item_done(
            user=request.user,
            item_id=pk,
            done_on=form.cleaned_data["done_on"],
            result=form.cleaned_data["result"],
        ),
        form=form,
        success=_("已登记完成。"),
        redirect_to=back,
        back=back,
    )


@login_required
@require_POST
def office_plan_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _committee(request)
    return perform(
        request,
        lambda: services.plan_item_remove(user=request.user, item_id=pk),
        success=_("已从计划中删除。"),
        redirect_to=f"{reverse('study:office_plan')}?year={_year(request)}",
    )
