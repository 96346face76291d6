"""Handling-unit API (/api/v1/proposals/unit): permission matrix over every operation, the
steps (签收, 申退 window, contact, multipart reply, co-unit views, extension), errors as
403/404/409/422 in Chinese, the list's filters and query-count pin, and the OpenAPI names."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactRecord,
    CoUnitOpinion,
    ExtensionStatus,
    Reply,
    ReplyReview,
)

from ..conftest import PDF_BYTES, PNG_BYTES, upload
from .conftest import PERSONA_FIXTURES, db_state, new_audit_verbs, unit_assignment

pytestmark = pytest.mark.django_db
BASE = "/api/v1/proposals/unit"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)

PERSONAS = PERSONA_FIXTURES
READERS = {"proposal_staff_user", "leader_user"}


@pytest.fixture
def assignment(received_assignment):
    return received_assignment


def _post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def _operations(assignment):
    """(name, call) for every operation; `call(client)` returns the response."""
    pk = assignment.pk
    attachment = assignment.proposal.attachments.get()
    today = timezone.localdate().isoformat()
    return {
        "list_assigned": lambda c: c.get(BASE),
        "get_assignment": lambda c: c.get(f"{BASE}/{pk}"),
        "receive_assignment": lambda c: c.post(f"{BASE}/{pk}/receive"),
        "request_return": lambda c: _post_json(
            c, f"{BASE}/{pk}/return-request", {"reason": "非本单位职责。"}
        ),
        "add_contact_record": lambda c: _post_json(
            c, f"{BASE}/{pk}/contacts", {"method": "phone", "contact_date": today, "note": "电话"}
        ),
        "submit_reply": lambda c: c.post(
            f"{BASE}/{pk}/reply",
            {"text": "答复", "result_class": "A", "letter": upload("答复函.pdf")},
        ),
        "submit_opinion": lambda c: c.post(f"{BASE}/{pk}/opinion", {"text": "意见"}),
        "request_extension": lambda c: _post_json(
            c, f"{BASE}/{pk}/extension-request", {"reason": "需要协调。"}
        ),
        "download_assignment_file": lambda c: c.get(
            f"{BASE}/{pk}/files/attachment/{attachment.pk}"
        ),
    }


UNIT_STATUS = {
    "list_assigned": 200,
    "get_assignment": 200,
    "receive_assignment": 200,
    "request_return": 200,
    "add_contact_record": 201,
    "submit_reply": 201,
    "submit_opinion": 201,
    "request_extension": 200,
    "download_assignment_file": 200,
}
READ_OPERATIONS = {"get_assignment", "download_assignment_file"}
# The assignment's state for each operation (conftest.unit_assignment): 签收 needs one not yet
# signed for, 会办意见 a 会办 assignment.
STATE = {"receive_assignment": "pending", "submit_opinion": "co_received"}


def _status_is(status: str):
    return lambda a: Assignment.objects.get(pk=a.pk).status == status


# What the unit's call of each writing operation changes, and the audit event it writes.
EFFECTS = {
    "receive_assignment": (_status_is(AssignmentStatus.RECEIVED), "assignment_receive"),
    "request_return": (_status_is(AssignmentStatus.RETURN_REQUESTED), "assignment_request_return"),
    "add_contact_record": (
        lambda a: ContactRecord.objects.filter(assignment=a).exists(),
        "assignment_contact",
    ),
    "submit_reply": (
        lambda a: (
            Reply.objects.filter(assignment=a).exists()
            and _status_is(AssignmentStatus.REPLY_SUBMITTED)(a)
        ),
        "assignment_submit_reply",
    ),
    "submit_opinion": (
        lambda a: CoUnitOpinion.objects.filter(assignment=a).exists(),
        "assignment_submit_opinion",
    ),
    "request_extension": (
        lambda a: Assignment.objects.get(pk=a.pk).extension_status == ExtensionStatus.REQUESTED,
        "assignment_extension_request",
    ),
}


def _expected(persona: str, operation: str) -> int:
    if persona == "unit_user":
        return UNIT_STATUS[operation]
    if operation == "list_assigned":
        return 200 if persona == "other_unit_user" else 403
    if persona in READERS:
        return 200 if operation in READ_OPERATIONS else 403
    return 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", list(UNIT_STATUS))
def test_permission_matrix(request, client, build, cosigner_user, health_unit, persona, operation):
    """The unit's call takes effect (state, row, audit event); anyone else's changes nothing."""
    state = STATE.get(operation, "received")
    target = unit_assignment(build, cosigner_user, state, lead_unit_id=health_unit.pk)
    client.force_login(request.getfixturevalue(persona))
    before = db_state()
    response = _operations(target)[operation](client)
    assert response.status_code == _expected(persona, operation), response.content[:500]
    if response.status_code in (403, 404, 409):
        assert response.json()["detail"]  # a Chinese sentence
    if operation == "list_assigned" and response.status_code == 200:
        ids = [item["id"] for item in response.json()["items"]]
        assert ids == ([target.pk] if persona == "unit_user" else [])
    if persona == "unit_user" and operation in EFFECTS:
        took_effect, verb = EFFECTS[operation]
        assert took_effect(target), f"{operation} changed nothing"
        assert verb in new_audit_verbs(before)
    else:
        assert db_state() == before, f"{operation} by {persona} changed something"


def test_requires_sign_in(client, assignment):
    assert client.get(BASE).status_code == 401
    assert client.post(f"{BASE}/{assignment.pk}/receive").status_code == 401


def test_list_shape_filters_and_pagination(client, build, unit_user):
    first = build.assigned().assignments.get()
    second = build.assigned(title="关于加强校园周边交通安全的建议").assignments.get()
    workflow.assignment_receive(user=unit_user, assignment_id=second.pk)
    client.force_login(unit_user)
    body = client.get(BASE).json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["id"] == first.pk)
    assert item["role"] == "sole"
    assert item["role_label"] == "单办"
    assert item["status_label"] == "待签收"
    assert item["proposal"]["title"] == "关于加快普惠托育服务体系建设的建议"
    assert item["proposal"]["category"] == "教科文卫体"
    assert item["deadline"]["state"] == "ok"
    assert item["deadline"]["days_left"] > 80
    assert item["reply_rejected"] is False

    def ids(**query):
        return [i["id"] for i in client.get(BASE, query).json()["items"]]

    assert ids(tab="pending") == [first.pk]
    assert ids(tab="active") == [second.pk]
    assert ids(status="received") == [second.pk]
    assert ids(q="校园") == [second.pk]
    assert ids(role="lead") == []
    assert ids(attention="overdue") == []
    assert len(ids(limit=1)) == 1


def test_list_query_count_is_pinned(client, build, unit_user):
    from tests.proposals.web.test_unit_list import _clone

    template = build.assigned().assignments.get()
    _clone(template, 2, start=200)
    client.force_login(unit_user)
    client.get(BASE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE).json()["count"] == 3
    _clone(template, 27, start=300)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(BASE).json()["items"]) == 30
    assert len(few) == len(many), (len(few), len(many))


def test_detail_shows_what_a_unit_may_see(client, assignment, unit_user, member_user):
    from apps.members.models import Member

    Member.objects.filter(user=member_user).update(mobile="13912345678", address="历下区某路1号")
    client.force_login(unit_user)
    response = client.get(f"{BASE}/{assignment.pk}")
    body = response.json()
    text = response.content.decode()
    assert body["proposal_detail"]["grounds"].startswith("近年来")
    assert [p["name"] for p in body["proposal_detail"]["proposers"]] == ["李红梅", "陈志强"]
    assert body["proposal_detail"]["attachments"][0]["name"] == "调研.pdf"
    assert "13912345678" not in text
    assert "历下区某路1号" not in text
    enabled = {action["name"] for action in body["actions"] if action["enabled"]}
    assert "submit_reply" in enabled and "receive" not in enabled
    assert body["contact_due"]
    download = client.get(body["proposal_detail"]["attachments"][0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_receive_and_return_window(client, build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        assignment = build.assigned().assignments.get()
        other = build.assigned(title="关于加强校园周边交通安全的建议").assignments.get()
    with time_machine.travel(MONDAY + dt.timedelta(days=11), tick=False):
        client.force_login(unit_user)
        body = client.post(f"{BASE}/{assignment.pk}/receive").json()
        assert body["status"] == "received"
        (request_return,) = [a for a in body["actions"] if a["name"] == "request_return"]
        assert request_return["enabled"] is False  # the window has passed: blocked, with why
        assert "已超过申退期限" in request_return["reason"]
        assert body["return_last_day"] == "2026-03-12"
        late = _post_json(client, f"{BASE}/{assignment.pk}/return-request", {"reason": "不是"})
        assert late.status_code == 409
        assert "已超过申退期限" in late.json()["detail"]
    with time_machine.travel(MONDAY + dt.timedelta(days=10), tick=False):
        client.force_login(unit_user)
        empty = _post_json(client, f"{BASE}/{other.pk}/return-request", {"reason": " "})
        assert empty.status_code == 422
        ok = _post_json(client, f"{BASE}/{other.pk}/return-request", {"reason": "属市人社局职责"})
        assert ok.status_code == 200
        assert ok.json()["status"] == "return_requested"


def test_contact_record(client, assignment, unit_user):
    client.force_login(unit_user)
    today = timezone.localdate()
    response = _post_json(
        client,
        f"{BASE}/{assignment.pk}/contacts",
        {"method": "meeting", "contact_date": today.isoformat(), "note": "面谈"},
    )
    assert response.status_code == 201
    assert response.json()["method_label"] == "面谈"
    bad = _post_json(
        client,
        f"{BASE}/{assignment.pk}/contacts",
        {"method": "pigeon", "contact_date": today.isoformat()},
    )
    assert bad.status_code == 422
    assert "联系方式只能是" in bad.json()["detail"]
    assert ContactRecord.objects.count() == 1
    assert len(client.get(f"{BASE}/{assignment.pk}").json()["contacts"]) == 1


def test_multipart_reply_then_rejection_then_resubmission(
    client, assignment, unit_user, proposal_staff_user
):
    client.force_login(unit_user)
    response = client.post(
        f"{BASE}/{assignment.pk}/reply",
        {"text": "已纳入明年计划。", "result_class": "B", "letter": upload("答复函.pdf")},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["review_status"] == "pending"
    assert body["result_class_label"] == "B类（正在解决或已列入计划）"
    assert body["letter"]["name"] == "答复函.pdf"
    letter = client.get(body["letter"]["url"])
    assert b"".join(letter.streaming_content) == PDF_BYTES
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.REPLY_SUBMITTED

    again = client.post(
        f"{BASE}/{assignment.pk}/reply",
        {"text": "再交一次", "result_class": "A", "letter": upload("答复函.pdf")},
    )
    assert again.status_code == 201  # a repeat while it waits is a no-op: the same reply
    assert again.json()["id"] == body["id"]

    workflow.reply_reject(user=proposal_staff_user, reply_id=body["id"], reason="请盖章。")
    detail = client.get(f"{BASE}/{assignment.pk}").json()
    assert detail["reply_rejected"] is True
    assert detail["replies"][0]["review_reason"] == "请盖章。"
    resubmitted = client.post(
        f"{BASE}/{assignment.pk}/reply",
        {"text": "已盖章重新报送。", "result_class": "A", "letter": upload("答复函.pdf")},
    )
    assert resubmitted.status_code == 201
    assert Reply.objects.filter(review_status=ReplyReview.PENDING).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "答复", "result_class": "A"}, "请上传盖章的答复函"),
        ({"text": "答复", "result_class": "D", "letter": "pdf"}, "请选择办理结果"),
        ({"text": "答复", "result_class": "A", "letter": "fake"}, "内容与扩展名 .pdf 不符"),
    ],
)
def test_invalid_reply_is_422(client, assignment, unit_user, data, message):
    data = dict(data)
    if data.get("letter") == "pdf":
        data["letter"] = upload("答复函.pdf")
    elif data.get("letter") == "fake":
        data["letter"] = upload("答复函.pdf", PNG_BYTES)
    client.force_login(unit_user)
    response = client.post(f"{BASE}/{assignment.pk}/reply", data)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not Reply.objects.exists()


def test_reply_missing_fields_is_422(client, assignment, unit_user):
    client.force_login(unit_user)
    response = client.post(f"{BASE}/{assignment.pk}/reply", {"letter": upload("答复函.pdf")})
    assert response.status_code == 422
    assert "格式有误" in response.json()["detail"]


def test_co_unit_opinion_by_api_visible_to_lead_only(client, build, unit_user, other_unit_user):
    proposal = build.assigned(
        plan=[
            (other_unit_user.handling_unit_id, AssignmentRole.LEAD),
            (unit_user.handling_unit_id, AssignmentRole.CO),
        ]
    )
    co = proposal.assignments.get(role=AssignmentRole.CO)
    lead = proposal.assignments.get(role=AssignmentRole.LEAD)
    client.force_login(unit_user)
    client.post(f"{BASE}/{co.pk}/receive")
    response = client.post(
        f"{BASE}/{co.pk}/opinion", {"text": "建议统筹学前教育资源。", "file": upload("意见.pdf")}
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit"]["name"] == "市教育局"
    assert CoUnitOpinion.objects.count() == 1
    reply = client.post(
        f"{BASE}/{co.pk}/reply", {"text": "x", "result_class": "A", "letter": upload("a.pdf")}
    )
    assert reply.status_code == 409
    assert client.get(f"{BASE}/{lead.pk}").status_code == 404

    client.force_login(other_unit_user)
    detail = client.get(f"{BASE}/{lead.pk}").json()
    (opinion,) = detail["co_unit_opinions"]
    assert opinion["text"] == "建议统筹学前教育资源。"
    assert client.get(opinion["file"]["url"]).status_code == 200
    assert client.get(f"{BASE}/{co.pk}").status_code == 404


def test_extension_once(client, assignment, unit_user, proposal_staff_user):
    client.force_login(unit_user)
    first = _post_json(client, f"{BASE}/{assignment.pk}/extension-request", {"reason": "协调中"})
    assert first.status_code == 200
    assert first.json()["extension_status"] == "requested"
    services.assignment_extension_refuse(user=proposal_staff_user, assignment_id=assignment.pk)
    second = _post_json(client, f"{BASE}/{assignment.pk}/extension-request", {"reason": "再申请"})
    assert second.status_code == 409
    assert "只能申请延期" in second.json()["detail"]
    assert Assignment.objects.get(pk=assignment.pk).extension_status == ExtensionStatus.REFUSED


def test_openapi_names_and_describes_the_operations(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        operation["operationId"]: operation
        for path, methods in schema["paths"].items()
        if path.startswith(BASE)
        for operation in methods.values()
    }
    assert {
        "list_assigned",
        "get_assignment",
        "receive_assignment",
        "add_contact_record",
        "submit_reply",
        "request_return",
        "submit_opinion",
        "request_extension",
    } <= set(operations)
    reply = operations["submit_reply"]
    assert "multipart/form-data" in reply["requestBody"]["content"]
    assert "答复函" in reply["description"]
    for operation in operations.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in operation["summary"])
