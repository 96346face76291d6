"""Member side of the proposals API: every operation, its domain errors as 403/404/409/422 with
Chinese messages, and a permission matrix over the seven personas."""

from __future__ import annotations

import pytest

from apps.proposals import services
from apps.proposals.models import (
    CosignerStatus,
    Evaluation,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

from ..conftest import membership_of
from .conftest import PERSONA_FIXTURES, db_state, new_audit_verbs

pytestmark = pytest.mark.django_db
BASE = "/api/v1/proposals"

PERSONAS = PERSONA_FIXTURES


def _json(client, method: str, url: str, data: dict | None = None):
    call = getattr(client, method)
    if method in ("post", "patch"):
        return call(url, data or {}, content_type="application/json")
    return call(url, data or {})


def test_create_update_submit_flow(client, member_user, category):
    client.force_login(member_user)
    response = _json(client, "post", f"{BASE}/drafts", {"kind": "individual", "title": "关于"})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == {"value": "draft", "label": "草稿"}
    assert body["first_proposer"] == "李红梅"
    pk = body["id"]

    response = _json(
        client,
        "patch",
        f"{BASE}/{pk}",
        {"title": "关于建设口袋公园的建议", "grounds": "现状。", "category_id": category.pk},
    )
    assert response.status_code == 200
    assert response.json()["title"] == "关于建设口袋公园的建议"
    assert response.json()["grounds"] == "现状。"

    response = _json(client, "post", f"{BASE}/{pk}/submit")
    assert response.status_code == 422
    assert response.json()["extra"]["errors"]["suggestions"] == "请填写具体建议。"
    assert Proposal.objects.get(pk=pk).status == ProposalStatus.DRAFT

    _json(client, "patch", f"{BASE}/{pk}", {"suggestions": "一是……"})
    response = _json(client, "post", f"{BASE}/{pk}/submit")
    assert response.status_code == 200
    assert response.json()["status"]["value"] == "submitted"
    assert response.json()["session_type"] in ("plenary", "interim")

    # A submitted proposal can no longer be edited: 409 with the reason.
    response = _json(client, "patch", f"{BASE}/{pk}", {"title": "改"})
    assert response.status_code == 409
    assert response.json()["detail"] == "提案已提交，不能再修改；如需修改，请在审查前撤回。"

    response = _json(client, "post", f"{BASE}/{pk}/withdraw")
    assert response.status_code == 200
    assert response.json()["status"]["value"] == "withdrawn"


def test_bad_input_is_422_in_chinese(client, member_user):
    client.force_login(member_user)
    response = _json(client, "post", f"{BASE}/drafts", {"kind": "secret"})
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据格式有误。"
    response = _json(client, "post", f"{BASE}/drafts", {"category_id": 999999})
    assert response.status_code == 422
    assert response.json()["detail"] == "所选提案类别不存在或已停用。"
    assert not Proposal.objects.exists()


def test_submit_with_pending_cosigner_is_409(client, joint_draft, member_user):
    client.force_login(member_user)
    response = _json(client, "post", f"{BASE}/{joint_draft.pk}/submit")
    assert response.status_code == 409
    assert "还有附议邀请未答复" in response.json()["detail"]


def test_answer_cosign(client, joint_draft, cosigner_user, other_member_user):
    invitation = joint_draft.cosigners.get()
    client.force_login(other_member_user)
    response = _json(client, "post", f"{BASE}/cosign/{invitation.pk}", {"answer": "confirm"})
    assert response.status_code == 403
    client.force_login(cosigner_user)
    response = _json(client, "post", f"{BASE}/cosign/{invitation.pk}", {"answer": "confirm"})
    assert response.status_code == 200
    assert response.json() == {
        "cosigner_id": invitation.pk,
        "proposal_id": joint_draft.pk,
        "status": "confirmed",
        "status_label": "已确认",
    }
    response = _json(client, "post", f"{BASE}/cosign/{invitation.pk}", {"answer": "decline"})
    assert response.status_code == 409
    response = _json(client, "post", f"{BASE}/cosign/999999", {"answer": "confirm"})
    assert response.status_code == 404


def test_list_mine_is_paginated_and_filtered(client, build, member_user, cosigner_user):
    build.submitted(title="关于甲的建议")
    build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user], title="关于乙的建议")
    client.force_login(member_user)
    body = client.get(f"{BASE}/mine").json()
    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {"关于甲的建议", "关于乙的建议"}
    body = client.get(f"{BASE}/mine", {"status": "draft"}).json()
    assert [item["title"] for item in body["items"]] == ["关于乙的建议"]
    client.force_login(cosigner_user)
    body = client.get(f"{BASE}/mine").json()
    assert [item["title"] for item in body["items"]] == ["关于乙的建议"]


def test_list_mine_query_count_is_fixed(client, build, member_user, cosigner_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build.submitted()
    client.force_login(member_user)
    client.get(f"{BASE}/mine")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/mine")
    for _ in range(6):
        build.assigned(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{BASE}/mine").json()["count"] == 7
    assert len(few) == len(many)


def test_detail_shows_released_replies_and_rating(client, build, member_user, cosigner_user):
    proposal = build.replied(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    client.force_login(cosigner_user)
    body = client.get(f"{BASE}/{proposal.pk}").json()
    assert body["status"]["value"] == "replied"
    assert body["cosigners"] == [
        {"name": "陈志强", "status": "confirmed", "status_label": "已确认"}
    ]
    (reply,) = body["replies"]
    assert reply["unit"] == "市教育局" and reply["released"] is True
    assert reply["letter_url"].endswith("/letter/")
    assert body["assignments"][0]["role"] == {"value": "sole", "label": "单办"}
    assert body["rating"]["can_rate"] is True
    assert body["rating"]["due"] == proposal.rating_due.isoformat()


def test_rate_flow_with_rehandling(client, build, member_user):
    proposal = build.replied()
    client.force_login(member_user)
    response = _json(
        client,
        "post",
        f"{BASE}/{proposal.pk}/rating",
        {"process_rating": "satisfied", "result_rating": "dissatisfied", "comment": "未落实"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["rehandling"] is True
    assert body["evaluation"]["result_rating"] == "dissatisfied"
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REHANDLING
    response = _json(
        client,
        "post",
        f"{BASE}/{proposal.pk}/rating",
        {"process_rating": "satisfied", "result_rating": "satisfied"},
    )
    assert response.status_code == 409
    response = _json(client, "post", f"{BASE}/{proposal.pk}/rating", {"process_rating": "很好"})
    assert response.status_code == 422


def test_similar_lists_proposals_with_handling(client, build, member_user, other_member_user):
    planted = build.reply(build.assigned())
    draft = services.proposal_draft_create(
        user=other_member_user,
        title="关于发展普惠托育服务的建议",
        grounds="托育机构数量不足、收费偏高，双职工家庭送托难。",
    )
    client.force_login(other_member_user)
    response = client.get(f"{BASE}/{draft.pk}/similar")
    assert response.status_code == 200
    first = response.json()[0]
    assert first["proposal_id"] == planted.pk
    assert 0 < first["score"] <= 1 and first["score_percent"] == round(first["score"] * 100)
    assert "市教育局（单办）" in first["handling_summary"]


def test_openapi_documents_the_member_operations_in_chinese(client, member_user):
    client.force_login(member_user)
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        operation["operationId"]: operation
        for path in schema["paths"].values()
        for operation in path.values()
    }
    for name in (
        "create_draft",
        "update_draft",
        "submit_proposal",
        "withdraw_proposal",
        "answer_cosign",
        "list_my_proposals",
        "get_proposal",
        "rate_proposal",
        "list_similar_proposals",
    ):
        assert name in operations, name
        assert operations[name]["summary"] and operations[name]["description"]
    assert "409" in operations["submit_proposal"]["responses"]


# ---------------------------------------------------------------------------------------------
# Permission matrix

OK, CREATED, DENIED, HIDDEN, CONFLICT = 200, 201, 403, 404, 409

# persona order as PERSONAS
MATRIX = {
    # operation: (state, method, path, body, expected per persona)
    "create_draft": (
        "none",
        "post",
        "/drafts",
        {"kind": "individual"},
        (CREATED, CREATED, CREATED, DENIED, DENIED, DENIED, CREATED),
    ),
    "list_my_proposals": ("none", "get", "/mine", None, (OK,) * 7),
    "update_draft": (
        "draft",
        "patch",
        "/{pk}",
        {"title": "关于改进的建议"},
        (OK, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ),
    "get_draft": ("draft", "get", "/{pk}", None, (OK, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    "similar_draft": (
        "draft",
        "get",
        "/{pk}/similar",
        None,
        (OK, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ),
    "submit_proposal": (
        "draft",
        "post",
        "/{pk}/submit",
        None,
        (OK, DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ),
    "withdraw_proposal": (
        "submitted",
        "post",
        "/{pk}/withdraw",
        None,
        (OK, DENIED, HIDDEN, DENIED, HIDDEN, HIDDEN, DENIED),
    ),
    "get_assigned": ("assigned", "get", "/{pk}", None, (OK, OK, OK, OK, OK, HIDDEN, OK)),
    "rate_proposal": (
        "replied",
        "post",
        "/{pk}/rating",
        {"process_rating": "satisfied", "result_rating": "satisfied"},
        (OK, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED),
    ),
    "answer_cosign": (
        "invited",
        "post",
        "/cosign/{cosigner}",
        {"answer": "confirm"},
        (DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED),
    ),
}


def _status_is(status):
    return lambda proposal, user, body: Proposal.objects.get(pk=proposal.pk).status == status


# What an allowed call of each writing operation changes, (proposal, user, body) -> bool, and
# the audit event it writes. Reads change nothing for anyone.
EFFECTS = {
    "create_draft": (
        lambda proposal, user, body: Proposal.objects.filter(
            pk=body["id"], created_by=user
        ).exists(),
        "proposal_draft_create",
    ),
    "update_draft": (
        lambda proposal, user, body: Proposal.objects.get(pk=proposal.pk).title == "关于改进的建议",
        "",
    ),
    "submit_proposal": (_status_is(ProposalStatus.SUBMITTED), "proposal_submit"),
    "withdraw_proposal": (_status_is(ProposalStatus.WITHDRAWN), "proposal_withdraw"),
    "rate_proposal": (
        lambda proposal, user, body: Evaluation.objects.filter(
            proposal=proposal, rater=user
        ).exists(),
        "proposal_rate",
    ),
    "answer_cosign": (
        lambda proposal, user, body: proposal.cosigners.get().status == CosignerStatus.CONFIRMED,
        "proposal_cosign_confirm",
    ),
}


def _state(build, state: str, cosigner_user):
    if state == "none":
        return None
    if state == "draft":
        return build.draft(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    if state == "invited":
        proposal = build.draft(kind=ProposalKind.JOINT)
        services.cosigners_invite(
            user=build.member,
            proposal_id=proposal.pk,
            membership_ids=[membership_of(cosigner_user).pk],
        )
        return proposal
    if state == "submitted":
        return build.submitted(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    if state == "assigned":
        return build.assigned(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    if state == "replied":
        return build.replied(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    raise AssertionError(state)


@pytest.mark.parametrize("operation", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_member_api_permission_matrix(
    request, client, operation, persona, build, cosigner_user, other_unit_user, leader_user
):
    state, method, path, body, expected = MATRIX[operation]
    proposal = _state(build, state, cosigner_user)
    if proposal is not None:
        path = path.replace("{pk}", str(proposal.pk))
        if "{cosigner}" in path:
            path = path.replace("{cosigner}", str(proposal.cosigners.get().pk))
    user = request.getfixturevalue(persona)
    client.force_login(user)
    before = db_state()
    response = _json(client, method, f"{BASE}{path}", body)
    want = expected[PERSONAS.index(persona)]
    assert response.status_code == want, (operation, persona, response.content[:300])
    if want < 400 and operation in EFFECTS:
        took_effect, verb = EFFECTS[operation]
        assert took_effect(proposal, user, response.json()), f"{operation} changed nothing"
        if verb:
            assert verb in new_audit_verbs(before), (operation, verb)
        return
    assert db_state() == before, f"{operation} by {persona} changed something"
    if want >= 400:
        assert response.json()["detail"]


def test_api_requires_sign_in(client, build):
    proposal = build.submitted()
    assert client.get(f"{BASE}/mine").status_code == 401
    assert client.get(f"{BASE}/{proposal.pk}").status_code == 401


def test_cosigner_status_after_decline(client, joint_draft, cosigner_user):
    invitation = joint_draft.cosigners.get()
    client.force_login(cosigner_user)
    _json(client, "post", f"{BASE}/cosign/{invitation.pk}", {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == CosignerStatus.DECLINED
