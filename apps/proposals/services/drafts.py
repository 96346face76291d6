"""Drafting: create, autosave, delete a draft; keep its keyword vector and search vector fresh.

Drafts may be saved incomplete or over the length limit (an autosave must never lose text);
the limits are enforced on submission (apps.proposals.workflow.guards.submission_complete).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update
from apps.organisation.selectors import term_current

from ..models import (
    CollectiveSponsor,
    Cosigner,
    CosignerStatus,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalStatus,
)
from ..permissions import (
    can_create_collective,
    can_edit_draft,
    convened_bodies,
    current_membership,
    is_proposal_office,
    may_file_collective_as,
)
from ..workflow.common import lock_proposal
from .text_index import proposal_text_index_refresh

# Hard caps for a draft (far above any committee's limit): protect the database, not the rules.
DRAFT_TITLE_MAX = 200
DRAFT_TEXT_MAX = 20000


def _check_text(*, title: str | None, grounds: str | None, suggestions: str | None) -> None:
    refuse_control_characters(
        {
            "title": (_("案由"), title),
            "grounds": (_("情况与分析"), grounds),
            "suggestions": (_("具体建议"), suggestions),
        }
    )
    if title is not None and len(title) > DRAFT_TITLE_MAX:
        raise ValidationFailed(_("案由过长（最多%(limit)d字）。") % {"limit": DRAFT_TITLE_MAX})
    for label, value in ((_("情况与分析"), grounds), (_("具体建议"), suggestions)):
        if value is not None and len(value) > DRAFT_TEXT_MAX:
            raise ValidationFailed(
                _("%(part)s过长，请精简正文，更多材料请作为附件上传。") % {"part": label}
            )


def _check_category(committee_id: int, category_id: int | None) -> None:
    if (
        category_id is not None
        and not ProposalCategory.objects.filter(
            pk=category_id, committee_id=committee_id, is_active=True
        ).exists()
    ):
        raise ValidationFailed(_("所选提案类别不存在或已停用。"))


def _convener_name(user: User, committee_id: int, sponsor: str, in_name_of: str) -> tuple[str, str]:
    """The (sponsor, name) a collective proposal is filed in. The proposal office may name any
    body; a convener only one they convene — left blank, the one body they convene of that
    kind (or the only body they convene at all) is filled in, else it stays blank."""
    name = in_name_of.strip()
    if is_proposal_office(user, committee_id):
        return sponsor, name
    bodies = convened_bodies(user)
    if not name:
        fitting = [b for b in bodies if not sponsor or b.body == sponsor]
        if len(fitting) == 1:
            return fitting[0].body, fitting[0].body_name
        return sponsor, ""  # a draft may stay unsigned; submission asks for the name
    if sponsor and name and may_file_collective_as(user, committee_id, sponsor, name):
        return sponsor, name
    names = "、".join(b.body_name for b in bodies)
    raise ValidationFailed(
        _("您是%(names)s的召集人，只能以其名义提出集体提案，请选择署名。") % {"names": names},
        extra={"errors": {"collective_in_name_of": _("请选择您召集的组织。")}},
    )


def _check_collective(sponsor: str, in_name_of: str) -> None:
    if sponsor and sponsor not in CollectiveSponsor.values:
        raise ValidationFailed(_("集体提案单位类型无效。"))
    if len(in_name_of) > 100:
        raise ValidationFailed(_("集体提案署名过长（最多%(limit)d字）。") % {"limit": 100})


@transaction.atomic
def proposal_draft_create(
    *,
    user: User,
    kind: str = ProposalKind.INDIVIDUAL,
    title: str = "",
    grounds: str = "",
    suggestions: str = "",
    category_id: int | None = None,
    collective_sponsor: str = "",
    collective_in_name_of: str = "",
) -> Proposal:
    """Start a draft. Who: a member of a committee's current term (individual or joint: they are
    the first proposer); for a collective proposal, the proposal office or a member acting as the
    group's convener (no first proposer; the filer rates the reply). Returns the saved draft."""
    if kind not in ProposalKind.values:
        raise ValidationFailed(_("提案类型无效。"))
    _check_text(title=title, grounds=grounds, suggestions=suggestions)
    membership = current_membership(user)
    if kind == ProposalKind.COLLECTIVE:
        committee_id = user.committee_id
        if committee_id is None or not can_create_collective(user, committee_id):
            raise PermissionDenied(_("只有提案委员会办公室或集体提案的召集人可以填报集体提案。"))
        term = term_current(committee_id=committee_id)
        if term is None:
            raise Conflict(_("本政协组织尚未设置本届，暂不能填报提案。"))
        _check_collective(collective_sponsor, collective_in_name_of)
        collective_sponsor, collective_in_name_of = _convener_name(
            user, committee_id, collective_sponsor, collective_in_name_of
        )
        first_proposer = None
    else:
        if membership is None:
            raise PermissionDenied(_("只有本届在任委员可以提出提案。"))
        committee_id, term, first_proposer = (
            membership.committee_id,
            membership.term,
            membership,
        )
        collective_sponsor, collective_in_name_of = "", ""
    _check_category(committee_id, category_id)
    proposal = Proposal.objects.create(
        committee_id=committee_id,
        term=term,
        kind=kind,
        first_proposer=first_proposer,
        created_by=user,
        title=title.strip(),
        grounds=grounds,
        suggestions=suggestions,
        category_id=category_id,
        collective_sponsor=collective_sponsor,
        collective_in_name_of=collective_in_name_of.strip(),
        status=ProposalStatus.DRAFT,
    )
    proposal_text_index_refresh(proposal=proposal)
    audit_record(verb="proposal_draft_create", actor=user, obj=proposal, role="member")
    return proposal


@transaction.atomic
def proposal_draft_update(
    *,
    user: User,
    proposal_id: int,
    title: str | None = None,
    grounds: str | None = None,
    suggestions: str | None = None,
    category_id: int | None = None,
    kind: str | None = None,
    collective_sponsor: str | None = None,
    collective_in_name_of: str | None = None,
) -> Proposal:
    """Save changes to a draft (the autosave calls this). Arguments left as None are unchanged.
    Who: its authors, while it is a draft. Switching a joint proposal back to individual needs
    its invitations withdrawn first; a collective proposal stays collective."""
    proposal = lock_proposal(proposal_id)
    if not can_edit_draft(user, proposal):
        raise PermissionDenied(_("只有提案人可以修改草稿。"))
    if proposal.status != ProposalStatus.DRAFT:
        raise Conflict(_("提案已提交，不能再修改；如需修改，请在审查前撤回。"))
    _check_text(title=title, grounds=grounds, suggestions=suggestions)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title.strip()
    if grounds is not None:
        changes["grounds"] = grounds
    if suggestions is not None:
        changes["suggestions"] = suggestions
    if category_id is not None:
        _check_category(proposal.committee_id, category_id)
        changes["category_id"] = category_id
    if kind is not None and kind != proposal.kind:
        if ProposalKind.COLLECTIVE in (kind, proposal.kind) or kind not in ProposalKind.values:
            raise ValidationFailed(_("集体提案与个人、联名提案不能互相转换，请新建提案。"))
        if (
            kind == ProposalKind.INDIVIDUAL
            and Cosigner.objects.filter(
                proposal=proposal, status__in=[CosignerStatus.INVITED, CosignerStatus.CONFIRMED]
            ).exists()
        ):
            raise Conflict(_("请先撤回全部附议邀请，再改为个人提案。"))
        changes["kind"] = kind
    if proposal.kind == ProposalKind.COLLECTIVE:
        if collective_sponsor is not None:
            changes["collective_sponsor"] = collective_sponsor
        if collective_in_name_of is not None:
            changes["collective_in_name_of"] = collective_in_name_of.strip()
        sponsor = changes.get("collective_sponsor", proposal.collective_sponsor)
        in_name_of = changes.get("collective_in_name_of", proposal.collective_in_name_of)
        _check_collective(sponsor, in_name_of)
        # Only a new name is checked: an autosave of the text never fails on the name.
        if (sponsor, in_name_of) != (proposal.collective_sponsor, proposal.collective_in_name_of):
            changes["collective_sponsor"], changes["collective_in_name_of"] = _convener_name(
                user, proposal.committee_id, sponsor, in_name_of
            )
    changed = model_update(instance=proposal, data=changes, validate=True)
    if {"title", "grounds", "suggestions"} & set(changed):
        proposal_text_index_refresh(proposal=proposal)
    return proposal


@transaction.atomic
def proposal_draft_delete(*, user: User, proposal_id: int) -> None:
    """Delete a draft (or a withdrawn proposal) with its attachments and invitations. Who: its
    authors. Anything already reviewed is kept for the record."""
    proposal = lock_proposal(proposal_id)
    if not can_edit_draft(user, proposal):
        raise PermissionDenied(_("只有提案人可以删除草稿。"))
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN):
        raise Conflict(_("只能删除草稿或已撤回的提案。"))
    files = [attachment.file for attachment in proposal.attachments.all()]
    audit_record(
        verb="proposal_draft_delete",
        actor=user,
        obj=proposal,
        role="member",
        data={"title": proposal.title[:100]},
    )
    proposal.delete()
    for stored in files:
        _delete_file_on_commit(stored)


def _delete_file_on_commit(stored: FieldFile) -> None:
    """Remove a stored file once the deleting transaction has committed."""
    transaction.on_commit(lambda: stored.delete(save=False))
