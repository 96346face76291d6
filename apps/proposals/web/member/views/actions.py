"""The member's buttons on a proposal: withdraw, reopen, answer a transfer, answer a co-sign
invitation, rate the handling."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError, NotFound, PermissionDenied

from .... import clock, services, workflow
from ....models import Satisfaction
from ....selectors import proposal_get_for_user
from ....selectors.timeline import rating_state_for_user
from ....workflow.rating import FINAL_ROUND
from ..forms import RateForm, add_domain_error
from ._common import error_page, run_action


def _detail(pk: int) -> str:
    return reverse("proposals:detail", args=[pk])


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a submitted proposal before review (it can be reopened and edited)."""
    return run_action(
        request,
        lambda: workflow.proposal_withdraw(user=request.user, proposal_id=pk),
        success=_("提案已撤回。如需修改后再提交，请点击“重新编辑”。"),
        back=_detail(pk),
        proposal_id=pk,
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a withdrawn proposal back into a draft and open it for editing."""
    return run_action(
        request,
        lambda: workflow.proposal_reopen(user=request.user, proposal_id=pk),
        success=_("提案已恢复为草稿，可以继续修改。"),
        back=reverse("proposals:edit", args=[pk]),
        back_on_error=_detail(pk),
        proposal_id=pk,
    )


@login_required
@require_POST
def transfer_consent(request: HttpRequest, pk: int) -> HttpResponse:
    return run_action(
        request,
        lambda: workflow.proposal_transfer_consent(user=request.user, proposal_id=pk),
        success=_("您已同意转交，提案委员会将按社情民意信息或意见建议转送有关部门。"),
        back=_detail(pk),
        proposal_id=pk,
    )


@login_required
@require_POST
def transfer_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return run_action(
        request,
        lambda: workflow.proposal_transfer_refuse(user=request.user, proposal_id=pk),
        success=_("您不同意转交，提案按不予立案处理。"),
        back=_detail(pk),
        proposal_id=pk,
    )


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _answer_cosign(request: HttpRequest, cosigner_id: int, *, confirm: bool) -> HttpResponse:
    verb = services.cosigner_confirm if confirm else services.cosigner_decline
    return run_action(
        request,
        lambda: verb(user=request.user, cosigner_id=cosigner_id),
        success=_("您已确认附议。") if confirm else _("您已谢绝附议。"),
        back=_next_or(request, reverse("proposals:cosign_inbox")),
    )


@login_required
@require_POST
def cosign_confirm(request: HttpRequest, cosigner_id: int) -> HttpResponse:
    """The invitee confirms co-signing (附议)."""
    return _answer_cosign(request, cosigner_id, confirm=True)


@login_required
@require_POST
def cosign_decline(request: HttpRequest, cosigner_id: int) -> HttpResponse:
    """The invitee declines."""
    return _answer_cosign(request, cosigner_id, confirm=False)


@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """满意度评价: the first proposer and confirmed co-signers rate the handling process and the
    result separately, within the window. A first proposer's 不满意 in round 1 sends the proposal
    back for one round of re-handling (they are told so before and after)."""
    try:
        proposal = proposal_get_for_user(user=request.user, proposal_id=pk)
    except NotFound as exc:
        return error_page(request, exc)
    state = rating_state_for_user(user=request.user, proposal=proposal, today=clock.today())
    if not state.is_rater:
        return error_page(request, PermissionDenied(_("只有提案人和附议人可以评价办理情况。")))
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = workflow.proposal_rate(
                user=request.user,
                proposal_id=pk,
                process_rating=data["process_rating"],
                result_rating=data["result_rating"],
                comment=data["comment"],
            )
        except PermissionDenied as exc:
            return error_page(request, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
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
            return redirect("proposals:detail", pk=pk)
    context = {
        "proposal": proposal,
        "state": state,
        "form": form,
        "final_round": state.round >= FINAL_ROUND,
        "dissatisfied": Satisfaction.DISSATISFIED,
    }
    return render(request, "proposals/member/rate.html", context)
