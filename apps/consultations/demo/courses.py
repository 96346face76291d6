"""Demo courses (学习培训), walked through the real services and workflow as of past dates:

- the term's 新任委员培训班 with four sessions held two months ago (answers, a leave decided,
  check-ins, attendance settled) and finished (结业);
- a 专题读书班 published with two sessions ahead (the first the day after tomorrow);
- a 学习研讨班 still 筹备中 with one session.

Safe to run twice: courses are looked up by title.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo import DemoRun
from apps.organisation.models import Committee

from .. import workflow
from ..models import Answer, Course, Invitation, Venue
from ..services import courses as course_services
from ..services.invitees import RuleSpec, resolve
from ..workflow import courses as course_workflow


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed_courses(
    run: DemoRun, *, committee: Committee, office: User | None, data: list[dict[str, Any]]
) -> None:
    if office is None:
        return
    rng = run.rng("consultations", "courses")
    venue = Venue.objects.filter(committee=committee).order_by("id").first()
    existing = set(Course.objects.filter(committee=committee).values_list("title", flat=True))
    for spec in data:
        if spec["title"] in existing:
            continue
        _walk(rng, committee, office, venue, spec)
        run.created(_("学习培训班"))


def _audience(committee: Committee, kind: str) -> list[tuple[str, int | None]]:
    if resolve(committee_id=committee.pk, specs=[RuleSpec(kind)]):
        return [(kind, None)]
    return [("all", None)]  # a demo roster whose members all served before


def _walk(
    rng: random.Random,
    committee: Committee,
    office: User,
    venue: Venue | None,
    spec: dict[str, Any],
) -> None:
    today = clock.today()
    starts = [
        _moment(today + dt.timedelta(days=int(s["day"])), int(s["hour"])) for s in spec["sessions"]
    ]
    created_at = min(starts) - dt.timedelta(days=10)
    created_at = min(created_at, clock.now() - dt.timedelta(hours=3))
    with clock.at(created_at):
        course = course_services.course_create(
            user=office,
            data={
                "kind": spec["kind"],
                "title": spec["title"],
                "topics": spec.get("topics", ""),
                "description": spec.get("description", ""),
                "pass_sessions": spec.get("pass_sessions"),
            },
            rules=_audience(committee, spec.get("audience", "all")),
        )
        sessions = []
        for session, start in zip(spec["sessions"], starts, strict=True):
            sessions.append(
                course_services.course_session_add(
                    user=office,
                    course_id=course.pk,
                    data={
                        "title": session["title"],
                        "kind": session["kind"],
                        "teacher": session.get("teacher", ""),
                        "teacher_title": session.get("teacher_title", ""),
                        "starts_at": start,
                        "ends_at": start + dt.timedelta(hours=float(session.get("hours", 2.5))),
                        "venue_id": venue.pk if venue else None,
                    },
                )
            )
    if spec["state"] == "draft":
        return
    with clock.at(created_at + dt.timedelta(hours=2)):
        course_workflow.course_publish(user=office, course_id=course.pk)
    for session in sessions:
        meeting = session.meeting
        invitations = list(Invitation.objects.filter(meeting=meeting).order_by("id"))
        _answers(rng, invitations, created_at + dt.timedelta(hours=3))
        if meeting.starts_at > clock.now():
            continue
        _leave(rng, office, meeting.pk, invitations, meeting.starts_at)
        with clock.at(meeting.starts_at):
            workflow.meeting_start(user=office, meeting_id=meeting.pk)
        _check_ins(rng, meeting.pk, meeting.starts_at)
        with clock.at(meeting.ends_at):
            workflow.meeting_end(user=office, meeting_id=meeting.pk)
    if spec["state"] == "finished":
        with clock.at(max(s.meeting.ends_at for s in sessions) + dt.timedelta(days=1)):
            course_workflow.course_finish(user=office, course_id=course.pk)


def _answers(rng: random.Random, invitations: list[Invitation], when: dt.datetime) -> None:
    changed = []
    for invitation in invitations:
        if rng.random() < 0.85:
            invitation.answer = Answer.ATTEND
            invitation.answered_at = when + dt.timedelta(hours=rng.randint(1, 48))
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["answer", "answered_at"], batch_size=500)


def _leave(
    rng: random.Random,
    office: User,
    meeting_id: int,
    invitations: list[Invitation],
    start: dt.datetime,
) -> None:
    """One invitee who had not answered asks for leave; the course's staff approve it."""
    asker = next((i for i in invitations if i.user_id and i.answer == Answer.PENDING), None)
    if asker is None or asker.user is None:
        return
    with clock.at(start - dt.timedelta(days=3)):
        leave = workflow.leave_request(
            user=asker.user, meeting_id=meeting_id, reason=_("单位有重要接待任务，无法参加。")
        )
    with clock.at(start - dt.timedelta(days=3) + dt.timedelta(hours=2)):
        workflow.leave_approve(user=office, leave_id=leave.pk)


def _check_ins(rng: random.Random, meeting_id: int, start: dt.datetime) -> None:
    rows = list(Invitation.objects.filter(meeting_id=meeting_id, answer=Answer.ATTEND))
    for row in rows:
        roll = rng.random()
        if roll < 0.06:
            continue
        minutes = rng.randint(20, 40) if roll < 0.12 else -rng.randint(2, 25)
        row.checked_in_at = start + dt.timedelta(minutes=minutes)
        row.check_in_method = rng.choice(["qr", "qr", "code", "manual"])
    Invitation.objects.bulk_update(rows, ["checked_in_at", "check_in_method"], batch_size=500)
