"""Co-signing (联名附议): the first proposer invites members, each confirms or declines.

A joint proposal can be submitted once every invitee has answered (or the first proposer has
withdrawn the pending invitations) and at least one has confirmed. Invitations and answers are
only possible while the proposal is a draft.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.services import model_update
from apps.members.models import Membership, MembershipStatus

from .. import notices
from ..models import Cosigner, CosignerStatus, Proposal, ProposalKind, ProposalStatus
from ..permissions import can_answer_cosign, can_manage_cosigners
from ..workflow.common import lock_proposal

MAX_COSIGNERS = 50


def _require_draft(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.DRAFT:
        raise Conflict(_("提案已提交，附议人不能再变动。"))


def _invite_notice(proposal: Proposal, cosigner: Cosigner, inviter: User) -> None:
    user = cosigner.membership.member.user
    if user is None:
        return
    notices.send(
        recipients=[user],
        key=f"proposal:{proposal.pk}:cosign:{cosigner.pk}",
        title=_("%(name)s委员邀请您联名提出提案") % {"name": inviter.display_name},
        body=proposal.title or _("（案由待填写）"),
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )


@transaction.atomic
def cosigners_invite(
    *, user: User, proposal_id: int, membership_ids: Iterable[int]
) -> list[Cosigner]:
    """Invite members to co-sign a draft (an individual draft becomes joint). Who: the first
    proposer. Invitees must be active members of the same committee and term; someone who
    declined or was withdrawn can be invited again. Each invitee is told. Returns the invitations
    created or renewed."""
    proposal = lock_proposal(proposal_id)
    if not can_manage_cosigners(user, proposal):
        raise PermissionDenied(_("只有第一提案人可以邀请附议人。"))
    _require_draft(proposal)
    if proposal.kind == ProposalKind.COLLECTIVE:
        raise Conflict(_("集体提案不邀请个人附议。"))
    wanted = list(dict.fromkeys(int(pk) for pk in membership_ids))
    if not wanted:
        raise ValidationFailed(_("请选择要邀请的委员。"))
    if proposal.first_proposer_id in wanted:
        raise ValidationFailed(_("第一提案人不能邀请自己附议。"))
    memberships = {
        m.pk: m
        for m in Membership.objects.filter(
            pk__in=wanted,
            committee_id=proposal.committee_id,
            term_id=proposal.term_id,
            status=MembershipStatus.ACTIVE,
        ).select_related("member__user")
    }
    if len(memberships) != len(wanted):
        raise ValidationFailed(_("只能邀请本届在任委员附议。"))
    existing = {c.membership_id: c for c in Cosigner.objects.filter(proposal=proposal)}
    active = sum(
        1
        for c in existing.values()
        if c.status in (CosignerStatus.INVITED, CosignerStatus.CONFIRMED)
    )
    new_ids = [
        pk
        for pk in wanted
        if pk not in existing
        or existing[pk].status in (CosignerStatus.DECLINED, CosignerStatus.WITHDRAWN)
    ]
    if active + len(new_ids) > MAX_COSIGNERS:
        raise ValidationFailed(_("附议人最多%(count)d位。") % {"count": MAX_COSIGNERS})
    now = clock.now()
    order = (Cosigner.objects.filter(proposal=proposal).aggregate(n=Max("sort_order"))["n"]) or 0
    result = []
    for pk in new_ids:
        cosigner = existing.get(pk)
        if cosigner is None:
            order += 1
            cosigner = Cosigner.objects.create(
                proposal=proposal,
                membership=memberships[pk],
                status=CosignerStatus.INVITED,
                sort_order=order,
                invited_at=now,
            )
        else:
            model_update(
                instance=cosigner,
                data={"status": CosignerStatus.INVITED, "invited_at": now, "responded_at": None},
                validate=False,
            )
            cosigner.membership = memberships[pk]
        result.append(cosigner)
        _invite_notice(proposal, cosigner, user)
    if proposal.kind == ProposalKind.INDIVIDUAL and result:
        model_update(instance=proposal, data={"kind": ProposalKind.JOINT}, validate=False)
    if result:
        audit_record(
            verb="proposal_cosign_invite",
            actor=user,
            obj=proposal,
            role="member",
            data={"memberships": [c.membership_id for c in result]},
        )
    return result


def _lock_cosigner(cosigner_id: int) -> tuple[Proposal, Cosigner]:
    proposal_id = (
        Cosigner.objects.filter(pk=cosigner_id).values_list("proposal_id", flat=True).first()
    )
    if proposal_id is None:
        raise NotFound(_("未找到该附议邀请。"))
    proposal = lock_proposal(proposal_id)
    cosigner = (
        Cosigner.objects.select_for_update(of=("self",))
        .select_related("membership__member")
        .get(pk=cosigner_id)
    )
    return proposal, cosigner


def _answer(*, user: User, cosigner_id: int, confirm: bool) -> Cosigner:
    proposal, cosigner = _lock_cosigner(cosigner_id)
    if not can_answer_cosign(user, cosigner):
        raise PermissionDenied(_("只有被邀请的委员本人可以答复附议邀请。"))
    target = CosignerStatus.CONFIRMED if confirm else CosignerStatus.DECLINED
    if cosigner.status == target:
        return cosigner
    if cosigner.status != CosignerStatus.INVITED:
        raise Conflict(
            _("该邀请当前为“%(state)s”，不能再答复。") % {"state": cosigner.get_status_display()},
            extra={"status": cosigner.status},
        )
    _require_draft(proposal)
    previous = cosigner.status
    model_update(
        instance=cosigner, data={"status": target, "responded_at": clock.now()}, validate=False
    )
    audit_record(
        verb="proposal_cosign_confirm" if confirm else "proposal_cosign_decline",
        actor=user,
        obj=proposal,
        role="member",
        from_state=previous,
        to_state=target,
        data={"cosigner": cosigner.pk},
    )
    first = proposal.first_proposer.member.user if proposal.first_proposer else None
    notices.send(
        recipients=[first] if first else [],
        key=f"proposal:{proposal.pk}:cosign:{cosigner.pk}:{target}",
        title=(_("%(name)s委员已确认附议") if confirm else _("%(name)s委员谢绝附议"))
        % {"name": cosigner.membership.member.name},
        body=proposal.title,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return cosigner


@transaction.atomic
def cosigner_confirm(*, user: User, cosigner_id: int) -> Cosigner:
    """Confirm an invitation to co-sign (待确认 → 已确认). Who: the invitee."""
    return _answer(user=user, cosigner_id=cosigner_id, confirm=True)


@transaction.atomic
def cosigner_decline(*, user: User, cosigner_id: int) -> Cosigner:
    """Decline an invitation to co-sign (待确认 → 已谢绝). Who: the invitee."""
    return _answer(user=user, cosigner_id=cosigner_id, confirm=False)


@transaction.atomic
def cosigner_withdraw(*, user: User, cosigner_id: int) -> Cosigner:
    """Withdraw one invitation or remove a confirmed co-signer from a draft (→ 已撤回邀请).
    Who: the first proposer."""
    proposal, cosigner = _lock_cosigner(cosigner_id)
    if not can_manage_cosigners(user, proposal):
        raise PermissionDenied(_("只有第一提案人可以撤回附议邀请。"))
    if cosigner.status == CosignerStatus.WITHDRAWN:
        return cosigner
    _require_draft(proposal)
    if cosigner.status == CosignerStatus.DECLINED:
        raise Conflict(_("该委员已谢绝附议，无需撤回。"))
    previous = cosigner.status
    model_update(
        instance=cosigner,
        data={"status": CosignerStatus.WITHDRAWN, "responded_at": clock.now()},
        validate=False,
    )
    audit_record(
        verb="proposal_cosign_withdraw",
        actor=user,
        obj=proposal,
        role="member",
        from_state=previous,
        to_state=cosigner.status,
        data={"cosigner": cosigner.pk},
    )
    return cosigner


@transaction.atomic
def cosigners_withdraw_pending(*, user: User, proposal_id: int) -> int:
    """Withdraw every unanswered invitation of a draft, so it can be submitted with those who
    confirmed. Who: the first proposer. Returns how many were withdrawn."""
    proposal = lock_proposal(proposal_id)
    if not can_manage_cosigners(user, proposal):
        raise PermissionDenied(_("只有第一提案人可以撤回附议邀请。"))
    _require_draft(proposal)
    pending = list(
        Cosigner.objects.select_for_update()
        .filter(proposal=proposal, status=CosignerStatus.INVITED)
        .values_list("pk", flat=True)
    )
    if not pending:
        return 0
    Cosigner.objects.filter(pk__in=pending).update(
        status=CosignerStatus.WITHDRAWN, responded_at=clock.now(), updated_at=clock.now()
    )
    audit_record(
        verb="proposal_cosign_withdraw_pending",
        actor=user,
        obj=proposal,
        role="member",
        data={"cosigners": pending},
    )
    return len(pending)
