"""Computing the leadership dashboard's figures of one committee's year, for every slice at once.

Reads the source apps' rows of the year in a fixed number of queries (memberships, proposals
with their assignments, replies and evaluations, social-opinion reports with their credits,
adoptions and instructions, meetings with their invitations, the consultation plan, the duty
summaries, the study courses' held sessions with their invitations, the study texts and the
reading check-ins), then tallies each record into every slice it belongs to. Only the refresh
(services.snapshot_refresh) calls this; pages read the stored result.

Who belongs to a slice (sector, special committee, party): a member through their membership
(委员届内信息) — sector, party and special committees of the term. A record belongs to a slice
through its people:
- a proposal through its first proposer (集体提案 only count for all members), and so do its
  assignments, replies and ratings;
- a social-opinion report through everyone credited as submitter or co-author;
- a meeting through the special committee leading it and everyone invited; an invitation's
  attendance through the invited member;
- a plan topic through its lead special committee (sectors and parties have no plan topics);
- a duty summary (score) through its member;
- a study course (学习培训班) and each of its sessions through the sessions' meetings, as any
  meeting (everyone invited, the special committee leading it); an invitation to a session
  through the invited member;
- a study text (学习心得等) and a reading check-in (读书打卡) through its member.

Study counts a course in the year of its sessions: a course is held in a year when at least
one of its sessions (a meeting) started in that year and was held (HELD_STATUSES: ended,
outcome sent, closed); the sessions held are those meetings. Participation is the invitations
to those sessions. Texts are the submitted ones (submitted_at in the year), adopted (采用) and
compiled (in at least one compilation, 汇编) among them; reading is the check-ins of the year.

The counting rules are written once more, independently, as the drill-down querysets
(apps.dashboards.leadership.drill): the tests check the two agree.

The figures of one slice (JSON, see `_figures`):
    members            active members of the current term in the slice
    proposals          received, accepted (立案 and later), accept_rate, rejected, key,
                       excellent, handling {on_time, late, overdue, due, pending, rate},
                       satisfaction {satisfied, basic, dissatisfied, timed_out, rated, rate},
                       classes {A, B, C}
    opinions           received, accepted, used, upper, instructed, instructions,
                       levels [{id, name, auto, count}]
    consultations      total, forms [{id, name, count}], plan {id, title, total,
                       progress [{key, label, count}]} or None
    attendance         [{id, name, invited, present, late, early, leave, absent, rate}],
                       overall {settled, attended, rate}
    scores             computed, average, bands [{key, label, count}], grades
                       [{name, count}], lagging [{membership_id, name, sector, score, grade,
                       reasons}], lagging_total
    units              [{id, name, assignments, due, on_time, rate, rated, satisfied,
                       satisfaction_rate, A, B, C}] ranked
    topics             [{quarter, label, documents, keywords [{word, weight}]}]
    study              courses, sessions, kinds [{key, label, courses, sessions, invited,
                       present, late, early, leave, absent, unsettled, attended, rate}] (every
                       course kind), participation {invited, present, late, early, leave,
                       absent, unsettled, settled, attended, rate}, texts {submitted, adopted,
                       compiled, kinds [{key, label, submitted, adopted, compiled}]} (every text
                       kind), reading {checkins, members}; missing from snapshots computed
                       before it existed (pages and documents cope)
    headline           the numbers of the 大屏 tiles and of the committee comparison
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.consultations.models import (
    CANCELLED_OR_DRAFT,
    HELD_STATUSES,
    AnnualPlan,
    CourseKind,
    CourseSession,
    Invitation,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Outcome,
    PlanTopic,
    TopicProgress,
)
from apps.consultations.selectors.plans import topic_progress
from apps.core.text.keywords import default_idf
from apps.core.text.segmenter import search_tokens
from apps.duties.models import DutySummary
from apps.members.models import Membership, MembershipStatus, Party
from apps.opinions.models import (
    Adoption,
    Contributor,
    ContributorKind,
    Instruction,
    OpinionReport,
    ReportStatus,
)
from apps.opinions.selectors.config import adoption_level_list
from apps.opinions.services.stats import ACCEPTED as OPINION_ACCEPTED
from apps.opinions.services.stats import USED as OPINION_USED
from apps.organisation.models import HandlingUnit, SpecialCommittee
from apps.proposals.models import (
    ANSWERING_ROLES,
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
from apps.sectors.models import Sector
from apps.study.models import (
    CompilationEntry,
    ReadingCheckin,
    Submission,
    SubmissionStatus,
    TextKind,
)

from ..models import SliceKind

SliceId = tuple[str, str]
ALL: SliceId = (SliceKind.ALL.value, "")

# Score bands of the distribution chart: (key, lowest score, label).
SCORE_BANDS: tuple[tuple[str, int], ...] = (
    ("90", 90),
    ("80", 80),
    ("70", 70),
    ("60", 60),
    ("0", 0),
)
LAGGING_SHOWN = 10
TOPIC_WORDS = 8
UNITS_SHOWN_IN_SLICE = 20
ATTENDED = ("present", "late", "early")
ATTENDANCE_KEYS = ("present", "late", "early", "leave", "absent")
# An invitation to a held study session whose attendance was never settled.
UNSETTLED = "unsettled"
TEXT_FIGURES = ("submitted", "adopted", "compiled")


def band_label(key: str) -> str:
    return {
        "90": _("90分及以上"),
        "80": _("80–89分"),
        "70": _("70–79分"),
        "60": _("60–69分"),
        "0": _("60分以下"),
        "none": _("尚未计分"),
    }[key]


def score_band(score: Decimal | float | None) -> str:
    """The band key of a score ("none" when it was not computed)."""
    if score is None:
        return "none"
    for key, lowest in SCORE_BANDS:
        if score >= lowest:
            return key
    return "0"


def quarter_label(quarter: int) -> str:
    return {1: _("第一季度"), 2: _("第二季度"), 3: _("第三季度"), 4: _("第四季度")}[quarter]


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in Asia/Shanghai as aware datetimes [start, end)."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def percent(part: int, whole: int) -> float | None:
    """part / whole in per cent with one decimal; None when there is nothing to divide."""
    return round(part * 100 / whole, 1) if whole else None


def lagging_reasons(passed: bool | None, minimums_met: bool | None) -> list[str]:
    reasons = []
    if passed is False:
        reasons.append(_("低于合格线"))
    if minimums_met is False:
        reasons.append(_("未完成最低履职要求"))
    return reasons


@dataclass
class SliceInfo:
    kind: str
    key: str
    label: str
    sort_order: int


@dataclass
class _Unit:
    assignments: int = 0
    due: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    classes: Counter[str] = field(default_factory=Counter)


@dataclass
class _Tally:
    """Everything counted for one slice while reading the year."""

    members: int = 0
    proposals: Counter[str] = field(default_factory=Counter)
    handling: Counter[str] = field(default_factory=Counter)
    satisfaction: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    units: dict[int, _Unit] = field(default_factory=lambda: defaultdict(_Unit))
    opinions: Counter[str] = field(default_factory=Counter)
    levels: Counter[int] = field(default_factory=Counter)
    forms: Counter[int] = field(default_factory=Counter)
    attendance: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    plan: Counter[str] = field(default_factory=Counter)
    plan_total: int = 0
    scores: list[tuple[int, Decimal | None, str, bool | None, bool | None]] = field(
        default_factory=list
    )
    topic_tokens: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    topic_documents: Counter[int] = field(default_factory=Counter)
    courses: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sessions: Counter[str] = field(default_factory=Counter)
    study_attendance: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    texts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reading: Counter[int] = field(default_factory=Counter)


@dataclass
class YearResult:
    slices: list[SliceInfo]
    figures: dict[SliceId, dict[str, Any]]


class _Year:
    """The rows of one committee's year, read once, tallied into slices."""

    def __init__(self, committee_id: int, year: int, today: dt.date) -> None:
        self.committee_id = committee_id
        self.year = year
        self.today = today
        self.start, self.end = year_bounds(year)
        self.tallies: dict[SliceId, _Tally] = defaultdict(_Tally)
        self.member_slices: dict[int, tuple[SliceId, ...]] = {}
        self.member_names: dict[int, tuple[str, str]] = {}
        self.slices: list[SliceInfo] = []
        self.levels: list[Any] = []
        self.forms: list[tuple[int, str]] = []
        self.plan: AnnualPlan | None = None

    # Memberships and the slices -----------------------------------------------------------

    def load_members(self) -> None:
        sectors = list(
            Sector.objects.filter(committee_id=self.committee_id)
            .order_by("sort_order", "id")
            .values_list("id", "name", "is_active")
        )
        specials = list(
            SpecialCommittee.objects.filter(committee_id=self.committee_id)
            .order_by("sort_order", "id")
            .values_list("id", "name", "is_active")
        )
        sector_names = {pk: name for pk, name, _active in sectors}
        special_of: dict[int, list[int]] = defaultdict(list)
        through = Membership.special_committees.through
        for membership_id, special_id in through.objects.filter(
            membership__committee_id=self.committee_id
        ).values_list("membership_id", "specialcommittee_id"):
            special_of[membership_id].append(special_id)
        parties_seen: set[str] = set()
        sectors_seen: set[int] = set()
        specials_seen: set[int] = set()
        rows = Membership.objects.filter(committee_id=self.committee_id).values_list(
            "id", "member__name", "sector_id", "party", "status", "term__is_current"
        )
        for membership_id, name, sector_id, party, status, current in rows:
            slices: list[SliceId] = [
                (SliceKind.SECTOR.value, str(sector_id)),
                (SliceKind.PARTY.value, party),
            ]
            slices.extend(
                (SliceKind.SPECIAL.value, str(pk)) for pk in sorted(special_of[membership_id])
            )
            self.member_slices[membership_id] = tuple(slices)
            self.member_names[membership_id] = (name, sector_names.get(sector_id, ""))
            if current and status == MembershipStatus.ACTIVE:
                sectors_seen.add(sector_id)
                parties_seen.add(party)
                specials_seen.update(special_of[membership_id])
                for slice_id in (ALL, *slices):
                    self.tallies[slice_id].members += 1
        self.slices.append(SliceInfo(SliceKind.ALL.value, "", _("全体委员"), 0))
        for index, (pk, name, active) in enumerate(sectors):
            if active or pk in sectors_seen:
                self.slices.append(SliceInfo(SliceKind.SECTOR.value, str(pk), name, index))
        for index, (pk, name, active) in enumerate(specials):
            if active or pk in specials_seen:
                self.slices.append(SliceInfo(SliceKind.SPECIAL.value, str(pk), name, index))
        for index, (value, label) in enumerate(Party.choices):
            if value in parties_seen:
                self.slices.append(SliceInfo(SliceKind.PARTY.value, value, str(label), index))

    def of_member(self, membership_id: int | None) -> tuple[SliceId, ...]:
        if membership_id is None:
            return (ALL,)
        return (ALL, *self.member_slices.get(membership_id, ()))

    def of_members(self, membership_ids: Iterable[int]) -> set[SliceId]:
        found: set[SliceId] = {ALL}
        for membership_id in membership_ids:
            found.update(self.member_slices.get(membership_id, ()))
        return found

    # Proposals ------------------------------------------------------------------------------

    def load_proposals(self) -> None:
        in_year = {
            "committee_id": self.committee_id,
            "status__in": FILED_STATUSES,
            "submitted_at__gte": self.start,
            "submitted_at__lt": self.end,
        }
        proposal_slices: dict[int, tuple[SliceId, ...]] = {}
        for pk, status, first_id, is_key, excellent, title, submitted_at in (
            Proposal.objects.filter(**in_year)
            .values_list(
                "id",
                "status",
                "first_proposer_id",
                "is_key",
                "excellent_status",
                "title",
                "submitted_at",
            )
            .order_by()
        ):
            slices = self.of_member(first_id)
            proposal_slices[pk] = slices
            tokens = Counter(search_tokens(title))
            quarter = (timezone.localtime(submitted_at).month - 1) // 3 + 1
            for slice_id in slices:
                tally = self.tallies[slice_id]
                tally.proposals["received"] += 1
                tally.proposals["accepted"] += status in PUBLIC_STATUSES
                tally.proposals["rejected"] += status == ProposalStatus.REJECTED
                tally.proposals["key"] += bool(is_key)
                tally.proposals["excellent"] += excellent == ExcellentStatus.SELECTED
                tally.topic_tokens[quarter].update(tokens)
                tally.topic_documents[quarter] += 1
        related = {f"proposal__{name}": value for name, value in in_year.items()}
        answering: dict[int, set[int]] = defaultdict(set)  # proposal → its answering units
        for proposal_id, unit_id, status, deadline, completed_at, role in (
            Assignment.objects.filter(**related)
            .exclude(status=AssignmentStatus.RETURNED)
            .values_list(
                "proposal_id", "handling_unit_id", "status", "deadline", "completed_at", "role"
            )
            .order_by()
        ):
            state = handling_state(status, deadline, completed_at, self.today)
            if role in ANSWERING_ROLES:
                answering[proposal_id].add(unit_id)
            for slice_id in proposal_slices[proposal_id]:
                tally = self.tallies[slice_id]
                tally.handling[state] += 1
                unit = tally.units[unit_id]
                unit.assignments += 1
                unit.due += state in ("on_time", "late", "overdue")
                unit.on_time += state == "on_time"
        reviewed = {f"assignment__proposal__{name}": value for name, value in in_year.items()}
        for proposal_id, unit_id, result_class in (
            Reply.objects.filter(
                review_status=ReplyReview.APPROVED,
                round=F("assignment__proposal__handling_round"),
                **reviewed,
            )
            .values_list("assignment__proposal_id", "assignment__handling_unit_id", "result_class")
            .order_by()
        ):
            for slice_id in proposal_slices[proposal_id]:
                tally = self.tallies[slice_id]
                tally.classes[result_class] += 1
                tally.units[unit_id].classes[result_class] += 1
        for proposal_id, result_rating, timed_out in (
            Evaluation.objects.filter(**related)
            .values_list("proposal_id", "result_rating", "timed_out")
            .order_by()
        ):
            bucket = satisfaction_bucket(result_rating, timed_out)
            for slice_id in proposal_slices[proposal_id]:
                tally = self.tallies[slice_id]
                tally.satisfaction[bucket] += 1
                if bucket == "timed_out":
                    continue
                for unit_id in answering[proposal_id]:
                    unit = tally.units[unit_id]
                    unit.rated += 1
                    unit.satisfied += bucket != Satisfaction.DISSATISFIED

    # Social-opinion reports -----------------------------------------------------------------

    def load_opinions(self) -> None:
        in_year = {
            "committee_id": self.committee_id,
            "first_submitted_at__gte": self.start,
            "first_submitted_at__lt": self.end,
        }
        related = {f"report__{name}": value for name, value in in_year.items()}
        self.levels = adoption_level_list(committee=self.committee_id, include_inactive=True)
        upper_ids = {level.pk for level in self.levels if not level.auto_on_publish}
        credited: dict[int, set[int]] = defaultdict(set)
        for report_id, membership_id in (
            Contributor.objects.filter(
                **related,
                kind__in=[ContributorKind.FIRST, ContributorKind.CO],
                membership__isnull=False,
            )
            .values_list("report_id", "membership_id")
            .order_by()
        ):
            credited[report_id].add(membership_id)
        adopted: dict[int, set[int]] = defaultdict(set)
        for report_id, level_id in (
            Adoption.objects.filter(**related).values_list("report_id", "level_id").order_by()
        ):
            adopted[report_id].add(level_id)
        instructed: Counter[int] = Counter(
            Instruction.objects.filter(**related).values_list("report_id", flat=True).order_by()
        )
        for pk, status, title, first_submitted_at in (
            OpinionReport.objects.filter(**in_year)
            .exclude(status=ReportStatus.DRAFT)
            .values_list("id", "status", "title", "first_submitted_at")
            .order_by()
        ):
            used = status in OPINION_USED
            levels_here = adopted.get(pk, set()) if used else set()
            instructions = instructed.get(pk, 0) if used else 0
            tokens = Counter(search_tokens(title))
            quarter = (timezone.localtime(first_submitted_at).month - 1) // 3 + 1
            for slice_id in self.of_members(credited.get(pk, ())):
                tally = self.tallies[slice_id]
                tally.opinions["received"] += 1
                tally.opinions["accepted"] += status in OPINION_ACCEPTED
                tally.opinions["used"] += used
                tally.opinions["upper"] += bool(levels_here & upper_ids)
                tally.opinions["instructed"] += bool(instructions)
                tally.opinions["instructions"] += instructions
                for level_id in levels_here:
                    tally.levels[level_id] += 1
                tally.topic_tokens[quarter].update(tokens)
                tally.topic_documents[quarter] += 1

    # Meetings, attendance and the plan ------------------------------------------------------

    def load_meetings(self) -> None:
        self.forms = list(
            MeetingForm.objects.filter(committee_id=self.committee_id)
            .order_by("sort_order", "id")
            .values_list("id", "name")
        )
        meetings: dict[int, tuple[int, int | None]] = {
            pk: (form_id, lead_id)
            for pk, form_id, lead_id in Meeting.objects.filter(
                committee_id=self.committee_id,
                starts_at__gte=self.start,
                starts_at__lt=self.end,
            )
            .exclude(status__in=CANCELLED_OR_DRAFT)
            .values_list("id", "form_id", "lead_special_committee_id")
            .order_by()
        }
        invited: dict[int, set[int]] = defaultdict(set)
        for meeting_id, membership_id, attendance in (
            Invitation.objects.filter(
                meeting__committee_id=self.committee_id,
                meeting__starts_at__gte=self.start,
                meeting__starts_at__lt=self.end,
            )
            .exclude(meeting__status__in=CANCELLED_OR_DRAFT)
            .values_list("meeting_id", "membership_id", "attendance")
            .order_by()
        ):
            invited[meeting_id].add(membership_id)
            if not attendance:
                continue
            form_id = meetings[meeting_id][0]
            for slice_id in self.of_member(membership_id):
                self.tallies[slice_id].attendance[form_id][attendance] += 1
        for pk, (form_id, lead_id) in meetings.items():
            slices = self.of_members(invited.get(pk, ()))
            if lead_id is not None:
                slices.add((SliceKind.SPECIAL.value, str(lead_id)))
            for slice_id in slices:
                self.tallies[slice_id].forms[form_id] += 1

    def load_plan(self) -> None:
        self.plan = (
            AnnualPlan.objects.filter(committee_id=self.committee_id, year=self.year)
            .prefetch_related(
                Prefetch(
                    "topics",
                    queryset=PlanTopic.objects.prefetch_related(
                        Prefetch(
                            "meetings",
                            queryset=Meeting.objects.exclude(
                                status=MeetingStatus.CANCELLED
                            ).prefetch_related(
                                Prefetch(
                                    "outcomes",
                                    queryset=Outcome.objects.prefetch_related("follow_ups"),
                                )
                            ),
                        )
                    ),
                )
            )
            .first()
        )
        if self.plan is None:
            return
        for topic in self.plan.topics.all():
            progress = topic_progress(topic)
            slices = [ALL]
            if topic.lead_special_committee_id:
                slices.append((SliceKind.SPECIAL.value, str(topic.lead_special_committee_id)))
            for slice_id in slices:
                self.tallies[slice_id].plan[progress] += 1
                self.tallies[slice_id].plan_total += 1

    # Scores ----------------------------------------------------------------------------------

    def load_scores(self) -> None:
        for membership_id, score, grade, passed, minimums_met in (
            DutySummary.objects.filter(committee_id=self.committee_id, year=self.year)
            .values_list("membership_id", "score", "grade", "passed", "minimums_met")
            .order_by()
        ):
            for slice_id in self.of_member(membership_id):
                self.tallies[slice_id].scores.append(
                    (membership_id, score, grade, passed, minimums_met)
                )

    # Study ----------------------------------------------------------------------------------

    def load_study(self) -> None:
        """Courses and their held sessions, the invitations to them, the texts submitted and
        the reading check-ins of the year: four queries whatever the data."""
        held = {
            "meeting__committee_id": self.committee_id,
            "meeting__status__in": HELD_STATUSES,
            "meeting__starts_at__gte": self.start,
            "meeting__starts_at__lt": self.end,
        }
        sessions: dict[int, tuple[int, str, int | None]] = {
            meeting_id: (course_id, kind, lead_id)
            for meeting_id, course_id, kind, lead_id in CourseSession.objects.filter(**held)
            .values_list(
                "meeting_id", "course_id", "course__kind", "meeting__lead_special_committee_id"
            )
            .order_by()
        }
        invited: dict[int, set[int]] = defaultdict(set)
        for meeting_id, membership_id, attendance in (
            Invitation.objects.filter(meeting__course_session__isnull=False, **held)
            # A course with 报名: who never signed up and did not come was not expected.
            .exclude(meeting__signup_required=True, signed_up=False, attendance="")
            .values_list("meeting_id", "membership_id", "attendance")
            .order_by()
        ):
            session = sessions.get(meeting_id)
            if session is None:  # held since the sessions were read
                continue
            invited[meeting_id].add(membership_id)
            for slice_id in self.of_member(membership_id):
                self.tallies[slice_id].study_attendance[session[1]][attendance or UNSETTLED] += 1
        for meeting_id, (course_id, kind, lead_id) in sessions.items():
            slices = self.of_members(invited.get(meeting_id, ()))
            if lead_id is not None:
                slices.add((SliceKind.SPECIAL.value, str(lead_id)))
            for slice_id in slices:
                tally = self.tallies[slice_id]
                tally.courses[kind].add(course_id)
                tally.sessions[kind] += 1
        for membership_id, kind, adopted, compiled in (
            Submission.objects.filter(
                committee_id=self.committee_id,
                status=SubmissionStatus.SUBMITTED,
                submitted_at__gte=self.start,
                submitted_at__lt=self.end,
            )
            .annotate(compiled=Exists(CompilationEntry.objects.filter(submission=OuterRef("pk"))))
            .values_list("membership_id", "request__kind", "adopted", "compiled")
            .order_by()
        ):
            for slice_id in self.of_member(membership_id):
                texts = self.tallies[slice_id].texts[kind]
                texts["submitted"] += 1
                texts["adopted"] += bool(adopted)
                texts["compiled"] += bool(compiled)
        for membership_id, checkins in (
            ReadingCheckin.objects.filter(
                group__committee_id=self.committee_id,
                day__gte=self.start.date(),
                day__lt=self.end.date(),
            )
            .order_by()
            .values("membership_id")
            .annotate(n=Count("id"))
            .values_list("membership_id", "n")
        ):
            for slice_id in self.of_member(membership_id):
                self.tallies[slice_id].reading[membership_id] += checkins

    # The result -----------------------------------------------------------------------------

    def result(self) -> YearResult:
        unit_names = dict(
            HandlingUnit.objects.filter(committee_id=self.committee_id).values_list("id", "name")
        )
        idf = default_idf()
        figures = {
            (info.kind, info.key): _figures(
                self, self.tallies[(info.kind, info.key)], info, idf, unit_names
            )
            for info in self.slices
        }
        return YearResult(slices=self.slices, figures=figures)


def handling_state(
    status: str, deadline: dt.date, completed_at: dt.datetime | None, today: dt.date
) -> str:
    """on_time / late (answered, by the deadline or after it), overdue (still open past the
    deadline) or pending (open, not yet due)."""
    if completed_at is not None:
        return "on_time" if timezone.localtime(completed_at).date() <= deadline else "late"
    if status in OPEN_ASSIGNMENT_STATUSES and deadline < today:
        return "overdue"
    return "pending"


def satisfaction_bucket(result_rating: str, timed_out: bool) -> str:
    return "timed_out" if timed_out or not result_rating else result_rating


def _figures(
    year: _Year,
    tally: _Tally,
    info: SliceInfo,
    idf: tuple[dict[str, float], float],
    unit_names: dict[int, str],
) -> dict[str, Any]:
    proposals = tally.proposals
    handling = tally.handling
    due = handling["on_time"] + handling["late"] + handling["overdue"]
    satisfaction = tally.satisfaction
    rated = sum(satisfaction[key] for key in Satisfaction.values)
    opinions = tally.opinions
    attendance_rows = []
    settled_total = attended_total = 0
    for form_id, name in year.forms:
        counts = tally.attendance.get(form_id)
        if not counts:
            continue
        settled = sum(counts.values())
        attended = sum(counts[key] for key in ATTENDED)
        settled_total += settled
        attended_total += attended
        attendance_rows.append(
            {
                "id": form_id,
                "name": name,
                "invited": settled,
                **{key: counts[key] for key in ATTENDANCE_KEYS},
                "rate": percent(attended, settled),
            }
        )
    scores = tally.scores
    computed = [row for row in scores if row[1] is not None]
    bands = Counter(score_band(row[1]) for row in scores)
    grades = Counter(row[2] for row in computed if row[2])
    lagging = sorted(
        (row for row in scores if row[3] is False or row[4] is False),
        key=lambda row: (row[1] is not None, row[1] or 0, row[0]),
    )
    average = (
        round(float(sum(row[1] for row in computed if row[1] is not None)) / len(computed), 1)
        if computed
        else None
    )
    limit = None if info.kind == SliceKind.ALL else UNITS_SHOWN_IN_SLICE
    units = _units(tally, unit_names, limit=limit)
    plan: dict[str, Any] | None = None
    if year.plan is not None and info.kind in (SliceKind.ALL, SliceKind.SPECIAL):
        plan = {
            "id": year.plan.pk,
            "title": year.plan.title,
            "status": year.plan.get_status_display(),
            "total": tally.plan_total,
            "progress": [
                {"key": value, "label": str(label), "count": tally.plan[value]}
                for value, label in TopicProgress.choices
            ],
        }
    forms = [
        {"id": form_id, "name": name, "count": tally.forms[form_id]}
        for form_id, name in year.forms
        if tally.forms[form_id]
    ]
    figures: dict[str, Any] = {
        "members": tally.members,
        "proposals": {
            "received": proposals["received"],
            "accepted": proposals["accepted"],
            "accept_rate": percent(proposals["accepted"], proposals["received"]),
            "rejected": proposals["rejected"],
            "key": proposals["key"],
            "excellent": proposals["excellent"],
            "handling": {
                "on_time": handling["on_time"],
                "late": handling["late"],
                "overdue": handling["overdue"],
                "pending": handling["pending"],
                "due": due,
                "rate": percent(handling["on_time"], due),
            },
            "satisfaction": {
                **{key: satisfaction[key] for key in Satisfaction.values},
                "timed_out": satisfaction["timed_out"],
                "rated": rated,
                "rate": percent(rated - satisfaction[Satisfaction.DISSATISFIED], rated),
            },
            "classes": {key: tally.classes[key] for key in ResultClass.values},
        },
        "opinions": {
            **{
                key: opinions[key]
                for key in ("received", "accepted", "used", "upper", "instructed", "instructions")
            },
            "used_rate": percent(opinions["used"], opinions["received"]),
            "levels": [
                {
                    "id": level.pk,
                    "name": level.name,
                    "auto": level.auto_on_publish,
                    "count": tally.levels[level.pk],
                }
                for level in year.levels
            ],
        },
        "consultations": {
            "total": sum(tally.forms.values()),
            "forms": forms,
            "plan": plan,
        },
        "attendance": {
            "rows": attendance_rows,
            "settled": settled_total,
            "attended": attended_total,
            "rate": percent(attended_total, settled_total),
        },
        "scores": {
            "members": len(scores),
            "computed": len(computed),
            "average": average,
            "bands": [
                {"key": key, "label": band_label(key), "count": bands[key]}
                for key in (*(band for band, _low in SCORE_BANDS), "none")
            ],
            "grades": [{"name": name, "count": n} for name, n in sorted(grades.items())],
            "lagging_total": len(lagging),
            "lagging": [
                {
                    "membership_id": membership_id,
                    "name": year.member_names.get(membership_id, ("", ""))[0],
                    "sector": year.member_names.get(membership_id, ("", ""))[1],
                    "score": float(score) if score is not None else None,
                    "grade": grade,
                    "reasons": lagging_reasons(passed, minimums_met),
                }
                for membership_id, score, grade, passed, minimums_met in lagging[:LAGGING_SHOWN]
            ],
        },
        "units": units,
        "topics": _topics(tally, idf),
        "study": _study(tally),
    }
    figures["headline"] = {
        "members": tally.members,
        "proposals": proposals["received"],
        "accept_rate": figures["proposals"]["accept_rate"],
        "on_time_rate": figures["proposals"]["handling"]["rate"],
        "satisfaction_rate": figures["proposals"]["satisfaction"]["rate"],
        "opinions": opinions["received"],
        "opinions_used": opinions["used"],
        "instructions": opinions["instructions"],
        "meetings": figures["consultations"]["total"],
        "attendance_rate": figures["attendance"]["rate"],
        "average_score": average,
        "lagging": len(lagging),
        "study_sessions": figures["study"]["sessions"],
        "study_attendance_rate": figures["study"]["participation"]["rate"],
        "study_texts": figures["study"]["texts"]["submitted"],
    }
    return figures


def _attendance_counts(counts: Counter[str]) -> dict[str, Any]:
    """invited (every invitation), each status, unsettled, attended and the rate (attended ÷
    settled) of some invitations' attendance."""
    invited = sum(counts.values())
    settled = invited - counts[UNSETTLED]
    attended = sum(counts[key] for key in ATTENDED)
    return {
        "invited": invited,
        **{key: counts[key] for key in ATTENDANCE_KEYS},
        UNSETTLED: counts[UNSETTLED],
        "settled": settled,
        "attended": attended,
        "rate": percent(attended, settled),
    }


def _study(tally: _Tally) -> dict[str, Any]:
    """The study figures of one slice (see the module docstring)."""
    everyone: Counter[str] = Counter()
    kinds = []
    for value, label in CourseKind.choices:
        counts = tally.study_attendance.get(value, Counter())
        everyone.update(counts)
        row = _attendance_counts(counts)
        row.pop("settled")
        kinds.append(
            {
                "key": value,
                "label": str(label),
                "courses": len(tally.courses.get(value, ())),
                "sessions": tally.sessions[value],
                **row,
            }
        )
    text_kinds = [
        {
            "key": value,
            "label": str(label),
            **{name: tally.texts.get(value, Counter())[name] for name in TEXT_FIGURES},
        }
        for value, label in TextKind.choices
    ]
    return {
        "courses": sum(row["courses"] for row in kinds),
        "sessions": sum(row["sessions"] for row in kinds),
        "kinds": kinds,
        "participation": _attendance_counts(everyone),
        "texts": {
            **{name: sum(row[name] for row in text_kinds) for name in TEXT_FIGURES},
            "kinds": text_kinds,
        },
        "reading": {
            "checkins": sum(tally.reading.values()),
            "members": sum(1 for n in tally.reading.values() if n),
        },
    }


def _units(tally: _Tally, names: dict[int, str], *, limit: int | None) -> list[dict[str, Any]]:
    """Handling units ranked: on-time rate, then satisfaction, then A-class answers, then the
    number of assignments (units without a due assignment last)."""
    ranked = sorted(
        tally.units.items(),
        key=lambda item: (
            item[1].due == 0,
            -(item[1].on_time / item[1].due if item[1].due else 0),
            -(item[1].satisfied / item[1].rated if item[1].rated else 0),
            -item[1].classes["A"],
            -item[1].assignments,
            names.get(item[0], ""),
            item[0],
        ),
    )
    rows: list[dict[str, Any]] = [
        {
            "id": unit_id,
            "name": names.get(unit_id, ""),
            "assignments": unit.assignments,
            "due": unit.due,
            "on_time": unit.on_time,
            "rate": percent(unit.on_time, unit.due),
            "rated": unit.rated,
            "satisfied": unit.satisfied,
            "satisfaction_rate": percent(unit.satisfied, unit.rated),
            **{key: unit.classes[key] for key in ResultClass.values},
        }
        for unit_id, unit in ranked
    ]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows if limit is None else rows[:limit]


def _topics(tally: _Tally, idf: tuple[dict[str, float], float]) -> list[dict[str, Any]]:
    """The main words of each quarter's proposal and report titles: TF-IDF over the titles'
    search tokens (apps.core.text), the same weighting as apps.core.text.keywords."""
    table, median = idf
    result = []
    for quarter in (1, 2, 3, 4):
        counts = tally.topic_tokens.get(quarter)
        keywords: list[dict[str, Any]] = []
        if counts:
            total = float(sum(counts.values()))
            weighted = sorted(
                ((word, n / total * table.get(word, median)) for word, n in counts.items()),
                key=lambda item: (-item[1], item[0]),
            )
            keywords = [
                {"word": word, "weight": round(weight, 4), "count": counts[word]}
                for word, weight in weighted[:TOPIC_WORDS]
            ]
        result.append(
            {
                "quarter": quarter,
                "label": quarter_label(quarter),
                "documents": tally.topic_documents[quarter],
                "keywords": keywords,
            }
        )
    return result


def compute_year(*, committee_id: int, year: int, today: dt.date) -> YearResult:
    """Every slice's figures of one committee's year (see the module docstring)."""
    facts = _Year(committee_id, year, today)
    facts.load_members()
    facts.load_proposals()
    facts.load_opinions()
    facts.load_meetings()
    facts.load_plan()
    facts.load_scores()
    facts.load_study()
    return facts.result()
