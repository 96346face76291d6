"""One way to act and one way to fail: apps.core.pages.perform and the Chinese error pages
(with DEBUG off, as in production)."""

from __future__ import annotations

import pytest
from django.test import Client

from . import urls_errors

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_errors")]

ENGLISH = ("Not Found", "Forbidden", "Server Error", "CSRF verification failed")


@pytest.fixture(autouse=True)
def _clear_calls():
    urls_errors.CALLS.clear()


def _text(response) -> str:
    return response.content.decode()


def _no_english(html: str) -> None:
    for phrase in ENGLISH:
        assert phrase not in html


def test_404_is_the_portal_page_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = _text(response)
    assert "未找到" in html and "返回首页" in html
    _no_english(html)


def test_django_s_english_404_message_is_not_shown(client):
    response = client.get("/django-missing/")
    assert response.status_code == 404
    assert "No Proposal matches" not in _text(response)
    assert "您要找的页面不存在" in _text(response)


def test_403_is_the_portal_page_in_chinese(client, member_user):
    client.force_login(member_user)
    response = client.get("/django-denied/")
    assert response.status_code == 403
    html = _text(response)
    assert "无权访问" in html
    _no_english(html)


def test_the_audit_log_refuses_a_member_with_the_chinese_page(client, member_user):
    client.force_login(member_user)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "无权访问" in _text(response)


def test_500_is_a_plain_chinese_page():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = _text(response)
    assert "系统出了点问题" in html
    _no_english(html)


def test_csrf_failure_is_a_chinese_page_that_says_to_refresh():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    html = _text(response)
    assert "请刷新页面后重试" in html
    _no_english(html)


def test_htmx_errors_come_as_an_alert_for_the_message_area(client):
    response = client.get("/no-such-page/", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#messages"
    assert 'role="alert"' in _text(response)
    assert "<html" not in _text(response)


# perform -------------------------------------------------------------------------------------


def test_success_shows_the_message_on_the_next_page(client):
    response = client.post("/act/ok/", {"name": "界别"})
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert urls_errors.CALLS == ["界别"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["已保存“界别”。"]


def test_success_for_htmx_is_a_client_side_redirect(client):
    response = client.post("/act/ok/", {"name": "界别"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/done/"


@pytest.mark.parametrize(("outcome", "status"), [("denied", 403), ("missing", 404)])
def test_permission_and_not_found_are_the_error_pages(client, outcome, status):
    response = client.post(f"/act/{outcome}/?render=1", {"name": "界别"})
    assert response.status_code == status
    assert str(urls_errors.OUTCOMES[outcome].message) in _text(response)


@pytest.mark.parametrize(("outcome", "status"), [("conflict", 409), ("invalid", 422)])
def test_conflict_and_validation_never_look_like_success(client, outcome, status):
    response = client.post(f"/act/{outcome}/", {"name": "界别"})
    assert response.status_code == status
    html = _text(response)
    assert str(urls_errors.OUTCOMES[outcome].message) in html
    assert 'href="/back/"' in html  # a way back


def test_a_conflict_re_renders_the_form_with_the_message_above_it(client):
    response = client.post("/act/conflict/?render=1", {"name": "界别"})
    assert response.status_code == 409
    assert _text(response).startswith("FORM * __all__")
    assert "提案当前状态为“已立案”，不能撤回。" in _text(response)


def test_a_validation_error_lands_on_its_field(client):
    response = client.post("/act/invalid/?render=1", {"name": "界别"})
    assert response.status_code == 422
    assert "* name" in _text(response) and "名称已存在。" in _text(response)


def test_an_invalid_form_does_not_call_the_verb(client):
    response = client.post("/act/ok/?render=1", {"name": ""})
    assert response.status_code == 422
    assert urls_errors.CALLS == []
    assert "请填写“名称”。" in _text(response)


def test_an_invalid_form_without_render_is_the_error_page(client):
    response = client.post("/act/ok/", {"name": "太长了太长了太长了太长了"})
    assert response.status_code == 422
    assert urls_errors.CALLS == []
    assert "“名称”不能超过10个字" in _text(response)
