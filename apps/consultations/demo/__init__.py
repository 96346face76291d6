"""Demo seeder of consultations: a year's plan of 12 topics walked to 已发布, about 40 meetings
in every state (walked through the real services and workflow as of past dates: notices,
answers, leave asked and decided, check-in, attendance settled, outcomes sent, 批示 and
closing), an open online consultation with a few hundred comments in every moderation
state, and three study courses (demo/courses.py). Literal data is in consultations.toml;
volume (answers, check-ins, comments) is bulk.

Safe to run twice: the plan is looked up by year, meetings by title, the online consultation
by title. The walks' notices are settled as already delivered.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo import DemoRun, load_data
from apps.core.text import keywords
from apps.members.models import Membership, MembershipStatus, Position
from apps.organisation.models import Committee, MemberGroup, SpecialCommittee

from .. import services, workflow
from ..models import (
    AnnualPlan,
    Answer,
    Comment,
    CommentStatus,
    Invitation,
    Meeting,
    MeetingStatus,
    OnlineConsultation,
    Venue,
    VisitDay,
)
from ..selectors.config import meeting_form_list
from ..services.invitees import resolve

DATA = "consultations.toml"
# How many meetings end in each state (about 40 in all).
STATES: tuple[tuple[str, int], ...] = (
    (MeetingStatus.CLOSED, 6),
    (MeetingStatus.OUTCOME_SENT, 6),
    (MeetingStatus.ENDED, 6),
    (MeetingStatus.IN_PROGRESS, 1),
    (MeetingStatus.NOTICED, 10),
    (MeetingStatus.RESCHEDULED, 3),
    (MeetingStatus.DRAFT, 5),
    (MeetingStatus.CANCELLED, 3),
)
# Days from today to the start, per final state.
OFFSETS: dict[str, tuple[int, int]] = {
    MeetingStatus.CLOSED: (-300, -120),
    MeetingStatus.OUTCOME_SENT: (-110, -40),
    MeetingStatus.ENDED: (-35, -2),
    MeetingStatus.NOTICED: (2, 45),
    MeetingStatus.RESCHEDULED: (12, 40),
    MeetingStatus.DRAFT: (8, 60),
    MeetingStatus.CANCELLED: (5, 30),
}


def seed(run: DemoRun) -> None:
    data = load_data(__file__, DATA)
    committee = Committee.objects.filter(code=data["committee"]).first()
    office = User.objects.filter(username=data["office"]).first()
    if committee is None or office is None:
        return
    with transaction.atomic():
        cast = _cast(committee, office)
        _venues(run, committee, data)
        plan = _plan(run, cast, data)
        _meetings(run, cast, data, plan)
        _online(run, cast, data)
        from .courses import seed_courses

        seed_courses(
            run,
            committee=committee,
            office=User.objects.filter(username=data.get("course_office", "")).first(),
            data=data.get("courses", []),
        )
    from apps.notifications.demo import outbox_settle
    from apps.notifications.models import OutboxMessage

    outbox_settle(OutboxMessage.objects.filter(kind="consultation", deliveries__status="pending"))
    run.note(
        _("会务办公室 %(user)s：会议活动、日程、签到大屏、码上商量；秘书长审批全会和常委会请假。")
        % {"user": office.username}
    )


class Cast:
    """Who acts in the demo."""

    def __init__(self, committee: Committee, office: User):
        self.committee = committee
        self.office = office
        current = Membership.objects.filter(
            committee=committee, term__is_current=True, status=MembershipStatus.ACTIVE
        ).select_related("member__user")
        self.secretary = next(
            (
                m.member.user
                for m in current.filter(position=Position.SECRETARY_GENERAL)
                if m.member.user
            ),
            None,
        )
        leaders = [
            m.member.user
            for m in current.filter(position__in=[Position.CHAIR, Position.VICE_CHAIR])
            if m.member.user
        ]
        self.leader = leaders[0] if leaders else None
        self.leaders = leaders
        self.special = {s.name: s for s in SpecialCommittee.objects.filter(committee=committee)}
        self.groups = list(MemberGroup.objects.filter(committee=committee).order_by("id"))
        self.forms = {f.name: f for f in meeting_form_list(committee=committee)}
        self.venues: list[Venue] = []


def _cast(committee: Committee, office: User) -> Cast:
    return Cast(committee, office)


def _venues(run: DemoRun, cast_or_committee: Committee, data: dict[str, Any]) -> None:
    for item in data["venues"]:
        _venue, created = Venue.objects.get_or_create(
            committee=cast_or_committee,
            name=item["name"],
            defaults={"address": item["address"], "capacity": item["capacity"]},
        )
        run.created(_("会场"), int(created))


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    while day.weekday() >= 5:  # meetings on working days
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _plan(run: DemoRun, cast: Cast, data: dict[str, Any]) -> AnnualPlan:
    year = clock.today().year
    plan = AnnualPlan.objects.filter(committee=cast.committee, year=year).first()
    if plan is not None:
        return plan
    start = timezone.make_aware(dt.datetime(year, 1, 4, 9, 0))
    with clock.at(min(start, clock.now() - dt.timedelta(days=1))):
        plan = services.plan_create(
            user=cast.office,
            year=year,
            title=data["plan_title"].format(year=year),
            introduction=data["plan_introduction"],
        )
        for title, form, special, month, departments in data["topics"]:
            services.topic_save(
                user=cast.office,
                plan_id=plan.pk,
                data={
                    "title": title,
                    "form_id": cast.forms[form].pk,
                    "lead_special_committee_id": cast.special[special].pk
                    if special in cast.special
                    else None,
                    "planned_month": month,
                    "departments": departments,
                },
            )
        workflow.plan_submit(user=cast.office, plan_id=plan.pk)
        if cast.leader is not None:
            workflow.plan_approve(user=cast.leader, plan_id=plan.pk)
            workflow.plan_publish(user=cast.office, plan_id=plan.pk)
    run.created(_("年度协商计划"))
    return plan


def _specs(data: dict[str, Any], plan: AnnualPlan) -> list[dict[str, Any]]:
    """About 40 meetings: each topic's consultation, a field trip for some topics, the
    extra meetings; each with the state it ends in."""
    topics = list(plan.topics.select_related("form", "lead_special_committee").order_by("id"))
    specs: list[dict[str, Any]] = []
    for topic in topics:
        specs.append(
            {
                "title": f"关于{topic.title}的{topic.form.name}",
                "form": topic.form.name,
                "topic": topic,
                "special": topic.lead_special_committee,
            }
        )
    for topic in topics[:12]:
        specs.append(
            {
                "title": f"“{topic.title}”专题调研",
                "form": "调研",
                "topic": topic,
                "special": topic.lead_special_committee,
            }
        )
    for topic in topics[:6]:
        specs.append(
            {
                "title": f"“{topic.title}”委员座谈会",
                "form": "协商座谈会",
                "topic": topic,
                "special": topic.lead_special_committee,
            }
        )
    for title, form in data["extra_meetings"]:
        specs.append({"title": title, "form": form, "topic": None, "special": None})
    specs.append({"title": "常务委员会第十次会议", "form": "常务委员会会议", "topic": None})
    specs.append({"title": "主席会议", "form": "主席会议", "topic": None})
    # Round robin over the states, so every state is reached whatever the number of specs.
    pools = {state: count for state, count in STATES}
    states: list[str] = []
    while any(pools.values()):
        for state, _count in STATES:
            if pools[state]:
                states.append(state)
                pools[state] -= 1
    for spec, state in zip(specs, states, strict=False):
        spec["state"] = state
    return [spec for spec in specs if "state" in spec]


def _meetings(run: DemoRun, cast: Cast, data: dict[str, Any], plan: AnnualPlan) -> None:
    rng = run.rng("consultations", "meetings")
    cast.venues = list(Venue.objects.filter(committee=cast.committee).order_by("id"))
    existing = set(Meeting.objects.filter(committee=cast.committee).values_list("title", flat=True))
    for index, spec in enumerate(_specs(data, plan)):
        if spec["title"] in existing:
            continue
        _walk(cast, rng, data, spec, index)
        run.created(_("会议活动"))


def _rule(cast: Cast, spec: dict[str, Any], index: int) -> services.RuleSpec:
    form = spec["form"]
    if form in ("常务委员会会议", "专题议政性常委会议"):
        return services.RuleSpec("standing")
    if form == "主席会议":
        return services.RuleSpec("standing")
    special = spec.get("special")
    if special is not None:
        return services.RuleSpec("special_committee", special.pk)
    if cast.groups:
        return services.RuleSpec("group", cast.groups[index % len(cast.groups)].pk)
    return services.RuleSpec("all")


def _walk(
    cast: Cast, rng: random.Random, data: dict[str, Any], spec: dict[str, Any], index: int
) -> None:
    state = spec["state"]
    now = clock.now()
    today = clock.today()
    if state == MeetingStatus.IN_PROGRESS:
        start = now - dt.timedelta(minutes=30)
        start = start.replace(second=0, microsecond=0)
    else:
        low, high = OFFSETS[state]
        start = _moment(
            today + dt.timedelta(days=rng.randint(low, high)),
            rng.choice([9, 14]),
            30 if rng.random() < 0.5 else 0,
        )
    end = start + dt.timedelta(hours=2, minutes=30)
    created_at = min(start - dt.timedelta(days=25), now - dt.timedelta(hours=2))
    venue = (
        cast.venues[index % len(cast.venues)]
        if cast.venues and spec["form"] not in ("视察", "调研", "考察", "网络议政/远程协商")
        else None
    )
    with clock.at(created_at):
        meeting = services.meeting_create(
            user=cast.office,
            data={
                "title": spec["title"],
                "form_id": cast.forms[spec["form"]].pk,
                "topic_id": spec["topic"].pk if spec.get("topic") else None,
                "starts_at": start,
                "ends_at": end,
                "venue_id": venue.pk if venue else None,
                "location_note": "" if venue else _("集合地点：市政协机关大门"),
                "lead_special_committee_id": spec["special"].pk if spec.get("special") else None,
                "materials_release_at": start - dt.timedelta(days=14),
                "signup_required": spec["form"] in ("视察", "调研", "考察"),
            },
            leader_ids=[cast.leaders[index % len(cast.leaders)].pk] if cast.leaders else None,
        )
        rule = _rule(cast, spec, index)
        if not resolve(committee_id=cast.committee.pk, specs=[rule]):
            rule = services.RuleSpec("all")  # a committee or group without members here
        services.meeting_invitees_set(user=cast.office, meeting_id=meeting.pk, rules=[rule])
        if (
            state in (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED, MeetingStatus.IN_PROGRESS)
            or start < now
        ):
            services.material_upload(
                user=cast.office,
                meeting_id=meeting.pk,
                title=_("会议材料：%(title)s") % {"title": spec["title"]},
                upload=ContentFile(
                    f"{spec['title']}\n情况通报与参阅材料（演示）。\n".encode(), name="材料.txt"
                ),
            )
    if state == MeetingStatus.DRAFT:
        return
    notice_at = min(start - dt.timedelta(days=21), now - dt.timedelta(hours=1))
    if state != MeetingStatus.IN_PROGRESS and start > now:
        notice_at = min(notice_at, now - dt.timedelta(days=rng.randint(1, 6)))
    with clock.at(notice_at):
        workflow.meeting_send_notice(user=cast.office, meeting_id=meeting.pk)
    if state == MeetingStatus.CANCELLED:
        with clock.at(notice_at + dt.timedelta(hours=20)):
            workflow.meeting_cancel(
                user=cast.office,
                meeting_id=meeting.pk,
                reason=_("因工作安排调整，会议取消，另行通知。"),
            )
        return
    invitations = list(Invitation.objects.filter(meeting=meeting).order_by("id"))
    _answers(rng, invitations, notice_at)
    if state == MeetingStatus.RESCHEDULED:
        new_start = _moment(start.date() + dt.timedelta(days=7), start.hour, start.minute)
        with clock.at(notice_at + dt.timedelta(hours=30)):
            workflow.meeting_reschedule(
                user=cast.office,
                meeting_id=meeting.pk,
                starts_at=new_start,
                ends_at=new_start + (end - start),
                reason=_("与市委重要会议时间冲突，顺延一周。"),
            )
        start, end = new_start, new_start + (end - start)
    _leave(cast, rng, data, meeting, invitations, start)
    if state in (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED):
        return
    with clock.at(start):
        workflow.meeting_start(user=cast.office, meeting_id=meeting.pk)
    _check_ins(rng, meeting, start, end)
    if state == MeetingStatus.IN_PROGRESS:
        return
    with clock.at(end):
        workflow.meeting_end(user=cast.office, meeting_id=meeting.pk)
    if state == MeetingStatus.ENDED:
        return
    sent_at = end + dt.timedelta(days=5)
    with clock.at(sent_at):
        services.outcome_record(
            user=cast.office,
            meeting_id=meeting.pk,
            kind="minutes",
            title=_("%(title)s纪要") % {"title": spec["title"]},
            summary=data["outcome_summaries"][0].format(n=rng.randint(6, 15)),
            sent_to=_("市委、市政府"),
            sent_on=clock.today(),
        )
        if index % 3 == 0:
            services.outcome_record(
                user=cast.office,
                meeting_id=meeting.pk,
                kind="briefing",
                title=_("协商专报：%(title)s") % {"title": spec["title"]},
                summary=data["outcome_summaries"][1],
                sent_to=_("市委、市政府"),
                sent_on=clock.today(),
            )
        workflow.meeting_report_outcome(user=cast.office, meeting_id=meeting.pk)
    if state != MeetingStatus.CLOSED:
        return
    with clock.at(end + dt.timedelta(days=30)):
        for outcome in meeting.outcomes.all():
            services.follow_up_record(
                user=cast.office,
                outcome_id=outcome.pk,
                kind="instruction",
                leader=_("市委主要负责同志"),
                level=_("市委"),
                text=_("请市政府研究吸纳，有关部门抓好落实。"),
                happened_on=clock.today(),
                close=True,
            )
        workflow.meeting_close(user=cast.office, meeting_id=meeting.pk)


def _answers(rng: random.Random, invitations: list[Invitation], when: dt.datetime) -> None:
    """Most invitees answer 出席, a few 不出席, the rest not yet (bulk: only volume matters)."""
    changed = []
    for invitation in invitations:
        roll = rng.random()
        if roll < 0.72:
            invitation.answer = Answer.ATTEND
        elif roll < 0.78:
            invitation.answer = Answer.DECLINE
        else:
            continue
        invitation.answered_at = when + dt.timedelta(hours=rng.randint(2, 72))
        changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["answer", "answered_at"], batch_size=500)


def _leave(
    cast: Cast,
    rng: random.Random,
    data: dict[str, Any],
    meeting: Meeting,
    invitations: list[Invitation],
    start: dt.datetime,
) -> None:
    """One or two invitees ask for leave (walked); the 秘书长 decides most of them."""
    askers = [i for i in invitations if i.user_id and i.answer == Answer.PENDING][:2]
    for position, invitation in enumerate(askers):
        asked = start - dt.timedelta(days=4, hours=position)
        if asked >= clock.now():
            asked = clock.now() - dt.timedelta(hours=1 + position)
        if asked >= start - dt.timedelta(days=2):
            continue
        user = invitation.user
        assert user is not None
        with clock.at(asked):
            leave = workflow.leave_request(
                user=user, meeting_id=meeting.pk, reason=rng.choice(data["leave_reasons"])
            )
        if cast.secretary is None or (position == 1 and start > clock.now()):
            continue  # the second request of a coming meeting waits for the approver
        with clock.at(asked + dt.timedelta(hours=3)):
            if rng.random() < 0.85:
                workflow.leave_approve(user=cast.secretary, leave_id=leave.pk)
            else:
                workflow.leave_refuse(
                    user=cast.secretary, leave_id=leave.pk, note=_("会议议题重要，请尽量参加。")
                )


def _check_ins(rng: random.Random, meeting: Meeting, start: dt.datetime, end: dt.datetime) -> None:
    """Those who said they would come check in (bulk); some late, a few leave early."""
    rows = list(Invitation.objects.filter(meeting=meeting, answer=Answer.ATTEND))
    for row in rows:
        roll = rng.random()
        if roll < 0.08:
            continue  # did not come after all
        if roll < 0.16:
            row.checked_in_at = start + dt.timedelta(minutes=rng.randint(20, 45))
        else:
            row.checked_in_at = start - dt.timedelta(minutes=rng.randint(1, 25))
        row.check_in_method = rng.choice(["qr", "qr", "qr", "code", "manual"])
        if rng.random() < 0.06:
            row.left_at = end - dt.timedelta(minutes=rng.randint(30, 50))
    Invitation.objects.bulk_update(
        rows, ["checked_in_at", "check_in_method", "left_at"], batch_size=500
    )


def _online(run: DemoRun, cast: Cast, data: dict[str, Any]) -> None:
    spec = data["online"]
    if OnlineConsultation.objects.filter(committee=cast.committee, title=spec["title"]).exists():
        return
    rng = run.rng("consultations", "online")
    now = clock.now()
    opened = now - dt.timedelta(days=4)
    from ..services.online import online_create

    with clock.at(opened):
        consultation = online_create(
            user=cast.office,
            data={
                "title": spec["title"],
                "introduction": spec["introduction"],
                "opens_at": opened,
                "closes_at": now + dt.timedelta(days=10),
            },
        )
    members = list(
        Membership.objects.filter(
            committee=cast.committee, term__is_current=True, status=MembershipStatus.ACTIVE
        ).values_list("pk", flat=True)[:40]
    )
    statuses = (
        [CommentStatus.APPROVED] * 45
        + [CommentStatus.PENDING] * 38
        + [CommentStatus.REJECTED] * 10
        + [CommentStatus.HIDDEN] * 7
    )
    comments = []
    times = []
    for _index in range(int(spec["comments"])):
        body = (
            rng.choice(spec["openings"]) + rng.choice(spec["middles"]) + rng.choice(spec["endings"])
        )
        status = rng.choice(statuses)
        moment = opened + dt.timedelta(minutes=rng.randint(10, 4 * 24 * 60 - 60))
        times.append(moment)
        comments.append(
            Comment(
                consultation=consultation,
                body=body,
                author_name=rng.choice(spec["names"]),
                membership_id=rng.choice(members) if members and rng.random() < 0.12 else None,
                keywords=[word for word, _weight in keywords(body, 8)],
                status=status,
                moderated_by=cast.office if status != CommentStatus.PENDING else None,
                moderated_at=moment + dt.timedelta(hours=2)
                if status != CommentStatus.PENDING
                else None,
                moderation_reason={
                    CommentStatus.REJECTED: _("与议题无关"),
                    CommentStatus.HIDDEN: _("含个人联系方式"),
                }.get(status, ""),
            )
        )
    created = Comment.objects.bulk_create(comments, batch_size=500)
    for comment, moment in zip(created, times, strict=True):
        comment.created_at = moment
    Comment.objects.bulk_update(created, ["created_at"], batch_size=500)
    visits = 0
    for offset in range(5):
        day = timezone.localdate(opened) + dt.timedelta(days=offset)
        count = rng.randint(300, 900)
        visits += count
        VisitDay.objects.create(consultation=consultation, day=day, visits=count)
    OnlineConsultation.objects.filter(pk=consultation.pk).update(visit_count=visits)
    run.created(_("网上协商留言"), len(created))
