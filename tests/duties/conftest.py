"""Fixtures for the duties tests: rule sets installed through the real services, builders that
drive proposals, meetings and social-opinion reports through their real workflows (so the
records follow their sources the way they do in the portal), and helpers to run what is queued
on commit.

Personas (from tests/conftest.py unless said otherwise):
- member_user (李红梅, 教育界, 无党派): her own record, score, filings and warnings only.
- other_member_user (王建国, 经济界): another member; sees nothing of 李红梅's.
- standing_user (陈志强, 常委): co-signs 李红梅's joint proposals.
- liaison_user (孙丽, 委员联络处): the committee's records and scores, verifies filings,
  edits the rules, closes a year.
- leader_user (赵文华, 副主席): the committee's records, scores, warnings, rules read only.
- district_liaison (历下区 委员联络处, defined here): another committee; sees nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import Role
from apps.core import clock
from apps.duties import services
from apps.duties.demo import PDF as DEMO_PDF
from apps.duties.demo import PNG as DEMO_PNG
from apps.duties.models import ScoringRuleSet
from apps.duties.rules.library import preset_get
from apps.members.models import Membership

from ..conftest import _staff_user

PDF_BYTES = DEMO_PDF  # real files: the upload check opens them with their parsers
PNG_BYTES = DEMO_PNG


def pdf(name: str = "签到表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def membership_of(user: Any) -> Membership:
    return Membership.objects.get(member__user=user, term__is_current=True)


# Mid-June 2026 in Shanghai: the duties tests run "in" 2026 whatever today is (the clock keeps
# ticking; consultation tests freeze it further with their own `at`).
TODAY = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _in_2026() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def year() -> int:
    return clock.today().year


@pytest.fixture
def district_liaison(district, roles_seeded):
    return _staff_user(district, Role.LIAISON_OFFICE, username="lixialianluo", name="区联络处")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    """`with on_commit():` runs what the block queued for after commit (the refresh tasks run
    eagerly in tests), as a committed transaction would."""

    @contextmanager
    def runner() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return runner


def install(user: Any, committee: Any, year: int, preset: str, **changes: Any) -> ScoringRuleSet:
    """Install a preset for the year, apply `changes` to its definition and put it in effect,
    through the services (as the rule page does)."""
    rule_set = services.rule_set_install(
        user=user, committee_id=committee.pk, year=year, preset_key=preset
    )
    if changes:
        found = preset_get(preset)
        assert found is not None
        definition = copy.deepcopy(rule_set.definition)
        definition.update(changes)
        rule_set = services.rule_set_save(
            user=user, rule_set_id=rule_set.pk, name=rule_set.name, definition=definition
        )
    return services.rule_set_activate(user=user, rule_set_id=rule_set.pk)


@pytest.fixture
def jinan_rules(liaison_user, city, year, on_commit):
    with on_commit():
        return install(liaison_user, city, year, "jinan-2015")


@pytest.fixture
def tongcheng_rules(liaison_user, city, year, on_commit):
    with on_commit():
        return install(liaison_user, city, year, "tongcheng-2019")


def summary_of(user: Any, year: int) -> Any:
    from apps.duties.models import DutySummary

    return DutySummary.objects.filter(membership=membership_of(user), year=year).first()


# Builders of the source apps (their own test builders, driving the real workflows) ---------


@pytest.fixture
def proposal_category(city):
    from apps.proposals.selectors import category_list

    return category_list(committee=city).get(name="教科文卫体")


@pytest.fixture
def proposals(member_user, proposal_staff_user, unit_user, proposal_category, education_unit):
    from tests.proposals.conftest import Builder

    return Builder(
        member_user, proposal_staff_user, unit_user, proposal_category, education_unit.pk
    )


@pytest.fixture
def opinion_editor(city, roles_seeded):
    return _staff_user(city, Role.OPINION_OFFICE, username="maxiaoyan", name="马晓燕")


@pytest.fixture
def opinions(member_user, opinion_editor, leader_user, city):
    from apps.opinions.selectors import category_list
    from tests.opinions.conftest import Builder

    category = category_list(committee=city).get(name="城乡建设")
    return Builder(member=member_user, editor=opinion_editor, leader=leader_user, category=category)


@pytest.fixture
def meeting_office(city, roles_seeded):
    return _staff_user(city, Role.GENERAL_OFFICE, username="qianjin", name="钱进")


@pytest.fixture
def meetings(meeting_office, city, member_user, standing_user):
    from apps.consultations.models import Venue
    from apps.consultations.selectors import meeting_form_list
    from apps.sectors.models import Sector
    from tests.consultations.conftest import MeetingBuilder
    from tests.factories import UserFactory

    organiser = UserFactory(username="wuxiao", name="吴晓", committee=city)
    forms = {form.name: form for form in meeting_form_list(committee=city)}
    venue = Venue.objects.create(committee=city, name="一号会议室", capacity=80)
    sector = Sector.objects.get(committee=city, name="教育界")
    return MeetingBuilder(meeting_office, organiser, forms, venue, sector)
