"""Permission matrix: every verb by every persona.

An allowed persona's call takes effect: the rows the verb writes changed and (for an audited
verb) its audit event was written with the persona as actor. Everyone else gets
PermissionDenied and nothing changed: no row of any proposal table, no notice, no audit event.
A call refused with any other error fails the cell, allowed or not.

Personas (tests/proposals/conftest.py PERSONAS): first (第一提案人 李红梅), cosigner (陈志强,
confirmed co-signer), other (another member), office (提案委员会办公室), unit (the assigned unit
市教育局), other_unit (市卫健委, not assigned), leader (副主席).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from apps.core.errors import PermissionDenied
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    Attachment,
    ContactRecord,
    Cosigner,
    CoUnitOpinion,
    Evaluation,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalSettings,
    ProposalStatus,
    Reply,
)
from tests.factories import HandlingUnitFactory

from .conftest import PERSONAS, db_snapshot, force_status, membership_of, upload

pytestmark = pytest.mark.django_db

# Every table a proposal verb may write, and the outbox its notices go to.
TRACKED = (
    Proposal,
    Assignment,
    Reply,
    Cosigner,
    Attachment,
    ContactRecord,
    CoUnitOpinion,
    Evaluation,
    ProposalSettings,
    ProposalCategory,
    OutboxMessage,
)

Call = Callable[[Any], Any]
Setup = Callable[[Any, dict[str, Any]], Call]


@dataclass(frozen=True)
class Cell:
    setup: Setup
    allowed: frozenset[str]
    writes: frozenset[Any]  # models whose rows the allowed call must change
    audit: str | None  # the audit verb it writes (None: the verb is not audited)


CELLS: dict[str, Cell] = {}


def verb(name: str, *allowed: str, writes: tuple[Any, ...], audit: str | None):
    """Register a setup: it builds the state the verb starts from and returns `call(user)`."""

    def register(setup: Setup) -> Setup:
        CELLS[name] = Cell(setup, frozenset(allowed), frozenset(writes), audit)
        return setup

    return register


def _draft(build, users):
    return build.draft(cosigners=[users["cosigner"]])


def _invitation(build, users):
    (invitation,) = services.cosigners_invite(
        user=build.member,
        proposal_id=build.draft(kind=ProposalKind.JOINT).pk,
        membership_ids=[membership_of(users["cosigner"]).pk],
    )
    return invitation


def _assignment(proposal):
    return Assignment.objects.get(proposal=proposal)


def _received(build, users):
    assignment = _assignment(build.assigned(cosigners=[users["cosigner"]]))
    workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    return assignment


def _pending_reply(build, users):
    assignment = _received(build, users)
    return workflow.assignment_submit_reply(
        user=build.unit,
        assignment_id=assignment.pk,
        text="答复",
        result_class="B",
        letter=upload("答复函.pdf"),
    )


def _return_requested(build, users):
    assignment = _received(build, users)
    workflow.assignment_request_return(
        user=build.unit, assignment_id=assignment.pk, reason="非我局职责"
    )
    return assignment


def _extension_requested(build, users):
    assignment = _received(build, users)
    services.assignment_extension_request(
        user=build.unit, assignment_id=assignment.pk, reason="需跨部门协调"
    )
    return assignment


def _transfer_pending(build, users):
    proposal = build.submitted(cosigners=[users["cosigner"]])
    return workflow.proposal_propose_transfer(
        user=build.office, proposal_id=proposal.pk, target="social_opinion", reason="empty"
    )


# --- drafting ----------------------------------------------------------------------------------


@verb("draft_update", "first", writes=(Proposal,), audit=None)
def _(b, u):
    p = _draft(b, u)
    return lambda user: services.proposal_draft_update(
        user=user, proposal_id=p.pk, title="关于改进托育服务的建议"
    )


@verb("draft_delete", "first", writes=(Proposal, Cosigner), audit="proposal_draft_delete")
def _(b, u):
    p = _draft(b, u)
    return lambda user: services.proposal_draft_delete(user=user, proposal_id=p.pk)


@verb("cosign_invite", "first", writes=(Cosigner, OutboxMessage), audit="proposal_cosign_invite")
def _(b, u):
    p = _draft(b, u)
    other = membership_of(u["other"]).pk
    return lambda user: services.cosigners_invite(
        user=user, proposal_id=p.pk, membership_ids=[other]
    )


@verb("cosign_confirm", "cosigner", writes=(Cosigner,), audit="proposal_cosign_confirm")
def _(b, u):
    invitation = _invitation(b, u)
    return lambda user: services.cosigner_confirm(user=user, cosigner_id=invitation.pk)


@verb("cosign_decline", "cosigner", writes=(Cosigner,), audit="proposal_cosign_decline")
def _(b, u):
    invitation = _invitation(b, u)
    return lambda user: services.cosigner_decline(user=user, cosigner_id=invitation.pk)


@verb("cosign_withdraw", "first", writes=(Cosigner,), audit="proposal_cosign_withdraw")
def _(b, u):
    cosigner = Cosigner.objects.get(proposal=_draft(b, u))
    return lambda user: services.cosigner_withdraw(user=user, cosigner_id=cosigner.pk)


@verb(
    "cosign_withdraw_pending",
    "first",
    writes=(Cosigner,),
    audit="proposal_cosign_withdraw_pending",
)
def _(b, u):
    invitation = _invitation(b, u)
    return lambda user: services.cosigners_withdraw_pending(
        user=user, proposal_id=invitation.proposal_id
    )


@verb("attachment_add", "first", writes=(Attachment,), audit=None)
def _(b, u):
    p = _draft(b, u)
    return lambda user: services.attachment_add(
        user=user, proposal_id=p.pk, upload=upload("调研报告.pdf")
    )


@verb("attachment_remove", "first", writes=(Attachment,), audit=None)
def _(b, u):
    p = _draft(b, u)
    attachment = services.attachment_add(
        user=b.member, proposal_id=p.pk, upload=upload("调研报告.pdf")
    )
    return lambda user: services.attachment_remove(user=user, attachment_id=attachment.pk)


@verb("submit", "first", writes=(Proposal,), audit="proposal_submit")
def _(b, u):
    p = _draft(b, u)
    return lambda user: workflow.proposal_submit(user=user, proposal_id=p.pk)


@verb("withdraw", "first", writes=(Proposal,), audit="proposal_withdraw")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_withdraw(user=user, proposal_id=p.pk)


@verb("reopen", "first", writes=(Proposal,), audit="proposal_reopen")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    workflow.proposal_withdraw(user=b.member, proposal_id=p.pk)
    return lambda user: workflow.proposal_reopen(user=user, proposal_id=p.pk)


# --- review --------------------------------------------------------------------------------------


@verb("accept", "office", writes=(Proposal,), audit="proposal_accept")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_accept(user=user, proposal_id=p.pk)


@verb("reject", "office", writes=(Proposal,), audit="proposal_reject")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_reject(user=user, proposal_id=p.pk, reason="private")


@verb("propose_transfer", "office", writes=(Proposal,), audit="proposal_propose_transfer")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_propose_transfer(
        user=user, proposal_id=p.pk, target="suggestion", reason="empty"
    )


@verb("consent_transfer", "first", writes=(Proposal,), audit="proposal_consent_transfer")
def _(b, u):
    p = _transfer_pending(b, u)
    return lambda user: workflow.proposal_transfer_consent(user=user, proposal_id=p.pk)


@verb("refuse_transfer", "first", writes=(Proposal,), audit="proposal_refuse_transfer")
def _(b, u):
    p = _transfer_pending(b, u)
    return lambda user: workflow.proposal_transfer_refuse(user=user, proposal_id=p.pk)


@verb("merge", "office", writes=(Proposal,), audit="proposal_merge")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    lead = b.accepted(title="关于发展普惠托育的建议")
    return lambda user: workflow.proposal_merge(user=user, proposal_id=p.pk, into_id=lead.pk)


@verb("assign", "office", writes=(Proposal, Assignment), audit="proposal_assign")
def _(b, u):
    p = b.accepted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_assign(
        user=user, proposal_id=p.pk, plan=[(b.unit_id, "sole")]
    )


@verb("add_unit", "office", writes=(Assignment,), audit="assignment_add")
def _(b, u):
    p = b.assigned(
        plan=[(b.unit_id, "lead"), (u["other_unit"].handling_unit_id, "co")],
        cosigners=[u["cosigner"]],
    )
    third = HandlingUnitFactory(committee=p.committee, name="市财政局")
    return lambda user: workflow.assignment_add(
        user=user, proposal_id=p.pk, handling_unit_id=third.pk, role="co"
    )


# --- handling ------------------------------------------------------------------------------------


@verb("receive", "unit", writes=(Assignment,), audit="assignment_receive")
def _(b, u):
    a = _assignment(b.assigned(cosigners=[u["cosigner"]]))
    return lambda user: workflow.assignment_receive(user=user, assignment_id=a.pk)


@verb("request_return", "unit", writes=(Assignment,), audit="assignment_request_return")
def _(b, u):
    a = _received(b, u)
    return lambda user: workflow.assignment_request_return(
        user=user, assignment_id=a.pk, reason="不属于本单位职责"
    )


@verb("approve_return", "office", writes=(Assignment,), audit="assignment_approve_return")
def _(b, u):
    a = _return_requested(b, u)
    return lambda user: workflow.assignment_approve_return(user=user, assignment_id=a.pk)


@verb("refuse_return", "office", writes=(Assignment,), audit="assignment_refuse_return")
def _(b, u):
    a = _return_requested(b, u)
    return lambda user: workflow.assignment_refuse_return(user=user, assignment_id=a.pk)


@verb("contact_record", "unit", writes=(ContactRecord,), audit="assignment_contact")
def _(b, u):
    a = _received(b, u)
    return lambda user: services.contact_record_add(
        user=user, assignment_id=a.pk, method="phone", contact_date=timezone.localdate()
    )


@verb(
    "extension_request",
    "unit",
    writes=(Assignment, OutboxMessage),
    audit="assignment_extension_request",
)
def _(b, u):
    a = _received(b, u)
    return lambda user: services.assignment_extension_request(
        user=user, assignment_id=a.pk, reason="需要调研"
    )


@verb(
    "extension_approve",
    "office",
    writes=(Assignment, OutboxMessage),
    audit="assignment_extension_approve",
)
def _(b, u):
    a = _extension_requested(b, u)
    return lambda user: services.assignment_extension_approve(user=user, assignment_id=a.pk)


@verb(
    "extension_refuse",
    "office",
    writes=(Assignment, OutboxMessage),
    audit="assignment_extension_refuse",
)
def _(b, u):
    a = _extension_requested(b, u)
    return lambda user: services.assignment_extension_refuse(user=user, assignment_id=a.pk)


@verb(
    "submit_opinion",
    "unit",
    writes=(Assignment, CoUnitOpinion),
    audit="assignment_submit_opinion",
)
def _(b, u):
    # 市教育局 (the unit persona) is the 会办 unit here; 市卫健委 leads.
    p = b.assigned(
        plan=[(u["other_unit"].handling_unit_id, "lead"), (b.unit_id, "co")],
        cosigners=[u["cosigner"]],
    )
    co = Assignment.objects.get(proposal=p, role="co")
    workflow.assignment_receive(user=b.unit, assignment_id=co.pk)
    return lambda user: workflow.assignment_submit_opinion(
        user=user, assignment_id=co.pk, text="建议由主办单位统筹托育用地。"
    )


@verb("submit_reply", "unit", writes=(Assignment, Reply), audit="assignment_submit_reply")
def _(b, u):
    a = _received(b, u)
    return lambda user: workflow.assignment_submit_reply(
        user=user, assignment_id=a.pk, text="答复", result_class="A", letter=upload("答复函.pdf")
    )


@verb("reply_approve", "office", writes=(Reply,), audit="assignment_approve_reply")
def _(b, u):
    r = _pending_reply(b, u)
    return lambda user: workflow.reply_approve(user=user, reply_id=r.pk)


@verb("reply_reject", "office", writes=(Reply,), audit="assignment_reject_reply")
def _(b, u):
    r = _pending_reply(b, u)
    return lambda user: workflow.reply_reject(user=user, reply_id=r.pk, reason="太简单")


@verb("rate", "first", "cosigner", writes=(Evaluation,), audit="proposal_rate")
def _(b, u):
    p = b.replied(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_rate(
        user=user, proposal_id=p.pk, process_rating="satisfied", result_rating="basic"
    )


@verb("close", "office", writes=(Proposal,), audit="proposal_close")
def _(b, u):
    p = force_status(b.replied(cosigners=[u["cosigner"]]), ProposalStatus.EVALUATED)
    return lambda user: workflow.proposal_close(user=user, proposal_id=p.pk)


# --- marks and settings --------------------------------------------------------------------------


@verb("mark_key", "leader", writes=(Proposal, OutboxMessage), audit="proposal_mark_key")
def _(b, u):
    p = b.assigned(cosigners=[u["cosigner"]])
    leader = u["leader"].pk
    return lambda user: services.proposal_mark_key(
        user=user, proposal_id=p.pk, supervising_leader_id=leader, mode="supervise"
    )


@verb("unmark_key", "leader", writes=(Proposal,), audit="proposal_unmark_key")
def _(b, u):
    p = b.assigned(cosigners=[u["cosigner"]])
    services.proposal_mark_key(
        user=u["leader"], proposal_id=p.pk, supervising_leader_id=u["leader"].pk, mode="lead"
    )
    return lambda user: services.proposal_unmark_key(user=user, proposal_id=p.pk)


@verb("nominate_excellent", "office", writes=(Proposal,), audit="proposal_nominate_excellent")
def _(b, u):
    p = b.replied(cosigners=[u["cosigner"]])
    return lambda user: services.proposal_nominate_excellent(user=user, proposal_id=p.pk)


@verb("select_excellent", "leader", writes=(Proposal,), audit="proposal_select_excellent")
def _(b, u):
    p = b.replied(cosigners=[u["cosigner"]])
    services.proposal_nominate_excellent(user=b.office, proposal_id=p.pk)
    return lambda user: services.proposal_select_excellent(
        user=user, proposal_id=p.pk, selected=True
    )


@verb("settings_update", "office", writes=(ProposalSettings,), audit="proposal_settings_update")
def _(b, u):
    committee_id = b.category.committee_id
    return lambda user: services.proposal_settings_update(
        user=user, committee_id=committee_id, changes={"body_max_chars": 2000}
    )


@verb("category_save", "office", writes=(ProposalCategory,), audit="proposal_category_save")
def _(b, u):
    committee_id = b.category.committee_id
    return lambda user: services.category_save(
        user=user, committee_id=committee_id, name="法治建设", sort_order=9
    )


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("verb", list(CELLS))
def test_permission_matrix(build, personas, verb, persona):
    cell = CELLS[verb]
    call = cell.setup(build, personas)
    actor = personas[persona]
    before = db_snapshot(*TRACKED)
    last_event = _last_event_id()
    if persona in cell.allowed:
        call(actor)
        after = db_snapshot(*TRACKED)
        changed = {label for label in after if after[label] != before[label]}
        assert {model._meta.label for model in cell.writes} <= changed, changed
        events = AuditEvent.objects.filter(pk__gt=last_event)
        if cell.audit is not None:
            assert events.filter(verb=cell.audit, actor=actor).exists(), list(
                events.values_list("verb", flat=True)
            )
    else:
        with pytest.raises(PermissionDenied) as refused:
            call(actor)
        assert refused.value.status == 403
        assert db_snapshot(*TRACKED) == before
        assert not AuditEvent.objects.filter(pk__gt=last_event).exists()


def test_every_verb_has_someone_allowed_and_someone_denied():
    """The matrix is not vacuous: each verb is open to at least one persona and closed to at
    least one, and every persona named is a real persona."""
    for name, cell in CELLS.items():
        assert cell.allowed, name
        assert cell.allowed <= set(PERSONAS), name
        assert set(PERSONAS) - cell.allowed, name


def test_office_of_another_committee_cannot_review(build, district, roles_seeded):
    from apps.accounts.roles import Role

    from ..conftest import _staff_user

    district_office = _staff_user(
        district, Role.PROPOSAL_OFFICE, username="lixiaoffice", name="区提案办"
    )
    proposal = build.submitted()
    with pytest.raises(PermissionDenied):
        workflow.proposal_accept(user=district_office, proposal_id=proposal.pk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_inactive_office_user_cannot_review(build, proposal_staff_user):
    proposal = build.submitted()
    proposal_staff_user.is_active = False
    proposal_staff_user.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        workflow.proposal_accept(user=proposal_staff_user, proposal_id=proposal.pk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_contact_date_cannot_be_in_the_future(build, cosigner_user):
    from apps.core.errors import ValidationFailed

    assignment = _received(build, {"cosigner": cosigner_user})
    with pytest.raises(ValidationFailed):
        services.contact_record_add(
            user=build.unit,
            assignment_id=assignment.pk,
            method="phone",
            contact_date=timezone.localdate() + dt.timedelta(days=1),
        )
    assert not ContactRecord.objects.exists()
