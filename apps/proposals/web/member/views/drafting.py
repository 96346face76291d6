"""Drafting: choose the kind, write (with autosave and the similar-proposals panel), attach
files, invite co-signers, submit. Every write is one service or workflow call."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

from .... import services, workflow
from ....files import TYPE_LABELS
from ....models import CosignerStatus, Proposal, ProposalKind, ProposalStatus
from ....permissions import (
    can_create_collective,
    can_edit_draft,
    can_manage_cosigners,
    current_membership,
)
from ....selectors import (
    category_list,
    proposal_get_for_user,
    proposal_settings_for,
    proposal_similar,
    proposal_text_check,
)
from ....selectors.timeline import cosigner_candidates
from ....workflow.filing import validate_for_submission
from ..forms import DraftForm, NewProposalForm, add_domain_error
from ._common import error_page, run_action

SIMILAR_LIMIT = 8


def _edit_url(proposal_id: int, anchor: str = "") -> str:
    return reverse("proposals:edit", args=[proposal_id]) + (f"#{anchor}" if anchor else "")


def _kinds_for(user: Any) -> list[str]:
    kinds: list[str] = []
    if current_membership(user) is not None:
        kinds += [ProposalKind.INDIVIDUAL, ProposalKind.JOINT]
    committee_id = getattr(user, "committee_id", None)
    if committee_id and can_create_collective(user, committee_id):
        kinds.append(ProposalKind.COLLECTIVE)
    return kinds


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """新建提案: choose 个人 / 联名 / 集体, then the draft opens for writing."""
    kinds = _kinds_for(request.user)
    if not kinds:
        return error_page(request, PermissionDenied(_("只有本届在任委员可以提出提案。")))
    form = NewProposalForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_draft_create(
                user=request.user,
                kind=data["kind"],
                collective_sponsor=data.get("collective_sponsor") or "",
                collective_in_name_of=data.get("collective_in_name_of") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("草稿已创建，填写内容会自动保存。"))
            return redirect("proposals:edit", pk=proposal.pk)
    return render(request, "proposals/member/new.html", {"form": form})


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


def _load_draft(request: HttpRequest, pk: int) -> Proposal:
    """The proposal with its detail relations; NotFound / PermissionDenied for others."""
    proposal = proposal_get_for_user(user=request.user, proposal_id=pk)
    if not can_edit_draft(request.user, proposal):
        raise PermissionDenied(_("只有提案人可以修改草稿。"))
    return proposal


def _draft_form(proposal: Proposal, data: Any = None) -> DraftForm:
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
    )


def _edit_context(request: HttpRequest, proposal: Proposal, form: DraftForm) -> dict[str, Any]:
    settings = proposal_settings_for(proposal.committee)
    cosigners = proposal.all_cosigners  # type: ignore[attr-defined]
    cosign_q = request.GET.get("cosign_q", "").strip()[:30]
    allowed = "、".join(
        dict.fromkeys(TYPE_LABELS.get(ext, ext.upper()) for ext in settings.allowed_extensions)
    )
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
        "can_manage_cosigners": can_manage_cosigners(request.user, proposal),
        "is_collective": proposal.kind == ProposalKind.COLLECTIVE,
        "cosign_q": cosign_q,
        "candidates": cosigner_candidates(proposal=proposal, q=cosign_q) if cosign_q else [],
        "limits": {
            "count": settings.attachment_max_count,
            "mb": max(1, settings.attachment_max_bytes // (1024 * 1024)),
            "types": allowed,
            "accept": ",".join(f".{ext}" for ext in settings.allowed_extensions),
        },
        "CosignerStatus": CosignerStatus,
    }


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a draft. POST saves it (the no-JS 保存草稿) or saves and submits it; problems found
    on submission are shown beside the fields, nothing is submitted."""
    try:
        proposal = _load_draft(request, pk)
    except (NotFound, PermissionDenied) as exc:
        return error_page(request, exc)
    if proposal.status != ProposalStatus.DRAFT:
        messages.warning(
            request,
            _("提案已提交，不能再修改；如需修改，请在审查前撤回。")
            if proposal.status != ProposalStatus.WITHDRAWN
            else _("该提案已撤回：如需修改，请先点击“重新编辑”。"),
        )
        return redirect("proposals:detail", pk=pk)
    if request.method != "POST":
        return render(
            request,
            "proposals/member/edit.html",
            _edit_context(request, proposal, _draft_form(proposal)),
        )
    form = _draft_form(proposal, request.POST)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.proposal_draft_update(user=request.user, proposal_id=pk, **form.changes())
            if submit:
                workflow.proposal_submit(user=request.user, proposal_id=pk)
        except (NotFound, PermissionDenied) as exc:
            return error_page(request, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if submit:
                messages.success(request, _("提案已提交，等待提案委员会审查。审查前仍可撤回。"))
                return redirect("proposals:detail", pk=pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("proposals:edit", pk=pk)
    proposal = proposal_get_for_user(user=request.user, proposal_id=pk)
    return render(request, "proposals/member/edit.html", _edit_context(request, proposal, form))


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx autosave: save the draft's fields, answer with “已自动保存 HH:MM”, the character
    counts and what still blocks submission (out of band), and tell the page to refresh the
    similar-proposals panel. Errors come back in the status line (nothing saved)."""
    error = ""
    try:
        proposal = _load_draft(request, pk)
    except (NotFound, PermissionDenied) as exc:
        return error_page(request, exc)
    try:
        form = _draft_form(proposal, request.POST)
        if not form.is_valid():
            raise ValidationFailed(
                "；".join(str(e) for errors in form.errors.values() for e in errors)
            )
        services.proposal_draft_update(user=request.user, proposal_id=pk, **form.changes())
        proposal = proposal_get_for_user(user=request.user, proposal_id=pk)
    except DomainError as exc:
        error = exc.message
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect("proposals:edit", pk=pk)
    context: dict[str, Any] = {"error": error, "oob": True}
    if not error:
        context.update(
            proposal=proposal,
            saved_at=timezone.localtime(),
            check=proposal_text_check(
                committee=proposal.committee,
                title=proposal.title,
                grounds=proposal.grounds,
                suggestions=proposal.suggestions,
            ),
            problems=draft_problems(proposal, proposal.all_cosigners),  # type: ignore[attr-defined]
        )
    response = render(request, "proposals/member/edit.html#autosave", context)
    if not error:
        response["HX-Trigger"] = "draftSaved"
    return response


@login_required
@require_GET
def similar(request: HttpRequest, pk: int) -> HttpResponse:
    """The similar-proposals panel for a proposal's saved text (refreshed after each autosave)."""
    try:
        proposal = proposal_get_for_user(user=request.user, proposal_id=pk)
    except NotFound as exc:
        return error_page(request, exc)
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
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a draft as saved (from the detail page); problems are reported on the draft."""
    try:
        proposal = _load_draft(request, pk)
    except (NotFound, PermissionDenied) as exc:
        return error_page(request, exc)
    try:
        workflow.proposal_submit(user=request.user, proposal_id=pk)
    except PermissionDenied as exc:
        return error_page(request, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        target = "proposals:edit" if proposal.status == ProposalStatus.DRAFT else "proposals:detail"
        return redirect(target, pk=pk)
    messages.success(request, _("提案已提交，等待提案委员会审查。审查前仍可撤回。"))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def switch_kind(request: HttpRequest, pk: int) -> HttpResponse:
    """个人 ↔ 联名 (a joint draft must have no active invitations to become individual)."""
    kind = request.POST.get("kind", "")
    if kind not in (ProposalKind.INDIVIDUAL, ProposalKind.JOINT):
        messages.error(request, _("请选择个人提案或联名提案。"))
        return redirect(_edit_url(pk))
    return run_action(
        request,
        lambda: services.proposal_draft_update(user=request.user, proposal_id=pk, kind=kind),
        success=_("已改为%(kind)s。") % {"kind": ProposalKind(kind).label},
        back=_edit_url(pk, "cosigners"),
        proposal_id=pk,
    )


@login_required
@require_POST
def delete_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft (or a withdrawn proposal) for good."""
    return run_action(
        request,
        lambda: services.proposal_draft_delete(user=request.user, proposal_id=pk),
        success=_("草稿已删除。"),
        back=reverse("proposals:mine"),
        back_on_error=reverse("proposals:detail", args=[pk]),
        proposal_id=pk,
    )


# ---------------------------------------------------------------------------------------------
# Attachments


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach one file to a draft; the service's size, type and count rules come back as a
    Chinese message."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(_edit_url(pk, "attachments"))
    return run_action(
        request,
        lambda: services.attachment_add(user=request.user, proposal_id=pk, upload=upload),
        success=_("已上传附件“%(name)s”。") % {"name": upload.name},
        back=_edit_url(pk, "attachments"),
        proposal_id=pk,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: services.attachment_remove(user=request.user, attachment_id=attachment_id),
        success=_("附件已删除。"),
        back=_edit_url(pk, "attachments"),
        proposal_id=pk,
    )


# ---------------------------------------------------------------------------------------------
# Co-signers (the first proposer's side)


@login_required
@require_GET
def cosign_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the committee whose name matches, to invite (htmx: the results only)."""
    q = request.GET.get("cosign_q", "").strip()[:30]
    if not getattr(request, "htmx", False):
        query = urlencode({"cosign_q": q})
        return redirect(f"{reverse('proposals:edit', args=[pk])}?{query}#cosigners")
    try:
        proposal = _load_draft(request, pk)
    except (NotFound, PermissionDenied) as exc:
        return error_page(request, exc)
    if not can_manage_cosigners(request.user, proposal):
        return error_page(request, PermissionDenied(_("只有第一提案人可以邀请附议人。")))
    context = {
        "proposal": proposal,
        "cosign_q": q,
        "candidates": cosigner_candidates(proposal=proposal, q=q),
    }
    return render(request, "proposals/member/edit.html#cosign-results", context)


@login_required
@require_POST
def cosign_invite(request: HttpRequest, pk: int) -> HttpResponse:
    raw = request.POST.getlist("membership")
    ids = [int(value) for value in raw if value.isdigit()]
    if not ids:
        messages.error(request, _("请选择要邀请的委员。"))
        return redirect(_edit_url(pk, "cosigners"))
    return run_action(
        request,
        lambda: services.cosigners_invite(user=request.user, proposal_id=pk, membership_ids=ids),
        success=_("邀请已发出，对方确认后即列为附议人。"),
        back=_edit_url(pk, "cosigners"),
        proposal_id=pk,
    )


@login_required
@require_POST
def cosign_withdraw(request: HttpRequest, pk: int, cosigner_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: services.cosigner_withdraw(user=request.user, cosigner_id=cosigner_id),
        success=_("已撤回该附议邀请。"),
        back=_edit_url(pk, "cosigners"),
        proposal_id=pk,
    )


@login_required
@require_POST
def cosign_withdraw_pending(request: HttpRequest, pk: int) -> HttpResponse:
    return run_action(
        request,
        lambda: services.cosigners_withdraw_pending(user=request.user, proposal_id=pk),
        success=_("已撤回全部未答复的附议邀请。"),
        back=_edit_url(pk, "cosigners"),
        proposal_id=pk,
    )
