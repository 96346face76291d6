"""The member's buttons on a proposal: withdraw, reopen, answer a transfer, answer a co-sign
invitation, rate the handling. Each is one workflow or service call through
`apps.core.pages.perform`: on success a message and back to the proposal; a step the state no
longer allows shows the proposal again with the reason (409), never a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.pages import perform

from .... import services, workflow
from ....models import Evaluation, Satisfaction, UnitRating
from ....selectors.config import proposal_settings_for
from ....selectors.timeline import rating_state_for_user
from ....workflow.rating import FINAL_ROUND
from ...common import next_url
from ..forms import RateForm
from ._common import require_visible, visible_proposal
from .detail import render_detail


def _detail(pk: int) -> str:
    return reverse("proposals:detail", args=[pk])


def _on_proposal(
    request: AuthenticatedRequest,
    pk: int,
    call: Callable[[], Any],
    *,
    success: str,
    redirect_to: str | None = None,
) -> HttpResponse:
    """A button on the proposal page: 404 for a proposal the user may not read; a refusal
    shows the proposal again with the reason."""
    require_visible(request, pk)
    return perform(
        request,
        call,
        success=success,
        redirect_to=redirect_to or _detail(pk),
        render=lambda: render_detail(request, pk),
        back=_detail(pk),
    )


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Withdraw a submitted proposal before review (it can be reopened and edited)."""
    return _on_proposal(
        request,
        pk,
        lambda: workflow.proposal_withdraw(user=request.user, proposal_id=pk),
        success=_("提案已撤回。如需修改后再提交，请点击“重新编辑”。"),
    )


@login_required
@require_POST
def reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Turn a withdrawn proposal back into a draft and open it for editing."""
    return _on_proposal(
        request,
        pk,
        lambda: workflow.proposal_reopen(user=request.user, proposal_id=pk),
        success=_("提案已恢复为草稿，可以继续修改。"),
        redirect_to=reverse("proposals:edit", args=[pk]),
    )


@login_required
@require_POST
def transfer_consent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _on_proposal(
        request,
        pk,
        lambda: workflow.proposal_transfer_consent(user=request.user, proposal_id=pk),
        success=_("您已同意转交，提案委员会将按社情民意信息或意见建议转送有关部门。"),
    )


@login_required
@require_POST
def transfer_refuse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _on_proposal(
        request,
        pk,
        lambda: workflow.proposal_transfer_refuse(user=request.user, proposal_id=pk),
        success=_("您不同意转交，提案按不予立案处理。"),
    )


def _answer_cosign(
    request: AuthenticatedRequest, cosigner_id: int, *, confirm: bool
) -> HttpResponse:
    """From the invitation inbox or the proposal page (`next`); a refusal is the error page
    with the way back there."""
    verb = services.cosigner_confirm if confirm else services.cosigner_decline
    back = next_url(request, reverse("proposals:cosign_inbox"))
    return perform(
        request,
        lambda: verb(user=request.user, cosigner_id=cosigner_id),
        success=_("您已确认附议。") if confirm else _("您已谢绝附议。"),
        redirect_to=back,
    )


@login_required
@require_POST
def cosign_confirm(request: AuthenticatedRequest, cosigner_id: int) -> HttpResponse:
    """The invitee confirms co-signing (附议)."""
    return _answer_cosign(request, cosigner_id, confirm=True)


@login_required
@require_POST
def cosign_decline(request: AuthenticatedRequest, cosigner_id: int) -> HttpResponse:
    """The invitee declines."""
    return _answer_cosign(request, cosigner_id, confirm=False)


def _my_unit_ratings(evaluation: Evaluation | None) -> list[UnitRating]:
    """The units the user rated in their evaluation (shown after rating)."""
    if evaluation is None or evaluation.timed_out:
        return []
    return list(
        UnitRating.objects.filter(evaluation=evaluation)
        .select_related("handling_unit", "assignment")
        .order_by("id")
    )


@login_required
def rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """满意度评价: the first proposer and confirmed co-signers rate the handling process and the
    result separately, within the window. A first proposer's 不满意 in round 1 sends the proposal
    back for one round of re-handling (they are told so before and after)."""
    proposal = visible_proposal(request, pk)
    state = rating_state_for_user(user=request.user, proposal=proposal, today=clock.today())
    if not state.is_rater:
        raise PermissionDenied(_("只有提案人和附议人可以评价办理情况。"))
    units = workflow.rated_assignments(state.handled) if state.can_rate else []
    form = RateForm(request.POST or None, units=units)

    def page() -> HttpResponse:
        fresh = visible_proposal(request, pk)
        fresh_state = rating_state_for_user(user=request.user, proposal=fresh, today=clock.today())
        context = {
            "proposal": fresh,
            "state": fresh_state,
            "unit_ratings": _my_unit_ratings(fresh_state.evaluation),
            "rule": proposal_settings_for(
                fresh_state.handled.committee
            ).get_overall_rating_rule_display(),
            "form": form,
            "final_round": state.round >= FINAL_ROUND,
            "dissatisfied": Satisfaction.DISSATISFIED,
        }
        return render(request, "proposals/member/rate.html", context)

    if request.method != "POST":
        return page()

    def rated(evaluation: Evaluation) -> HttpResponse:
        if (
            evaluation.is_first_proposer
            and evaluation.is_dissatisfied
            and evaluation.round < FINAL_ROUND
        ):
            messages.warning(
                request,
                _(
                    "您的评价已提交。由于您对办理情况不满意，提案将退回承办单位重新办理一次，"
                    "重新办理后的答复为最终答复，届时请再次评价。"
                ),
            )
        else:
            messages.success(request, _("感谢您的评价，已提交。"))
        return redirect(_detail(pk))

    return perform(
        request,
        lambda: workflow.proposal_rate(
            user=request.user,
            proposal_id=pk,
            process_rating=form.cleaned_data.get("process_rating", ""),
            result_rating=form.cleaned_data.get("result_rating", ""),
            comment=form.cleaned_data["comment"],
            unit_ratings=form.unit_ratings,
        ),
        form=form,
        on_success=rated,
        render=page,
        back=_detail(pk),
    )
