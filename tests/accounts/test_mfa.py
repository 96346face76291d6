"""Two-factor sign-in (TOTP with recovery codes): required for staff, leadership, handling
units and administrators; optional for members."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from apps.core.models import AuditEvent
from tests.conftest import enroll_totp

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def test_staff_without_totp_is_sent_to_set_it_up_from_the_home_page(client, staff_without_totp):
    client.force_login(staff_without_totp)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


@pytest.mark.parametrize("path", ["/members/", "/accounts/settings/", "/notifications/"])
def test_staff_without_totp_cannot_reach_other_pages_either(client, staff_without_totp, path):
    client.force_login(staff_without_totp)
    assert client.get(path)["Location"] == ACTIVATE


def _confirm_password(client, password: str) -> None:
    """allauth asks for the password again before two-factor is switched on."""
    response = client.get(ACTIVATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(response["Location"]).status_code == 200
    response = client.post(response["Location"], {"password": password})
    assert response["Location"] == ACTIVATE


def test_staff_without_totp_may_use_setup_pages_logout_and_healthz(
    client, staff_without_totp, password
):
    client.force_login(staff_without_totp)
    response = client.get("/", follow=True)
    assert "您的岗位要求开启两步验证" in response.content.decode()
    _confirm_password(client, password)
    response = client.get(ACTIVATE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "开启两步验证" in page
    assert "data:image/svg+xml;base64," in page  # the QR code, inline (no external service)
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/healthz").status_code in {200, 503}
    assert client.post("/accounts/logout/").status_code == 302


def test_htmx_fragments_for_staff_without_totp_are_empty_and_do_not_redirect(
    client, staff_without_totp
):
    """The header badge polls from the setup pages too; it must not pull the person away."""
    client.force_login(staff_without_totp)
    response = client.get("/notifications/badge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert not response.content
    assert "HX-Redirect" not in response


def test_api_answers_403_in_chinese_for_staff_without_totp(client, staff_without_totp):
    client.force_login(staff_without_totp)
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert "两步验证" in response.json()["detail"]


@pytest.mark.parametrize(
    "persona", ["leader_user", "unit_user", "admin_user", "liaison_user", "proposal_staff_user"]
)
def test_roles_that_require_totp_get_through_once_enrolled(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/").status_code == 200


def test_leader_without_totp_is_forced_too(client, leader_user):
    Authenticator.objects.filter(user=leader_user).delete()
    client.force_login(leader_user)
    assert client.get("/")["Location"] == ACTIVATE


def test_member_is_never_forced_but_may_enrol(client, member_user, password):
    client.force_login(member_user)
    assert client.get("/").status_code == 200
    page = client.get("/accounts/settings/").content.decode()
    assert "委员可自愿开启" in page
    _confirm_password(client, password)
    assert client.get(ACTIVATE).status_code == 200


def test_staff_enrols_totp_gets_recovery_codes_and_is_let_through(
    client, staff_without_totp, password, django_capture_on_commit_callbacks
):
    response = sign_in(client, "qianjin", password)
    assert client.get(response["Location"])["Location"] == ACTIVATE
    _confirm_password(client, password)
    response = client.get(ACTIVATE)
    secret = response.context["form"].secret
    response = client.post(ACTIVATE, {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes_page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "恢复码" in codes_page
    assert client.get("/").status_code == 200
    download = client.get("/accounts/2fa/recovery-codes/download/")
    assert download.status_code == 200
    assert AuditEvent.objects.filter(verb="mfa_activate", actor=staff_without_totp).exists()


def test_staff_sign_in_asks_for_totp_and_accepts_a_recovery_code(client, liaison_user, password):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(liaison_user).get_unused_codes()
    response = sign_in(client, "sunli", password)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    page = client.get(response["Location"]).content.decode()
    assert "两步验证" in page and 'name="code"' in page
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(liaison_user.pk)


def test_staff_sign_in_with_the_totp_code(client, password, city, roles_seeded):
    from django.contrib.auth.models import Group

    from apps.accounts.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(username="zhengkai", name="郑凯", committee=city)
    user.groups.add(Group.objects.get(name=Role.GENERAL_OFFICE.value))
    secret = enroll_totp(user)
    sign_in(client, "zhengkai", password)
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


def _reauthenticate(client, password: str) -> None:
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def test_staff_cannot_switch_totp_off(client, liaison_user, password):
    client.force_login(liaison_user)
    _reauthenticate(client, password)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "不能关闭验证器应用" in response.content.decode()
    assert Authenticator.objects.filter(user=liaison_user, type=Authenticator.Type.TOTP).exists()


def test_member_may_switch_totp_off(client, member_user, password):
    enroll_totp(member_user)
    client.force_login(member_user)
    _reauthenticate(client, password)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member_user, type=Authenticator.Type.TOTP).exists()


def test_mfa_pages_are_in_chinese_in_the_portal_layout(client, liaison_user):
    client.force_login(liaison_user)
    page = client.get("/accounts/2fa/").content.decode()
    assert "两步验证" in page
    assert "账户与安全" in page  # breadcrumb back to the settings page
    assert 'class="portal-header"' in page
