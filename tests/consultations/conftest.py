"""Fixtures for the consultations tests: the 会务 office, a 秘书长, an organiser who is not on
the office staff, a venue, and a builder that drives a meeting through the real workflow.

Personas (from tests/conftest.py unless said otherwise):
- office_user (钱进, 会务办公室, defined here): plans, schedules and runs every meeting of the city.
- organiser_user (专委会 staff 吴晓, defined here, no office role): organiser of the built
  meetings; runs them as the office does, nothing else.
- secretary_user (秘书长 孙建, defined here): leadership; approves leave for plenary and standing
  committee meetings and for meetings without a named approver.
- leader_user (赵文华, 副主席): leadership; approves the annual plan, sees every meeting.
- member_user (李红梅, 教育界): invited by sector to the built meetings.
- standing_user (陈志强, 常委, 教育界): invited too (same sector).
- other_member_user (王建国, 经济界): a member NOT invited; sees nothing of the meetings.
- district_office_user (历下区 会务, defined here): another committee's office; sees nothing.
- anonymous: the public; only open online consultations and approved comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.roles import Role
from apps.consultations import services, workflow
from apps.consultations.models import Meeting, Venue
from apps.consultations.selectors import meeting_form_list
from apps.members.models import Party, Position
from apps.sectors.models import Sector

from ..conftest import _member_user, _staff_user
from ..factories import UserFactory

TZ = timezone.get_fixed_timezone(8 * 60)
# Monday 2 March 2026, 09:00 in Shanghai: the frozen "now" of most tests.
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
# A meeting start more than 15 working days later (Wednesday 1 April 2026, 14:30).
START = dt.datetime(2026, 4, 1, 14, 30, tzinfo=TZ)
END = dt.datetime(2026, 4, 1, 17, 0, tzinfo=TZ)


def at(moment: dt.datetime) -> Any:
    """Freeze the clock at `moment` (time-machine, no ticking)."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def frozen():
    with at(NOW) as traveller:
        yield traveller


@pytest.fixture
def office_user(city, roles_seeded):
    return _staff_user(city, Role.GENERAL_OFFICE, username="qianjin", name="钱进")


@pytest.fixture
def organiser_user(city):
    return UserFactory(username="wuxiao", name="吴晓", committee=city)


@pytest.fixture
def secretary_user(city, city_term):
    from ..conftest import enroll_totp

    user = _member_user(
        city,
        city_term,
        username="sunjian",
        name="孙建",
        position=Position.SECRETARY_GENERAL,
        party=Party.CPC,
        sector_name="经济界",
    )
    enroll_totp(user)
    return user


@pytest.fixture
def district_office_user(district, roles_seeded):
    return _staff_user(district, Role.GENERAL_OFFICE, username="lixiahuiwu", name="历下会务")


@pytest.fixture
def venue(city):
    return Venue.objects.create(committee=city, name="一号会议室", capacity=80)


@pytest.fixture
def forms(city):
    return {form.name: form for form in meeting_form_list(committee=city)}


@pytest.fixture
def education_sector(city):
    return Sector.objects.get(committee=city, name="教育界")


@dataclass
class MeetingBuilder:
    """Drives a meeting through the real workflow (call inside a frozen clock)."""

    office: Any
    organiser: Any
    forms: dict[str, Any]
    venue: Any
    sector: Any

    def draft(self, **overrides: Any) -> Meeting:
        data = {
            "title": "关于推进普惠托育服务的专题协商会",
            "form_id": self.forms["专题协商会"].pk,
            "starts_at": START,
            "ends_at": END,
            "venue_id": self.venue.pk,
            "materials_release_at": dt.datetime(2026, 3, 16, 9, 0, tzinfo=TZ),
            "organiser_id": self.organiser.pk,
            **overrides,
        }
        meeting = services.meeting_create(user=self.office, data=data)
        services.meeting_invitees_set(
            user=self.office,
            meeting_id=meeting.pk,
            rules=[services.RuleSpec("sector", self.sector.pk)],
        )
        return Meeting.objects.get(pk=meeting.pk)

    def noticed(self, **overrides: Any) -> Meeting:
        meeting = self.draft(**overrides)
        return workflow.meeting_send_notice(user=self.office, meeting_id=meeting.pk)


@pytest.fixture
def builder(
    office_user, organiser_user, forms, venue, education_sector, member_user, standing_user
):
    return MeetingBuilder(office_user, organiser_user, forms, venue, education_sector)


# Courses (学习培训班) -------------------------------------------------------------------------
# Sessions start at START + n days, two hours each (all after the frozen NOW).
SESSION_LENGTH = dt.timedelta(hours=2)


def session_start(index: int) -> dt.datetime:
    return START + dt.timedelta(days=index)


@dataclass
class CourseBuilder:
    """Builds courses through the real services and workflow (call inside a frozen clock).
    The default audience is the 教育界 sector (李红梅 and 陈志强)."""

    staff: Any
    sector: Any

    def draft(self, *, sessions: int = 1, rules: Any = None, **data: Any) -> Any:
        from apps.consultations.models import Course
        from apps.consultations.services.courses import course_create

        values = {
            "kind": "training",
            "title": "2026年委员履职能力培训班",
            "topics": "学习贯彻全会精神；政协委员履职知识",
            "description": "",
            "pass_sessions": None,
            **data,
        }
        course = course_create(
            user=self.staff,
            data=values,
            rules=[("sector", self.sector.pk)] if rules is None else rules,
        )
        for index in range(sessions):
            self.session(course, index)
        return Course.objects.get(pk=course.pk)

    def session(self, course: Any, index: int = 0, **overrides: Any) -> Any:
        from apps.consultations.services.courses import course_session_add

        starts = overrides.pop("starts_at", session_start(index))
        data = {
            "title": f"第{index + 1}讲 政协委员履职知识",
            "kind": "lecture",
            "teacher": "王立新",
            "teacher_title": "市委党校教授",
            "starts_at": starts,
            "ends_at": starts + SESSION_LENGTH,
            "venue_id": None,
            "location_note": "市委党校报告厅",
            **overrides,
        }
        return course_session_add(user=self.staff, course_id=course.pk, data=data)

    def published(self, **kwargs: Any) -> Any:
        from apps.consultations.workflow.courses import course_publish

        course = self.draft(**kwargs)
        return course_publish(user=self.staff, course_id=course.pk)

    def meetings(self, course: Any) -> list[Meeting]:
        return list(
            Meeting.objects.filter(course_session__course=course).order_by("starts_at", "id")
        )

    def hold(self, course: Any) -> list[Meeting]:
        """Start and end every announced session at its own times (attendance is settled at
        the end: nobody checked in → 缺席)."""
        for meeting in self.meetings(course):
            with at(meeting.starts_at):
                workflow.meeting_start(user=self.staff, meeting_id=meeting.pk)
            with at(meeting.ends_at):
                workflow.meeting_end(user=self.staff, meeting_id=meeting.pk)
        return self.meetings(course)


@pytest.fixture
def inactive_liaison_user(city, roles_seeded):
    """A 委员联络处 account that has been switched off."""
    user = _staff_user(city, Role.LIAISON_OFFICE, username="jinglei", name="景磊")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.fixture
def courses(liaison_user, education_sector, member_user, standing_user):
    return CourseBuilder(liaison_user, education_sector)
