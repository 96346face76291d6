"""Fixtures for the proposals tests: a category, a second handling unit with its user ("other
unit"), a co-signer persona, upload helpers and a builder that drives a proposal through the
real workflow to any state.

Personas (from tests/conftest.py unless said otherwise):
- member_user (李红梅): first proposer of the proposals built here; sees her own and public ones.
- cosigner_user (陈志强, the standing_user persona): invited to co-sign; confirms in most tests.
- other_member_user (王建国): a member with no part in the proposal; sees only public ones.
- proposal_staff_user (周敏): the proposal office; reviews, assigns, releases replies.
- unit_user (市教育局): the assigned unit in the built proposals.
- other_unit_user (市卫生健康委员会, defined here): a unit NOT assigned; sees nothing.
- leader_user (赵文华, 副主席): leadership; marks 重点提案, selects 优秀提案, sees everything filed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import Role
from apps.core.samples import SAMPLE_JPEG, SAMPLE_PDF, SAMPLE_PNG
from apps.proposals import services, workflow
from apps.proposals.models import (
    AssignmentRole,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ResultClass,
    Satisfaction,
)
from apps.proposals.selectors import category_list
from tests.factories import HandlingUnitFactory

from ..conftest import _staff_user

# Real files (apps.core.uploads opens PDFs and images with their parsers).
PDF_BYTES = SAMPLE_PDF
PNG_BYTES = SAMPLE_PNG
JPG_BYTES = SAMPLE_JPEG


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def category(city):
    return category_list(committee=city).get(name="教科文卫体")


@pytest.fixture
def health_unit(city):
    return HandlingUnitFactory(committee=city, name="市卫生健康委员会")


@pytest.fixture
def other_unit_user(city, health_unit, roles_seeded):
    """A user of 市卫生健康委员会, a unit not assigned to the built proposals."""
    return _staff_user(
        city,
        Role.HANDLING_UNIT,
        username="weijianwei",
        name="市卫健委联络员",
        handling_unit=health_unit,
    )


@pytest.fixture
def cosigner_user(standing_user):
    """陈志强 (常委): invited by 李红梅 to co-sign."""
    return standing_user


def membership_of(user: Any) -> Any:
    from apps.members.models import Membership

    return Membership.objects.get(member__user=user, term__is_current=True)


TEXT = {
    "title": "关于加快普惠托育服务体系建设的建议",
    "grounds": (
        "近年来我市婴幼儿照护需求快速增长，普惠托育机构数量不足、收费偏高，"
        "双职工家庭送托难的问题较为突出。部分社区托育点场地不达标，保育人员流动性大。"
    ),
    "suggestions": (
        "一是将普惠托育纳入城市更新和老旧小区改造统筹规划；二是对普惠托育机构给予建设补贴和运营补贴；"
        "三是加强托育从业人员培训和持证上岗。"
    ),
}


@dataclass
class Builder:
    """Drives a proposal through the real workflow. Each method returns the fresh proposal."""

    member: Any
    office: Any
    unit: Any
    category: Any
    unit_id: int

    def draft(self, cosigners: list[Any] | None = None, **overrides: Any) -> Proposal:
        """A complete draft by the member; `cosigners` are invited and confirm at once."""
        data = {**TEXT, "category_id": self.category.pk, **overrides}
        proposal = services.proposal_draft_create(user=self.member, **data)
        if cosigners:
            invitations = services.cosigners_invite(
                user=self.member,
                proposal_id=proposal.pk,
                membership_ids=[membership_of(user).pk for user in cosigners],
            )
            for user, invitation in zip(cosigners, invitations, strict=True):
                services.cosigner_confirm(user=user, cosigner_id=invitation.pk)
            proposal.refresh_from_db()
        return proposal

    def submitted(self, **overrides: Any) -> Proposal:
        proposal = self.draft(**overrides)
        return workflow.proposal_submit(user=self.member, proposal_id=proposal.pk)

    def accepted(self, **overrides: Any) -> Proposal:
        proposal = self.submitted(**overrides)
        return workflow.proposal_accept(user=self.office, proposal_id=proposal.pk)

    def assigned(self, plan: list[tuple[int, str]] | None = None, **overrides: Any) -> Proposal:
        proposal = self.accepted(**overrides)
        workflow.proposal_assign(
            user=self.office,
            proposal_id=proposal.pk,
            plan=plan or [(self.unit_id, AssignmentRole.SOLE)],
        )
        return Proposal.objects.get(pk=proposal.pk)

    def reply(self, proposal: Proposal, result_class: str = ResultClass.A) -> Proposal:
        """Receive, answer and approve every open answering assignment of the unit user's unit."""
        for assignment in proposal.assignments.filter(handling_unit_id=self.unit_id).exclude(
            status="returned"
        ):
            workflow.assignment_receive(user=self.unit, assignment_id=assignment.pk)
            reply = workflow.assignment_submit_reply(
                user=self.unit,
                assignment_id=assignment.pk,
                text="经研究，我局已将普惠托育纳入明年民生实事项目。",
                result_class=result_class,
                letter=upload("答复函.pdf"),
            )
            workflow.reply_approve(user=self.office, reply_id=reply.pk)
        return Proposal.objects.get(pk=proposal.pk)

    def replied(self, **overrides: Any) -> Proposal:
        return self.reply(self.assigned(**overrides))

    def evaluated(self, **overrides: Any) -> Proposal:
        proposal = self.replied(**overrides)
        workflow.proposal_rate(
            user=self.member,
            proposal_id=proposal.pk,
            process_rating=Satisfaction.SATISFIED,
            result_rating=Satisfaction.SATISFIED,
        )
        return Proposal.objects.get(pk=proposal.pk)


# The personas of the permission matrices, by the short names the tests use.
PERSONAS = {
    "first": "member_user",
    "cosigner": "cosigner_user",
    "other": "other_member_user",
    "office": "proposal_staff_user",
    "unit": "unit_user",
    "other_unit": "other_unit_user",
    "leader": "leader_user",
}


@pytest.fixture
def personas(request) -> dict[str, Any]:
    """Every persona of PERSONAS, by short name: first (第一提案人 李红梅), cosigner (陈志强,
    to be invited), other (王建国, no part in the proposal), office (提案委员会办公室 周敏),
    unit (市教育局, the unit the builder assigns), other_unit (市卫健委, not assigned), leader
    (副主席 赵文华)."""
    return {name: request.getfixturevalue(fixture) for name, fixture in PERSONAS.items()}


def db_snapshot(*models: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of each model, in primary-key order, for "nothing changed" assertions."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def build(member_user, proposal_staff_user, unit_user, category, education_unit):
    return Builder(
        member=member_user,
        office=proposal_staff_user,
        unit=unit_user,
        category=category,
        unit_id=education_unit.pk,
    )


@pytest.fixture
def joint_draft(build, member_user, cosigner_user):
    """A joint draft by 李红梅 with 陈志强 invited (not yet answered)."""
    proposal = build.draft(kind=ProposalKind.JOINT)
    services.cosigners_invite(
        user=member_user,
        proposal_id=proposal.pk,
        membership_ids=[membership_of(cosigner_user).pk],
    )
    return Proposal.objects.get(pk=proposal.pk)


def force_status(proposal: Proposal, status: str, **fields: Any) -> Proposal:
    """Put a proposal into a state directly (for table-driven tests of illegal steps)."""
    Proposal.objects.filter(pk=proposal.pk).update(status=status, **fields)
    return Proposal.objects.get(pk=proposal.pk)


ALL_PROPOSAL_STATUSES = list(ProposalStatus.values)
