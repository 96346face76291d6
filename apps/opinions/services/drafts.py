"""Drafting: create, autosave and delete a draft (and revise a returned report); keep its keyword
vector and search vector fresh for the duplicate finder (apps.opinions.services.text_index; a
returned report is counted in the committee's corpus, so its revised terms replace the old).

Drafts may be saved incomplete or over the length limit (an autosave must never lose text); the
limits are enforced on submission (apps.opinions.workflow.guards.text_complete).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters, refuse_too_long
from apps.core.services import model_update
from apps.organisation.selectors import term_current

from ..models import (
    Contributor,
    ContributorKind,
    OpinionCategory,
    OpinionReport,
    ReportingUnit,
    ReportOrigin,
    ReportSource,
    ReportStatus,
)
from ..permissions import current_membership, is_opinion_office, liaison_unit_ids
from ..workflow.actions import REPORT
from ..workflow.common import lock_report, submitter_role
from .text_index import report_text_before, report_text_index_refresh

# Hard caps for a draft (far above any committee's limit): protect the database, not the rules.
DRAFT_TITLE_MAX = 200
DRAFT_TEXT_MAX = 20000
TEXT_FIELDS = ("title", "situation", "analysis", "suggestion")


def check_text(values: dict[str, Any]) -> None:
    """The hard caps of a draft's fields and no control characters (ValidationFailed naming the
    field)."""
    labels = {
        "title": (_("标题"), DRAFT_TITLE_MAX),
        "situation": (_("基本情况"), DRAFT_TEXT_MAX),
        "analysis": (_("问题分析"), DRAFT_TEXT_MAX),
        "suggestion": (_("意见建议"), DRAFT_TEXT_MAX),
    }
    refuse_control_characters(
        {name: (label, values.get(name)) for name, (label, _limit) in labels.items()}
    )
    refuse_too_long(
        {name: (label, values.get(name), limit) for name, (label, limit) in labels.items()}
    )


def _check_category(committee_id: int, category_id: int | None) -> None:
    if (
        category_id is not None
        and not OpinionCategory.objects.filter(
            pk=category_id, committee_id=committee_id, is_active=True
        ).exists()
    ):
        message = _("所选信息类别不存在或已停用。")
        raise ValidationFailed(message, extra={"errors": {"category": message}})


def _check_source(source: str) -> None:
    if source not in ReportSource.values:
        message = _("请选择信息来源。")
        raise ValidationFailed(message, extra={"errors": {"source": message}})


@transaction.atomic
def report_draft_create(
    *,
    user: User,
    unit_id: int | None = None,
    title: str = "",
    situation: str = "",
    analysis: str = "",
    suggestion: str = "",
    category_id: int | None = None,
    is_urgent: bool = False,
    source: str = ReportSource.OTHER,
) -> OpinionReport:
    """Start a draft. Who and in whose name:
    - `unit_id`: a liaison files for their organisation (the organisation is credited);
    - otherwise a member of a committee's current term files in their own name;
    - otherwise staff of the 社情民意信息处 file for the office (机关编报).
    Returns the saved draft."""
    values = {
        "title": title,
        "situation": situation,
        "analysis": analysis,
        "suggestion": suggestion,
    }
    check_text(values)
    _check_source(source)
    membership = current_membership(user)
    credit: dict[str, Any] = {"user": user}
    unit = None
    if unit_id is not None:
        unit = ReportingUnit.objects.filter(pk=unit_id, is_active=True).first()
        if unit is None or unit.pk not in liaison_unit_ids(user):
            raise PermissionDenied(_("只有该单位的信息联络员可以以单位名义报送。"))
        committee_id, origin = unit.committee_id, ReportOrigin.UNIT
        credit["unit"] = unit
    elif membership is not None:
        committee_id, origin = membership.committee_id, ReportOrigin.MEMBER
        credit["membership"] = membership
    elif user.committee_id and is_opinion_office(user, user.committee_id):
        committee_id, origin = user.committee_id, ReportOrigin.STAFF
    else:
        raise PermissionDenied(
            _("只有本届在任委员、信息联络员或社情民意信息处可以报送社情民意信息。")
        )
    _check_category(committee_id, category_id)
    term = (
        membership.term
        if origin == ReportOrigin.MEMBER and membership is not None
        else term_current(committee_id=committee_id)
    )
    report = OpinionReport.objects.create(
        committee_id=committee_id,
        term=term,
        origin=origin,
        created_by=user,
        reporting_unit=unit,
        title=title.strip(),
        situation=situation,
        analysis=analysis,
        suggestion=suggestion,
        category_id=category_id,
        is_urgent=bool(is_urgent),
        source=source,
        status=ReportStatus.DRAFT,
    )
    Contributor.objects.create(report=report, kind=ContributorKind.FIRST, **credit)
    report_text_index_refresh(report=report)
    audit_record(
        verb="opinion_draft_create", actor=user, obj=report, role=submitter_role(user, report)
    )
    return report


@transaction.atomic
def report_draft_update(
    *,
    user: User,
    report_id: int,
    title: str | None = None,
    situation: str | None = None,
    analysis: str | None = None,
    suggestion: str | None = None,
    category_id: int | None = None,
    is_urgent: bool | None = None,
    source: str | None = None,
) -> OpinionReport:
    """Save changes to a draft or to a report returned for revision (the autosave calls this).
    Arguments left as None are unchanged. Who: its submitter."""
    report = lock_report(report_id)
    REPORT.check(user, report, "edit")
    values = {
        "title": title,
        "situation": situation,
        "analysis": analysis,
        "suggestion": suggestion,
    }
    check_text(values)
    changes: dict[str, Any] = {
        name: (value.strip() if name == "title" else value)
        for name, value in values.items()
        if value is not None
    }
    if category_id is not None:
        _check_category(report.committee_id, category_id)
        changes["category_id"] = category_id
    if is_urgent is not None:
        changes["is_urgent"] = bool(is_urgent)
    if source is not None:
        _check_source(source)
        changes["source"] = source
    text_changes = any(
        getattr(report, name) != changes[name] for name in TEXT_FIELDS if name in changes
    )
    before = report_text_before(report) if text_changes else None
    changed = model_update(instance=report, data=changes, validate=True)
    if set(TEXT_FIELDS) & set(changed):
        report_text_index_refresh(report=report, before=before)
    return report


@transaction.atomic
def report_draft_delete(*, user: User, report_id: int) -> None:
    """Delete a draft with its files and co-authors. Who: its submitter. Anything submitted is
    kept for the record."""
    report = lock_report(report_id)
    REPORT.check(user, report, "delete_draft")
    if report.status != ReportStatus.DRAFT:  # the action's states say so; belt and braces
        raise Conflict(_("只能删除草稿。"))
    files = [attachment.file for attachment in report.attachments.all()]
    audit_record(
        verb="opinion_draft_delete",
        actor=user,
        obj=report,
        role=submitter_role(user, report),
        data={"title": report.title[:100]},
    )
    report.delete()
    for stored in files:
        _delete_on_commit(stored)


def _delete_on_commit(stored: FieldFile) -> None:
    """Remove a stored file once the deleting transaction has committed."""
    transaction.on_commit(lambda: stored.delete(save=False))
