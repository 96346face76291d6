"""Drafting: choose the kind, write (with autosave and the similar-proposals panel), attach
files, invite co-signers, submit. Every write is one service or workflow call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import ValidationFailed
from apps.core.pages import is_htmx, perform
from apps.core.uploads import types_label

from .... import services, workflow
from ....models import CosignerStatus, Proposal, ProposalKind
from ....permissions import (
    can_create_collective,
    can_edit_draft,
    can_manage_cosigners,
    convened_bodies,
    current_membership,
    is_proposal_office,
)
from ....selectors import (
    category_list,
    proposal_get_for_user,
    proposal_settings_for,
    proposal_similar,
    proposal_text_check,
)
from ....selectors.timeline import cosigner_candidates
from ....workflow import PROPOSAL
from ....workflow.filing import validate_for_submission
from ...common import may
from ..forms import DraftForm, NewProposalForm
from ._common import require_visible, visible_proposal
from .detail import render_detail

SIMILAR_LIMIT = 8


def _edit_url(proposal_id: int, anchor: str = "") -> str:
    return reverse("proposals:edit", args=[proposal_id]) + (f"#{anchor}" if anchor else "")


def _kinds_for(user: User) -> list[str]:
    kinds: list[str] = []
    if current_membership(user) is not None:
        kinds += [ProposalKind.INDIVIDUAL, ProposalKind.JOINT]
    committee_id = getattr(user, "committee_id", None)
    if committee_id and can_create_collective(user, committee_id):
        kinds.append(ProposalKind.COLLECTIVE)
    return kinds


def _convened_for(user: User, committee_id: int | None) -> list[tuple[str, str]] | None:
    """The (sponsor, name) pairs a convener may file collective proposals in; None for the
    proposal office (any name) and for everyone else (no collective proposals)."""
    if not committee_id or is_proposal_office(user, committee_id):
        return None
    return [(body.body, body.body_name) for body in convened_bodies(user)] or None


@login_required
def new(request: AuthenticatedRequest) -> HttpResponse:
    """新建提案: choose 个人 / 联名 / 集体, then the draft opens for writing."""
    kinds = _kinds_for(request.user)
    if not kinds:
        raise Forbidden(_("只有本届在任委员可以提出提案。"))
    form = NewProposalForm(
        request.POST or None,
        kinds=kinds,
        convened=_convened_for(request.user, getattr(request.user, "committee_id", None)),
    )

    def page() -> HttpResponse:
        return render(request, "proposals/member/new.html", {"form": form})

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.proposal_draft_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            collective_sponsor=form.cleaned_data.get("collective_sponsor") or "",
            collective_in_name_of=form.cleaned_data.get("collective_in_name_of") or "",
        ),
        form=form,
        success=_("草稿已创建，填写内容会自动保存。"),
        redirect_to=lambda proposal: _edit_url(proposal.pk),
        render=page,
    )


def draft_problems(proposal: Proposal, cosigners: list[Any]) -> list[str]:
    """What still stands in the way of submitting, in Chinese (empty when ready): the
    submission check of the workflow plus unanswered or missing co-signers."""
    problems: list[str] = []
    try:
        validate_for_submission(proposal)
    except ValidationFailed as exc:
        problems.extend(exc.extra.get("errors", {}).values() or [exc.message])
    if proposal.kind == ProposalKind.JOINT:
        pending = sum(1 for c in cosigners if c.status == CosignerStatus.INVITED)
        if pending:
            problems.append(
                _("还有 %(count)d 位委员未答复附议邀请：请等待答复，或撤回未答复的邀请。")
                % {"count": pending}
            )
        elif not any(c.status == CosignerStatus.CONFIRMED for c in cosigners):
            problems.append(_("联名提案至少需要一位委员确认附议；也可改为个人提案。"))
    return problems


def _load_draft(request: AuthenticatedRequest, pk: int) -> Proposal:
    """The proposal with its detail relations: 404 for those who may not read it, 403 for
    those who may read but not edit it (co-signers)."""
    proposal = visible_proposal(request, pk)
    if not can_edit_draft(request.user, proposal):
        raise Forbidden(_("只有提案人可以修改草稿。"))
    return proposal


def _render_draft(
    request: AuthenticatedRequest,
    pk: int,
    form: DraftForm | None = None,
    *,
    confirm_submit: bool = False,
) -> HttpResponse:
    """The draft page as saved (with the bound `form`'s errors), or the proposal page once it
    is no longer a draft: where a refused drafting step shows its reason. `confirm_submit`:
    the draft passed the submission check; the page asks to confirm 提交."""
    proposal = _load_draft(request, pk)
    if not may(PROPOSAL, request.user, proposal, "edit"):
        if form is not None and form.errors:  # the form is not on the proposal page
            messages.error(request, form.error_text())
        return render_detail(request, pk)
    form = form or _draft_form(proposal, user=request.user)
    context = _edit_context(request, proposal, form)
    context["confirm_submit"] = confirm_submit
    return render(request, "proposals/member/edit.html", context)


def _on_draft(
    request: AuthenticatedRequest,
    pk: int,
    call: Callable[[], Any],
    *,
    success: str,
    redirect_to: str,
) -> HttpResponse:
    """A button on the draft page (attachments, co-signers, kind): 404 for a proposal the user
    may not read; a refusal shows the draft again with the reason (422 / 409)."""
    require_visible(request, pk)
    return perform(
        request,
        call,
        success=success,
        redirect_to=redirect_to,
        render=lambda: _render_draft(request, pk),
        back=_edit_url(pk),
    )


def _draft_form(proposal: Proposal, data: Any = None, *, user: User) -> DraftForm:
    settings = proposal_settings_for(proposal.committee)
    initial = {
        "title": proposal.title,
        "grounds": proposal.grounds,
        "suggestions": proposal.suggestions,
        "category": proposal.category_id,
        "collective_sponsor": proposal.collective_sponsor,
        "collective_in_name_of": proposal.collective_in_name_of,
    }
    return DraftForm(
        data,
        initial=initial,
        categories=list(category_list(committee=proposal.committee)),
        collective=proposal.kind == ProposalKind.COLLECTIVE,
        title_max=settings.title_max_chars,
        convened=(
            _convened_for(user, proposal.committee_id)
            if proposal.kind == ProposalKind.COLLECTIVE
            else None
        ),
    )


def _edit_context(
    request: AuthenticatedRequest, proposal: Proposal, form: DraftForm
) -> dict[str, Any]:
    settings = proposal_settings_for(proposal.committee)
    cosigners = proposal.all_cosigners  # type: ignore[attr-defined]
    cosign_q = request.GET.get("cosign_q", "").strip()[:30]
    return {
        "proposal": proposal,
        "form": form,
        "check": proposal_text_check(
            committee=proposal.committee,
            title=proposal.title,
            grounds=proposal.grounds,
            suggestions=proposal.suggestions,
        ),
        "problems": draft_problems(proposal, cosigners),
        "similar": proposal_similar(
            user=request.user, committee=proposal.committee, proposal=proposal, limit=SIMILAR_LIMIT
        ),
        "cosigners": cosigners,
        "active_cosigners": [
            c for c in cosigners if c.status in (CosignerStatus.INVITED, CosignerStatus.CONFIRMED)
        ],
        "pending_count": sum(1 for c in cosigners if c.status == CosignerStatus.INVITED),
        "can_manage_cosigners": may(PROPOSAL, request.user, proposal, "manage_cosigners"),
        "is_collective": proposal.kind == ProposalKind.COLLECTIVE,
        "cosign_q": cosign_q,
        "candidates": cosigner_candidates(proposal=proposal, q=cosign_q) if cosign_q else [],
        "limits": {
            "count": settings.attachment_max_count,
            "mb": max(1, settings.attachment_max_bytes // (1024 * 1024)),
            "types": types_label(settings.allowed_extensions),
            "accept": ",".join(f".{ext}" for ext in settings.allowed_extensions),
        },
        "CosignerStatus": CosignerStatus,
    }


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Write a draft. POST saves it (the no-JS 保存草稿) or saves it and checks it for
    submission: problems are shown beside the fields (422), nothing is submitted; a draft that
    can be submitted comes back with the confirmation (提交后不能再修改…) and its 确认提交
    button. `confirm` (the confirmation's button) submits it."""
    proposal = _load_draft(request, pk)
    if request.method != "POST":
        if not may(PROPOSAL, request.user, proposal, "edit"):
            messages.warning(
                request,
                _("该提案已撤回：如需修改，请先点击“重新编辑”。")
                if may(PROPOSAL, request.user, proposal, "reopen")
                else _("提案已提交，不能再修改；如需修改，请在审查前撤回。"),
            )
            return redirect("proposals:detail", pk=pk)
        return _render_draft(request, pk)
    form = _draft_form(proposal, request.POST, user=request.user)
    submit = request.POST.get("action") == "submit"
    confirmed = submit and request.POST.get("confirm") == "1"

    def save() -> None:
        # The text is saved even when the submission is then refused: nothing typed is lost.
        services.proposal_draft_update(user=request.user, proposal_id=pk, **form.changes())
        if confirmed:
            workflow.proposal_submit(user=request.user, proposal_id=pk)
        elif submit:
            # Checked as 提交 checks it (complete text, limits, co-signers), nothing submitted.
            PROPOSAL.check(request.user, _load_draft(request, pk), "submit")

    if submit and not confirmed:
        return perform(
            request,
            save,
            form=form,
            on_success=lambda _none: _render_draft(
                request,
                pk,
                _draft_form(_load_draft(request, pk), user=request.user),
                confirm_submit=True,
            ),
            render=lambda: _render_draft(request, pk, form),
        )
    return perform(
        request,
        save,
        form=form,
        success=_("提案已提交，等待提案委员会审查。审查前仍可撤回。")
        if submit
        else _("草稿已保存。"),
        redirect_to=reverse("proposals:detail", args=[pk]) if submit else _edit_url(pk),
        render=lambda: _render_draft(request, pk, form),
    )


@login_required
@require_POST
def autosave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The htmx autosave: save the draft's fields, answer with “已自动保存 HH:MM”, the character
    counts and what still blocks submission (out of band), and tell the page to refresh the
    similar-proposals panel. A refusal comes back in the status line (422 / 409, nothing
    saved). Without htmx it is the 保存草稿 button."""
    proposal = _load_draft(request, pk)
    form = _draft_form(proposal, request.POST, user=request.user)
    if not is_htmx(request):
        return perform(
            request,
            lambda: services.proposal_draft_update(
                user=request.user, proposal_id=pk, **form.changes()
            ),
            form=form,
            redirect_to=_edit_url(pk),
            render=lambda: _render_draft(request, pk, form),
        )

    def saved(_result: Any) -> HttpResponse:
        fresh = proposal_get_for_user(user=request.user, proposal_id=pk)
        context = {
            "oob": True,
            "proposal": fresh,
            "saved_at": timezone.localtime(),
            "check": proposal_text_check(
                committee=fresh.committee,
                title=fresh.title,
                grounds=fresh.grounds,
                suggestions=fresh.suggestions,
            ),
            "problems": draft_problems(fresh, fresh.all_cosigners),  # type: ignore[attr-defined]
        }
        response = render(request, "proposals/member/edit.html#autosave", context)
        response["HX-Trigger"] = "draftSaved"
        return response

    def refused() -> HttpResponse:
        context = {"error": form.error_text(), "oob": True}
        return render(request, "proposals/member/edit.html#autosave", context)

    return perform(
        request,
        lambda: services.proposal_draft_update(user=request.user, proposal_id=pk, **form.changes()),
        form=form,
        on_success=saved,
        render=refused,
    )


@login_required
@require_GET
def similar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The similar-proposals panel for a proposal's saved text (refreshed after each autosave)."""
    proposal = visible_proposal(request, pk)
    items = proposal_similar(
        user=request.user, committee=proposal.committee, proposal=proposal, limit=SIMILAR_LIMIT
    )
    response = render(
        request, "proposals/member/_similar.html", {"proposal": proposal, "similar": items}
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Submit a draft as saved (from the detail page); problems are shown on the draft."""
    _load_draft(request, pk)
    return perform(
        request,
        lambda: workflow.proposal_submit(user=request.user, proposal_id=pk),
        success=_("提案已提交，等待提案委员会审查。审查前仍可撤回。"),
        redirect_to=reverse("proposals:detail", args=[pk]),
        render=lambda: _render_draft(request, pk),
    )


def _kind_switch(user: User, pk: int, kind: str) -> Proposal:
    if kind not in (ProposalKind.INDIVIDUAL, ProposalKind.JOINT):
        raise ValidationFailed(_("请选择个人提案或联名提案。"))
    return services.proposal_draft_update(user=user, proposal_id=pk, kind=kind)


@login_required
@require_POST
def switch_kind(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """个人 ↔ 联名 (a joint draft must have no active invitations to become individual)."""
    kind = request.POST.get("kind", "")
    return _on_draft(
        request,
        pk,
        lambda: _kind_switch(request.user, pk, kind),
        success=_("已改为%(kind)s。") % {"kind": ProposalKind(kind).label}
        if kind in ProposalKind.values
        else "",
        redirect_to=_edit_url(pk, "cosigners"),
    )


@login_required
@require_POST
def delete_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Delete a draft (or a withdrawn proposal) for good."""
    require_visible(request, pk)
    return perform(
        request,
        lambda: services.proposal_draft_delete(user=request.user, proposal_id=pk),
        success=_("草稿已删除。"),
        redirect_to=reverse("proposals:mine"),
        render=lambda: render_detail(request, pk),
        back=reverse("proposals:detail", args=[pk]),
    )


# ---------------------------------------------------------------------------------------------
# Attachments


@login_required
@require_POST
def attachment_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Attach one file to a draft; the service's size, type and count rules come back as a
    Chinese message on the draft (422)."""
    upload = request.FILES.get("file")

    def attach() -> Any:
        if upload is None:
            raise ValidationFailed(_("请选择要上传的文件。"))
        return services.attachment_add(user=request.user, proposal_id=pk, upload=upload)

    return _on_draft(
        request,
        pk,
        attach,
        success=_("已上传附件“%(name)s”。") % {"name": upload.name} if upload else "",
        redirect_to=_edit_url(pk, "attachments"),
    )


@login_required
@require_POST
def attachment_remove(request: AuthenticatedRequest, pk: int, attachment_id: int) -> HttpResponse:
    return _on_draft(
        request,
        pk,
        lambda: services.attachment_remove(user=request.user, attachment_id=attachment_id),
        success=_("附件已删除。"),
        redirect_to=_edit_url(pk, "attachments"),
    )


# ---------------------------------------------------------------------------------------------
# Co-signers (the first proposer's side)


@login_required
@require_GET
def cosign_search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Members of the committee whose name matches, to invite (htmx: the results only)."""
    q = request.GET.get("cosign_q", "").strip()[:30]
    if not is_htmx(request):
        query = urlencode({"cosign_q": q})
        return redirect(f"{reverse('proposals:edit', args=[pk])}?{query}#cosigners")
    proposal = _load_draft(request, pk)
    if not can_manage_cosigners(request.user, proposal):
        raise Forbidden(_("只有第一提案人可以邀请附议人。"))
    context = {
        "proposal": proposal,
        "cosign_q": q,
        "candidates": cosigner_candidates(proposal=proposal, q=q),
    }
    return render(request, "proposals/member/edit.html#cosign-results", context)


def _invite(user: User, pk: int, ids: list[int]) -> Any:
    if not ids:
        raise ValidationFailed(_("请选择要邀请的委员。"))
    return services.cosigners_invite(user=user, proposal_id=pk, membership_ids=ids)


@login_required
@require_POST
def cosign_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("membership") if value.isdigit()]
    return _on_draft(
        request,
        pk,
        lambda: _invite(request.user, pk, ids),
        success=_("邀请已发出，对方确认后即列为附议人。"),
        redirect_to=_edit_url(pk, "cosigners"),
    )


@login_required
@require_POST
def cosign_withdraw(request: AuthenticatedRequest, pk: int, cosigner_id: int) -> HttpResponse:
    return _on_draft(
        request,
        pk,
        lambda: services.cosigner_withdraw(user=request.user, cosigner_id=cosigner_id),
        success=_("已撤回该附议邀请。"),
        redirect_to=_edit_url(pk, "cosigners"),
    )


@login_required
@require_POST
def cosign_withdraw_pending(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _on_draft(
        request,
        pk,
        lambda: services.cosigners_withdraw_pending(user=request.user, proposal_id=pk),
        success=_("已撤回全部未答复的附议邀请。"),
        redirect_to=_edit_url(pk, "cosigners"),
    )
