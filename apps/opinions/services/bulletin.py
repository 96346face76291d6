"""The 《社情民意》 bulletin: the office collects signed reports into a draft issue in order,
publishes it (the number is drawn then, without gaps; the reports move to 已编入期刊 and the
levels recorded on publication — 本级编发 — are noted as adoptions) and records where it was
sent upward (上级政协 / 党委 / 政府, with the date; the reports move to 已报送)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.services import model_update

from .. import notices
from ..models import (
    Adoption,
    BulletinIssue,
    BulletinSeries,
    IssueStatus,
    OpinionReport,
    ReportStatus,
    UpwardSubmission,
    UpwardTarget,
)
from ..permissions import is_opinion_office
from ..selectors.config import adoption_level_list, opinion_settings_for
from ..workflow.actions import REPORT
from ..workflow.common import OFFICE, lock_report
from .numbering import next_issue_number
from .stats_marks import stats_mark_dirty


def _require_office(user: User, committee_id: int) -> None:
    if not is_opinion_office(user, committee_id):
        raise PermissionDenied(_("只有本级社情民意信息处可以编辑期刊。"))


def lock_issue(issue_id: int) -> BulletinIssue:
    issue = (
        BulletinIssue.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(pk=issue_id)
        .first()
    )
    if issue is None:
        raise NotFound(_("未找到该期刊。"))
    return issue


def _require_draft(issue: BulletinIssue) -> None:
    if issue.status != IssueStatus.DRAFT:
        raise Conflict(_("这一期已经印发，不能再调整。"))


def issue_title(issue: BulletinIssue) -> str:
    """The masthead: 《社情民意》 or 《社情民意（急报）》 as the committee names them."""
    settings = opinion_settings_for(issue.committee)
    name = (
        settings.urgent_bulletin_name
        if issue.series == BulletinSeries.URGENT
        else settings.bulletin_name
    )
    return f"《{name}》"


@transaction.atomic
def issue_create(
    *, user: User, series: str = BulletinSeries.REGULAR, note: str = ""
) -> BulletinIssue:
    """Open a new draft issue of the user's committee (no number until it is published). Who:
    the 社情民意信息处."""
    committee_id = user.committee_id
    if committee_id is None:
        raise PermissionDenied(_("只有本级社情民意信息处可以编辑期刊。"))
    _require_office(user, committee_id)
    if series not in BulletinSeries.values:
        raise ValidationFailed(_("请选择常规期或急报。"))
    issue = BulletinIssue.objects.create(
        committee_id=committee_id, series=series, note=note.strip()[:200], created_by=user
    )
    audit_record(verb="opinion_issue_create", actor=user, obj=issue, role=OFFICE)
    return issue


@transaction.atomic
def issue_add_report(*, user: User, issue_id: int, report_id: int) -> OpinionReport:
    """Put a signed report at the end of a draft issue. Who: the office. An urgent issue takes
    urgent reports (急报) only."""
    issue = lock_issue(issue_id)
    _require_office(user, issue.committee_id)
    _require_draft(issue)
    report = lock_report(report_id)
    REPORT.check(user, report, "add_to_issue")
    if report.committee_id != issue.committee_id:
        raise Conflict(_("只能编入本政协组织的信息。"))
    if issue.series == BulletinSeries.URGENT and not report.is_urgent:
        raise Conflict(_("急报只收录标为急报的信息。"))
    last = OpinionReport.objects.filter(issue=issue).aggregate(n=Max("issue_position"))["n"] or 0
    model_update(instance=report, data={"issue_id": issue.pk, "issue_position": last + 1})
    audit_record(
        verb="opinion_issue_add", actor=user, obj=report, role=OFFICE, data={"issue": issue.pk}
    )
    return report


def _issue_report(issue: BulletinIssue, report_id: int) -> OpinionReport:
    report = lock_report(report_id)
    if report.issue_id != issue.pk:
        raise NotFound(_("这条信息不在本期中。"))
    return report


@transaction.atomic
def issue_remove_report(*, user: User, issue_id: int, report_id: int) -> OpinionReport:
    """Take a report out of a draft issue (it stays signed, ready for another issue)."""
    issue = lock_issue(issue_id)
    _require_office(user, issue.committee_id)
    _require_draft(issue)
    report = _issue_report(issue, report_id)
    model_update(instance=report, data={"issue_id": None, "issue_position": 0})
    audit_record(
        verb="opinion_issue_remove", actor=user, obj=report, role=OFFICE, data={"issue": issue.pk}
    )
    return report


@transaction.atomic
def issue_move_report(
    *, user: User, issue_id: int, report_id: int, direction: str
) -> BulletinIssue:
    """Move a report one place up or down in a draft issue ("up" / "down")."""
    issue = lock_issue(issue_id)
    _require_office(user, issue.committee_id)
    _require_draft(issue)
    if direction not in ("up", "down"):
        raise ValidationFailed(_("请选择上移或下移。"))
    ordered = list(
        OpinionReport.objects.select_for_update()
        .filter(issue=issue)
        .order_by("issue_position", "id")
    )
    index = next((i for i, r in enumerate(ordered) if r.pk == report_id), None)
    if index is None:
        raise NotFound(_("这条信息不在本期中。"))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, report in enumerate(ordered, start=1):
        if report.issue_position != position:
            OpinionReport.objects.filter(pk=report.pk).update(issue_position=position)
    return issue


@transaction.atomic
def issue_delete(*, user: User, issue_id: int) -> None:
    """Delete a draft issue; its reports stay signed, ready for another issue."""
    issue = lock_issue(issue_id)
    _require_office(user, issue.committee_id)
    _require_draft(issue)
    OpinionReport.objects.filter(issue=issue).update(issue=None, issue_position=0)
    audit_record(verb="opinion_issue_delete", actor=user, obj=issue, role=OFFICE)
    issue.delete()


def issue_reports(issue: BulletinIssue) -> list[OpinionReport]:
    return list(
        OpinionReport.objects.filter(issue=issue)
        .select_related("committee", "created_by")
        .order_by("issue_position", "id")
    )


@transaction.atomic
def issue_publish(*, user: User, issue_id: int) -> BulletinIssue:
    """印发 a draft issue: draw its number (year of publication; 急报 numbered separately, no
    gaps), move each report in it to 已编入期刊, record the adoptions that publication means
    (本级编发), tell every submitter. Who: the office. An empty issue cannot be published;
    publishing a published issue again changes nothing."""
    issue = lock_issue(issue_id)
    _require_office(user, issue.committee_id)
    if issue.status == IssueStatus.PUBLISHED:
        return issue
    reports = issue_reports(issue)
    if not reports:
        raise Conflict(_("本期还没有编入信息，不能印发。"))
    now = clock.now()
    year = timezone.localtime(now).year
    number = next_issue_number(committee_id=issue.committee_id, series=issue.series, year=year)
    model_update(
        instance=issue,
        data={
            "status": IssueStatus.PUBLISHED,
            "year": year,
            "number": number,
            "published_at": now,
            "published_by_id": user.pk,
        },
        validate=False,
    )
    audit_record(
        verb="opinion_issue_publish",
        actor=user,
        obj=issue,
        role=OFFICE,
        from_state=IssueStatus.DRAFT,
        to_state=IssueStatus.PUBLISHED,
        data={"label": issue.label, "reports": len(reports)},
    )
    auto_levels = [
        level
        for level in adoption_level_list(committee=issue.committee_id)
        if level.auto_on_publish
    ]
    title = issue_title(issue)
    for report in reports:
        locked = lock_report(report.pk)
        REPORT.system_step(
            locked,
            "compile",
            actor=user,
            role=OFFICE,
            data={"issue": issue.label},
        )
        for level in auto_levels:
            Adoption.objects.get_or_create(
                report=locked,
                level=level,
                defaults={
                    "adopted_on": timezone.localdate(now),
                    "publication": f"{title}{issue.label}",
                    "recorded_by": user,
                },
            )
        stats_mark_dirty(report=locked)
        notices.tell_credited(
            locked,
            "published",
            _("您报送的社情民意信息已编入%(title)s%(issue)s")
            % {"title": title, "issue": issue.label},
        )
    return issue


@transaction.atomic
def issue_record_upward(
    *,
    user: User,
    issue_id: int,
    target: str,
    sent_on: dt.date,
    recipient: str = "",
    note: str = "",
) -> UpwardSubmission:
    """Record that a published issue was sent to 上级政协, 党委 or 政府 on a date; its reports
    move to 已报送 (the first time) and every submitter is told. Who: the office. Each target
    once per issue."""
    issue = lock_issue(issue_id)
    _require_office(user, issue.committee_id)
    if issue.status != IssueStatus.PUBLISHED:
        raise Conflict(_("期刊印发后才能登记报送。"))
    if target not in UpwardTarget.values:
        message = _("请选择报送对象。")
        raise ValidationFailed(message, extra={"errors": {"target": message}})
    if sent_on > clock.today():
        message = _("报送日期不能晚于今天。")
        raise ValidationFailed(message, extra={"errors": {"sent_on": message}})
    if UpwardSubmission.objects.filter(issue=issue, target=target).exists():
        raise Conflict(_("本期已登记报送%(target)s。") % {"target": UpwardTarget(target).label})
    submission = UpwardSubmission.objects.create(
        issue=issue,
        target=target,
        recipient=recipient.strip()[:80],
        sent_on=sent_on,
        note=note.strip()[:200],
        recorded_by=user,
    )
    audit_record(
        verb="opinion_issue_upward",
        actor=user,
        obj=issue,
        role=OFFICE,
        data={"target": target, "sent_on": sent_on.isoformat()},
    )
    label = submission.get_target_display()
    for report in issue_reports(issue):
        locked = lock_report(report.pk)
        # 已编入期刊 → 已报送 through the table, which refuses any other state (the whole record
        # then stays unwritten); a report already 已报送 was sent to another target before.
        if locked.status != ReportStatus.REPORTED:
            REPORT.system_step(
                locked,
                "report_upward",
                actor=user,
                role=OFFICE,
                fields={"reported_at": clock.now()},
                data={"target": target, "sent_on": sent_on.isoformat()},
            )
            stats_mark_dirty(report=locked)
        else:
            audit_record(
                verb="opinion_report_upward_again",
                actor=user,
                obj=locked,
                role=OFFICE,
                data={"target": target, "sent_on": sent_on.isoformat()},
            )
        notices.tell_credited(
            locked,
            f"upward:{submission.pk}",
            _("您报送的社情民意信息已报送%(target)s") % {"target": label},
            _("%(title)s\n报送日期：%(day)s")
            % {"title": locked.title, "day": f"{sent_on:%Y年%m月%d日}"},
        )
    return submission
