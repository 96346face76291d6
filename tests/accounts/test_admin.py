"""Django admin for accounts: the sign-in page asks for the two-factor code; User, ApiToken
and django-axes' access attempts are registered; token hashes are read-only; roles are not
edited there."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create
from tests.conftest import enroll_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    enroll_totp(superuser)
    client.force_login(superuser)
    return client


def test_admin_sign_in_page_is_ours_with_the_code_field(client, db):
    page = client.get("/admin/login/").content.decode()
    assert 'name="otp"' in page
    assert "两步验证码" in page


def test_superuser_without_totp_is_sent_to_set_it_up_before_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/apitoken/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accessfailurelog/",
        "/admin/accounts/activationtoken/",
    ],
)
def test_account_admin_pages_render(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_user_change_page_shows_custom_fields_and_keeps_roles_read_only(admin_client, member_user):
    page = admin_client.get(f"/admin/accounts/user/{member_user.pk}/change/").content.decode()
    for field in ("name", "phone", "committee", "handling_unit"):
        assert f'name="{field}"' in page
    assert 'name="groups"' not in page
    assert 'name="is_superuser"' not in page


def test_api_token_hash_is_read_only_in_admin(admin_client, member_user):
    token, _ = api_token_create(user=member_user, name="app")
    page = admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.token_hash in page
    assert 'name="token_hash"' not in page
    admin_client.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"token_hash": "x" * 64})
    token.refresh_from_db()
    assert token.token_hash != "x" * 64
    assert ApiToken.objects.count() == 1


def test_admin_can_lift_a_lock_by_deleting_the_access_attempt(
    admin_client, client, member_user, password
):
    from .conftest import sign_in

    other = admin_client.__class__()
    for _ in range(5):
        sign_in(other, "lihongmei", "Wrong-Password-2026")
    assert "账户已暂时锁定" in sign_in(other, "lihongmei", password).content.decode()
    attempt = AccessAttempt.objects.get(username="lihongmei")
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    sign_in(other, "lihongmei", password)
    assert other.session.get("_auth_user_id") == str(member_user.pk)


def test_self_service_phone_change_and_password_reset_point_to_the_office(client, member_user):
    page = client.get("/accounts/password/reset/").content.decode()
    assert "联系政协机关委员联络处" in page
    client.force_login(member_user)
    page = client.get("/accounts/phone/change/").content.decode()
    assert "由政协机关统一维护" in page
    response = client.post("/accounts/phone/change/", {"phone": "13700000000"})
    member_user.refresh_from_db()
    assert member_user.phone != "13700000000"
    assert response.status_code == 200
