"""编辑: the 社情民意信息处 works the accepted text into bulletin shape. Each save that changes the
text is kept as a new version beside the submitted ones (the diff page compares any two)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.services import model_update

from ..models import OpinionReport, ReportVersion, VersionKind
from ..workflow.actions import REPORT
from ..workflow.common import OFFICE, lock_report
from .drafts import TEXT_FIELDS, check_text
from .text_index import report_text_before, report_text_index_refresh
from .versions import version_snapshot


@transaction.atomic
def report_text_edit(
    *,
    user: User,
    report_id: int,
    title: str,
    situation: str,
    analysis: str,
    suggestion: str,
    note: str = "",
) -> ReportVersion | None:
    """Save the editor's text of an accepted report as its next version. Who: the 社情民意信息处.
    Saving the same text again writes nothing (returns None). The title may not be empty."""
    report = lock_report(report_id)
    REPORT.check(user, report, "edit_text")
    values = {
        "title": title.strip(),
        "situation": situation,
        "analysis": analysis,
        "suggestion": suggestion,
    }
    check_text(values)
    if not values["title"]:
        message = _("请填写标题。")
        raise ValidationFailed(message, extra={"errors": {"title": message}})
    differs = any(getattr(report, name) != values[name] for name in TEXT_FIELDS)
    before = report_text_before(report) if differs else None  # its terms leave the corpus
    changed = model_update(
        instance=report,
        data={**values, "edited_at": clock.now(), "editor_id": user.pk} if differs else {},
        validate=True,
    )
    if not changed:
        return None
    report_text_index_refresh(report=report, before=before)
    version = version_snapshot(report=report, kind=VersionKind.EDITED, user=user, note=note)
    audit_record(
        verb="opinion_edit",
        actor=user,
        obj=report,
        role=OFFICE,
        data={"version": version.number, "note": note.strip()[:200]}
        if note.strip()
        else {"version": version.number},
    )
    return version


def current_text(report: OpinionReport) -> dict[str, str]:
    return {name: getattr(report, name) for name in TEXT_FIELDS}
