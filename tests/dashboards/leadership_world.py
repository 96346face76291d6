"""A committee's year of records for the leadership dashboard tests, written straight into the
tables (the dashboard reads rows, whichever workflow wrote them): members in sectors, parties and
special committees; proposals with assignments, replies and ratings; social-opinion reports with
credits, adoptions and instructions; meetings with invitations and attendance; a consultation
plan; duty scores. Study rows go through the study and course services instead (a 委员联络处
user of the world runs them in the past with apps.core.clock.at): courses published with their
sessions held (meeting_start / manual check-ins / meeting_end), cancelled or attendance set by
hand; requests for texts, texts saved, submitted, adopted and compiled; reading groups and their
check-ins. `World.random_change()` makes one random change of any of these kinds, so a test can
check the maintained figures after any sequence of changes.

Also `figure_checks(figures)`: every (figure value, drill-down key) pair of one slice's figures —
what the drill-down list behind the figure must count.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.roles import Role
from apps.consultations import workflow as meeting_workflow
from apps.consultations.models import (
    HELD_STATUSES,
    AnnualPlan,
    CourseKind,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    PlanTopic,
    SessionKind,
)
from apps.consultations.selectors import meeting_form_list
from apps.consultations.services import attendance as attendance_services
from apps.consultations.services import courses as course_services
from apps.consultations.workflow import courses as course_workflow
from apps.core import clock
from apps.core.errors import DomainError
from apps.duties.models import DutySummary
from apps.members.models import Member, Membership, MembershipStatus, Party
from apps.opinions.models import (
    Adoption,
    Contributor,
    ContributorKind,
    Instruction,
    OpinionReport,
    ReportStatus,
)
from apps.opinions.selectors.config import adoption_level_list
from apps.organisation.models import HandlingUnit, SpecialCommittee
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    ExcellentStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Reply,
    ReplyReview,
    Satisfaction,
)
from apps.sectors.models import Sector
from apps.study import services as study_services
from apps.study.models import (
    Compilation,
    InviteeScope,
    ReadingGroup,
    ReadingGroupMember,
    Submission,
    SubmissionStatus,
    TextKind,
)
from tests.factories import HandlingUnitFactory, MemberFactory, MembershipFactory, UserFactory

TZ = dt.timezone(dt.timedelta(hours=8))
YEAR = 2026
TODAY = dt.datetime(YEAR, 6, 15, 9, 0, tzinfo=TZ)

TITLES = [
    "关于加快普惠托育服务体系建设的建议",
    "关于推进老旧小区改造的建议",
    "关于优化营商环境的建议",
    "关于加强新能源汽车充电设施建设的建议",
    "关于发展普惠托育和社区养老服务的建议",
    "关于推进黄河流域生态保护的建议",
    "关于加强中小学心理健康教育的建议",
    "关于完善营商环境法治保障的建议",
]


def moment(rng: random.Random, *, year: int = YEAR) -> dt.datetime:
    """A moment in `year` (mostly up to mid-June), occasionally the year before."""
    if rng.random() < 0.1:
        year -= 1
    month = rng.randint(1, 12 if year < YEAR else 6)
    return dt.datetime(year, month, rng.randint(1, 28), rng.randint(0, 23), 30, tzinfo=TZ)


@dataclass
class World:
    committee: Any
    term: Any
    rng: random.Random
    staff: Any = None
    sectors: list[Sector] = field(default_factory=list)
    specials: list[SpecialCommittee] = field(default_factory=list)
    units: list[HandlingUnit] = field(default_factory=list)
    forms: list[Any] = field(default_factory=list)
    levels: list[Any] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    plan: AnnualPlan | None = None
    office: Any = None

    @classmethod
    def build(cls, committee: Any, term: Any, *, seed: int = 1, members: int = 10) -> World:
        world = cls(committee=committee, term=term, rng=random.Random(seed))
        world.staff = UserFactory(username=f"world{seed}", name="机关工作人员", committee=committee)
        names = ["教育界", "经济界", "医药卫生界"]
        world.sectors = list(Sector.objects.filter(committee=committee, name__in=names))
        world.specials = [
            SpecialCommittee.objects.get_or_create(committee=committee, name=name)[0]
            for name in ("经济委员会", "文史委员会")
        ]
        world.units = [
            HandlingUnit.objects.filter(committee=committee, name=name).first()
            or HandlingUnitFactory(committee=committee, name=name)
            for name in ("市教育局", "市卫健委", "市住建局")
        ]
        world.forms = list(meeting_form_list(committee=committee))[:4]
        world.levels = adoption_level_list(committee=committee)
        for index in range(members):
            world.add_member(index)
        return world

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items)

    # Members ---------------------------------------------------------------------------------

    def add_member(self, index: int | None = None) -> Membership:
        index = len(self.memberships) if index is None else index
        member = MemberFactory(committee=self.committee, name=f"委员{index:02d}号")
        membership = MembershipFactory(
            member=member,
            committee=self.committee,
            term=self.term,
            sector=self.pick(self.sectors),
            party=self.pick([Party.CPC, Party.CDL, Party.NONPARTY]),
        )
        membership.special_committees.set(
            self.rng.sample(self.specials, self.rng.randint(0, len(self.specials)))
        )
        self.memberships.append(membership)
        return membership

    def move_member(self) -> None:
        """A member changes sector, party or special committees (their records move too)."""
        membership = self.pick(self.memberships)
        choice = self.rng.randint(0, 3)
        if choice == 0:
            Membership.objects.filter(pk=membership.pk).update(sector=self.pick(self.sectors))
        elif choice == 1:
            Membership.objects.filter(pk=membership.pk).update(
                party=self.pick([Party.CPC, Party.CDL, Party.NONPARTY, Party.JIUSAN])
            )
        elif choice == 2:
            membership.special_committees.set(self.rng.sample(self.specials, 1))
        else:
            Membership.objects.filter(pk=membership.pk).update(
                status=self.pick([MembershipStatus.ACTIVE, MembershipStatus.values[-1]])
            )

    # Proposals -------------------------------------------------------------------------------

    def add_proposal(self, **fields: Any) -> Proposal:
        rng = self.rng
        collective = rng.random() < 0.1
        status = fields.pop(
            "status",
            self.pick(
                [
                    ProposalStatus.SUBMITTED,
                    ProposalStatus.ACCEPTED,
                    ProposalStatus.ASSIGNED,
                    ProposalStatus.REPLIED,
                    ProposalStatus.EVALUATED,
                    ProposalStatus.REJECTED,
                    ProposalStatus.DRAFT,
                    ProposalStatus.WITHDRAWN,
                    ProposalStatus.CLOSED,
                ]
            ),
        )
        values: dict[str, Any] = {
            "committee": self.committee,
            "term": self.term,
            "created_by": self.staff,
            "kind": ProposalKind.COLLECTIVE if collective else ProposalKind.INDIVIDUAL,
            "collective_in_name_of": "民盟市委会" if collective else "",
            "first_proposer": None if collective else self.pick(self.memberships),
            "title": self.pick(TITLES),
            "status": status,
            "submitted_at": None if status == ProposalStatus.DRAFT else moment(rng),
            "is_key": rng.random() < 0.2,
            "excellent_status": self.pick(
                ["", ExcellentStatus.SELECTED, ExcellentStatus.NOMINATED]
            ),
        }
        values.update(fields)
        return Proposal.objects.create(**values)

    def proposals(self) -> list[Proposal]:
        return list(Proposal.objects.filter(committee=self.committee).order_by("id"))

    def add_assignment(self) -> Assignment | None:
        proposals = self.proposals()
        if not proposals:
            return None
        proposal = self.pick(proposals)
        taken = set(
            Assignment.objects.filter(proposal=proposal)
            .exclude(status=AssignmentStatus.RETURNED)
            .values_list("handling_unit_id", flat=True)
        )
        free = [unit for unit in self.units if unit.pk not in taken]
        status = self.pick(list(AssignmentStatus.values))
        if not free:
            status = AssignmentStatus.RETURNED
        unit = self.pick(free or self.units)
        assigned = moment(self.rng)
        deadline = (assigned + dt.timedelta(days=self.rng.randint(10, 120))).date()
        completed = None
        if status in (AssignmentStatus.REPLIED, AssignmentStatus.OPINION_SUBMITTED):
            completed = assigned + dt.timedelta(days=self.rng.randint(5, 150))
        return Assignment.objects.create(
            proposal=proposal,
            committee=self.committee,
            handling_unit=unit,
            role=self.pick(list(AssignmentRole.values)),
            status=status,
            assigned_at=assigned,
            assigned_by=self.staff,
            deadline=deadline,
            completed_at=completed,
        )

    def add_reply(self) -> None:
        assignments = list(Assignment.objects.filter(committee=self.committee))
        if not assignments:
            return
        assignment = self.pick(assignments)
        review = self.pick(list(ReplyReview.values))
        round_number = self.pick([1, 1, 2])
        if (
            review == ReplyReview.APPROVED
            and Reply.objects.filter(
                assignment=assignment, round=round_number, review_status=ReplyReview.APPROVED
            ).exists()
        ):
            review = ReplyReview.REJECTED
        Reply.objects.create(
            assignment=assignment,
            round=round_number,
            text="答复",
            result_class=self.pick(["A", "B", "C"]),
            submitted_by=self.staff,
            submitted_at=moment(self.rng),
            review_status=review,
            reviewed_at=moment(self.rng) if review != ReplyReview.PENDING else None,
        )

    def rehandle(self) -> None:
        proposals = self.proposals()
        if proposals:
            Proposal.objects.filter(pk=self.pick(proposals).pk).update(
                handling_round=self.pick([1, 2])
            )

    def add_evaluation(self) -> None:
        proposals = self.proposals()
        if not proposals:
            return
        proposal = self.pick(proposals)
        membership = self.pick(self.memberships)
        rater = membership.member.user or UserFactory(committee=self.committee)
        round_number = self.pick([1, 2])
        if Evaluation.objects.filter(proposal=proposal, round=round_number, rater=rater).exists():
            return
        timed_out = self.rng.random() < 0.2
        rating = "" if timed_out else self.pick(list(Satisfaction.values))
        Evaluation.objects.create(
            proposal=proposal,
            round=round_number,
            rater=rater,
            membership=membership,
            source_proposal=proposal,
            process_rating=rating,
            result_rating=rating,
            timed_out=timed_out,
            rated_at=moment(self.rng),
        )

    def change_proposal(self) -> None:
        proposals = self.proposals()
        if not proposals:
            return
        proposal = self.pick(proposals)
        Proposal.objects.filter(pk=proposal.pk).update(
            status=self.pick(list(ProposalStatus.values)),
            is_key=self.rng.random() < 0.5,
            first_proposer=None
            if proposal.kind == ProposalKind.COLLECTIVE
            else self.pick(self.memberships),
        )

    # Social-opinion reports ------------------------------------------------------------------

    def add_report(self) -> OpinionReport:
        status = self.pick(list(ReportStatus.values))
        target = OpinionReport.objects.filter(committee=self.committee).first()
        if status == ReportStatus.MERGED and target is None:
            status = ReportStatus.SUBMITTED
        report = OpinionReport.objects.create(
            merged_into=target if status == ReportStatus.MERGED else None,
            committee=self.committee,
            term=self.term,
            created_by=self.staff,
            title=self.pick(TITLES).replace("建议", "情况反映"),
            status=status,
            first_submitted_at=None if status == ReportStatus.DRAFT else moment(self.rng),
        )
        people = self.rng.sample(self.memberships, self.rng.randint(0, 3))
        for order, membership in enumerate(people):
            kind = (
                ContributorKind.FIRST
                if order == 0
                else self.pick([ContributorKind.CO, ContributorKind.MERGED])
            )
            Contributor.objects.create(
                report=report, kind=kind, membership=membership, sort_order=order
            )
        if not people:
            Contributor.objects.create(report=report, kind=ContributorKind.FIRST, user=self.staff)
        return report

    def add_outcome(self) -> None:
        reports = list(OpinionReport.objects.filter(committee=self.committee))
        if not reports:
            return
        report = self.pick(reports)
        if self.rng.random() < 0.6:
            level = self.pick(self.levels)
            if not Adoption.objects.filter(report=report, level=level).exists():
                Adoption.objects.create(
                    report=report, level=level, adopted_on=moment(self.rng).date()
                )
        else:
            Instruction.objects.create(
                report=report,
                leader="张市长",
                level="city",
                text="请有关部门研究落实。",
                instructed_on=moment(self.rng).date(),
            )

    def change_report(self) -> None:
        reports = list(OpinionReport.objects.filter(committee=self.committee))
        if reports:
            OpinionReport.objects.filter(pk=self.pick(reports).pk, merged_into=None).update(
                status=self.pick([s for s in ReportStatus.values if s != ReportStatus.MERGED])
            )

    # Meetings and the plan -------------------------------------------------------------------

    def add_meeting(self) -> Meeting:
        starts = moment(self.rng)
        meeting = Meeting.objects.create(
            committee=self.committee,
            form=self.pick(self.forms),
            title=f"{self.pick(TITLES)[2:-3]}协商会",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            organiser=self.staff,
            status=self.pick(list(MeetingStatus.values)),
            lead_special_committee=self.pick([None, *self.specials]),
            topic=self.pick([None, *PlanTopic.objects.filter(committee=self.committee)]),
        )
        for membership in self.rng.sample(self.memberships, self.rng.randint(0, 5)):
            Invitation.objects.create(
                meeting=meeting,
                committee=self.committee,
                membership=membership,
                source="person",
                attendance=self.pick(["", "present", "leave", "absent", "late", "early"]),
            )
        return meeting

    def change_attendance(self) -> None:
        invitations = list(Invitation.objects.filter(committee=self.committee))
        if invitations:
            Invitation.objects.filter(pk=self.pick(invitations).pk).update(
                attendance=self.pick(["", "present", "leave", "absent"])
            )

    def add_topic(self) -> None:
        if self.plan is None:
            self.plan = AnnualPlan.objects.create(
                committee=self.committee, year=YEAR, title=f"{YEAR}年度协商计划"
            )
        PlanTopic.objects.create(
            plan=self.plan,
            committee=self.committee,
            title=self.pick(TITLES)[2:-3],
            form=self.pick(self.forms),
            planned_month=self.rng.randint(1, 12),
            lead_special_committee=self.pick([None, *self.specials]),
        )

    def add_outcome_to_meeting(self) -> None:
        meetings = list(Meeting.objects.filter(committee=self.committee, topic__isnull=False))
        if meetings:
            Outcome.objects.create(
                meeting=self.pick(meetings),
                committee=self.committee,
                kind="minutes",
                title="会议纪要",
                summary="纪要",
                sent_on=self.pick([None, moment(self.rng).date()]),
                created_by=self.staff,
            )

    # Scores ----------------------------------------------------------------------------------

    def set_score(self) -> None:
        membership = self.pick(self.memberships)
        score = None if self.rng.random() < 0.1 else Decimal(self.rng.randint(-20, 100))
        passed = None if score is None else score >= 60
        DutySummary.objects.update_or_create(
            membership=membership,
            year=YEAR,
            defaults={
                "committee": self.committee,
                "score": score,
                "grade": "" if score is None else ("优秀" if score >= 85 else "称职"),
                "passed": passed,
                "minimums_met": self.pick([True, True, False, None]),
                "computed_at": timezone.now(),
            },
        )

    # Study (through the services) --------------------------------------------------------------

    def office_user(self) -> Any:
        """The committee's 委员联络处 user who runs courses, requests and compilations."""
        if self.office is None:
            call_command("seed_roles", verbosity=0)
            self.office = UserFactory(
                username=f"office{self.committee.pk}", name="委员联络处", committee=self.committee
            )
            self.office.groups.add(Group.objects.get(name=Role.LIAISON_OFFICE.value))
        return self.office

    def user_of(self, membership: Membership) -> Any:
        """The member's account (made on first use: texts and check-ins are the member's own)."""
        member = Member.objects.select_related("user").get(pk=membership.member_id)
        if member.user is None:
            member.user = UserFactory(
                username=f"m{self.committee.pk}x{membership.pk}",
                name=member.name,
                committee=self.committee,
            )
            Member.objects.filter(pk=member.pk).update(user=member.user)
        return member.user

    def active(self) -> list[Membership]:
        return list(
            Membership.objects.filter(
                committee=self.committee, term=self.term, status=MembershipStatus.ACTIVE
            ).order_by("id")
        )

    def add_course(self) -> None:
        """A course with one to three sessions: left 筹备中 now and then; once published, each
        session that has begun by now is held (some check in on time, late or leave early, the
        rest are absent), or cancelled before it starts."""
        office, rng = self.office_user(), self.rng
        active = self.active()
        if not active:
            return
        kind = self.pick(list(CourseKind.values))
        rule = self.pick(
            [
                ("all", None),
                ("all", None),
                ("sector", self.pick(self.sectors).pk),
                ("special_committee", self.pick(self.specials).pk),
                ("person", self.pick(active).pk),
            ]
        )
        first = moment(rng)
        starts = [
            first + dt.timedelta(days=6 * n + rng.randint(0, 2)) for n in range(rng.randint(1, 3))
        ]
        created = first - dt.timedelta(days=10)
        with clock.at(created):
            course = course_services.course_create(
                user=office,
                data={"kind": kind, "title": f"{CourseKind(kind).label}（{first:%m月%d日}）"},
                rules=[rule],
            )
            sessions = [
                course_services.course_session_add(
                    user=office,
                    course_id=course.pk,
                    data={
                        "title": f"第{index + 1}讲",
                        "kind": self.pick(list(SessionKind.values)),
                        "teacher": "刘志远",
                        "starts_at": start,
                        "ends_at": start + dt.timedelta(hours=2),
                    },
                )
                for index, start in enumerate(starts)
            ]
        if rng.random() < 0.15:
            return  # 筹备中: its draft sessions count nowhere
        try:
            with clock.at(created + dt.timedelta(hours=1)):
                course_workflow.course_publish(user=office, course_id=course.pk)
        except DomainError:
            return  # nobody current in the audience
        for session in sessions:
            self._hold(session.meeting)

    def _hold(self, meeting: Meeting) -> None:
        office, rng = self.office_user(), self.rng
        start, end = meeting.starts_at, meeting.ends_at
        if start >= TODAY or rng.random() < 0.15:
            if rng.random() < 0.4:
                with clock.at(min(start, TODAY) - dt.timedelta(days=1)):
                    meeting_workflow.meeting_cancel(
                        user=office, meeting_id=meeting.pk, reason="授课人临时有事"
                    )
            return
        with clock.at(start):
            meeting_workflow.meeting_start(user=office, meeting_id=meeting.pk)
            for invitation in Invitation.objects.filter(meeting=meeting).order_by("id"):
                roll = rng.random()
                arrived, left = start - dt.timedelta(minutes=5), None
                if roll < 0.15:
                    arrived = start + dt.timedelta(minutes=50)
                elif roll < 0.25:
                    left = end - dt.timedelta(minutes=60)
                elif roll > 0.8:
                    continue  # never checks in
                attendance_services.checkin_manual(
                    user=office, invitation_id=invitation.pk, arrived_at=arrived, left_at=left
                )
        with clock.at(end):
            meeting_workflow.meeting_end(user=office, meeting_id=meeting.pk)

    def course_invitations(self) -> list[Invitation]:
        return list(
            Invitation.objects.filter(
                committee=self.committee,
                meeting__course_session__isnull=False,
                meeting__status__in=HELD_STATUSES,
            ).order_by("id")
        )

    def set_course_attendance(self) -> None:
        """Staff settle one invitee's attendance of a held session by hand (e.g. 请假)."""
        invitations = self.course_invitations()
        if invitations:
            attendance_services.attendance_set(
                user=self.office_user(),
                invitation_id=self.pick(invitations).pk,
                status=self.pick(["present", "late", "early", "leave", "absent"]),
                note="电话请假" if self.rng.random() < 0.5 else "",
            )

    def add_texts(self) -> None:
        """A request for texts to a few members; some write a draft, most submit theirs."""
        office, rng = self.office_user(), self.rng
        active = self.active()
        if not active:
            return
        invited = rng.sample(active, min(len(active), rng.randint(1, 4)))
        when = moment(rng)
        kind = self.pick(list(TextKind.values))
        with clock.at(when):
            request = study_services.request_create(
                user=office,
                title=f"{TextKind(kind).label}征集（{when:%m月%d日}）",
                kind=kind,
                due_date=clock.today() + dt.timedelta(days=10),
                scope=InviteeScope.PICKED,
                membership_ids=[m.pk for m in invited],
            )
        for membership in invited:
            roll = rng.random()
            if roll < 0.15:
                continue
            user = self.user_of(membership)
            with clock.at(when + dt.timedelta(days=rng.randint(0, 9), hours=1)):
                if roll < 0.3:
                    study_services.submission_save_draft(
                        user=user, request_id=request.pk, title="学习体会（草稿）", body="初稿"
                    )
                else:
                    study_services.submission_save_and_submit(
                        user=user,
                        request_id=request.pk,
                        title=f"{self.pick(TITLES)[2:-3]}的学习体会",
                        body="通过学习，我对人民政协的性质定位有了更加深刻的认识。",
                    )

    def submitted_texts(self) -> list[Submission]:
        return list(
            Submission.objects.filter(
                committee=self.committee, status=SubmissionStatus.SUBMITTED
            ).order_by("id")
        )

    def adopt_text(self) -> None:
        texts = self.submitted_texts()
        if texts:
            study_services.submission_set_adopted(
                user=self.office_user(),
                submission_id=self.pick(texts).pk,
                adopted=self.rng.random() < 0.7,
            )

    def compile_texts(self) -> None:
        """A new compilation, or an existing one's contents changed (texts of any year)."""
        texts = self.submitted_texts()
        if not texts:
            return
        office = self.office_user()
        compilations = list(Compilation.objects.filter(committee=self.committee))
        if not compilations or self.rng.random() < 0.4:
            compilations = [
                study_services.compilation_create(user=office, title="委员学习心得汇编", year=YEAR)
            ]
        chosen = self.rng.sample(texts, self.rng.randint(0, min(4, len(texts))))
        study_services.compilation_set_entries(
            user=office,
            compilation_id=self.pick(compilations).pk,
            submission_ids=[text.pk for text in chosen],
        )

    def add_checkin(self) -> None:
        """读书打卡 of a group's member on some day (a group is started on first use)."""
        groups = list(ReadingGroup.objects.filter(committee=self.committee).order_by("id"))
        active = self.active()
        if (not groups or self.rng.random() < 0.1) and active:
            people = self.rng.sample(active, min(len(active), self.rng.randint(1, 5)))
            groups.append(
                study_services.reading_group_create(
                    user=self.office_user(),
                    name=f"读书群组{len(groups) + 1}",
                    convener_id=people[0].pk,
                    membership_ids=[m.pk for m in people[1:]],
                )
            )
        if not groups:
            return
        group = self.pick(groups)
        members = list(
            Membership.objects.filter(
                pk__in=ReadingGroupMember.objects.filter(group=group).values("membership_id")
            ).order_by("id")
        )
        membership = self.pick(members)
        with clock.at(moment(self.rng)):
            study_services.reading_checkin(
                user=self.user_of(membership), group_id=group.pk, progress="第三章"
            )

    STUDY_CHANGES = (
        "add_course",
        "add_course",
        "set_course_attendance",
        "add_texts",
        "add_texts",
        "adopt_text",
        "compile_texts",
        "add_checkin",
        "add_checkin",
    )

    CHANGES = (
        "add_proposal",
        "add_proposal",
        "add_assignment",
        "add_assignment",
        "add_reply",
        "add_evaluation",
        "change_proposal",
        "rehandle",
        "add_report",
        "add_outcome",
        "change_report",
        "add_meeting",
        "change_attendance",
        "add_topic",
        "add_outcome_to_meeting",
        "set_score",
        "move_member",
        "add_member",
        *STUDY_CHANGES,
    )

    def random_change(self) -> str:
        name = self.pick(list(self.CHANGES))
        getattr(self, name)()
        return name


def figure_checks(figures: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(label, value, drill-down key) for every countable figure of one slice."""
    checks: list[tuple[str, int, str]] = []
    proposals = figures["proposals"]
    for name in ("received", "accepted", "rejected", "key", "excellent"):
        checks.append((f"proposals.{name}", proposals[name], f"proposals.{name}"))
    for state in ("on_time", "late", "overdue", "pending"):
        checks.append((f"handling.{state}", proposals["handling"][state], f"handling.{state}"))
    for bucket in (*Satisfaction.values, "timed_out"):
        checks.append(
            (f"satisfaction.{bucket}", proposals["satisfaction"][bucket], f"satisfaction.{bucket}")
        )
    for result_class, count in proposals["classes"].items():
        checks.append((f"classes.{result_class}", count, f"classes.{result_class}"))
    opinions = figures["opinions"]
    for name in ("received", "accepted", "used", "upper", "instructed"):
        checks.append((f"opinions.{name}", opinions[name], f"opinions.{name}"))
    for level in opinions["levels"]:
        checks.append((f"level {level['name']}", level["count"], f"opinions.level.{level['id']}"))
    consultations = figures["consultations"]
    checks.append(("meetings", consultations["total"], "meetings.all"))
    for form in consultations["forms"]:
        checks.append((f"form {form['name']}", form["count"], f"meetings.{form['id']}"))
    if consultations["plan"]:
        for row in consultations["plan"]["progress"]:
            checks.append((f"plan {row['key']}", row["count"], f"plan.{row['key']}"))
    for row in figures["attendance"]["rows"]:
        checks.append((f"attendance {row['name']}", row["invited"], f"attendance.{row['id']}.all"))
        for status in ("present", "late", "early", "leave", "absent"):
            checks.append(
                (
                    f"attendance {row['name']} {status}",
                    row[status],
                    f"attendance.{row['id']}.{status}",
                )
            )
    scores = figures["scores"]
    for band in scores["bands"]:
        checks.append((f"band {band['key']}", band["count"], f"scores.band.{band['key']}"))
    checks.append(("lagging", scores["lagging_total"], "scores.lagging"))
    for grade in scores["grades"]:
        checks.append((f"grade {grade['name']}", grade["count"], f"scores.grade.{grade['name']}"))
    for unit in figures["units"]:
        checks.append((f"unit {unit['name']}", unit["assignments"], f"units.{unit['id']}"))
    return checks + study_checks(figures)


STUDY_STATUSES = ("invited", "present", "late", "early", "leave", "absent", "unsettled", "attended")


def study_checks(figures: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(label, value, drill-down key) for every countable study figure of one slice (none for
    a snapshot computed before the study figures existed)."""
    study = figures.get("study")
    if study is None:
        return []
    checks: list[tuple[str, int, str]] = [
        ("study courses", study["courses"], "study.courses.all"),
        ("study sessions", study["sessions"], "study.sessions.all"),
    ]
    for row in study["kinds"]:
        key = row["key"]
        checks.append((f"courses {key}", row["courses"], f"study.courses.{key}"))
        checks.append((f"sessions {key}", row["sessions"], f"study.sessions.{key}"))
        for status in STUDY_STATUSES:
            checks.append(
                (f"study {key} {status}", row[status], f"study.attendance.{key}.{status}")
            )
    for status in STUDY_STATUSES:
        checks.append(
            (f"study {status}", study["participation"][status], f"study.attendance.all.{status}")
        )
    texts = study["texts"]
    for name in ("submitted", "adopted", "compiled"):
        checks.append((f"texts {name}", texts[name], f"study.texts.{name}"))
        for row in texts["kinds"]:
            checks.append(
                (f"texts {name} {row['key']}", row[name], f"study.texts.{name}.{row['key']}")
            )
    checks.append(("reading checkins", study["reading"]["checkins"], "study.reading.checkins"))
    checks.append(("reading members", study["reading"]["members"], "study.reading.members"))
    return checks
