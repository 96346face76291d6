"""Permission matrix of the office and leadership pages and actions, persona by persona.

Pages: the office's work pages only for the proposal office (its own committee's data; the
district office opens them but sees none of the city's proposals); the list, export, statistics
and key-proposal pages for the office and leadership; everyone else gets 403.
Actions on one proposal: the allowed persona changes it (the state, its audit event) and is
redirected back; a persona who may read the proposal but not act gets 403; one who may not read
it (other units, the district office) gets 404 — and then nothing at all changed (no row, no
audit event, no notice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.proposals import services, workflow
from apps.proposals.models import (
    AssignmentStatus,
    ExcellentStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from tests.factories import HandlingUnitFactory

from .conftest import (
    SHORT_PERSONAS,
    assignment_of,
    db_state,
    extension_requested,
    fresh,
    new_audit_verbs,
    pending_reply,
    return_requested,
)

pytestmark = pytest.mark.django_db

ALL = set(SHORT_PERSONAS)

OFFICE_PAGES = [
    "proposals:office",
    "proposals:office_review",
    "proposals:office_transfers",
    "proposals:office_assign",
    "proposals:office_returns",
    "proposals:office_extensions",
    "proposals:office_replies",
    "proposals:office_overdue",
    "proposals:office_settings",
]
STAFF_PAGES = [
    "proposals:office_list",
    "proposals:office_export",
    "proposals:office_stats",
    "proposals:key",
]


@pytest.mark.parametrize("persona", sorted(ALL))
@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_office_pages(client, users, persona, name):
    client.force_login(users[persona])
    response = client.get(reverse(name))
    assert response.status_code == (200 if persona in {"office", "district_office"} else 403)


@pytest.mark.parametrize("persona", sorted(ALL))
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_list_stats_and_key_pages(client, users, persona, name):
    client.force_login(users[persona])
    response = client.get(reverse(name))
    allowed = {"office", "leader", "district_office"}
    assert response.status_code == (200 if persona in allowed else 403)


def test_anonymous_is_sent_to_sign_in(client):
    for name in [*OFFICE_PAGES, *STAFF_PAGES]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_system_administrator_may_edit_settings(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("proposals:office_settings")).status_code == 200
    assert client.get(reverse("proposals:office")).status_code == 403


def test_district_office_sees_none_of_the_city(client, build, users):
    """The district's office opens its own pages; the city's proposals appear nowhere and
    every direct link to one is a 404."""
    submitted = build.submitted(title="关于城市提案保密的建议")
    accepted = build.accepted(title="关于城市已立案提案的建议")
    client.force_login(users["district_office"])
    for name in [*OFFICE_PAGES, *STAFF_PAGES[:1], "proposals:office_stats", "proposals:key"]:
        body = client.get(reverse(name)).content.decode()
        assert "城市提案保密" not in body
        assert "城市已立案提案" not in body
    assert client.get(f"/proposals/{submitted.pk}/").status_code == 404
    assert client.get(reverse("proposals:office_merge", args=[submitted.pk])).status_code == 404
    response = client.post(
        reverse("proposals:office_accept", args=[submitted.pk]),
        {"category": submitted.category_id},
    )
    assert response.status_code == 404
    assert fresh(submitted).status == ProposalStatus.SUBMITTED
    assert fresh(accepted).status == ProposalStatus.ACCEPTED


# Actions ------------------------------------------------------------------------------------

# Who may read a proposal in each situation (the co-signer has confirmed).
PRIVATE = {"first", "cosigner", "office", "leader"}  # submitted, not public yet
PUBLIC = {"first", "cosigner", "other", "office", "leader"}  # 立案 and later
ASSIGNED = PUBLIC | {"unit"}  # and the assigned unit


@dataclass
class Case:
    """One action: `setup(build, users)` returns (url, data, proposal); `changed(proposal)` says
    whether the action took effect; `verb` is the audit event it writes."""

    setup: Callable[[Any, dict[str, Any]], tuple[str, dict[str, Any], Proposal]]
    changed: Callable[[Proposal], bool]
    allowed: set[str]
    visible: set[str]
    verb: str


def _url(name: str, pk: int) -> str:
    return reverse(f"proposals:{name}", args=[pk])


def _submitted(build, users):
    return build.submitted(cosigners=[users["cosigner"]])


def _accepted(build, users):
    return build.accepted(cosigners=[users["cosigner"]])


def _assigned(build, users):
    return build.assigned(cosigners=[users["cosigner"]])


def _status(status: str) -> Callable[[Proposal], bool]:
    return lambda p: fresh(p).status == status


def _assignment_status(status: str) -> Callable[[Proposal], bool]:
    return lambda p: assignment_of(p).status == status


def _merge_setup(build, users):
    lead = build.accepted(title="关于普惠托育的主提案")
    proposal = _submitted(build, users)
    return _url("office_merge", proposal.pk), {"into": lead.pk}, proposal


def _pending_reply_setup(name: str, data: dict[str, Any]):
    def setup(build, users):
        reply = pending_reply(build, cosigners=[users["cosigner"]])
        return _url(name, reply.pk), data, reply.assignment.proposal

    return setup


def _reply_review(status: str) -> Callable[[Proposal], bool]:
    return lambda p: Reply.objects.get(assignment__proposal=p).review_status == status


def _return_setup(name: str):
    def setup(build, users):
        assignment = return_requested(build, cosigners=[users["cosigner"]])
        return _url(name, assignment.pk), {}, assignment.proposal

    return setup


def _extension_setup(name: str):
    def setup(build, users):
        assignment = extension_requested(build, cosigners=[users["cosigner"]])
        return _url(name, assignment.pk), {}, assignment.proposal

    return setup


def _key_setup(build, users):
    proposal = _accepted(build, users)
    services.proposal_mark_key(
        user=users["leader"],
        proposal_id=proposal.pk,
        supervising_leader_id=users["leader"].pk,
        mode="supervise",
    )
    return _url("key_unmark", proposal.pk), {}, proposal


def _nominated_setup(build, users):
    proposal = _accepted(build, users)
    services.proposal_nominate_excellent(user=users["office"], proposal_id=proposal.pk)
    return _url("key_excellent", proposal.pk), {"decision": "select"}, proposal


def _evaluated_setup(build, users):
    proposal = build.replied(cosigners=[users["cosigner"]])
    for rater in ("first", "cosigner"):
        workflow.proposal_rate(
            user=users[rater],
            proposal_id=proposal.pk,
            process_rating="satisfied",
            result_rating="basic",
        )
    assert fresh(proposal).status == ProposalStatus.EVALUATED
    return _url("office_close", proposal.pk), {}, proposal


def _add_unit_setup(build, users):
    """主办 市教育局 + 会办 市卫健委; the office adds 市财政局 as a second 会办 unit."""
    finance = HandlingUnitFactory(committee=users["office"].committee, name="市财政局")
    proposal = build.assigned(
        cosigners=[users["cosigner"]],
        plan=[(build.unit_id, "lead"), (users["other_unit"].handling_unit_id, "co")],
    )
    return _url("office_add_unit", proposal.pk), {"unit": finance.pk, "role": "co"}, proposal


OFFICE = {"office"}
LEADER = {"leader"}

CASES: dict[str, Case] = {
    "accept": Case(
        lambda b, u: (lambda p: (_url("office_accept", p.pk), {"category": p.category_id}, p))(
            _submitted(b, u)
        ),
        _status(ProposalStatus.ACCEPTED),
        OFFICE,
        PRIVATE,
        "proposal_accept",
    ),
    "reject": Case(
        lambda b, u: (
            lambda p: (_url("office_reject", p.pk), {"reason": "empty", "note": "内容空泛"}, p)
        )(_submitted(b, u)),
        _status(ProposalStatus.REJECTED),
        OFFICE,
        PRIVATE,
        "proposal_reject",
    ),
    "transfer": Case(
        lambda b, u: (
            lambda p: (
                _url("office_transfer", p.pk),
                {"target": "social_opinion", "reason": "private"},
                p,
            )
        )(_submitted(b, u)),
        _status(ProposalStatus.TRANSFER_PENDING),
        OFFICE,
        PRIVATE,
        "proposal_propose_transfer",
    ),
    "merge": Case(_merge_setup, _status(ProposalStatus.MERGED), OFFICE, PRIVATE, "proposal_merge"),
    "assign": Case(
        lambda b, u: (
            lambda p: (
                _url("office_assign_proposal", p.pk),
                {"mode": "sole", "unit": b.unit_id, "confirm": "1"},
                p,
            )
        )(_accepted(b, u)),
        _status(ProposalStatus.ASSIGNED),
        OFFICE,
        PUBLIC,
        "proposal_assign",
    ),
    "add_unit": Case(
        _add_unit_setup,
        lambda p: p.assignments.count() == 3,
        OFFICE,
        ASSIGNED | {"other_unit"},  # 市卫健委 is the 会办 unit here
        "assignment_add",
    ),
    "return_approve": Case(
        _return_setup("office_return_approve"),
        _assignment_status(AssignmentStatus.RETURNED),
        OFFICE,
        ASSIGNED,
        "assignment_approve_return",
    ),
    "return_refuse": Case(
        _return_setup("office_return_refuse"),
        _assignment_status(AssignmentStatus.RECEIVED),
        OFFICE,
        ASSIGNED,
        "assignment_refuse_return",
    ),
    "extension_approve": Case(
        _extension_setup("office_extension_approve"),
        lambda p: assignment_of(p).extension_status == "approved",
        OFFICE,
        ASSIGNED,
        "assignment_extension_approve",
    ),
    "extension_refuse": Case(
        _extension_setup("office_extension_refuse"),
        lambda p: assignment_of(p).extension_status == "refused",
        OFFICE,
        ASSIGNED,
        "assignment_extension_refuse",
    ),
    "reply_approve": Case(
        _pending_reply_setup("office_reply_approve", {}),
        _reply_review(ReplyReview.APPROVED),
        OFFICE,
        ASSIGNED,
        "assignment_approve_reply",
    ),
    "reply_reject": Case(
        _pending_reply_setup("office_reply_reject", {"reason": "答复未回应具体建议。"}),
        _reply_review(ReplyReview.REJECTED),
        OFFICE,
        ASSIGNED,
        "assignment_reject_reply",
    ),
    "close": Case(
        _evaluated_setup, _status(ProposalStatus.CLOSED), OFFICE, ASSIGNED, "proposal_close"
    ),
    "nominate": Case(
        lambda b, u: (
            lambda p: (_url("office_nominate", p.pk), {"year": 2026, "note": "有分量"}, p)
        )(_accepted(b, u)),
        lambda p: fresh(p).excellent_status == ExcellentStatus.NOMINATED,
        OFFICE,
        PUBLIC,
        "proposal_nominate_excellent",
    ),
    "key_mark": Case(
        lambda b, u: (
            lambda p: (
                _url("key_mark", p.pk),
                {"leader": u["leader"].pk, "mode": "lead"},
                p,
            )
        )(_accepted(b, u)),
        lambda p: fresh(p).is_key,
        LEADER,
        PUBLIC,
        "proposal_mark_key",
    ),
    "key_unmark": Case(
        _key_setup, lambda p: not fresh(p).is_key, LEADER, PUBLIC, "proposal_unmark_key"
    ),
    "excellent_select": Case(
        _nominated_setup,
        lambda p: fresh(p).excellent_status == ExcellentStatus.SELECTED,
        LEADER,
        PUBLIC,
        "proposal_select_excellent",
    ),
}


@pytest.mark.parametrize("persona", sorted(ALL))
@pytest.mark.parametrize("action", list(CASES))
def test_action_matrix(client, build, users, action, persona):
    case = CASES[action]
    url, data, proposal = case.setup(build, users)
    client.force_login(users[persona])
    before = db_state()
    response = client.post(url, data)
    if persona in case.allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert response["Location"] == f"/proposals/{proposal.pk}/"
        assert case.changed(proposal), f"{action} by {persona} changed nothing"
        assert case.verb in new_audit_verbs(before), f"{action}: no {case.verb} audit event"
    else:
        expected = 403 if persona in case.visible else 404
        assert response.status_code == expected
        assert "无权" in response.content.decode() or "未找到" in response.content.decode()
        assert db_state() == before, f"{action} by {persona} changed something"


@pytest.mark.parametrize("persona", sorted(ALL))
def test_merge_search_page(client, build, users, persona):
    proposal = _submitted(build, users)
    client.force_login(users[persona])
    response = client.get(_url("office_merge", proposal.pk))
    expected = 200 if persona == "office" else 403 if persona in PRIVATE else 404
    assert response.status_code == expected


def test_actions_need_post(client, build, users):
    proposal = _submitted(build, users)
    client.force_login(users["office"])
    assert client.get(_url("office_accept", proposal.pk)).status_code == 405
    assert fresh(proposal).status == ProposalStatus.SUBMITTED


def test_panel_only_for_office_and_leadership(client, build, users):
    """The detail page shows the office's panel to the office, the leadership part to leaders,
    and neither to anyone else who may read the proposal."""
    proposal = _accepted(build, users)
    for persona in ("first", "cosigner", "other"):
        client.force_login(users[persona])
        body = client.get(f"/proposals/{proposal.pk}/").content.decode()
        assert 'id="office-panel"' not in body
    client.force_login(users["office"])
    body = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert _url("office_assign_proposal", proposal.pk) in body
    assert _url("key_mark", proposal.pk) not in body
    client.force_login(users["leader"])
    body = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert _url("key_mark", proposal.pk) in body
    assert _url("office_assign_proposal", proposal.pk) not in body
