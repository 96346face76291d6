"""Fixtures for the social-opinion tests: the 社情民意信息处 persona, a second leader, an
organisation with its information liaison, and a builder that drives a report through the real
workflow to any state.

Personas (from tests/conftest.py unless said otherwise):
- member_user (李红梅): submitter of the reports built here; sees her own reports only.
- coauthor_user (陈志强, the standing_user persona): credited as co-author; may read, not edit.
- other_member_user (王建国): a member with no part in the report; sees nothing of it.
- liaison (孙伟, defined here): information liaison of 民盟市委 (a reporting unit); files for it,
  sees its reports, nothing of members' own reports.
- fellow_liaison (周联络, defined here): a second liaison of 民盟市委; acts as the submitter of
  the reports 孙伟 filed for it.
- other_unit_liaison (吴联络, defined here): liaison of 九三学社市委; nothing of 民盟市委's reports.
- editor (马晓燕, defined here): the 社情民意信息处; screens, edits, compiles, records outcomes.
- leader_user (赵文华, 副主席): the signing leader of the built reports.
- chair_user (defined here, 主席): leadership who is NOT the report's signer: reads, cannot sign.
- district_member_user / district_editor: another committee; see nothing of the city's reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import Role
from apps.core.samples import SAMPLE_PDF
from apps.members.models import Party, Position
from apps.opinions import services, workflow
from apps.opinions.models import (
    BulletinSeries,
    InformationLiaison,
    OpinionReport,
    ReportingUnit,
    UnitKind,
)
from apps.opinions.selectors import adoption_level_list, category_list

from ..conftest import _member_user, _staff_user

PDF_BYTES = SAMPLE_PDF  # a real PDF (apps.core.uploads opens it with its parser)

TEXT = {
    "title": "关于老旧小区加装电梯后续管护难的情况反映",
    "situation": (
        "近年来我市老旧小区加装电梯工作推进较快，已累计加装一千余部。但电梯投入使用后，"
        "维保费用分摊、年检责任主体不清，部分电梯因故障停运数月无人处理，居民反映强烈。"
    ),
    "analysis": "主要原因是加装电梯产权归属不明确，物业服务企业不愿接手，业主自管能力不足。",
    "suggestion": (
        "一是明确加装电梯的产权和安全管理责任主体；二是建立维保资金归集和使用机制；"
        "三是将加装电梯纳入物业服务范围，由街道社区统筹协调。"
    ),
}


def upload(name: str, content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def category(city):
    return category_list(committee=city).get(name="城乡建设")


@pytest.fixture
def levels(city):
    return {level.name: level for level in adoption_level_list(committee=city)}


@pytest.fixture
def editor(city, roles_seeded):
    """马晓燕, 社情民意信息处 of the city committee."""
    return _staff_user(city, Role.OPINION_OFFICE, username="maxiaoyan", name="马晓燕")


@pytest.fixture
def coauthor_user(standing_user):
    return standing_user


@pytest.fixture
def chair_user(city, city_term):
    """主席 of the city committee: leadership, but not the leader the reports are sent to."""
    from ..conftest import enroll_totp

    user = _member_user(
        city,
        city_term,
        username="zhuxi",
        name="钱主席",
        position=Position.CHAIR,
        party=Party.CPC,
    )
    enroll_totp(user)
    return user


@pytest.fixture
def unit(city):
    return ReportingUnit.objects.create(committee=city, kind=UnitKind.PARTY, name="民盟市委")


@pytest.fixture
def liaison(city, unit):
    """孙伟, 民盟市委's information liaison (an account of the city committee, not a member)."""
    from tests.factories import UserFactory

    user = UserFactory(username="sunwei", name="孙伟", committee=city)
    InformationLiaison.objects.create(unit=unit, user=user)
    return user


@pytest.fixture
def fellow_liaison(city, unit):
    """周联络, a second information liaison of 民盟市委."""
    from tests.factories import UserFactory

    user = UserFactory(username="zhouliaison", name="周联络", committee=city)
    InformationLiaison.objects.create(unit=unit, user=user)
    return user


@pytest.fixture
def other_unit(city):
    return ReportingUnit.objects.create(committee=city, kind=UnitKind.PARTY, name="九三学社市委")


@pytest.fixture
def other_unit_liaison(city, other_unit):
    """吴联络, information liaison of 九三学社市委 (another organisation)."""
    from tests.factories import UserFactory

    user = UserFactory(username="wuliaison", name="吴联络", committee=city)
    InformationLiaison.objects.create(unit=other_unit, user=user)
    return user


@pytest.fixture
def district_editor(district, roles_seeded):
    return _staff_user(district, Role.OPINION_OFFICE, username="lixia_sheqing", name="区信息处")


def membership_of(user: Any) -> Any:
    from apps.members.models import Membership

    return Membership.objects.get(member__user=user, term__is_current=True)


@dataclass
class Builder:
    """Drives a report through the real workflow. Each method returns the fresh report."""

    member: Any
    editor: Any
    leader: Any
    category: Any

    def draft(self, user: Any = None, **overrides: Any) -> OpinionReport:
        data = {**TEXT, "category_id": self.category.pk, **overrides}
        return services.report_draft_create(user=user or self.member, **data)

    def submitted(self, **overrides: Any) -> OpinionReport:
        report = self.draft(**overrides)
        user = overrides.get("user") or self.member
        return workflow.report_submit(user=user, report_id=report.pk)

    def returned(self, **overrides: Any) -> OpinionReport:
        report = self.submitted(**overrides)
        return workflow.report_return(user=self.editor, report_id=report.pk, reason="请补充数据。")

    def declined(self, **overrides: Any) -> OpinionReport:
        report = self.submitted(**overrides)
        return workflow.report_decline(
            user=self.editor, report_id=report.pk, reason="已有同类信息。"
        )

    def accepted(self, **overrides: Any) -> OpinionReport:
        report = self.submitted(**overrides)
        return workflow.report_accept(user=self.editor, report_id=report.pk)

    def awaiting(self, **overrides: Any) -> OpinionReport:
        report = self.accepted(**overrides)
        return workflow.report_request_signoff(
            user=self.editor, report_id=report.pk, signer_id=self.leader.pk
        )

    def signed(self, **overrides: Any) -> OpinionReport:
        report = self.awaiting(**overrides)
        return workflow.report_sign(user=self.leader, report_id=report.pk)

    def compiled(self, series: str = BulletinSeries.REGULAR, **overrides: Any) -> OpinionReport:
        report = self.signed(**overrides)
        issue = services.issue_create(user=self.editor, series=series)
        services.issue_add_report(user=self.editor, issue_id=issue.pk, report_id=report.pk)
        services.issue_publish(user=self.editor, issue_id=issue.pk)
        return OpinionReport.objects.get(pk=report.pk)

    def reported(self, **overrides: Any) -> OpinionReport:
        report = self.compiled(**overrides)
        assert report.issue_id is not None
        services.issue_record_upward(
            user=self.editor,
            issue_id=report.issue_id,
            target="superior_cppcc",
            sent_on=dt.date.today(),
        )
        return OpinionReport.objects.get(pk=report.pk)

    def merged(self, into: OpinionReport, **overrides: Any) -> OpinionReport:
        report = self.submitted(**overrides)
        return workflow.report_merge(user=self.editor, report_id=report.pk, into_id=into.pk)


@pytest.fixture
def build(member_user, editor, leader_user, category):
    return Builder(member=member_user, editor=editor, leader=leader_user, category=category)


def force_status(report: OpinionReport, status: str, **fields: Any) -> OpinionReport:
    """Put a report into a state directly (for the table-driven tests of illegal steps)."""
    OpinionReport.objects.filter(pk=report.pk).update(status=status, **fields)
    return OpinionReport.objects.get(pk=report.pk)
