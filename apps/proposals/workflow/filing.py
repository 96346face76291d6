"""Filing: submit a draft (with the completeness and length checks), withdraw it before review,
reopen a withdrawn one for editing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts.roles import Role
from apps.core.errors import Conflict, ValidationFailed
from apps.core.text import count_chars

from .. import clock
from ..models import (
    Cosigner,
    CosignerStatus,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalStatus,
)
from ..permissions import can_edit_draft
from ..selectors.config import proposal_settings_for, session_for
from .common import lock_proposal, record, require, save_changed
from .table import proposal_transition_needed

AUTHOR = Role.MEMBER.value


def validate_for_submission(proposal: Proposal) -> None:
    """Raise ValidationFailed (with per-field messages in extra["errors"]) unless the proposal is
    complete: title within the limit, both body parts written and within the length limit, an
    active category of the committee, and the collective signature for a collective proposal."""
    settings = proposal_settings_for(proposal.committee)
    errors: dict[str, str] = {}
    title_chars = count_chars(proposal.title)
    if title_chars == 0:
        errors["title"] = "请填写案由。"
    elif title_chars > settings.title_max_chars:
        errors["title"] = f"案由不能超过{settings.title_max_chars}字（现为{title_chars}字）。"
    if not proposal.grounds.strip():
        errors["grounds"] = "请填写情况与分析。"
    if not proposal.suggestions.strip():
        errors["suggestions"] = "请填写具体建议。"
    body_chars = count_chars(proposal.grounds) + count_chars(proposal.suggestions)
    if body_chars > settings.body_max_chars:
        errors["body"] = (
            f"正文（情况与分析、具体建议合计）不能超过{settings.body_max_chars}字，"
            f"现为{body_chars}字；更多材料请作为附件上传。"
        )
    if proposal.category_id is None:
        errors["category"] = "请选择提案类别。"
    elif not ProposalCategory.objects.filter(
        pk=proposal.category_id, committee_id=proposal.committee_id, is_active=True
    ).exists():
        errors["category"] = "所选类别已停用，请重新选择。"
    if proposal.kind == ProposalKind.COLLECTIVE and not (
        proposal.collective_sponsor and proposal.collective_in_name_of.strip()
    ):
        errors["collective_in_name_of"] = "集体提案须注明以哪个党派、团体、界别或专委会名义提出。"
    if errors:
        raise ValidationFailed(
            "提案内容不完整或超出字数限制：" + "；".join(errors.values()),
            extra={"errors": errors, "body_chars": body_chars},
        )


@transaction.atomic
def proposal_submit(*, user: Any, proposal_id: int) -> Proposal:
    """Submit a draft for review (草稿 → 已提交). Who: its authors.

    Requires a complete text within the limits and, for a joint proposal, every invitation
    answered (or pending ones withdrawn) and at least one co-signer confirmed. Decides 大会提案 /
    平时提案 from the submission time against the plenary window. Afterwards the authors can no
    longer edit it.
    """
    proposal = lock_proposal(proposal_id)
    require(can_edit_draft(user, proposal))
    if not proposal_transition_needed("submit", proposal.status):
        return proposal
    validate_for_submission(proposal)
    if proposal.kind == ProposalKind.JOINT:
        statuses = set(Cosigner.objects.filter(proposal=proposal).values_list("status", flat=True))
        if CosignerStatus.INVITED in statuses:
            raise Conflict("还有附议邀请未答复：请等待答复，或撤回未答复的邀请后再提交。")
        if CosignerStatus.CONFIRMED not in statuses:
            raise Conflict("联名提案至少需要一位委员确认附议；也可改为个人提案后提交。")
    now = clock.now()
    settings = proposal_settings_for(proposal.committee)
    session_type, session = session_for(
        committee_id=proposal.committee_id, when=now, window_months=settings.plenary_window_months
    )
    previous = proposal.status
    save_changed(
        proposal,
        {
            "status": ProposalStatus.SUBMITTED,
            "submitted_at": now,
            "session_type": session_type,
            "plenary_session_id": session.pk if session else None,
        },
    )
    record(
        verb="proposal_submit",
        actor=user,
        obj=proposal,
        role=AUTHOR,
        from_state=previous,
        to_state=proposal.status,
        session_type=session_type,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: Any, proposal_id: int) -> Proposal:
    """Withdraw a submitted proposal before review (已提交 → 已撤回). Who: its authors."""
    proposal = lock_proposal(proposal_id)
    require(can_edit_draft(user, proposal))
    if not proposal_transition_needed("withdraw", proposal.status):
        return proposal
    previous = proposal.status
    save_changed(proposal, {"status": ProposalStatus.WITHDRAWN})
    record(
        verb="proposal_withdraw",
        actor=user,
        obj=proposal,
        role=AUTHOR,
        from_state=previous,
        to_state=proposal.status,
    )
    return proposal


@transaction.atomic
def proposal_reopen(*, user: Any, proposal_id: int) -> Proposal:
    """Turn a withdrawn proposal back into an editable draft (已撤回 → 草稿). Who: its authors.
    Co-signers who had confirmed stay confirmed."""
    proposal = lock_proposal(proposal_id)
    require(can_edit_draft(user, proposal))
    if not proposal_transition_needed("reopen", proposal.status):
        return proposal
    previous = proposal.status
    save_changed(
        proposal,
        {"status": ProposalStatus.DRAFT, "session_type": "", "plenary_session_id": None},
    )
    record(
        verb="proposal_reopen",
        actor=user,
        obj=proposal,
        role=AUTHOR,
        from_state=previous,
        to_state=proposal.status,
    )
    return proposal
