"""API auth: session for the browser (with CSRF), personal Bearer tokens for the app (stored
as SHA-256 hashes, shown once, revocable); `GET /api/v1/me`."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
TOKENS = "/api/v1/me/tokens"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_anonymous_gets_401_in_chinese(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    assert "请先登录" in response.json()["detail"]


def test_session_me_returns_profile_roles_committee_and_membership(client, member_user):
    client.force_login(member_user)
    response = client.get(ME)
    assert response.status_code == 200
    data = response.json()
    phone = member_user.phone
    assert data["username"] == "lihongmei"
    assert data["name"] == "李红梅"
    assert data["phone_masked"] == f"{phone[:3]}****{phone[-4:]}"
    assert phone not in response.content.decode()
    assert data["committee"] == {
        "id": member_user.committee_id,
        "name": "济南市政协",
        "level": "city",
        "level_label": "市",
    }
    assert data["roles"] == [{"code": "member", "label": "委员"}]
    assert data["membership"]["term"] == "第十四届"
    assert data["membership"]["sector"] == "教育界"
    assert data["membership"]["position_label"] == "委员"
    assert data["handling_unit"] is None
    assert data["mfa_required"] is False


def test_me_for_handling_unit_user(client, unit_user):
    client.force_login(unit_user)
    data = client.get(ME).json()
    assert data["handling_unit"]["name"] == "市教育局"
    assert {"code": "handling_unit", "label": "承办单位"} in data["roles"]
    assert data["membership"] is None
    assert data["mfa_enabled"] is True


def test_token_created_on_settings_page_is_shown_once_and_stored_hashed(client, member_user):
    client.force_login(member_user)
    response = client.post(
        "/accounts/settings/",
        {"action": "create_token", "name": "我的手机", "expires_in_days": "90"},
    )
    assert response.status_code == 302
    page = client.get("/accounts/settings/").content.decode()
    token = ApiToken.objects.get(user=member_user)
    raw = page.split('id="new-token-value" type="text" value="')[1].split('"')[0]
    assert raw.startswith("zx_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in token.token_hash and token.prefix == raw[:10]
    assert token.expires_at is not None
    again = client.get("/accounts/settings/").content.decode()
    assert raw not in again
    assert token.prefix in again
    assert AuditEvent.objects.filter(verb="token_create", actor=member_user).exists()


def test_bearer_token_works_on_me_without_a_session(member_user):
    _, raw = api_token_create(user=member_user, name="app")
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "lihongmei"


def test_revoked_token_is_refused_with_401(client, member_user):
    token, raw = api_token_create(user=member_user, name="app")
    client.force_login(member_user)
    client.post("/accounts/settings/", {"action": "revoke_token", "token_id": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(ME, **bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(verb="token_revoke").count() == 1


def test_expired_unknown_and_malformed_tokens_are_refused(member_user):
    _, raw = api_token_create(
        user=member_user, name="short", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert Client().get(ME, **bearer(raw)).status_code == 401
    assert Client().get(ME, **bearer("zx_" + "a" * 43)).status_code == 401
    assert Client().get(ME, HTTP_AUTHORIZATION="Bearer").status_code == 401
    assert Client().get(ME, HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_token_of_a_deactivated_user_is_refused(member_user):
    _, raw = api_token_create(user=member_user, name="app")
    member_user.is_active = False
    member_user.save(update_fields=["is_active"])
    assert Client().get(ME, **bearer(raw)).status_code == 401


def test_token_of_staff_without_totp_gets_403(staff_without_totp):
    _, raw = api_token_create(user=staff_without_totp, name="app")
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 403
    assert "两步验证" in response.json()["detail"]


def test_last_used_is_recorded_at_most_once_a_minute(member_user):
    token, raw = api_token_create(user=member_user, name="app")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        Client().get(ME, **bearer(raw))
        token.refresh_from_db()
        first = token.last_used_at
        assert first == start
        traveller.shift(dt.timedelta(seconds=30))
        Client().get(ME, **bearer(raw))
        token.refresh_from_db()
        assert token.last_used_at == first
        traveller.shift(dt.timedelta(seconds=31))
        Client().get(ME, **bearer(raw))
        token.refresh_from_db()
        assert token.last_used_at > first


def test_session_api_keeps_csrf_for_unsafe_methods(member_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member_user)
    response = browser.post(TOKENS, {"name": "app"}, content_type="application/json")
    assert response.status_code == 403
    browser.get("/accounts/settings/")
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        TOKENS, {"name": "app"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201
    data = response.json()
    assert data["token"].startswith("zx_")
    assert "token_hash" not in data


def test_bearer_needs_no_csrf_but_cannot_mint_more_tokens(member_user):
    token, raw = api_token_create(user=member_user, name="app")
    app = Client(enforce_csrf_checks=True)
    response = app.post(TOKENS, {"name": "more"}, content_type="application/json", **bearer(raw))
    assert response.status_code in {401, 403}  # creation takes a browser session (and CSRF)
    assert ApiToken.objects.filter(user=member_user).count() == 1
    listing = app.get(TOKENS, **bearer(raw)).json()
    assert [item["prefix"] for item in listing] == [token.prefix]
    assert "token_hash" not in listing[0]
    response = app.delete(f"{TOKENS}/{token.pk}", **bearer(raw))
    assert response.status_code == 204
    assert app.get(ME, **bearer(raw)).status_code == 401


def test_cannot_revoke_someone_elses_token(client, member_user, other_member_user):
    token, _ = api_token_create(user=other_member_user, name="app")
    client.force_login(member_user)
    response = client.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_settings_page_cannot_revoke_someone_elses_token(client, member_user, other_member_user):
    token, _ = api_token_create(user=other_member_user, name="app")
    client.force_login(member_user)
    response = client.post(
        "/accounts/settings/", {"action": "revoke_token", "token_id": str(token.pk)}
    )
    assert response.status_code == 404
    assert "未找到该令牌" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(verb="token_revoke").exists()


def test_settings_page_revokes_own_token_and_audits(client, member_user):
    token, _ = api_token_create(user=member_user, name="我的手机")
    client.force_login(member_user)
    response = client.post(
        "/accounts/settings/", {"action": "revoke_token", "token_id": str(token.pk)}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="token_revoke", actor=member_user).count() == 1


def test_bad_token_payload_is_a_422_in_chinese(client, member_user):
    client.force_login(member_user)
    response = client.post(TOKENS, {"name": ""}, content_type="application/json")
    assert response.status_code == 422
    assert "格式有误" in response.json()["detail"]


def test_openapi_names_the_operations(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation_ids = {
        operation["operationId"] for path in schema["paths"].values() for operation in path.values()
    }
    assert {"get_me", "list_my_tokens", "create_my_token", "revoke_my_token"} <= operation_ids
