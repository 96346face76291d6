"""Permission matrix: every verb by every persona. Allowed personas succeed; everyone else gets
PermissionDenied and nothing changes.

Personas: first (第一提案人 李红梅), cosigner (confirmed co-signer 陈志强), other (another member),
office (提案委员会办公室), unit (the assigned unit 市教育局), other_unit (市卫健委, not assigned),
leader (副主席).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from apps.core.errors import PermissionDenied
from apps.core.models import AuditEvent
from apps.proposals import services, workflow
from apps.proposals.models import Assignment, Cosigner, Proposal, ProposalStatus, Reply

from .conftest import force_status, membership_of, upload

pytestmark = pytest.mark.django_db

PERSONAS = {
    "first": "member_user",
    "cosigner": "cosigner_user",
    "other": "other_member_user",
    "office": "proposal_staff_user",
    "unit": "unit_user",
    "other_unit": "other_unit_user",
    "leader": "leader_user",
}

Setup = Callable[[Any, dict[str, Any]], Callable[[Any], Any]]


def _draft(build, users):
    return build.draft(cosigners=[users["cosigner"]])


def _assignment(proposal):
    return Assignment.objects.get(proposal=proposal)


def _pending_reply(build, users):
    proposal = build.assigned(cosigners=[users["cosigner"]])
    assignment = _assignment(proposal)
    workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    return workflow.assignment_submit_reply(
        user=build.unit,
        assignment_id=assignment.pk,
        text="答复",
        result_class="B",
        letter=upload("答复函.pdf"),
    )


def _received(build, users):
    proposal = build.assigned(cosigners=[users["cosigner"]])
    assignment = _assignment(proposal)
    workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    return assignment


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


SETUPS: dict[str, tuple[Setup, set[str]]] = {}


def verb(name: str, *allowed: str) -> Callable[[Setup], Setup]:
    """Register a setup: it builds the state the verb starts from and returns `call(user)`."""

    def register(setup: Setup) -> Setup:
        SETUPS[name] = (setup, set(allowed))
        return setup

    return register


@verb("draft_update", "first")
def _(b, u):
    p = _draft(b, u)
    return lambda user: services.proposal_draft_update(
        user=user, proposal_id=p.pk, title="关于改进托育服务的建议"
    )


@verb("cosign_invite", "first")
def _(b, u):
    p = _draft(b, u)
    other = membership_of(u["other"]).pk
    return lambda user: services.cosigners_invite(
        user=user, proposal_id=p.pk, membership_ids=[other]
    )


@verb("cosign_confirm", "cosigner")
def _(b, u):
    (invitation,) = services.cosigners_invite(
        user=b.member, proposal_id=b.draft().pk, membership_ids=[membership_of(u["cosigner"]).pk]
    )
    return lambda user: services.cosigner_confirm(user=user, cosigner_id=invitation.pk)


@verb("attachment_add", "first")
def _(b, u):
    p = _draft(b, u)
    return lambda user: services.attachment_add(
        user=user, proposal_id=p.pk, upload=upload("调研报告.pdf")
    )


@verb("submit", "first")
def _(b, u):
    p = _draft(b, u)
    return lambda user: workflow.proposal_submit(user=user, proposal_id=p.pk)


@verb("withdraw", "first")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_withdraw(user=user, proposal_id=p.pk)


@verb("accept", "office")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_accept(user=user, proposal_id=p.pk)


@verb("reject", "office")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_reject(user=user, proposal_id=p.pk, reason="private")


@verb("propose_transfer", "office")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_propose_transfer(
        user=user, proposal_id=p.pk, target="suggestion", reason="empty"
    )


@verb("consent_transfer", "first")
def _(b, u):
    p = _transfer_pending(b, u)
    return lambda user: workflow.proposal_transfer_consent(user=user, proposal_id=p.pk)


@verb("refuse_transfer", "first")
def _(b, u):
    p = _transfer_pending(b, u)
    return lambda user: workflow.proposal_transfer_refuse(user=user, proposal_id=p.pk)


@verb("merge", "office")
def _(b, u):
    p = b.submitted(cosigners=[u["cosigner"]])
    lead = b.accepted(title="关于发展普惠托育的建议")
    return lambda user: workflow.proposal_merge(user=user, proposal_id=p.pk, into_id=lead.pk)


@verb("assign", "office")
def _(b, u):
    p = b.accepted(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_assign(
        user=user, proposal_id=p.pk, plan=[(b.unit_id, "sole")]
    )


@verb("receive", "unit")
def _(b, u):
    a = _assignment(b.assigned(cosigners=[u["cosigner"]]))
    return lambda user: workflow.assignment_receive(user=user, assignment_id=a.pk)


@verb("request_return", "unit")
def _(b, u):
    a = _received(b, u)
    return lambda user: workflow.assignment_request_return(
        user=user, assignment_id=a.pk, reason="不属于本单位职责"
    )


@verb("approve_return", "office")
def _(b, u):
    a = _return_requested(b, u)
    return lambda user: workflow.assignment_approve_return(user=user, assignment_id=a.pk)


@verb("refuse_return", "office")
def _(b, u):
    a = _return_requested(b, u)
    return lambda user: workflow.assignment_refuse_return(user=user, assignment_id=a.pk)


@verb("contact_record", "unit")
def _(b, u):
    a = _received(b, u)
    return lambda user: services.contact_record_add(
        user=user, assignment_id=a.pk, method="phone", contact_date=timezone.localdate()
    )


@verb("extension_request", "unit")
def _(b, u):
    a = _received(b, u)
    return lambda user: services.assignment_extension_request(
        user=user, assignment_id=a.pk, reason="需要调研"
    )


@verb("extension_approve", "office")
def _(b, u):
    a = _extension_requested(b, u)
    return lambda user: services.assignment_extension_approve(user=user, assignment_id=a.pk)


@verb("submit_reply", "unit")
def _(b, u):
    a = _received(b, u)
    return lambda user: workflow.assignment_submit_reply(
        user=user, assignment_id=a.pk, text="答复", result_class="A", letter=upload("答复函.pdf")
    )


@verb("reply_approve", "office")
def _(b, u):
    r = _pending_reply(b, u)
    return lambda user: workflow.reply_approve(user=user, reply_id=r.pk)


@verb("reply_reject", "office")
def _(b, u):
    r = _pending_reply(b, u)
    return lambda user: workflow.reply_reject(user=user, reply_id=r.pk, reason="太简单")


@verb("rate", "first", "cosigner")
def _(b, u):
    p = b.replied(cosigners=[u["cosigner"]])
    return lambda user: workflow.proposal_rate(
        user=user, proposal_id=p.pk, process_rating="satisfied", result_rating="basic"
    )


@verb("close", "office")
def _(b, u):
    p = force_status(b.replied(cosigners=[u["cosigner"]]), ProposalStatus.EVALUATED)
    return lambda user: workflow.proposal_close(user=user, proposal_id=p.pk)


@verb("mark_key", "leader")
def _(b, u):
    p = b.assigned(cosigners=[u["cosigner"]])
    leader = u["leader"].pk
    return lambda user: services.proposal_mark_key(
        user=user, proposal_id=p.pk, supervising_leader_id=leader, mode="supervise"
    )


@verb("nominate_excellent", "office")
def _(b, u):
    p = b.replied(cosigners=[u["cosigner"]])
    return lambda user: services.proposal_nominate_excellent(user=user, proposal_id=p.pk)


@verb("select_excellent", "leader")
def _(b, u):
    p = b.replied(cosigners=[u["cosigner"]])
    services.proposal_nominate_excellent(user=b.office, proposal_id=p.pk)
    return lambda user: services.proposal_select_excellent(
        user=user, proposal_id=p.pk, selected=True
    )


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("verb", list(SETUPS))
def test_permission_matrix(request, build, verb, persona):
    users = {name: request.getfixturevalue(fixture) for name, fixture in PERSONAS.items()}
    setup, allowed = SETUPS[verb]
    call = setup(build, users)
    actor = users[persona]
    snapshot = (
        list(Proposal.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Reply.objects.order_by("pk").values()),
        list(Cosigner.objects.order_by("pk").values()),
    )
    events = AuditEvent.objects.count()
    if persona in allowed:
        call(actor)
    else:
        with pytest.raises(PermissionDenied):
            call(actor)
        assert snapshot == (
            list(Proposal.objects.order_by("pk").values()),
            list(Assignment.objects.order_by("pk").values()),
            list(Reply.objects.order_by("pk").values()),
            list(Cosigner.objects.order_by("pk").values()),
        )
        assert AuditEvent.objects.count() == events


def test_office_of_another_committee_cannot_review(build, district, roles_seeded):
    from apps.accounts.roles import Role

    from ..conftest import _staff_user

    district_office = _staff_user(
        district, Role.PROPOSAL_OFFICE, username="lixiaoffice", name="区提案办"
    )
    proposal = build.submitted()
    with pytest.raises(PermissionDenied):
        workflow.proposal_accept(user=district_office, proposal_id=proposal.pk)


def test_inactive_office_user_cannot_review(build, proposal_staff_user):
    proposal = build.submitted()
    proposal_staff_user.is_active = False
    proposal_staff_user.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        workflow.proposal_accept(user=proposal_staff_user, proposal_id=proposal.pk)


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
