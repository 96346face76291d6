"""The records behind each figure of the leadership dashboard (下钻).

Each figure has a key ("proposals.accepted", "handling.overdue", "units.12",
"attendance.3.absent", "scores.band.60", "study.attendance.training.leave", …) and a
queryset over the source rows written from the counting rules of
apps.dashboards.leadership.compute, independently of it (plain filters here, a tally there):
the tests check that the list behind a figure has as many rows as the figure says. A list page
reads one page of these rows with their related rows loaded up front (a fixed number of
queries), and links each row to its record's page; where another app's list page can filter the
same way, the drill-down links to it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.consultations.models import (
    CANCELLED_OR_DRAFT,
    HELD_STATUSES,
    AnnualPlan,
    Course,
    CourseKind,
    Invitation,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Outcome,
    PlanTopic,
    TopicProgress,
)
from apps.consultations.selectors.plans import topic_progress
from apps.core.errors import NotFound
from apps.core.text.segmenter import search_tokens
from apps.duties.models import DutySummary
from apps.members.models import Membership
from apps.opinions.models import (
    Adoption,
    AdoptionLevel,
    Contributor,
    ContributorKind,
    Instruction,
    OpinionReport,
    ReportStatus,
)
from apps.opinions.services.stats import ACCEPTED as OPINION_ACCEPTED
from apps.opinions.services.stats import USED as OPINION_USED
from apps.organisation.models import HandlingUnit
from apps.proposals.models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Evaluation,
    ExcellentStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    ResultClass,
    Satisfaction,
)
from apps.proposals.selectors.visibility import FILED_STATUSES, PUBLIC_STATUSES
from apps.study.models import (
    CompilationEntry,
    ReadingCheckin,
    Submission,
    SubmissionStatus,
    TextKind,
)

from ..models import SliceKind
from .compute import ATTENDED, SCORE_BANDS, band_label, quarter_label, year_bounds


@dataclass(frozen=True)
class Scope:
    """Whose records: one committee's year, all members or one slice of them."""

    committee_id: int
    year: int
    slice_kind: str = SliceKind.ALL.value
    slice_key: str = ""
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return year_bounds(self.year)


@dataclass
class DrillRow:
    title: str
    url: str = ""
    cells: list[str] = field(default_factory=list)


@dataclass
class Drill:
    """The list behind one figure: its heading, the queryset (or list) of its records, the
    columns and how to show one record, and where else the same list can be seen."""

    key: str
    title: str
    items: Any  # a QuerySet, or a list when the rule needs Python (plan progress, topics)
    columns: list[str]
    row: Callable[[Any], DrillRow]
    elsewhere: tuple[str, str] | None = None  # (label, url)

    def count(self) -> int:
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)


def member_q(scope: Scope, path: str) -> Q:
    """Memberships at `path` (e.g. "first_proposer") in the scope's slice; no condition for all
    members."""
    kind, key = scope.slice_kind, scope.slice_key
    if kind == SliceKind.SECTOR:
        return Q(**{f"{path}__sector_id": int(key)})
    if kind == SliceKind.PARTY:
        return Q(**{f"{path}__party": key})
    if kind == SliceKind.SPECIAL:
        return Q(**{f"{path}__special_committees": int(key)})
    return Q()


# Proposals and their handling -----------------------------------------------------------------


def proposals_in(scope: Scope, prefix: str = "") -> Q:
    start, end = scope.bounds
    return Q(
        **{
            f"{prefix}committee_id": scope.committee_id,
            f"{prefix}status__in": FILED_STATUSES,
            f"{prefix}submitted_at__gte": start,
            f"{prefix}submitted_at__lt": end,
        }
    ) & member_q(scope, f"{prefix}first_proposer")


def proposal_rows(scope: Scope) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(proposals_in(scope))
        .select_related("first_proposer__member", "category")
        .defer("search_vector", "keyword_vector", "grounds", "suggestions")
        .order_by("-submitted_at", "-id")
    )


def _proposal_row(proposal: Proposal) -> DrillRow:
    first = proposal.first_proposer
    proposer = first.member.name if first is not None else proposal.collective_in_name_of
    return DrillRow(
        title=proposal.title,
        url=reverse("proposals:detail", args=[proposal.pk]),
        cells=[
            proposal.number_label or _("未编号"),
            proposer,
            timezone.localtime(proposal.submitted_at).strftime("%Y-%m-%d")
            if proposal.submitted_at
            else "",
            proposal.get_status_display(),
        ],
    )


PROPOSAL_COLUMNS = [_("案由"), _("提案号"), _("第一提案人"), _("提交日期"), _("状态")]


def assignment_rows(scope: Scope) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(proposals_in(scope, "proposal__"))
        .exclude(status=AssignmentStatus.RETURNED)
        .annotate(completed_on=TruncDate("completed_at"))
        .select_related("proposal", "handling_unit")
        .defer("proposal__search_vector", "proposal__keyword_vector", "proposal__grounds")
        .order_by("deadline", "id")
    )


def handling_q(state: str, today: dt.date) -> Q:
    """on_time / late / overdue / pending as apps.dashboards.leadership.compute.handling_state
    decides them (on a queryset annotated with `completed_on`)."""
    if state == "on_time":
        return Q(completed_at__isnull=False, completed_on__lte=F("deadline"))
    if state == "late":
        return Q(completed_at__isnull=False, completed_on__gt=F("deadline"))
    overdue = Q(completed_at__isnull=True, status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=today)
    if state == "overdue":
        return overdue
    if state == "pending":
        return Q(completed_at__isnull=True) & ~overdue
    raise NotFound()


def _assignment_row(assignment: Any) -> DrillRow:
    return DrillRow(
        title=assignment.proposal.title,
        url=reverse("proposals:detail", args=[assignment.proposal_id]),
        cells=[
            assignment.proposal.number_label,
            assignment.handling_unit.name,
            assignment.get_role_display(),
            assignment.deadline.strftime("%Y-%m-%d"),
            assignment.completed_on.strftime("%Y-%m-%d") if assignment.completed_on else "",
        ],
    )


ASSIGNMENT_COLUMNS = [
    _("案由"),
    _("提案号"),
    _("承办单位"),
    _("办理方式"),
    _("办理期限"),
    _("办复日期"),
]


def _satisfaction_q(bucket: str) -> Q:
    if bucket == "timed_out":
        return Q(timed_out=True) | Q(result_rating="")
    if bucket in Satisfaction.values:
        return Q(timed_out=False, result_rating=bucket)
    raise NotFound()


def _evaluation_row(evaluation: Any) -> DrillRow:
    rating = (
        _("逾期未评价")
        if evaluation.timed_out or not evaluation.result_rating
        else evaluation.get_result_rating_display()
    )
    return DrillRow(
        title=evaluation.proposal.title,
        url=reverse("proposals:detail", args=[evaluation.proposal_id]),
        cells=[
            evaluation.proposal.number_label,
            evaluation.membership.member.name if evaluation.membership_id else "",
            _("第%(round)s轮") % {"round": evaluation.round},
            rating,
        ],
    )


def _reply_row(reply: Any) -> DrillRow:
    proposal = reply.assignment.proposal
    return DrillRow(
        title=proposal.title,
        url=reverse("proposals:detail", args=[proposal.pk]),
        cells=[
            proposal.number_label,
            reply.assignment.handling_unit.name,
            reply.result_class,
            timezone.localtime(reply.reviewed_at).strftime("%Y-%m-%d") if reply.reviewed_at else "",
        ],
    )


def _office_list(**query: Any) -> tuple[str, str]:
    return (
        _("在“全部提案”中按同样条件查看（该页按届次列出，不限年度）"),
        f"{reverse('proposals:office_list')}?{urlencode(query)}",
    )


def _proposal_drill(scope: Scope, name: str) -> Drill:
    rows = proposal_rows(scope)
    titles = {
        "received": _("收到的提案"),
        "accepted": _("立案的提案"),
        "rejected": _("不立案的提案"),
        "key": _("重点提案"),
        "excellent": _("优秀提案"),
    }
    if name not in titles:
        raise NotFound()
    elsewhere = None
    if name == "accepted":
        rows = rows.filter(status__in=PUBLIC_STATUSES)
    elif name == "rejected":
        rows = rows.filter(status=ProposalStatus.REJECTED)
        elsewhere = _office_list(status=ProposalStatus.REJECTED)
    elif name == "key":
        rows = rows.filter(is_key=True)
        elsewhere = _office_list(key="yes")
    elif name == "excellent":
        rows = rows.filter(excellent_status=ExcellentStatus.SELECTED)
        elsewhere = _office_list(excellent=ExcellentStatus.SELECTED)
    return Drill(
        f"proposals.{name}", titles[name], rows, PROPOSAL_COLUMNS, _proposal_row, elsewhere
    )


def _handling_drill(scope: Scope, state: str) -> Drill:
    titles = {
        "on_time": _("按期办复的交办"),
        "late": _("逾期办复的交办"),
        "overdue": _("已超期未办复的交办"),
        "pending": _("尚未到期的交办"),
    }
    if state not in titles:
        raise NotFound()
    rows = assignment_rows(scope).filter(handling_q(state, scope.today))
    return Drill(f"handling.{state}", titles[state], rows, ASSIGNMENT_COLUMNS, _assignment_row)


def _satisfaction_drill(scope: Scope, bucket: str) -> Drill:
    labels = {**dict(Satisfaction.choices), "timed_out": _("逾期未评价")}
    if bucket not in labels:
        raise NotFound()
    rows = (
        Evaluation.objects.filter(proposals_in(scope, "proposal__"))
        .filter(_satisfaction_q(bucket))
        .select_related("proposal", "membership__member")
        .defer("proposal__search_vector", "proposal__keyword_vector", "proposal__grounds")
        .order_by("-rated_at", "-id")
    )
    return Drill(
        f"satisfaction.{bucket}",
        _("办理结果评价：%(label)s") % {"label": labels[bucket]},
        rows,
        [_("案由"), _("提案号"), _("评价人"), _("轮次"), _("评价")],
        _evaluation_row,
    )


def reply_rows(scope: Scope) -> QuerySet[Reply]:
    return (
        Reply.objects.filter(
            proposals_in(scope, "assignment__proposal__"),
            review_status=ReplyReview.APPROVED,
            round=F("assignment__proposal__handling_round"),
        )
        .select_related("assignment__proposal", "assignment__handling_unit")
        .defer(
            "assignment__proposal__search_vector",
            "assignment__proposal__keyword_vector",
            "assignment__proposal__grounds",
        )
        .order_by("-reviewed_at", "-id")
    )


def _class_drill(scope: Scope, result_class: str) -> Drill:
    if result_class not in ResultClass.values:
        raise NotFound()
    return Drill(
        f"classes.{result_class}",
        _("办理结果为%(cls)s类的答复") % {"cls": result_class},
        reply_rows(scope).filter(result_class=result_class),
        [_("案由"), _("提案号"), _("承办单位"), _("类别"), _("审核通过日期")],
        _reply_row,
        _office_list(result_class=result_class),
    )


def _unit_drill(scope: Scope, unit_key: str) -> Drill:
    if not unit_key.isdigit():
        raise NotFound()
    unit = HandlingUnit.objects.filter(pk=int(unit_key), committee_id=scope.committee_id).first()
    if unit is None:
        raise NotFound()
    return Drill(
        f"units.{unit.pk}",
        _("%(unit)s承办的提案") % {"unit": unit.name},
        assignment_rows(scope).filter(handling_unit_id=unit.pk),
        ASSIGNMENT_COLUMNS,
        _assignment_row,
        _office_list(unit=unit.pk),
    )


# Social-opinion reports ---------------------------------------------------------------------


def report_rows(scope: Scope) -> QuerySet[OpinionReport]:
    start, end = scope.bounds
    rows = OpinionReport.objects.filter(
        committee_id=scope.committee_id, first_submitted_at__gte=start, first_submitted_at__lt=end
    ).exclude(status=ReportStatus.DRAFT)
    if scope.slice_kind != SliceKind.ALL:
        credited = Contributor.objects.filter(
            member_q(scope, "membership"),
            report=OuterRef("pk"),
            kind__in=[ContributorKind.FIRST, ContributorKind.CO],
        )
        rows = rows.filter(Exists(credited))
    return (
        rows.select_related("category")
        .only("id", "title", "status", "first_submitted_at", "category__name", "is_urgent")
        .order_by("-first_submitted_at", "-id")
    )


def _report_row(report: OpinionReport) -> DrillRow:
    return DrillRow(
        title=report.title,
        url=reverse("opinions:detail", args=[report.pk]),
        cells=[
            report.category.name if report.category is not None else "",
            timezone.localtime(report.first_submitted_at).strftime("%Y-%m-%d")
            if report.first_submitted_at
            else "",
            report.get_status_display(),
        ],
    )


REPORT_COLUMNS = [_("标题"), _("类别"), _("首次报送日期"), _("状态")]


def _opinion_drill(scope: Scope, name: str, arg: str = "") -> Drill:
    rows = report_rows(scope)
    elsewhere = (
        _("社情民意统计"),
        f"{reverse('opinions:stats')}?{urlencode({'year': scope.year})}",
    )
    if name == "level":
        level = AdoptionLevel.objects.filter(
            pk=int(arg) if arg.isdigit() else 0, committee_id=scope.committee_id
        ).first()
        if level is None:
            raise NotFound()
        adopted = Adoption.objects.filter(report=OuterRef("pk"), level_id=level.pk)
        rows = rows.filter(Exists(adopted), status__in=OPINION_USED)
        title = _("被%(level)s的社情民意信息") % {"level": level.name}
        return Drill(
            f"opinions.level.{level.pk}", title, rows, REPORT_COLUMNS, _report_row, elsewhere
        )
    titles = {
        "received": _("收到的社情民意信息"),
        "accepted": _("接收编辑的社情民意信息"),
        "used": _("编发的社情民意信息"),
        "upper": _("被上级采用的社情民意信息"),
        "instructed": _("获领导批示的社情民意信息"),
    }
    if name not in titles:
        raise NotFound()
    if name == "accepted":
        rows = rows.filter(status__in=OPINION_ACCEPTED)
    elif name == "used":
        rows = rows.filter(status__in=OPINION_USED)
    elif name == "upper":
        upper = Adoption.objects.filter(report=OuterRef("pk"), level__auto_on_publish=False)
        rows = rows.filter(Exists(upper), status__in=OPINION_USED)
    elif name == "instructed":
        instructed = Instruction.objects.filter(report=OuterRef("pk"))
        rows = rows.filter(Exists(instructed), status__in=OPINION_USED)
    return Drill(f"opinions.{name}", titles[name], rows, REPORT_COLUMNS, _report_row, elsewhere)


# Meetings, attendance and the plan ------------------------------------------------------------


def meeting_rows(scope: Scope) -> QuerySet[Meeting]:
    start, end = scope.bounds
    rows = Meeting.objects.filter(
        committee_id=scope.committee_id, starts_at__gte=start, starts_at__lt=end
    ).exclude(status__in=CANCELLED_OR_DRAFT)
    if scope.slice_kind != SliceKind.ALL:
        invited = Invitation.objects.filter(member_q(scope, "membership"), meeting=OuterRef("pk"))
        condition = Q(Exists(invited))
        if scope.slice_kind == SliceKind.SPECIAL:
            condition |= Q(lead_special_committee_id=int(scope.slice_key))
        rows = rows.filter(condition)
    return rows.select_related("form", "venue").order_by("-starts_at", "-id")


def _meeting_row(meeting: Meeting) -> DrillRow:
    return DrillRow(
        title=meeting.title,
        url=reverse("consultations:detail", args=[meeting.pk]),
        cells=[
            meeting.form.name,
            timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
            meeting.get_status_display(),
        ],
    )


def _form_of(scope: Scope, key: str) -> MeetingForm:
    form = MeetingForm.objects.filter(
        pk=int(key) if key.isdigit() else 0, committee_id=scope.committee_id
    ).first()
    if form is None:
        raise NotFound()
    return form


def _meeting_drill(scope: Scope, key: str) -> Drill:
    columns = [_("会议活动"), _("形式"), _("时间"), _("状态")]
    if key == "all":
        return Drill(
            "meetings.all", _("召开的会议和活动"), meeting_rows(scope), columns, _meeting_row
        )
    form = _form_of(scope, key)
    return Drill(
        f"meetings.{form.pk}",
        _("%(form)s") % {"form": form.name},
        meeting_rows(scope).filter(form_id=form.pk),
        columns,
        _meeting_row,
    )


def invitation_rows(scope: Scope) -> QuerySet[Invitation]:
    start, end = scope.bounds
    return (
        Invitation.objects.filter(
            member_q(scope, "membership"),
            meeting__committee_id=scope.committee_id,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
        .exclude(meeting__status__in=CANCELLED_OR_DRAFT)
        .exclude(attendance="")
        .select_related("meeting", "membership__member", "membership__sector")
        .order_by("-meeting__starts_at", "meeting_id", "membership__member__name", "id")
    )


def _invitation_row(invitation: Invitation) -> DrillRow:
    return DrillRow(
        title=invitation.membership.member.name,
        url=reverse("consultations:detail", args=[invitation.meeting_id]),
        cells=[
            invitation.membership.sector.name,
            invitation.meeting.title,
            timezone.localtime(invitation.meeting.starts_at).strftime("%Y-%m-%d"),
            invitation.get_attendance_display(),
        ],
    )


def _attendance_drill(scope: Scope, form_key: str, status: str) -> Drill:
    form = _form_of(scope, form_key)
    rows = invitation_rows(scope).filter(meeting__form_id=form.pk)
    labels = dict(Invitation._meta.get_field("attendance").choices or [])
    if status == "attended":
        rows = rows.filter(attendance__in=ATTENDED)
        label = _("出席（含迟到、早退）")
    elif status in ("present", "late", "early", "leave", "absent"):
        rows = rows.filter(attendance=status)
        label = str(labels.get(status, status))
    elif status == "all":
        label = _("全部")
    else:
        raise NotFound()
    return Drill(
        f"attendance.{form.pk}.{status}",
        _("%(form)s出勤：%(status)s") % {"form": form.name, "status": label},
        rows,
        [_("委员"), _("界别"), _("会议活动"), _("日期"), _("出勤")],
        _invitation_row,
    )


def _plan_drill(scope: Scope, progress: str) -> Drill:
    labels = dict(TopicProgress.choices)
    if progress not in labels and progress != "all":
        raise NotFound()
    if scope.slice_kind not in (SliceKind.ALL, SliceKind.SPECIAL):
        raise NotFound()
    plan = AnnualPlan.objects.filter(committee_id=scope.committee_id, year=scope.year).first()
    topics: list[PlanTopic] = []
    if plan is not None:
        queryset = PlanTopic.objects.filter(plan=plan).select_related(
            "form", "lead_special_committee"
        )
        if scope.slice_kind == SliceKind.SPECIAL:
            queryset = queryset.filter(lead_special_committee_id=int(scope.slice_key))
        from django.db.models import Prefetch

        queryset = queryset.prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.exclude(status=MeetingStatus.CANCELLED).prefetch_related(
                    Prefetch("outcomes", queryset=Outcome.objects.prefetch_related("follow_ups"))
                ),
            )
        ).order_by("planned_month", "sort_order", "id")
        topics = [
            topic for topic in queryset if progress == "all" or topic_progress(topic) == progress
        ]

    def row(topic: PlanTopic) -> DrillRow:
        return DrillRow(
            title=topic.title,
            url=reverse("consultations:plan", args=[topic.plan_id]),
            cells=[
                topic.form.name,
                topic.lead_special_committee.name
                if topic.lead_special_committee is not None
                else "",
                _("%(month)s月") % {"month": topic.planned_month},
                str(labels[topic_progress(topic)]),
            ],
        )

    title = _("年度协商计划议题：%(progress)s") % {"progress": labels.get(progress, _("全部"))}
    elsewhere = (_("年度协商计划"), reverse("consultations:plan", args=[plan.pk])) if plan else None
    return Drill(
        f"plan.{progress}",
        title,
        topics,
        [_("议题"), _("协商形式"), _("牵头专委会"), _("计划月份"), _("进度")],
        row,
        elsewhere,
    )


# Scores -------------------------------------------------------------------------------------


def summary_rows(scope: Scope) -> QuerySet[DutySummary]:
    return (
        DutySummary.objects.filter(
            member_q(scope, "membership"), committee_id=scope.committee_id, year=scope.year
        )
        .select_related("membership__member", "membership__sector")
        .only(
            "id",
            "membership_id",
            "year",
            "score",
            "grade",
            "passed",
            "minimums_met",
            "membership__member__name",
            "membership__sector__name",
        )
        .order_by(F("score").asc(nulls_first=True), "membership_id")
    )


def band_q(key: str) -> Q:
    if key == "none":
        return Q(score__isnull=True)
    bounds = dict(SCORE_BANDS)
    if key not in bounds:
        raise NotFound()
    lowest = bounds[key]
    above = [low for _band, low in SCORE_BANDS if low > lowest]
    # The lowest band takes every score under the next one (deductions can go below zero).
    condition = Q(score__gte=lowest) if lowest > 0 else Q(score__isnull=False)
    if above:
        condition &= Q(score__lt=min(above))
    return condition


def _summary_row(summary: DutySummary) -> DrillRow:
    from .compute import lagging_reasons

    return DrillRow(
        title=summary.membership.member.name,
        url=reverse("duties:member_year", args=[summary.membership_id, summary.year]),
        cells=[
            summary.membership.sector.name,
            f"{summary.score:.1f}" if summary.score is not None else "—",
            summary.grade,
            "、".join(lagging_reasons(summary.passed, summary.minimums_met)),
        ],
    )


def _scores_drill(scope: Scope, name: str, arg: str = "") -> Drill:
    rows = summary_rows(scope)
    columns = [_("委员"), _("界别"), _("得分"), _("等次"), _("提醒")]
    query: dict[str, Any] = {"year": scope.year}
    if scope.slice_kind == SliceKind.SECTOR:
        query["sector"] = scope.slice_key
    if name == "band":
        rows = rows.filter(band_q(arg))
        title = _("得分%(band)s的委员") % {"band": band_label(arg)}
        key = f"scores.band.{arg}"
    elif name == "lagging":
        rows = rows.filter(Q(passed=False) | Q(minimums_met=False))
        title = _("需关注的委员（低于合格线或未完成最低要求）")
        key = "scores.lagging"
        query["below"] = "1"
    elif name == "grade" and arg:
        rows = rows.filter(grade=arg, score__isnull=False)
        title = _("等次为“%(grade)s”的委员") % {"grade": arg}
        key = f"scores.grade.{arg}"
        query["grade"] = arg
    else:
        raise NotFound()
    elsewhere = (_("委员履职得分"), f"{reverse('duties:scores')}?{urlencode(query)}")
    return Drill(key, title, rows, columns, _summary_row, elsewhere)


# Topic heat ---------------------------------------------------------------------------------


def _topic_drill(scope: Scope, quarter_key: str, word: str) -> Drill:
    if quarter_key not in ("1", "2", "3", "4") or not word or len(word) > 30:
        raise NotFound()
    quarter = int(quarter_key)
    tz = timezone.get_current_timezone()
    start = dt.datetime(scope.year, 3 * quarter - 2, 1, tzinfo=tz)
    end = (
        dt.datetime(scope.year, 3 * quarter + 1, 1, tzinfo=tz)
        if quarter < 4
        else dt.datetime(scope.year + 1, 1, 1, tzinfo=tz)
    )
    proposals = [
        DrillRow(
            title=proposal.title,
            url=reverse("proposals:detail", args=[proposal.pk]),
            cells=[_("提案"), timezone.localtime(proposal.submitted_at).strftime("%Y-%m-%d")],
        )
        for proposal in proposal_rows(scope).filter(
            title__contains=word, submitted_at__gte=start, submitted_at__lt=end
        )
        if word in search_tokens(proposal.title)
    ]
    reports = [
        DrillRow(
            title=report.title,
            url=reverse("opinions:detail", args=[report.pk]),
            cells=[
                _("社情民意信息"),
                timezone.localtime(report.first_submitted_at).strftime("%Y-%m-%d"),
            ],
        )
        for report in report_rows(scope).filter(
            title__contains=word, first_submitted_at__gte=start, first_submitted_at__lt=end
        )
        if word in search_tokens(report.title)
    ]
    return Drill(
        f"topics.{quarter}.{word}",
        _("%(quarter)s标题含“%(word)s”的提案和社情民意信息")
        % {"quarter": quarter_label(quarter), "word": word},
        proposals + reports,
        [_("标题"), _("类型"), _("日期")],
        lambda row: row,
    )


# Study --------------------------------------------------------------------------------------
#
# A course is held in the year when one of its sessions (a meeting) started in the year and was
# held; a session, like any meeting, belongs to a slice through its invitees and its lead special
# committee; an invitation, a text and a reading check-in through their member.


def _course_kind(key: str) -> str:
    """A course kind's value, or "all"; NotFound for anything else."""
    if key != "all" and key not in CourseKind.values:
        raise NotFound()
    return key


def study_session_rows(scope: Scope, kind: str = "all") -> QuerySet[Meeting]:
    """The held course sessions of the year (meetings) in the scope's slice."""
    start, end = scope.bounds
    rows = Meeting.objects.filter(
        committee_id=scope.committee_id,
        course_session__isnull=False,
        status__in=HELD_STATUSES,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if kind != "all":
        rows = rows.filter(course_session__course__kind=kind)
    if scope.slice_kind != SliceKind.ALL:
        invited = Invitation.objects.filter(member_q(scope, "membership"), meeting=OuterRef("pk"))
        condition = Q(Exists(invited))
        if scope.slice_kind == SliceKind.SPECIAL:
            condition |= Q(lead_special_committee_id=int(scope.slice_key))
        rows = rows.filter(condition)
    return rows.select_related("course_session__course").order_by("-starts_at", "-id")


def _session_row(meeting: Meeting) -> DrillRow:
    session = meeting.course_session
    return DrillRow(
        title=meeting.title,
        url=reverse("consultations:detail", args=[meeting.pk]),
        cells=[
            session.course.title,
            session.course.get_kind_display(),
            timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
            session.teacher,
        ],
    )


def _course_row(course: Any) -> DrillRow:
    return DrillRow(
        title=course.title,
        url=reverse("consultations:course", args=[course.pk]),
        cells=[course.get_kind_display(), str(course.held_here), course.get_status_display()],
    )


def study_invitation_rows(scope: Scope, kind: str = "all") -> QuerySet[Invitation]:
    """Invitations to the year's held course sessions of members in the scope's slice."""
    start, end = scope.bounds
    rows = Invitation.objects.filter(
        member_q(scope, "membership"),
        meeting__committee_id=scope.committee_id,
        meeting__course_session__isnull=False,
        meeting__status__in=HELD_STATUSES,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    ).exclude(  # a course with 报名: who never signed up and did not come was not expected
        meeting__signup_required=True, signed_up=False, attendance=""
    )
    if kind != "all":
        rows = rows.filter(meeting__course_session__course__kind=kind)
    return rows.select_related("meeting", "membership__member", "membership__sector").order_by(
        "-meeting__starts_at", "meeting_id", "membership__member__name", "id"
    )


def submission_rows(scope: Scope, text_kind: str = "all") -> QuerySet[Submission]:
    """The study texts submitted in the year by members in the scope's slice."""
    start, end = scope.bounds
    rows = Submission.objects.filter(
        member_q(scope, "membership"),
        committee_id=scope.committee_id,
        status=SubmissionStatus.SUBMITTED,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )
    if text_kind != "all":
        rows = rows.filter(request__kind=text_kind)
    return (
        rows.select_related("request", "membership__member")
        .defer("body", "edited_body", "keyword_vector", "search_vector", "request__description")
        .annotate(in_compilation=Exists(CompilationEntry.objects.filter(submission=OuterRef("pk"))))
        .order_by("-submitted_at", "-id")
    )


def _submission_row(text: Any) -> DrillRow:
    return DrillRow(
        title=text.final_title or text.request.title,
        url=reverse("duties:member_year", args=[text.membership_id, text.submitted_at.year]),
        cells=[
            text.membership.member.name,
            text.request.get_kind_display(),
            timezone.localtime(text.submitted_at).strftime("%Y-%m-%d"),
            _("是") if text.adopted else _("否"),
            _("是") if text.in_compilation else _("否"),
        ],
    )


def checkin_rows(scope: Scope) -> QuerySet[ReadingCheckin]:
    """The reading check-ins (读书打卡) of the year of members in the scope's slice."""
    return (
        ReadingCheckin.objects.filter(
            member_q(scope, "membership"),
            group__committee_id=scope.committee_id,
            day__year=scope.year,
        )
        .select_related("group", "book", "membership__member")
        .order_by("-day", "-id")
    )


def _checkin_row(checkin: ReadingCheckin) -> DrillRow:
    return DrillRow(
        title=checkin.membership.member.name,
        url=reverse("duties:member_year", args=[checkin.membership_id, checkin.day.year]),
        cells=[
            checkin.group.name,
            checkin.book.title if checkin.book is not None else "",
            checkin.day.strftime("%Y-%m-%d"),
            checkin.progress,
        ],
    )


def _study_drill(scope: Scope, rest: str) -> Drill:
    """study.courses.<kind|all>, study.sessions.<kind|all>,
    study.attendance.<kind|all>.<invited|attended|present|late|early|leave|absent|unsettled>,
    study.texts.<submitted|adopted|compiled>[.<text kind>], study.reading.<checkins|members>."""
    name, _sep, arg = rest.partition(".")
    kinds = dict(CourseKind.choices)
    if name == "sessions":
        kind = _course_kind(arg)
        return Drill(
            f"study.sessions.{kind}",
            _("举办的学习培训课程：%(kind)s") % {"kind": kinds.get(kind, _("全部"))},
            study_session_rows(scope, kind),
            [_("课程"), _("培训班"), _("类型"), _("时间"), _("授课人")],
            _session_row,
        )
    if name == "courses":
        kind = _course_kind(arg)
        sessions = study_session_rows(scope, kind)
        start, end = scope.bounds
        held_here = Q(
            sessions__meeting__status__in=HELD_STATUSES,
            sessions__meeting__starts_at__gte=start,
            sessions__meeting__starts_at__lt=end,
        )
        courses = (
            Course.objects.filter(
                Exists(sessions.filter(course_session__course=OuterRef("pk"))),
                committee_id=scope.committee_id,
            )
            .annotate(held_here=Count("sessions", filter=held_here))
            .order_by("kind", "title", "id")
        )
        return Drill(
            f"study.courses.{kind}",
            _("举办的学习培训班：%(kind)s") % {"kind": kinds.get(kind, _("全部"))},
            courses,
            [_("培训班"), _("类型"), _("本年度举办课程（次）"), _("状态")],
            _course_row,
            (_("学习培训班（委员联络处）"), reverse("consultations:courses_office")),
        )
    if name == "attendance":
        kind_key, _sep, status = arg.partition(".")
        kind = _course_kind(kind_key)
        rows = study_invitation_rows(scope, kind)
        labels = dict(Invitation._meta.get_field("attendance").choices or [])
        if status == "invited":
            label = _("应参训")
        elif status == "attended":
            rows = rows.filter(attendance__in=ATTENDED)
            label = _("出席（含迟到、早退）")
        elif status == "unsettled":
            rows = rows.filter(attendance="")
            label = _("出勤未确定")
        elif status in ("present", "late", "early", "leave", "absent"):
            rows = rows.filter(attendance=status)
            label = str(labels.get(status, status))
        else:
            raise NotFound()
        return Drill(
            f"study.attendance.{kind}.{status}",
            _("%(kind)s出勤：%(status)s")
            % {"kind": kinds.get(kind, _("学习培训")), "status": label},
            rows,
            [_("委员"), _("界别"), _("课程"), _("日期"), _("出勤")],
            _invitation_row,
        )
    if name == "texts":
        figure, _sep, text_kind = arg.partition(".")
        text_kind = text_kind or "all"
        text_labels = dict(TextKind.choices)
        if text_kind != "all" and text_kind not in text_labels:
            raise NotFound()
        titles = {
            "submitted": _("提交的学习材料"),
            "adopted": _("采用的学习材料"),
            "compiled": _("编入汇编的学习材料"),
        }
        if figure not in titles:
            raise NotFound()
        texts = submission_rows(scope, text_kind)
        if figure == "adopted":
            texts = texts.filter(adopted=True)
        elif figure == "compiled":
            texts = texts.filter(Exists(CompilationEntry.objects.filter(submission=OuterRef("pk"))))
        title = titles[figure]
        if text_kind != "all":
            title = _("%(title)s：%(kind)s") % {"title": title, "kind": text_labels[text_kind]}
        key = f"study.texts.{figure}" + (f".{text_kind}" if text_kind != "all" else "")
        return Drill(
            key,
            title,
            texts,
            [_("标题"), _("委员"), _("材料类型"), _("提交日期"), _("采用"), _("编入汇编")],
            _submission_row,
            (_("学习材料征集（委员联络处）"), reverse("study:office")),
        )
    if name == "reading" and arg == "checkins":
        return Drill(
            "study.reading.checkins",
            _("读书打卡"),
            checkin_rows(scope),
            [_("委员"), _("读书群组"), _("书目"), _("日期"), _("读到哪里")],
            _checkin_row,
        )
    if name == "reading" and arg == "members":
        days = (
            ReadingCheckin.objects.filter(
                membership=OuterRef("pk"),
                group__committee_id=scope.committee_id,
                day__year=scope.year,
            )
            .order_by()
            .values("membership")
            .annotate(n=Count("id"))
            .values("n")
        )
        members = (
            Membership.objects.filter(pk__in=checkin_rows(scope).values("membership_id"))
            .select_related("member", "sector")
            .annotate(checkins=Subquery(days, output_field=IntegerField()))
            .order_by("-checkins", "member__name", "id")
        )

        def member_row(membership: Any) -> DrillRow:
            return DrillRow(
                title=membership.member.name,
                url=reverse("duties:member_year", args=[membership.pk, scope.year]),
                cells=[membership.sector.name, str(membership.checkins or 0)],
            )

        return Drill(
            "study.reading.members",
            _("参加读书打卡的委员"),
            members,
            [_("委员"), _("界别"), _("打卡次数")],
            member_row,
        )
    raise NotFound()


def drill_for(scope: Scope, figure: str) -> Drill:
    """The list behind `figure` (see the module docstring); NotFound for an unknown key."""
    group, _sep, rest = figure.partition(".")
    name, _sep, arg = rest.partition(".")
    if group == "proposals":
        return _proposal_drill(scope, rest)
    if group == "handling":
        return _handling_drill(scope, rest)
    if group == "satisfaction":
        return _satisfaction_drill(scope, rest)
    if group == "classes":
        return _class_drill(scope, rest)
    if group == "units":
        return _unit_drill(scope, rest)
    if group == "opinions":
        return _opinion_drill(scope, name, arg)
    if group == "meetings":
        return _meeting_drill(scope, rest)
    if group == "attendance" and arg:
        return _attendance_drill(scope, name, arg)
    if group == "plan":
        return _plan_drill(scope, rest)
    if group == "scores":
        return _scores_drill(scope, name, arg)
    if group == "topics" and arg:
        return _topic_drill(scope, name, arg)
    if group == "study":
        return _study_drill(scope, rest)
    raise NotFound()
