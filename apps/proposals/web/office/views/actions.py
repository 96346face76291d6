"""The office's and leadership's actions on one proposal, each a small POST from the detail
page's panel (or a queue page): parse the form, make one workflow or service call, go back with
a Chinese message. What the user may not read is a 404, what they may not do a 403; an illegal
step or invalid input is a message and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError

from .... import services, workflow
from ....models import Proposal, ProposalStatus, RejectionReason, TransferTarget
from ....permissions import can_mark_key, can_review
from ....selectors.config import category_list
from ....selectors.office import (
    handling_units_grouped,
    leader_choices,
    merge_candidates,
)
from ..forms import (
    AcceptForm,
    AddUnitForm,
    AssignForm,
    ExcellentDecisionForm,
    MarkKeyForm,
    MergeForm,
    NominateForm,
    NoteForm,
    RejectForm,
    ReplyRejectForm,
    StyledForm,
    TransferForm,
)
from ._common import (
    back_url,
    detail_url,
    forbidden,
    invalid,
    perform,
    render_page,
    visible_assignment,
    visible_proposal,
    visible_reply,
)
from .board import render_board_row

Allowed = Callable[[Any, Proposal], bool]
FormFactory = Callable[[Proposal], StyledForm]
Act = Callable[[Proposal, dict[str, Any]], str]

NOT_ALLOWED = gettext_lazy("您没有权限对该提案执行此操作。")


def _proposal_action(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Allowed,
    act: Act,
    form: FormFactory | None = None,
) -> HttpResponse:
    user = request.user
    proposal = visible_proposal(user, pk)
    back = back_url(request, detail_url(pk))
    if not allowed(user, proposal):
        return forbidden(request, str(NOT_ALLOWED))
    data: dict[str, Any] = {}
    if form is not None:
        bound = form(proposal)
        if not bound.is_valid():
            return invalid(request, bound, back)
        data = bound.cleaned_data
    return perform(request, lambda: act(proposal, data), back=back)


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _units(assignments: list[Any]) -> str:
    return "、".join(f"{a.handling_unit.name}（{a.get_role_display()}）" for a in assignments)


# Review ---------------------------------------------------------------------------------------


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """立案, with the category (may be corrected) and an optional note."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        done = workflow.proposal_accept(
            user=request.user,
            proposal_id=proposal.pk,
            note=data["note"],
            category_id=data["category"],
        )
        return _("已立案，提案号：%(number)s。") % {"number": done.number_label}

    return _proposal_action(
        request,
        pk,
        allowed=can_review,
        act=act,
        form=lambda p: AcceptForm(request.POST, categories=category_list(committee=p.committee_id)),
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """不予立案 with a reason from the standard list and an explanation for the proposer."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        workflow.proposal_reject(
            user=request.user, proposal_id=proposal.pk, reason=data["reason"], note=data["note"]
        )
        return _("已作不予立案处理（%(reason)s），并已告知提案人。") % {
            "reason": RejectionReason(data["reason"]).label
        }

    return _proposal_action(
        request, pk, allowed=can_review, act=act, form=lambda p: RejectForm(request.POST)
    )


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Suggest passing the proposal on as 社情民意信息 or an 意见建议 (the proposer is asked)."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        workflow.proposal_propose_transfer(
            user=request.user,
            proposal_id=proposal.pk,
            target=data["target"],
            reason=data["reason"],
            note=data["note"],
        )
        return _("已建议转为%(target)s，正在征求提案人同意。") % {
            "target": TransferTarget(data["target"]).label
        }

    return _proposal_action(
        request,
        pk,
        allowed=can_review,
        act=act,
        form=lambda p: TransferForm(request.POST, reason_needed=not p.rejection_reason),
    )


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """并案: GET searches the proposals this one may be merged into (by number or title, else
    the most similar); POST merges it into the chosen one."""
    user = request.user
    proposal = visible_proposal(user, pk)
    if not can_review(user, proposal):
        return forbidden(request, str(NOT_ALLOWED))
    if request.method == "POST":

        def act(p: Proposal, data: dict[str, Any]) -> str:
            done = workflow.proposal_merge(
                user=user, proposal_id=p.pk, into_id=data["into"], note=data["note"]
            )
            lead = (
                Proposal.objects.filter(pk=done.merged_into_id or 0)
                .values_list("number_label", flat=True)
                .first()
            )
            return _("已并入%(lead)s办理（本提案号：%(number)s），答复将同时送达提案人。") % {
                "lead": lead or "",
                "number": done.number_label,
            }

        return _proposal_action(
            request, pk, allowed=can_review, act=act, form=lambda p: MergeForm(request.POST)
        )
    q = (request.GET.get("q") or "").strip()[:60]
    context = {
        "proposal": proposal,
        "q": q,
        "candidates": merge_candidates(user=user, proposal=proposal, q=q),
        "mergeable": proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED),
        "form": MergeForm(),
    }
    return render_page(request, "proposals/office/merge.html", "candidates", context)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """办结 after the evaluation."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        workflow.proposal_close(user=request.user, proposal_id=proposal.pk, note=data["note"])
        return _("提案已办结。")

    return _proposal_action(
        request, pk, allowed=can_review, act=act, form=lambda p: NoteForm(request.POST)
    )


# Assignment -----------------------------------------------------------------------------------


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """交办 (单办 / 分办 / 主办 + 会办). From the assignment board (htmx, `board=1`) the row is
    re-rendered in place; otherwise the person goes back with a message."""
    user = request.user
    board = bool(getattr(request, "htmx", False)) and request.POST.get("board") == "1"
    proposal = visible_proposal(user, pk)
    if not can_review(user, proposal):
        return forbidden(request, str(NOT_ALLOWED))
    groups = handling_units_grouped(committee_id=proposal.committee_id)
    form = AssignForm(
        request.POST, unit_groups=groups, compact=board, prefix=f"p{pk}" if board else None
    )
    if board:
        error = ""
        created: list[Any] = []
        if form.is_valid():
            try:
                created = workflow.proposal_assign(user=user, proposal_id=pk, plan=form.plan)
            except DomainError as exc:
                error = exc.message
        return render_board_row(request, pk, form=form, created=created, error=error)
    back = back_url(request, detail_url(pk))
    if not form.is_valid():
        return invalid(request, form, back)

    def act() -> str:
        created = workflow.proposal_assign(user=user, proposal_id=pk, plan=form.plan)
        if not created:
            return _("该提案已交办。")
        deadline = max(a.deadline for a in created if a.answers_proposer)
        return _("已交办：%(units)s；办理期限至%(deadline)s。") % {
            "units": _units(created),
            "deadline": _date(deadline),
        }

    return perform(request, act, back=back)


@login_required
@require_POST
def add_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a unit to a proposal under handling (after a 申退, or one the plan missed)."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        added = workflow.assignment_add(
            user=request.user,
            proposal_id=proposal.pk,
            handling_unit_id=data["unit"],
            role=data["role"],
        )
        return _("已追加承办单位：%(unit)s；期限至%(deadline)s。") % {
            "unit": _units([added]),
            "deadline": _date(added.deadline),
        }

    return _proposal_action(
        request,
        pk,
        allowed=can_review,
        act=act,
        form=lambda p: AddUnitForm(
            request.POST, unit_groups=handling_units_grouped(committee_id=p.committee_id)
        ),
    )


def _assignment_decision(
    request: HttpRequest, assignment_id: int, verb: Callable[..., Any], message: str
) -> HttpResponse:
    user = request.user
    assignment, proposal = visible_assignment(user, assignment_id)
    back = back_url(request, detail_url(proposal.pk))
    if not can_review(user, proposal):
        return forbidden(request, str(NOT_ALLOWED))
    form = NoteForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, back)

    def act() -> str:
        verb(user=user, assignment_id=assignment.pk, note=form.cleaned_data["note"])
        return message % {"unit": assignment.handling_unit.name}

    return perform(request, act, back=back)


@login_required
@require_POST
def return_approve(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Accept a unit's 申退; the office then re-assigns (the panel offers it)."""
    return _assignment_decision(
        request,
        assignment_id,
        workflow.assignment_approve_return,
        _("已同意%(unit)s退回，请为该提案重新交办或追加承办单位。"),
    )


@login_required
@require_POST
def return_refuse(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _assignment_decision(
        request,
        assignment_id,
        workflow.assignment_refuse_return,
        _("已不同意%(unit)s退回，该单位须继续办理。"),
    )


@login_required
@require_POST
def extension_approve(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _assignment_decision(
        request,
        assignment_id,
        services.assignment_extension_approve,
        _("已批准%(unit)s的延期申请。"),
    )


@login_required
@require_POST
def extension_refuse(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _assignment_decision(
        request,
        assignment_id,
        services.assignment_extension_refuse,
        _("已不批准%(unit)s的延期申请。"),
    )


# Replies ---------------------------------------------------------------------------------------


@login_required
@require_POST
def reply_approve(request: HttpRequest, reply_id: int) -> HttpResponse:
    """通过: release the reply to the proposers."""
    user = request.user
    reply, proposal = visible_reply(user, reply_id)
    back = back_url(request, detail_url(proposal.pk))
    if not can_review(user, proposal):
        return forbidden(request, str(NOT_ALLOWED))

    def act() -> str:
        workflow.reply_approve(user=user, reply_id=reply.pk)
        status = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first()
        if status == ProposalStatus.REPLIED:
            return _("答复已审核通过并送达提案人，提案进入评价阶段。")
        return _("答复已审核通过；其他承办单位答复后将一并送达提案人。")

    return perform(request, act, back=back)


@login_required
@require_POST
def reply_reject(request: HttpRequest, reply_id: int) -> HttpResponse:
    """驳回 with a reason: the unit answers again."""
    user = request.user
    reply, proposal = visible_reply(user, reply_id)
    back = back_url(request, detail_url(proposal.pk))
    if not can_review(user, proposal):
        return forbidden(request, str(NOT_ALLOWED))
    form = ReplyRejectForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, back)

    def act() -> str:
        workflow.reply_reject(user=user, reply_id=reply.pk, reason=form.cleaned_data["reason"])
        return _("答复已驳回，承办单位将修改后重新提交。")

    return perform(request, act, back=back)


# 重点 and 优秀 -----------------------------------------------------------------------------------


@login_required
@require_POST
def nominate_excellent(request: HttpRequest, pk: int) -> HttpResponse:
    """The office nominates a proposal for 优秀提案 of a year."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        services.proposal_nominate_excellent(
            user=request.user, proposal_id=proposal.pk, year=data["year"], note=data["note"]
        )
        return _("已推荐为%(year)s年度优秀提案候选，待主席会议评选。") % {"year": data["year"]}

    return _proposal_action(
        request,
        pk,
        allowed=can_review,
        act=act,
        form=lambda p: NominateForm(request.POST),
    )


@login_required
@require_POST
def key_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Leadership marks a 重点提案 with its supervising leader (督办 / 领办)."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        services.proposal_mark_key(
            user=request.user,
            proposal_id=proposal.pk,
            supervising_leader_id=data["leader"],
            mode=data["mode"],
        )
        return _("已列为重点提案。")

    return _proposal_action(
        request,
        pk,
        allowed=can_mark_key,
        act=act,
        form=lambda p: MarkKeyForm(
            request.POST, leaders=leader_choices(committee_id=p.committee_id)
        ),
    )


@login_required
@require_POST
def key_unmark(request: HttpRequest, pk: int) -> HttpResponse:
    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        services.proposal_unmark_key(user=request.user, proposal_id=proposal.pk)
        return _("已取消重点提案。")

    return _proposal_action(request, pk, allowed=can_mark_key, act=act)


@login_required
@require_POST
def excellent_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Leadership decides on a nomination: 优秀提案 or not."""

    def act(proposal: Proposal, data: dict[str, Any]) -> str:
        selected = data["decision"] == "select"
        services.proposal_select_excellent(
            user=request.user, proposal_id=proposal.pk, selected=selected
        )
        return _("已评为优秀提案。") if selected else _("已记录为不评选。")

    return _proposal_action(
        request,
        pk,
        allowed=can_mark_key,
        act=act,
        form=lambda p: ExcellentDecisionForm(request.POST),
    )
