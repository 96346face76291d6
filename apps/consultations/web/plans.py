"""The annual plan pages: the list, one plan with its topics and their progress, the topic
editor, the approval buttons and the .docx of the published plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound
from apps.core.pages import perform

from .. import services, workflow
from ..models import AnnualPlan, PlanTopic
from ..permissions import can_schedule
from ..selectors import plan_get_for_user, plan_topic_rows, plans_visible_to
from ..workflow import plan_actions_for
from . import forms
from .common import render_page


def _plan(request: AuthenticatedRequest, pk: int) -> AnnualPlan:
    try:
        return plan_get_for_user(user=request.user, plan_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _plan_url(pk: int) -> str:
    return reverse("consultations:plan", args=[pk])


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = request.user.committee_id
    return render_page(
        request,
        "consultations/plans/list.html",
        {
            "plans": list(plans_visible_to(request.user)),
            "can_create": bool(committee_id and can_schedule(request.user, committee_id)),
            "form": forms.PlanForm(),
        },
    )


def render_plan(
    request: AuthenticatedRequest, pk: int, *, topic_form: forms.TopicForm | None = None
) -> HttpResponse:
    plan = _plan(request, pk)
    return render_page(
        request,
        "consultations/plans/detail.html",
        {
            "plan": plan,
            "rows": plan_topic_rows(plan),
            "actions": plan_actions_for(request.user, plan),
            "topic_form": topic_form or forms.TopicForm(committee_id=plan.committee_id),
            "return_form": forms.ReasonForm(prefix="return"),
        },
    )


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render_plan(request, pk)


@login_required
@require_POST
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.PlanForm(request.POST)
    return perform(
        request,
        lambda: services.plan_create(
            user=request.user, year=form.cleaned_data["year"], title=form.cleaned_data["title"]
        ),
        form=form,
        success=_("年度协商计划已创建，请添加议题。"),
        redirect_to=lambda plan: _plan_url(plan.pk),
        back=reverse("consultations:plans"),
    )


@login_required
@require_POST
def topic_save(request: AuthenticatedRequest, pk: int, topic_id: int | None = None) -> HttpResponse:
    plan = _plan(request, pk)
    form = forms.TopicForm(request.POST, committee_id=plan.committee_id)
    return perform(
        request,
        lambda: services.topic_save(
            user=request.user, plan_id=pk, topic_id=topic_id, data=form.service_data()
        ),
        form=form,
        success=_("议题已保存。"),
        redirect_to=_plan_url(pk),
        render=lambda: render_plan(request, pk, topic_form=form),
    )


@login_required
@require_POST
def topic_delete(request: AuthenticatedRequest, pk: int, topic_id: int) -> HttpResponse:
    _plan(request, pk)
    return perform(
        request,
        lambda: services.topic_delete(user=request.user, plan_id=pk, topic_id=topic_id),
        success=_("议题已删除。"),
        redirect_to=_plan_url(pk),
        render=lambda: render_plan(request, pk),
    )


@login_required
@require_POST
def plan_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    _plan(request, pk)
    form = forms.ReasonForm(request.POST, prefix="return") if step == "return" else None
    calls = {
        "submit": (lambda: workflow.plan_submit(user=request.user, plan_id=pk), _("计划已报批。")),
        "approve": (
            lambda: workflow.plan_approve(user=request.user, plan_id=pk),
            _("计划已批准。"),
        ),
        "publish": (
            lambda: workflow.plan_publish(user=request.user, plan_id=pk),
            _("计划已发布。"),
        ),
        "return": (
            lambda: workflow.plan_return(
                user=request.user,
                plan_id=pk,
                note=form.cleaned_data["reason"] if form is not None else "",
            ),
            _("计划已退回修改。"),
        ),
    }
    if step not in calls:
        raise Http404(_("没有这个操作。"))
    call, message = calls[step]
    return perform(
        request,
        call,
        form=form,
        success=str(message),
        redirect_to=_plan_url(pk),
        render=lambda: render_plan(request, pk),
    )


@login_required
def plan_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from ..documents import plan_docx as build

    plan = _plan(request, pk)
    from apps.core.downloads import download_response

    return download_response(
        build(plan, plan_topic_rows(plan)),
        f"{plan.title}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


__all__ = ["PlanTopic"]
