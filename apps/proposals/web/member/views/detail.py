"""The proposal page shared by every role, its downloads (attachments, reply letters) and the
printable PDF. Each shows only what the viewer may see (`proposal_get_for_user`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.requests import AuthenticatedRequest
from apps.accounts.roles import Role
from apps.core.downloads import download_response
from apps.core.errors import NotFound
from apps.core.pages import error_response
from apps.core.registry import related_links_for

from ....models import CosignerStatus, ExcellentStatus, Proposal, ProposalKind
from ....selectors import released_replies
from ....selectors.timeline import (
    attachment_get_for_user,
    proposal_signatories,
    proposal_timeline,
    reply_get_for_user,
)
from ....workflow import proposal_actions_for
from ...office import hooks as office_hooks
from ...unit import hooks as unit_hooks
from .. import hooks as member_hooks
from ..display import status_badge
from ._common import visible_proposal


def _viewer(user: User, proposal: Proposal) -> dict[str, Any]:
    """Who the viewer is for this proposal (from loaded rows)."""
    roles = user_roles(user)
    staff = bool({Role.PROPOSAL_OFFICE, Role.LEADERSHIP, Role.SYSADMIN} & roles)
    unit_id = getattr(user, "handling_unit_id", None) if Role.HANDLING_UNIT in roles else None
    first = proposal.first_proposer
    author = proposal.created_by_id == user.pk or (
        first is not None and first.member.user_id == user.pk
    )
    cosigner = any(
        c.membership.member.user_id == user.pk
        and c.status in (CosignerStatus.INVITED, CosignerStatus.CONFIRMED)
        for c in proposal.all_cosigners  # type: ignore[attr-defined]
    )
    assigned_unit = bool(
        unit_id and any(a.handling_unit_id == unit_id for a in proposal.all_assignments)  # type: ignore[attr-defined]
    )
    return {
        "staff": staff,
        "unit_id": unit_id,
        "author": author,
        "cosigner": cosigner,
        "proposer": author or cosigner,
        "assigned_unit": assigned_unit,
    }


def _replies(proposal: Proposal, viewer: dict[str, Any]) -> list[dict[str, Any]]:
    """Replies to show, each with its unit: the office, leadership and units see what the
    selector let through (pending ones included where they handle them); everyone else the
    released replies (for a merged proposal, those of the lead proposal)."""
    if viewer["staff"] or viewer["unit_id"]:
        return [
            {"reply": reply, "unit": assignment.handling_unit.name}
            for assignment in proposal.all_assignments  # type: ignore[attr-defined]
            for reply in assignment.visible_replies
        ]
    return [
        {"reply": reply, "unit": reply.assignment.handling_unit.name}
        for reply in released_replies(proposal=proposal)
    ]


def render_detail(
    request: AuthenticatedRequest, pk: int, *, office_forms: dict[str, Any] | None = None
) -> HttpResponse:
    """The proposal page: header, text, attachments, status timeline, handling, released
    replies, evaluations; then the member, office and unit action panels. Action views show it
    again (with the bound `office_forms` of a refused office action) when a step fails."""
    user = request.user
    proposal = visible_proposal(request, pk)
    viewer = _viewer(user, proposal)
    assignments = proposal.all_assignments  # type: ignore[attr-defined]
    cosigners = proposal.all_cosigners  # type: ignore[attr-defined]
    if not (viewer["staff"] or viewer["proposer"]):
        cosigners = [c for c in cosigners if c.status == CosignerStatus.CONFIRMED]
    context: dict[str, Any] = {
        "proposal": proposal,
        "viewer": viewer,
        "badge": status_badge(proposal.status),
        "is_excellent": proposal.excellent_status == ExcellentStatus.SELECTED,
        "is_collective": proposal.kind == ProposalKind.COLLECTIVE,
        "cosigners": cosigners,
        "assignments": assignments,
        "show_contact_notes": viewer["staff"] or viewer["assigned_unit"],
        "replies": _replies(proposal, viewer),
        "opinions": [
            (assignment, opinion)
            for assignment in assignments
            for opinion in assignment.visible_opinions
        ],
        "evaluations": proposal.all_evaluations  # type: ignore[attr-defined]
        if (viewer["staff"] or viewer["proposer"] or viewer["assigned_unit"])
        else [],
        "timeline": proposal_timeline(user=user, proposal=proposal, assignments=assignments),
        "merged": proposal.merged_proposals,  # type: ignore[attr-defined]
        # What other apps link from here (e.g. the 社情民意信息 a transfer became).
        "related_links": related_links_for(proposal, user),
    }
    # What the viewer may do now, decided once by the workflow for every panel.
    actions = proposal_actions_for(user, proposal)
    context["actions"] = actions
    context.update(member_hooks.detail_context(request, proposal, actions=actions))
    context.update(
        office_hooks.detail_context(request, proposal, actions=actions, bound=office_forms)
    )
    context.update(unit_hooks.detail_context(request, proposal))
    return render(request, "proposals/detail.html", context)


@login_required
@require_GET
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The proposal page every role shares (see render_detail)."""
    return render_detail(request, pk)


@login_required
@require_GET
def attachment(request: AuthenticatedRequest, attachment_id: int) -> HttpResponse:
    """Download an attachment of a proposal the viewer may read."""
    try:
        item = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return _stored_file(item.file, item.original_name, item.content_type)


@login_required
@require_GET
def reply_letter(request: AuthenticatedRequest, reply_id: int) -> HttpResponse:
    """Download a reply letter (答复函): proposers only once the office released the reply."""
    try:
        reply = reply_get_for_user(user=request.user, reply_id=reply_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if not reply.letter:
        raise Http404(_("该答复没有上传答复函。"))
    name = reply.letter_name or _("答复函")
    content_type = "application/pdf" if name.lower().endswith(".pdf") else ""
    return _stored_file(reply.letter, name, content_type)


@login_required
@require_GET
def pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The proposal in the standard printed form (提案表), as PDF."""
    from ....pdf import PdfFontMissing, build_proposal_pdf

    proposal = visible_proposal(request, pk)
    try:
        content = build_proposal_pdf(
            proposal=proposal,
            signatories=proposal_signatories(proposal=proposal),
            assignments=proposal.all_assignments,  # type: ignore[attr-defined]
        )
    except PdfFontMissing as error:
        return error_response(request, 503, str(error), title=_("暂时无法生成 PDF"))
    name = _("提案-%(label)s.pdf") % {"label": proposal.number_label or _("草稿")}
    return download_response(content, name, "application/pdf", inline=True)


def _stored_file(stored: Any, filename: str, content_type: str) -> HttpResponse:
    """A stored file as a download (never cached: what one may see can change)."""
    with stored.open("rb") as handle:
        content = handle.read()
    return download_response(content, filename, content_type or "application/octet-stream")
