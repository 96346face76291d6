"""Strict API input (apps.core.inputs, apps.core.api_errors).

- NUL and the other control characters anywhere in a text parameter, a form field or a JSON
  body (keys too) answer 422 JSON in Chinese, and nothing is written (these answered 500).
- `page`, `offset`, `limit` are bounded (422 beyond; huge values answered 500 with bigint out of
  range, a huge limit returned the whole roster) and the OpenAPI says so.
- Bodies that are not JSON objects (`null`, `"hello"`, `[…]`) and unreadable JSON are refused.
- Every error under /api/ answers JSON: unknown paths (404), wrong methods (405, with Allow),
  an endpoint that fails (500).
- The OpenAPI lists the 4xx answers of every operation.
- StyledForm refuses control characters in every text field with a Chinese message.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.test import Client

from apps.accounts.services import api_token_create
from apps.core.forms import StyledForm
from apps.core.inputs import MAX_OFFSET, MAX_PAGE, control_character_in
from apps.core.models import AuditEvent
from apps.opinions.models import OpinionReport
from apps.proposals.models import ContactRecord, Proposal, Reply
from tests.proposals import conftest as proposal_fixtures
from tests.proposals.conftest import upload
from tests.proposals.web import conftest as proposal_web_fixtures

# The proposals tests' builder and personas, used here too.
build = proposal_fixtures.build
category = proposal_fixtures.category
cosigner_user = proposal_fixtures.cosigner_user
received_assignment = proposal_web_fixtures.received_assignment

pytestmark = pytest.mark.django_db

UNIT = "/api/v1/proposals/unit"


def _token_client(user: Any) -> Client:
    _token, raw = api_token_create(user=user, name="手机")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def member_app(member_user):
    return _token_client(member_user)


@pytest.fixture
def unit_app(unit_user):
    return _token_client(unit_user)


def _rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Proposal, OpinionReport, ContactRecord, Reply, AuditEvent)
    }


def _json(client: Client, method: str, url: str, data: Any) -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def _refused_in_chinese(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body
    return body


# Control characters -------------------------------------------------------------------------

NUL = "\x00"


def _cases(draft: Proposal, report_id: int, assignment_id: int) -> dict[str, Any]:
    """name → (who, call): twelve probes that answered 500 before, and a few more."""
    today = "2026-03-02"
    return {
        "proposal draft": (
            "member",
            lambda c: _json(c, "post", "/api/v1/proposals/drafts", {"title": f"关于{NUL}的建议"}),
        ),
        "proposal draft update": (
            "member",
            lambda c: _json(c, "patch", f"/api/v1/proposals/{draft.pk}", {"grounds": NUL}),
        ),
        "opinion draft": (
            "member",
            lambda c: _json(c, "post", "/api/v1/opinions/drafts", {"situation": f"情况{NUL}"}),
        ),
        "opinion draft update": (
            "member",
            lambda c: _json(c, "patch", f"/api/v1/opinions/{report_id}", {"title": NUL}),
        ),
        "rating comment": (
            "member",
            lambda c: _json(
                c,
                "post",
                f"/api/v1/proposals/{draft.pk}/rating",
                {"process_rating": "satisfied", "result_rating": "basic", "comment": NUL},
            ),
        ),
        "members ?q": ("member", lambda c: c.get("/api/v1/members", {"q": NUL})),
        "contact note": (
            "unit",
            lambda c: _json(
                c,
                "post",
                f"{UNIT}/{assignment_id}/contacts",
                {"method": "phone", "contact_date": today, "note": f"电话{NUL}"},
            ),
        ),
        "reply (multipart)": (
            "unit",
            lambda c: c.post(
                f"{UNIT}/{assignment_id}/reply",
                {"text": f"答复{NUL}", "result_class": "A", "letter": upload("答复函.pdf")},
            ),
        ),
        "return request": (
            "unit",
            lambda c: _json(c, "post", f"{UNIT}/{assignment_id}/return-request", {"reason": NUL}),
        ),
        "extension request": (
            "unit",
            lambda c: _json(
                c, "post", f"{UNIT}/{assignment_id}/extension-request", {"reason": NUL}
            ),
        ),
        "unit list ?q": ("unit", lambda c: c.get(UNIT, {"q": NUL})),
        "unit list ?status": ("unit", lambda c: c.get(UNIT, {"status": f"received{NUL}"})),
        "online comment key": (
            "anonymous",
            lambda c: _json(c, "post", "/api/v1/consultations/online/%00/comments", {"body": "好"}),
        ),
        "vertical tab": (
            "member",
            lambda c: _json(c, "post", "/api/v1/proposals/drafts", {"title": "关于\x0b的建议"}),
        ),
        "C1 control in a nested key": (
            "member",
            lambda c: _json(c, "post", "/api/v1/proposals/drafts", {"title\x85": "关于"}),
        ),
        "lone surrogate": (
            "member",
            lambda c: c.post(
                "/api/v1/proposals/drafts",
                b'{"title": "\\ud800"}',
                content_type="application/json",
            ),
        ),
    }


CASES = [
    "proposal draft",
    "proposal draft update",
    "opinion draft",
    "opinion draft update",
    "rating comment",
    "members ?q",
    "contact note",
    "reply (multipart)",
    "return request",
    "extension request",
    "unit list ?q",
    "unit list ?status",
    "online comment key",
    "vertical tab",
    "C1 control in a nested key",
    "lone surrogate",
]


@pytest.mark.parametrize("case", CASES)
def test_control_characters_are_refused_with_422(
    case, build, member_app, unit_app, received_assignment
):
    draft = build.draft()
    report = _json(member_app, "post", "/api/v1/opinions/drafts", {"title": "关于停车难的反映"})
    assert report.status_code == 201, report.content
    who, call = _cases(draft, report.json()["id"], received_assignment.pk)[case]
    client = {"member": member_app, "unit": unit_app, "anonymous": Client()}[who]
    before = _rows()
    body = _refused_in_chinese(call(client))
    assert "控制字符" in body["detail"]
    assert body["errors"] and body["errors"][0]["loc"]
    assert _rows() == before


def test_tabs_and_line_breaks_are_ordinary_text(member_app):
    response = _json(
        member_app,
        "post",
        "/api/v1/proposals/drafts",
        {"title": "关于托育服务的建议", "grounds": "第一段\r\n第二段\n\t缩进"},
    )
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().grounds == "第一段\r\n第二段\n\t缩进"


@pytest.mark.parametrize(
    "text", ["正常", "行\n行", "\t", "emoji 🙂", "𠀀𪚥", "\u3000全角空格"], ids=repr
)
def test_the_rule_allows_ordinary_text(text):
    assert control_character_in(text) is None


@pytest.mark.parametrize("text", ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x9f"], ids=repr)
def test_the_rule_finds_control_characters(text):
    assert control_character_in(f"甲{text}乙") == text


# Pagination bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "url", "params"),
    [
        ("member", "/api/v1/members", {"offset": "1000000000000000000"}),
        ("member", "/api/v1/members", {"offset": str(MAX_OFFSET + 1)}),
        ("member", "/api/v1/members", {"limit": "100000000"}),
        ("member", "/api/v1/members", {"limit": "0"}),
        ("member", "/api/v1/members", {"offset": "-1"}),
        ("member", "/api/v1/proposals/mine", {"page": "1000000000000000000"}),
        ("member", "/api/v1/proposals/mine", {"page": str(MAX_PAGE + 1)}),
        ("member", "/api/v1/proposals/mine", {"page_size": "100000"}),
        ("member", "/api/v1/notifications", {"page": "99999999999999999999"}),
        ("member", "/api/v1/opinions/mine", {"page": "0"}),
        ("unit", UNIT, {"offset": "9223372036854775808"}),
        ("unit", UNIT, {"limit": "101"}),
    ],
)
def test_pagination_is_bounded(who, url, params, member_app, unit_app):
    client = member_app if who == "member" else unit_app
    body = _refused_in_chinese(client.get(url, params))
    name = next(iter(params))
    assert body["detail"] == "提交的数据格式有误。"
    assert body["errors"][0]["loc"] == ["query", name]
    assert f"“{name}”" in body["errors"][0]["message"]


def test_the_largest_allowed_page_is_an_empty_page(member_app, unit_app):
    response = unit_app.get(UNIT, {"offset": MAX_OFFSET, "limit": 100})
    assert response.status_code == 200
    assert response.json()["items"] == []
    response = member_app.get("/api/v1/proposals/mine", {"page": MAX_PAGE})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_openapi_states_the_bounds(client):
    schema = client.get("/api/v1/openapi.json").json()

    def param(path: str, name: str) -> dict[str, Any]:
        operation = schema["paths"][path]["get"]
        found = next(p for p in operation["parameters"] if p["name"] == name)
        return found["schema"]

    assert param("/api/v1/members", "limit")["maximum"] == 100
    assert param("/api/v1/members", "offset")["maximum"] == MAX_OFFSET
    assert param("/api/v1/proposals/mine", "page")["maximum"] == MAX_PAGE
    assert param("/api/v1/proposals/unit", "offset")["maximum"] == MAX_OFFSET


# Bodies ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["null", '"hello"', "[1, 2]", "42", "true"])
def test_a_body_that_is_not_an_object_is_refused(body, member_app):
    response = member_app.post("/api/v1/proposals/drafts", body, content_type="application/json")
    body_out = _refused_in_chinese(response)
    assert "JSON 对象" in body_out["detail"]
    assert not Proposal.objects.exists()


def test_unreadable_json_is_400_in_chinese(member_app):
    response = member_app.post(
        "/api/v1/proposals/drafts", b'{"title": ', content_type="application/json"
    )
    assert "JSON" in _refused_in_chinese(response, 400)["detail"]
    assert not Proposal.objects.exists()


# Every error answers JSON ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/proposals/1/2/3", "/api/x"])
def test_unknown_paths_answer_json_404(path, member_app):
    _refused_in_chinese(member_app.get(path), 404)


def test_a_missing_record_answers_json_404(member_app):
    _refused_in_chinese(member_app.get("/api/v1/proposals/999999999"), 404)


def test_a_wrong_method_answers_json_405_with_allow(member_app):
    response = member_app.delete("/api/v1/members")
    _refused_in_chinese(response, 405)
    assert response["Allow"] == "GET"


def test_a_failing_endpoint_answers_json_500(member_user, monkeypatch):
    import apps.members.api as members_api

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(members_api, "can_view_roster", lambda user: True)
    monkeypatch.setattr(members_api, "membership_list_for_api", broken)
    client = _token_client(member_user)
    client.raise_request_exception = False
    response = client.get("/api/v1/members")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "服务器出现错误，请稍后再试。"


def test_signed_out_answers_json_401(client):
    _refused_in_chinese(client.get("/api/v1/members"), 401)


def test_pages_outside_the_api_keep_their_html_error_pages(client, member_user):
    client.force_login(member_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# The OpenAPI document ----------------------------------------------------------------------------


def test_every_operation_documents_its_4xx_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "ApiError" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"403", "404", "409", "422"} <= codes, (method, path, codes)
            if operation.get("security"):
                assert "401" in codes, (method, path)
            if method != "get":
                assert "400" in codes, (method, path)


# Forms -------------------------------------------------------------------------------------------


class NoteForm(StyledForm):
    title = forms.CharField(label="标题")
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea)
    email = forms.EmailField(label="邮箱", required=False)


@pytest.mark.parametrize("field", ["title", "note"])
@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1f", "\x7f", "\x85"], ids=repr)
def test_styled_forms_refuse_control_characters(field, character):
    data = {"title": "标题", "note": "第一行\r\n第二行\t"}
    data[field] = f"甲{character}乙"
    form = NoteForm(data)
    assert not form.is_valid()
    label = {"title": "标题", "note": "备注"}[field]
    assert form.errors[field] == [
        f"“{label}”中含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新提交。"
    ]


def test_styled_forms_take_line_breaks_and_tabs():
    form = NoteForm({"title": "标题", "note": "第一行\r\n第二行\t结束"})
    assert form.is_valid(), form.errors


def test_every_app_refuses_in_one_documented_shape(client):
    """One ErrorOut (apps.core.api_schemas) for every app's refusals, not a copy per app."""
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert [name for name, s in components.items() if s.get("title") == "ErrorOut"] == ["ErrorOut"]


@pytest.mark.parametrize("name", ["ReplyOut", "DraftCreateIn", "AttachmentOut"])
def test_schemas_of_the_same_class_name_stay_distinct(client, name):
    """Two apps' `ReplyOut` were one component (the last one met), so the member's proposal
    detail was described with the unit's reply fields."""
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    same = [schema for schema in components.values() if schema.get("title") == name]
    assert len(same) >= 2
    assert len({json.dumps(schema, sort_keys=True) for schema in same}) == len(same)


def test_each_operation_refers_to_its_own_reply_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    def reply_of(path: str, method: str, status: str) -> dict[str, Any]:
        content = schema["paths"][path][method]["responses"][status]["content"]
        ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        return components[ref]

    unit_reply = reply_of("/api/v1/proposals/unit/{assignment_id}/reply", "post", "201")
    assert "result_class_label" in unit_reply["properties"]
    detail = reply_of("/api/v1/proposals/{proposal_id}", "get", "200")
    member_ref = detail["properties"]["replies"]["items"]["$ref"].rsplit("/", 1)[1]
    assert "result_class_label" not in components[member_ref]["properties"]
