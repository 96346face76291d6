"""Attachments of a draft: checked against the committee's size, count and type limits."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.uploads import check_attachment

from ..models import Attachment, ProposalStatus
from ..permissions import can_edit_draft
from ..selectors.config import proposal_settings_for
from ..workflow.common import lock_proposal


@transaction.atomic
def attachment_add(*, user: User, proposal_id: int, upload: File) -> Attachment:
    """Attach a file to a draft. Who: its authors. The file's size, extension and real type
    (read from its first bytes: PDF, Word, JPG, PNG) must fit the committee's settings; the
    count is limited too. Raises ValidationFailed with the rule that failed."""
    proposal = lock_proposal(proposal_id)
    if not can_edit_draft(user, proposal):
        raise PermissionDenied(_("只有提案人可以上传附件。"))
    if proposal.status != ProposalStatus.DRAFT:
        raise Conflict(_("提案已提交，不能再增删附件。"))
    settings = proposal_settings_for(proposal.committee)
    if proposal.attachments.count() >= settings.attachment_max_count:
        message = _("附件最多%(count)d个。") % {"count": settings.attachment_max_count}
        raise ValidationFailed(message, extra={"errors": {"file": message}})
    checked = check_attachment(upload, settings)
    attachment = Attachment(
        proposal=proposal,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=user,
    )
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, user: User, attachment_id: int) -> None:
    """Remove an attachment from a draft (the stored file is deleted after commit). Who: its
    authors."""
    proposal_id = (
        Attachment.objects.filter(pk=attachment_id).values_list("proposal_id", flat=True).first()
    )
    if proposal_id is None:
        raise NotFound(_("未找到该附件。"))
    proposal = lock_proposal(proposal_id)
    if not can_edit_draft(user, proposal):
        raise PermissionDenied(_("只有提案人可以删除附件。"))
    if proposal.status != ProposalStatus.DRAFT:
        raise Conflict(_("提案已提交，不能再增删附件。"))
    attachment = Attachment.objects.get(pk=attachment_id)
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
