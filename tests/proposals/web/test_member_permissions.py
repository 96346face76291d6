"""Permission matrix: who reaches each member page and the shared detail page.

Personas (tests/proposals/conftest.py): the first proposer 李红梅, the co-signer 陈志强 (confirmed),
another member 王建国, the proposal office 周敏, the assigned unit 市教育局, another unit
市卫健委, leadership 赵文华. A proposal the persona may not read answers 404 (its existence is
not revealed); one they may read but not act on answers 403. Every POST cell of an allowed
persona asserts that the step took effect (and wrote its audit event); every other cell that
nothing at all changed (tests/proposals/web/conftest.py db_state).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.proposals import services, workflow
from apps.proposals.models import Evaluation, Proposal, ProposalKind, ProposalStatus, TransferTarget

from ..conftest import membership_of, upload
from .conftest import PERSONA_FIXTURES, db_state, new_audit_verbs

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_FIXTURES
OK, REDIRECT, DENIED, HIDDEN = 200, 302, 403, 404


def _status_is(status: str) -> Callable[[Any, Any], bool]:
    return lambda proposal, user: Proposal.objects.get(pk=proposal.pk).status == status


@dataclass
class Case:
    state: str  # which proposal the page is about (built by `_proposal`)
    method: str
    url_name: str
    expected: tuple[int, ...]  # per persona, in PERSONAS order
    data: dict | None = None
    htmx: bool = False
    # POST: what an allowed persona's step changes (proposal, user) -> bool, and its audit verb.
    took_effect: Callable[[Any, Any], bool] | None = None
    verb: str = ""


CASES = {
    # 我的提案 and its tabs: everyone signed in sees their own (possibly empty) lists.
    "mine": Case("none", "get", "proposals:mine", (OK,) * 7),
    "mine_export": Case("none", "get", "proposals:mine_export", (OK,) * 7),
    "cosign_inbox": Case("none", "get", "proposals:cosign_inbox", (OK,) * 7),
    "ratings_due": Case("none", "get", "proposals:ratings_due", (OK,) * 7),
    # Starting a proposal: members; the office (collective proposals); not handling units.
    "new": Case("none", "get", "proposals:new", (OK, OK, OK, OK, DENIED, DENIED, OK)),
    # A joint draft: only its proposer and co-signer see it; only the proposer edits it.
    "draft_detail": Case(
        "draft", "get", "proposals:detail", (OK, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
    ),
    "edit": Case(
        "draft", "get", "proposals:edit", (OK, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
    ),
    "autosave": Case(
        "draft",
        "post",
        "proposals:autosave",
        (OK, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        data={"title": "关于改进的建议"},
        htmx=True,
        took_effect=lambda p, u: Proposal.objects.get(pk=p.pk).title == "关于改进的建议",
    ),
    "similar": Case(
        "draft", "get", "proposals:similar", (OK, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
    ),
    "draft_pdf": Case(
        "draft", "get", "proposals:pdf", (OK, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
    ),
    "attachment_upload": Case(
        "draft",
        "post",
        "proposals:attachment_upload",
        (REDIRECT, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        took_effect=lambda p, u: p.attachments.count() == 2,
    ),
    "attachment_remove": Case(
        "draft",
        "post",
        "proposals:attachment_remove",
        (REDIRECT, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        took_effect=lambda p, u: not p.attachments.exists(),
    ),
    "delete_draft": Case(
        "draft",
        "post",
        "proposals:delete_draft",
        (REDIRECT, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        took_effect=lambda p, u: not Proposal.objects.filter(pk=p.pk).exists(),
        verb="proposal_draft_delete",
    ),
    "submit": Case(
        "draft",
        "post",
        "proposals:submit",
        (REDIRECT, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        took_effect=_status_is(ProposalStatus.SUBMITTED),
        verb="proposal_submit",
    ),
    "cosign_search": Case(
        "draft",
        "get",
        "proposals:cosign_search",
        (OK, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        data={"cosign_q": "王"},
        htmx=True,
    ),
    # Submitted, not yet reviewed: the office and leadership see it too.
    "submitted_detail": Case(
        "submitted", "get", "proposals:detail", (OK, OK, HIDDEN, OK, HIDDEN, HIDDEN, OK)
    ),
    "withdraw": Case(
        "submitted",
        "post",
        "proposals:withdraw",
        (REDIRECT, DENIED, HIDDEN, DENIED, HIDDEN, HIDDEN, DENIED),
        took_effect=_status_is(ProposalStatus.WITHDRAWN),
        verb="proposal_withdraw",
    ),
    "reopen": Case(
        "withdrawn",
        "post",
        "proposals:reopen",
        (REDIRECT, DENIED, HIDDEN, DENIED, HIDDEN, HIDDEN, DENIED),
        took_effect=_status_is(ProposalStatus.DRAFT),
        verb="proposal_reopen",
    ),
    # Assigned to 市教育局: public to members; the assigned unit sees it, another unit not.
    "assigned_detail": Case(
        "assigned", "get", "proposals:detail", (OK, OK, OK, OK, OK, HIDDEN, OK)
    ),
    "assigned_pdf": Case("assigned", "get", "proposals:pdf", (OK, OK, OK, OK, OK, HIDDEN, OK)),
    "attachment": Case("assigned", "get", "proposals:attachment", (OK, OK, OK, OK, OK, HIDDEN, OK)),
    # Replied: the proposers rate; nobody else does.
    "rate": Case(
        "replied", "get", "proposals:rate", (OK, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED)
    ),
    "rate_post": Case(
        "replied",
        "post",
        "proposals:rate",
        (REDIRECT, REDIRECT, DENIED, DENIED, DENIED, HIDDEN, DENIED),
        data={"process_rating": "satisfied", "result_rating": "basic"},
        took_effect=lambda p, u: Evaluation.objects.filter(proposal=p, rater=u).exists(),
        verb="proposal_rate",
    ),
    "reply_letter": Case(
        "replied", "get", "proposals:reply_letter", (OK, OK, OK, OK, OK, HIDDEN, OK)
    ),
    # Transfer suggested: only the first proposer answers; members cannot see a rejected one.
    "transfer_consent": Case(
        "transfer",
        "post",
        "proposals:transfer_consent",
        (REDIRECT, DENIED, HIDDEN, DENIED, HIDDEN, HIDDEN, DENIED),
        took_effect=_status_is(ProposalStatus.TRANSFERRED),
        verb="proposal_consent_transfer",
    ),
    "transfer_refuse": Case(
        "transfer",
        "post",
        "proposals:transfer_refuse",
        (REDIRECT, DENIED, HIDDEN, DENIED, HIDDEN, HIDDEN, DENIED),
        took_effect=_status_is(ProposalStatus.REJECTED),
        verb="proposal_refuse_transfer",
    ),
}


def _proposal(build, state: str, cosigner_user):
    if state == "none":
        return None
    if state == "draft":
        proposal = build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
        services.attachment_add(
            user=build.member, proposal_id=proposal.pk, upload=upload("调研报告.pdf")
        )
        return proposal
    if state == "submitted":
        return build.submitted(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    if state == "withdrawn":
        proposal = build.submitted(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
        return workflow.proposal_withdraw(user=build.member, proposal_id=proposal.pk)
    if state == "assigned":
        proposal = build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
        services.attachment_add(
            user=build.member, proposal_id=proposal.pk, upload=upload("调研报告.pdf")
        )
        workflow.proposal_submit(user=build.member, proposal_id=proposal.pk)
        workflow.proposal_accept(user=build.office, proposal_id=proposal.pk)
        workflow.proposal_assign(
            user=build.office, proposal_id=proposal.pk, plan=[(build.unit_id, "sole")]
        )
        return proposal
    if state == "replied":
        return build.replied(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    if state == "transfer":
        proposal = build.submitted(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
        return workflow.proposal_propose_transfer(
            user=build.office,
            proposal_id=proposal.pk,
            target=TransferTarget.SOCIAL_OPINION,
            reason="private",
        )
    raise AssertionError(state)


def _args(case: Case, proposal) -> list[int]:
    if proposal is None:
        return []
    if case.url_name == "proposals:attachment":
        return [proposal.attachments.get().pk]
    if case.url_name == "proposals:attachment_remove":
        return [proposal.pk, proposal.attachments.get().pk]
    if case.url_name == "proposals:reply_letter":
        from apps.proposals.models import Reply

        return [Reply.objects.get(assignment__proposal=proposal).pk]
    return [proposal.pk]


@pytest.mark.parametrize("operation", list(CASES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_member_pages_permission_matrix(
    request,
    client,
    operation,
    persona,
    build,
    cosigner_user,
    other_member_user,
    other_unit_user,
    leader_user,
):
    case = CASES[operation]
    proposal = _proposal(build, case.state, cosigner_user)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse(case.url_name, args=_args(case, proposal))
    headers = {"HX-Request": "true"} if case.htmx else {}
    data = dict(case.data or {})
    if case.url_name == "proposals:attachment_upload":
        data["file"] = upload("补充材料.pdf")
    before = db_state()
    response = getattr(client, case.method)(url, data, headers=headers)
    expected = case.expected[PERSONAS.index(persona)]
    assert response.status_code == expected, (operation, persona, response.content[:300])
    if case.method == "post" and expected in (OK, REDIRECT):
        assert case.took_effect is not None and case.took_effect(proposal, user), operation
        if case.verb:
            assert case.verb in new_audit_verbs(before), (operation, case.verb)
        return
    assert db_state() == before, f"{operation} by {persona} changed something"
    if expected in (DENIED, HIDDEN):
        assert "无权" in response.content.decode() or "未找到" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, build):
    proposal = build.submitted()
    for name, args in (
        ("proposals:mine", []),
        ("proposals:detail", [proposal.pk]),
        ("proposals:pdf", [proposal.pk]),
        ("proposals:new", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]


def test_url_names_resolve_to_member_views():
    """The url namespace is shared with the office and unit sides: these names must stay ours."""
    from django.urls import resolve

    from apps.proposals.web.member import urls

    for pattern in urls.urlpatterns:
        kwargs = {key: 1 for key in pattern.pattern.converters}
        url = reverse(f"proposals:{pattern.name}", kwargs=kwargs)
        assert resolve(url).func is pattern.callback, pattern.name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("answer", ["cosign_confirm", "cosign_decline"])
def test_cosign_answer_only_by_the_invitee(request, client, joint_draft, persona, answer):
    """Only the invitee (陈志强) answers: the invitation changes and is audited; anyone else
    gets 403 and nothing changes."""
    invitation = joint_draft.cosigners.get()
    user = request.getfixturevalue(persona)
    client.force_login(user)
    before = db_state()
    response = client.post(reverse(f"proposals:{answer}", args=[invitation.pk]))
    invitation.refresh_from_db()
    if persona == "cosigner_user":
        assert response.status_code == 302
        assert invitation.status == ("confirmed" if answer == "cosign_confirm" else "declined")
        assert f"proposal_{answer}" in new_audit_verbs(before)
    else:
        assert response.status_code == 403
        assert db_state() == before


def test_cosigner_invite_only_by_first_proposer(
    client, build, member_user, cosigner_user, other_member_user
):
    proposal = build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    url = reverse("proposals:cosign_invite", args=[proposal.pk])
    data = {"membership": membership_of(other_member_user).pk}
    client.force_login(cosigner_user)
    before = db_state()
    assert client.post(url, data).status_code == 403
    assert db_state() == before
    client.force_login(member_user)
    assert client.post(url, data).status_code == 302
    assert proposal.cosigners.count() == 2
    assert "proposal_cosign_invite" in new_audit_verbs(before)
