"""筛选 by the 社情民意信息处: 接收, 退回修改 (with a reason; the submitter revises and
resubmits), 不予采用 (with a reason), and merging a duplicate into another report — every
submitter of the duplicate is credited on the report it was merged into."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, ValidationFailed

from .. import notices
from ..models import Contributor, ContributorKind, OpinionCategory, OpinionReport, ReportStatus
from ..services.stats_marks import stats_mark_dirty
from ..services.text_index import report_corpus_unfile
from .actions import REPORT
from .common import OFFICE, lock_report

REASON_MAX = 500


def _screened(user: User, note: str) -> dict[str, Any]:
    return {"screened_at": clock.now(), "screened_by_id": user.pk, "screening_note": note}


def _check_reason(reason: str) -> None:
    _reason(reason)


def _reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        message = _("请填写理由，报送人会看到它。")
        raise ValidationFailed(message, extra={"errors": {field: message}})
    if len(text) > REASON_MAX:
        message = _("理由不能超过%(limit)d字。") % {"limit": REASON_MAX}
        raise ValidationFailed(message, extra={"errors": {field: message}})
    return text


def _category_for(report: OpinionReport, category_id: int | None) -> int:
    chosen = category_id or report.category_id
    if (
        chosen is None
        or not OpinionCategory.objects.filter(
            pk=chosen, committee_id=report.committee_id, is_active=True
        ).exists()
    ):
        message = _("请选择信息类别。")
        raise ValidationFailed(message, extra={"errors": {"category": message}})
    return chosen


def _after(report: OpinionReport, milestone: str, title: str, body: str = "") -> None:
    stats_mark_dirty(report=report)
    notices.tell_credited(report, milestone, title, body)


@transaction.atomic
def report_accept(
    *, user: User, report_id: int, note: str = "", category_id: int | None = None
) -> OpinionReport:
    """接收 (待筛选 → 编辑中): the report will be edited for the bulletin. Who: the 社情民意信息处
    of its committee, which may correct the category at the same time. The submitter is told."""
    report = lock_report(report_id)
    REPORT.step(
        report,
        "accept",
        actor=user,
        role=OFFICE,
        fields=lambda: {
            "category_id": _category_for(report, category_id),
            **_screened(user, note.strip()[:REASON_MAX]),
        },
        notify=lambda r: _after(
            r, "accepted", _("您报送的社情民意信息已被接收：%(t)s") % {"t": r.title}
        ),
    )
    return report


@transaction.atomic
def report_return(*, user: User, report_id: int, reason: str) -> OpinionReport:
    """退回修改 (待筛选 → 退回修改) with the reason the submitter will read; they revise the text
    and resubmit. Who: the 社情民意信息处."""
    report = lock_report(report_id)
    REPORT.step(
        report,
        "return",
        actor=user,
        role=OFFICE,
        check=lambda: _check_reason(reason),
        fields=lambda: {
            **_screened(user, _reason(reason)),
            "return_count": report.return_count + 1,
        },
        data=lambda: {"reason": _reason(reason)},
        notify=lambda r: _after(
            r,
            f"returned:{r.return_count}",
            _("社情民意信息退回修改：%(t)s") % {"t": r.title},
            _("修改意见：%(reason)s\n请修改后重新提交。") % {"reason": r.screening_note},
        ),
    )
    return report


@transaction.atomic
def report_decline(*, user: User, report_id: int, reason: str) -> OpinionReport:
    """不予采用 (待筛选 → 不予采用) with the reason the submitter will read. Who: the office."""
    report = lock_report(report_id)
    REPORT.step(
        report,
        "decline",
        actor=user,
        role=OFFICE,
        check=lambda: _check_reason(reason),
        fields=lambda: _screened(user, _reason(reason)),
        data=lambda: {"reason": _reason(reason)},
        notify=lambda r: _after(
            r,
            "declined",
            _("社情民意信息未予采用：%(t)s") % {"t": r.title},
            _("理由：%(reason)s") % {"reason": r.screening_note},
        ),
    )
    return report


# A duplicate may be merged into a report still being worked on or already published.
MERGE_TARGET_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.ACCEPTED,
    ReportStatus.AWAITING_SIGNOFF,
    ReportStatus.SIGNED,
    ReportStatus.COMPILED,
    ReportStatus.REPORTED,
)


def _credit_on_target(duplicate: OpinionReport, target: OpinionReport) -> int:
    """Credit every person and organisation of the duplicate on the target (as 合并计入), each
    once; returns how many were added."""
    existing = list(Contributor.objects.filter(report=target))
    members = {c.membership_id for c in existing if c.membership_id}
    units = {c.unit_id for c in existing if c.unit_id and not c.membership_id}
    users = {c.user_id for c in existing if c.user_id and not c.membership_id and not c.unit_id}
    order = (Contributor.objects.filter(report=target).aggregate(n=Max("sort_order"))["n"] or 0) + 1
    added: list[Contributor] = []
    for credit in Contributor.objects.filter(report=duplicate).order_by("sort_order", "id"):
        if credit.membership_id:
            if credit.membership_id in members:
                continue
            members.add(credit.membership_id)
        elif credit.unit_id:
            if credit.unit_id in units:
                continue
            units.add(credit.unit_id)
        elif credit.user_id is None or credit.user_id in users:
            continue
        else:
            users.add(credit.user_id)
        added.append(
            Contributor(
                report=target,
                kind=ContributorKind.MERGED,
                membership_id=credit.membership_id,
                unit_id=credit.unit_id,
                user_id=credit.user_id,
                merged_from=duplicate,
                sort_order=order + len(added),
            )
        )
    Contributor.objects.bulk_create(added)
    return len(added)


@transaction.atomic
def report_merge(*, user: User, report_id: int, into_id: int, note: str = "") -> OpinionReport:
    """合并 a duplicate into another report of the same committee (待筛选 / 编辑中 → 已合并).
    Who: the 社情民意信息处. Every submitter and co-author of the duplicate is credited on the
    target (合并计入), sees it and is told of its outcomes; the duplicate keeps its own record.
    The target must not be merged itself; a report others were merged into cannot be merged.
    The duplicate leaves the committee's corpus and the duplicate panel (its target stays)."""
    if report_id == into_id:
        raise Conflict(_("信息不能合并到自身。"))
    # Lock both rows in id order so two merges of the same pair cannot deadlock.
    first, second = sorted([report_id, into_id])
    locked = {first: lock_report(first), second: lock_report(second)}
    report, target = locked[report_id], locked[into_id]
    REPORT.require(user, report, "merge")
    if report.status == ReportStatus.MERGED and report.merged_into_id != into_id:
        raise Conflict(_("这条信息已合并到其他信息。"))

    def check_target() -> None:
        if target.committee_id != report.committee_id:
            raise Conflict(_("只能合并到本政协组织的信息。"))
        if target.status not in MERGE_TARGET_STATUSES or target.merged_into_id is not None:
            raise Conflict(
                _("合并的目标须为已接收或正在办理的信息（当前为“%(state)s”）。")
                % {"state": target.get_status_display()}
            )

    def merged(r: OpinionReport) -> None:
        report_corpus_unfile(report=r)
        added = _credit_on_target(r, target)
        audit_record(
            verb="opinion_merge_receive",
            actor=user,
            obj=target,
            role=OFFICE,
            data={"from": r.pk, "credited": added},
        )
        stats_mark_dirty(report=r)
        stats_mark_dirty(report=target)
        notices.tell_credited(
            r,
            "merged",
            _("您报送的社情民意信息已与同类信息合并：%(t)s") % {"t": r.title},
            _("合并至“%(target)s”，您的报送计入该条信息，后续采用情况将同时通知您。")
            % {"target": target.title},
        )

    REPORT.step(
        report,
        "merge",
        actor=user,
        role=OFFICE,
        check=check_target,
        fields=lambda: {"merged_into_id": target.pk, **_screened(user, note.strip()[:REASON_MAX])},
        data=lambda: {"into": target.pk},
        notify=merged,
    )
    return report
