"""Attachments of a report: checked against the committee's size, count and type limits
(apps.core.uploads)."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import NotFound, ValidationFailed
from apps.core.uploads import check_upload

from ..models import ReportAttachment
from ..selectors.config import opinion_settings_for
from ..workflow.actions import REPORT
from ..workflow.common import lock_report


@transaction.atomic
def attachment_add(*, user: User, report_id: int, upload: File) -> ReportAttachment:
    """Attach a file to a draft or a returned report. Who: its submitter. The file's size,
    extension and real type (read from its first bytes) must fit the committee's settings; the
    count is limited too. Raises ValidationFailed with the rule that failed."""
    report = lock_report(report_id)
    REPORT.check(user, report, "edit")
    settings = opinion_settings_for(report.committee)
    if report.attachments.count() >= settings.attachment_max_count:
        message = _("附件最多%(count)d个。") % {"count": settings.attachment_max_count}
        raise ValidationFailed(message, extra={"errors": {"file": message}})
    checked = check_upload(
        upload,
        allowed_extensions=settings.allowed_extensions,
        max_bytes=settings.attachment_max_bytes,
    )
    attachment = ReportAttachment(
        report=report,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=user,
    )
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, user: User, report_id: int, attachment_id: int) -> None:
    """Remove an attachment (the stored file is deleted after commit). Who: the submitter,
    while drafting or revising."""
    report = lock_report(report_id)
    REPORT.check(user, report, "edit")
    attachment = ReportAttachment.objects.filter(pk=attachment_id, report=report).first()
    if attachment is None:
        raise NotFound(_("未找到该附件。"))
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
