"""The office's and leadership's actions on one proposal, each a small POST from the detail
page's panel (or a queue page): parse the form, make one workflow or service call through
`apps.core.pages.perform`, go back with a Chinese message. What the user may not read is a 404,
what they may not do a 403; an illegal step or invalid input shows the proposal again with the
form's errors or the reason (422 / 409) and changes nothing (see `_common.outcome`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import ValidationFailed
from apps.core.pages import is_htmx, perform

from .... import services, workflow
from ....models import Assignment, Proposal, ProposalStatus, RejectionReason, TransferTarget
from ....permissions import can_mark_key, can_review
from ....selectors.config import category_list
from ....selectors.office import (
    handling_units_grouped,
    leader_choices,
    merge_candidates,
)
from ....workflow import PROPOSAL, PlannedAssignment
from ...common import may, render_page
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
    TransferForm,
)
from ..panel import auto_id
from ._common import (
    outcome,
    visible_assignment,
    visible_proposal,
    visible_reply,
)
from .board import render_board_row

NOT_ALLOWED = gettext_lazy("您没有权限对该提案执行此操作。")


def _allowed(
    request: AuthenticatedRequest, pk: int, allowed: Callable[[User, Proposal], bool]
) -> Proposal:
    """The proposal (404 if the user may not read it), once they may act on it (else 403) —
    checked before the form, so that nobody else ever sees a form error instead."""
    proposal = visible_proposal(request.user, pk)
    if not allowed(request.user, proposal):
        raise PermissionDenied(NOT_ALLOWED)
    return proposal


def _date(day: dt.date) -> str:
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def _units(assignments: list[Assignment]) -> str:
    return "、".join(
        _("%(unit)s（%(role)s）") % {"unit": a.handling_unit.name, "role": a.get_role_display()}
        for a in assignments
    )


# Review ---------------------------------------------------------------------------------------


@login_required
@require_POST
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """立案, with the category (may be corrected) and an optional note."""
    proposal = _allowed(request, pk, can_review)
    form = AcceptForm(
        request.POST,
        auto_id=auto_id("accept"),
        categories=category_list(committee=proposal.committee_id),
    )
    return perform(
        request,
        lambda: workflow.proposal_accept(
            user=request.user,
            proposal_id=pk,
            note=form.cleaned_data["note"],
            category_id=form.cleaned_data["category"],
        ),
        success=lambda done: _("已立案，提案号：%(number)s。") % {"number": done.number_label},
        form=form,
        **outcome(request, pk, form=form, form_key="accept"),
    )


@login_required
@require_POST
def reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """不予立案 with a reason from the standard list and an explanation for the proposer."""
    _allowed(request, pk, can_review)
    form = RejectForm(request.POST, auto_id=auto_id("reject"))
    return perform(
        request,
        lambda: workflow.proposal_reject(
            user=request.user,
            proposal_id=pk,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
        success=lambda _done: (
            _("已作不予立案处理（%(reason)s），并已告知提案人。")
            % {"reason": RejectionReason(form.cleaned_data["reason"]).label}
        ),
        form=form,
        **outcome(request, pk, form=form, form_key="reject"),
    )


@login_required
@require_POST
def transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Suggest passing the proposal on as 社情民意信息 or an 意见建议 (the proposer is asked)."""
    proposal = _allowed(request, pk, can_review)
    form = TransferForm(
        request.POST,
        auto_id=auto_id("transfer"),
        reason_needed=not proposal.rejection_reason,
    )
    return perform(
        request,
        lambda: workflow.proposal_propose_transfer(
            user=request.user,
            proposal_id=pk,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
        success=lambda _done: (
            _("已建议转为%(target)s，正在征求提案人同意。")
            % {"target": TransferTarget(form.cleaned_data["target"]).label}
        ),
        form=form,
        **outcome(request, pk, form=form, form_key="transfer"),
    )


def _merged_message(done: Proposal) -> str:
    lead = (
        Proposal.objects.filter(pk=done.merged_into_id or 0)
        .values_list("number_label", flat=True)
        .first()
    )
    return _("已并入%(lead)s办理（本提案号：%(number)s），答复将同时送达提案人。") % {
        "lead": lead or "",
        "number": done.number_label,
    }


@login_required
def merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """并案: GET searches the proposals this one may be merged into (by number or title, else
    the most similar); POST merges it into the chosen one."""
    proposal = _allowed(request, pk, can_review)
    if request.method == "POST":
        form = MergeForm(request.POST)
        return perform(
            request,
            lambda: workflow.proposal_merge(
                user=request.user,
                proposal_id=pk,
                into_id=form.cleaned_data["into"],
                note=form.cleaned_data["note"],
            ),
            success=_merged_message,
            form=form,
            **outcome(request, pk, form=form),
        )
    q = (request.GET.get("q") or "").strip()[:60]
    context = {
        "proposal": proposal,
        "q": q,
        "candidates": merge_candidates(user=request.user, proposal=proposal, q=q),
        "mergeable": may(PROPOSAL, request.user, proposal, "merge"),
        "form": MergeForm(),
    }
    return render_page(request, "proposals/office/merge.html", "candidates", context)


@login_required
@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """办结 after the evaluation."""
    _allowed(request, pk, can_review)
    form = NoteForm(request.POST, auto_id=auto_id("close"))
    return perform(
        request,
        lambda: workflow.proposal_close(
            user=request.user, proposal_id=pk, note=form.cleaned_data["note"]
        ),
        success=_("提案已办结。"),
        form=form,
        **outcome(request, pk, form=form, form_key="close"),
    )


# Assignment -----------------------------------------------------------------------------------


def _assigned_message(created: list[Assignment]) -> str:
    if not created:
        return _("该提案已交办。")
    deadline = max(a.deadline for a in created if a.answers_proposer)
    return _("已交办：%(units)s；办理期限至%(deadline)s。") % {
        "units": _units(created),
        "deadline": _date(deadline),
    }


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """交办 (单办 / 分办 / 主办 + 会办) in two steps: first what it will do (the units, their
    roles and deadlines, checked as 交办 checks them, nothing written), then, with `confirm`,
    交办 itself. `edit` goes back to the form with the choices kept. From the assignment board
    (htmx, `board=1`) the row is re-rendered in place, with its errors when refused (422 / 409);
    otherwise the proposal page shows the confirmation, and after 交办 the person goes back with
    a message."""
    proposal = _allowed(request, pk, can_review)
    board = is_htmx(request) and request.POST.get("board") == "1"
    groups = handling_units_grouped(committee_id=proposal.committee_id)
    form = AssignForm(request.POST, unit_groups=groups, auto_id=auto_id("assign"))
    confirmed = request.POST.get("confirm") == "1" and request.POST.get("edit") != "1"

    def page() -> HttpResponse:
        if board:
            return render_board_row(request, pk, form=form, created=[])
        from ...member.views.detail import render_detail

        return render_detail(request, pk, office_forms={"assign": form})

    if request.POST.get("edit") == "1":
        form.is_valid()  # the choices come back as they were, with no confirmation
        return page()

    if not confirmed:

        def preview() -> list[PlannedAssignment]:
            return workflow.proposal_assign_preview(
                user=request.user, proposal_id=pk, plan=form.plan
            )

        def show(lines: list[PlannedAssignment]) -> HttpResponse:
            form.preview = lines
            return page()

        return perform(request, preview, form=form, on_success=show, render=page)

    def call() -> list[Assignment]:
        return workflow.proposal_assign(user=request.user, proposal_id=pk, plan=form.plan)

    if board:
        return perform(
            request,
            call,
            form=form,
            on_success=lambda created: render_board_row(request, pk, form=form, created=created),
            render=page,
        )
    return perform(
        request,
        call,
        success=_assigned_message,
        form=form,
        **outcome(request, pk, form=form, form_key="assign"),
    )


@login_required
@require_POST
def add_unit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Add a unit to a proposal under handling (after a 申退, or one the plan missed)."""
    proposal = _allowed(request, pk, can_review)
    form = AddUnitForm(
        request.POST,
        auto_id=auto_id("add_unit"),
        unit_groups=handling_units_grouped(committee_id=proposal.committee_id),
    )
    return perform(
        request,
        lambda: workflow.assignment_add(
            user=request.user,
            proposal_id=pk,
            handling_unit_id=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
        ),
        success=lambda added: (
            _("已追加承办单位：%(unit)s；期限至%(deadline)s。")
            % {"unit": _units([added]), "deadline": _date(added.deadline)}
        ),
        form=form,
        **outcome(request, pk, form=form, form_key="add_unit"),
    )


def _checked(form: NoteForm | ReplyRejectForm) -> dict[str, Any]:
    """The data of a form drawn by hand beside each unit (not a panel form): its errors come
    back as the message."""
    if not form.is_valid():
        raise ValidationFailed(_("未能提交：%(errors)s") % {"errors": form.error_text()})
    return form.cleaned_data


def _assignment_decision(
    request: AuthenticatedRequest, assignment_id: int, verb: Callable[..., Any], message: str
) -> HttpResponse:
    assignment, proposal = visible_assignment(request.user, assignment_id)
    if not can_review(request.user, proposal):
        raise PermissionDenied(NOT_ALLOWED)
    form = NoteForm(request.POST)
    return perform(
        request,
        lambda: verb(user=request.user, assignment_id=assignment.pk, note=_checked(form)["note"]),
        success=message % {"unit": assignment.handling_unit.name},
        **outcome(request, proposal.pk),
    )


@login_required
@require_POST
def return_approve(request: AuthenticatedRequest, assignment_id: int) -> HttpResponse:
    """Accept a unit's 申退; the office then re-assigns (the panel offers it)."""
    return _assignment_decision(
        request,
        assignment_id,
        workflow.assignment_approve_return,
        _("已同意%(unit)s退回，请为该提案重新交办或追加承办单位。"),
    )


@login_required
@require_POST
def return_refuse(request: AuthenticatedRequest, assignment_id: int) -> HttpResponse:
    return _assignment_decision(
        request,
        assignment_id,
        workflow.assignment_refuse_return,
        _("已不同意%(unit)s退回，该单位须继续办理。"),
    )


@login_required
@require_POST
def extension_approve(request: AuthenticatedRequest, assignment_id: int) -> HttpResponse:
    return _assignment_decision(
        request,
        assignment_id,
        services.assignment_extension_approve,
        _("已批准%(unit)s的延期申请。"),
    )


@login_required
@require_POST
def extension_refuse(request: AuthenticatedRequest, assignment_id: int) -> HttpResponse:
    return _assignment_decision(
        request,
        assignment_id,
        services.assignment_extension_refuse,
        _("已不批准%(unit)s的延期申请。"),
    )


# Replies ---------------------------------------------------------------------------------------


def _released_message(proposal_id: int) -> str:
    status = Proposal.objects.filter(pk=proposal_id).values_list("status", flat=True).first()
    if status == ProposalStatus.REPLIED:
        return _("答复已审核通过并送达提案人，提案进入评价阶段。")
    return _("答复已审核通过；其他承办单位答复后将一并送达提案人。")


@login_required
@require_POST
def reply_approve(request: AuthenticatedRequest, reply_id: int) -> HttpResponse:
    """通过: release the reply to the proposers."""
    reply, proposal = visible_reply(request.user, reply_id)
    if not can_review(request.user, proposal):
        raise PermissionDenied(NOT_ALLOWED)
    return perform(
        request,
        lambda: workflow.reply_approve(user=request.user, reply_id=reply.pk),
        success=lambda _done: _released_message(proposal.pk),
        **outcome(request, proposal.pk),
    )


@login_required
@require_POST
def reply_reject(request: AuthenticatedRequest, reply_id: int) -> HttpResponse:
    """驳回 with a reason: the unit answers again."""
    reply, proposal = visible_reply(request.user, reply_id)
    if not can_review(request.user, proposal):
        raise PermissionDenied(NOT_ALLOWED)
    form = ReplyRejectForm(request.POST)
    return perform(
        request,
        lambda: workflow.reply_reject(
            user=request.user, reply_id=reply.pk, reason=_checked(form)["reason"]
        ),
        success=_("答复已驳回，承办单位将修改后重新提交。"),
        **outcome(request, proposal.pk),
    )


# 重点 and 优秀 -----------------------------------------------------------------------------------


@login_required
@require_POST
def nominate_excellent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The office nominates a proposal for 优秀提案 of a year."""
    _allowed(request, pk, can_review)
    form = NominateForm(request.POST, auto_id=auto_id("nominate"))
    return perform(
        request,
        lambda: services.proposal_nominate_excellent(
            user=request.user,
            proposal_id=pk,
            year=form.cleaned_data["year"],
            note=form.cleaned_data["note"],
        ),
        success=lambda _done: (
            _("已推荐为%(year)s年度优秀提案候选，待主席会议评选。")
            % {"year": form.cleaned_data["year"]}
        ),
        form=form,
        **outcome(request, pk, form=form, form_key="nominate"),
    )


@login_required
@require_POST
def key_mark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Leadership marks a 重点提案 with its supervising leader (督办 / 领办)."""
    proposal = _allowed(request, pk, can_mark_key)
    form = MarkKeyForm(
        request.POST,
        auto_id=auto_id("key"),
        leaders=leader_choices(committee_id=proposal.committee_id),
    )
    return perform(
        request,
        lambda: services.proposal_mark_key(
            user=request.user,
            proposal_id=pk,
            supervising_leader_id=form.cleaned_data["leader"],
            mode=form.cleaned_data["mode"],
        ),
        success=_("已列为重点提案。"),
        form=form,
        **outcome(request, pk, form=form, form_key="key"),
    )


@login_required
@require_POST
def key_unmark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _allowed(request, pk, can_mark_key)
    return perform(
        request,
        lambda: services.proposal_unmark_key(user=request.user, proposal_id=pk),
        success=_("已取消重点提案。"),
        **outcome(request, pk),
    )


@login_required
@require_POST
def excellent_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Leadership decides on a nomination: 优秀提案 or not."""
    _allowed(request, pk, can_mark_key)
    form = ExcellentDecisionForm(request.POST, auto_id=auto_id("excellent"))
    return perform(
        request,
        lambda: services.proposal_select_excellent(
            user=request.user,
            proposal_id=pk,
            selected=form.cleaned_data["decision"] == "select",
        ),
        success=lambda _done: (
            _("已评为优秀提案。")
            if form.cleaned_data["decision"] == "select"
            else _("已记录为不评选。")
        ),
        form=form,
        **outcome(request, pk, form=form),
    )
