"""Recovery codes (issue 8): every way into two-factor ends with recovery codes — allauth's
activation page, the demo seeder, accounts staff create, people enrolled before — and the
account page's buttons lead to pages that exist: view again after re-authentication, download
as text, regenerate."""

from __future__ import annotations

import importlib
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps as django_apps
from django.utils import timezone

from apps.accounts.demo import totp_enrol
from apps.accounts.roles import Role
from apps.accounts.services import activation_issue, user_create
from apps.core.demo import DemoRun
from apps.core.models import AuditEvent
from tests.conftest import enroll_totp

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/settings/"
CODES = "/accounts/2fa/recovery-codes/"
DOWNLOAD = "/accounts/2fa/recovery-codes/download/"
GENERATE = "/accounts/2fa/recovery-codes/generate/"
NEW_PASSWORD = "Qing-Shan-2026!"


def _codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def _reauthenticate(client, password: str) -> None:
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def _mfa_section_links(page: str) -> list[str]:
    section = page[page.index('id="mfa-heading"') : page.index('id="api-tokens"')]
    return re.findall(r'href="([^"]+)"', section)


def test_demo_seeded_staff_have_ten_recovery_codes(liaison_user, client):
    Authenticator.objects.filter(user=liaison_user).delete()
    run = DemoRun()
    totp_enrol(run, [liaison_user])
    assert Authenticator.objects.filter(user=liaison_user, type=Authenticator.Type.TOTP).exists()
    assert len(_codes(liaison_user)) == 10
    client.force_login(liaison_user)
    assert "还有 10 个恢复码可用" in client.get(SETTINGS).content.decode()


def test_demo_seeding_again_gives_codes_to_someone_enrolled_without_them(liaison_user):
    """liaison_user was enrolled with a TOTP secret only (as the demo used to do)."""
    assert not Authenticator.objects.filter(
        user=liaison_user, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    secret_before = Authenticator.objects.get(user=liaison_user, type="totp").data["secret"]
    totp_enrol(DemoRun(), [liaison_user])
    assert len(_codes(liaison_user)) == 10
    # The authenticator app keeps working: the TOTP secret is not replaced.
    assert Authenticator.objects.get(user=liaison_user, type="totp").data["secret"] == (
        secret_before
    )
    codes = _codes(liaison_user)
    totp_enrol(DemoRun(), [liaison_user])
    assert _codes(liaison_user) == codes  # safe to run twice


def test_migration_gives_codes_to_everyone_enrolled_without_them(
    liaison_user, unit_user, member_user
):
    RecoveryCodes.activate(unit_user)
    unit_codes = _codes(unit_user)
    migration = importlib.import_module("apps.accounts.migrations.0005_recovery_codes_for_enrolled")
    migration.give_recovery_codes(django_apps, None)
    assert len(_codes(liaison_user)) == 10
    assert _codes(unit_user) == unit_codes  # kept
    # Nobody who is not enrolled gets codes.
    assert not Authenticator.objects.filter(user=member_user).exists()


def test_staff_created_account_ends_with_recovery_codes(
    client, city, liaison_user, roles_seeded, django_capture_on_commit_callbacks
):
    account = user_create(
        committee=city,
        username="zhaomin",
        name="赵敏",
        phone="13900004321",
        roles=[Role.PROPOSAL_OFFICE],
        created_by=liaison_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = activation_issue(user=account, issued_by=liaison_user)
    link = issued.link[issued.link.index("/accounts/") :]
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    activate = "/accounts/2fa/totp/activate/"
    assert client.get("/")["Location"] == activate
    response = client.get(activate)
    assert response.status_code == 200, response.get("Location")
    secret = response.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(activate, {"code": code})
    assert response["Location"] == CODES
    page = client.get(CODES).content.decode()
    codes = _codes(account)
    assert len(codes) == 10 and all(code in page for code in codes)
    assert "还有 10 个恢复码可用" in client.get(SETTINGS).content.decode()


@pytest.mark.parametrize("state", ["fresh", "all_used", "none"])
def test_every_button_of_the_account_page_leads_to_a_page(client, liaison_user, password, state):
    if state != "none":
        codes = RecoveryCodes.activate(liaison_user)
        if state == "all_used":
            for code in codes.get_unused_codes():
                assert codes.validate_code(code)
    client.force_login(liaison_user)
    _reauthenticate(client, password)
    page = client.get(SETTINGS).content.decode()
    links = _mfa_section_links(page)
    assert links
    if state == "fresh":
        assert "还有 10 个恢复码可用" in page
        assert {CODES, DOWNLOAD, GENERATE} <= set(links)
    else:
        assert CODES not in links and DOWNLOAD not in links
        assert GENERATE in links
        assert "生成恢复码" in page
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, (link, response.status_code)


def test_generating_codes_from_the_account_page_when_there_are_none(
    client, liaison_user, password, django_capture_on_commit_callbacks
):
    client.force_login(liaison_user)
    _reauthenticate(client, password)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(GENERATE)
    assert response.status_code == 302 and response["Location"] == CODES
    codes = _codes(liaison_user)
    page = client.get(CODES).content.decode()
    assert len(codes) == 10 and all(code in page for code in codes)
    assert AuditEvent.objects.filter(verb="mfa_recovery_codes", actor=liaison_user).exists()


def test_codes_are_shown_again_only_after_re_authentication(client, liaison_user, password):
    codes = RecoveryCodes.activate(liaison_user).get_unused_codes()
    client.force_login(liaison_user)
    response = client.get(CODES)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    _reauthenticate(client, password)
    for _visit in range(2):  # viewable again, not only once
        page = client.get(CODES).content.decode()
        assert all(code in page for code in codes)


def test_re_authentication_with_the_authenticator_code_works_too(client, password, city):
    from tests.factories import UserFactory

    user = UserFactory(username="zhengkai", name="郑凯", committee=city)
    secret = enroll_totp(user)
    RecoveryCodes.activate(user)
    client.force_login(user)
    response = client.get(CODES)
    assert response.status_code == 302
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    response = client.post("/accounts/2fa/reauthenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get(CODES).status_code == 200


def test_download_is_a_text_file_of_the_unused_codes(client, liaison_user, password):
    codes = RecoveryCodes.activate(liaison_user)
    used = codes.get_unused_codes()[0]
    assert codes.validate_code(used)
    client.force_login(liaison_user)
    _reauthenticate(client, password)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    assert all(code in text for code in codes.get_unused_codes())
    assert used not in text


def test_regenerating_voids_the_old_codes(
    client, liaison_user, password, django_capture_on_commit_callbacks
):
    old = RecoveryCodes.activate(liaison_user).get_unused_codes()
    client.force_login(liaison_user)
    _reauthenticate(client, password)
    assert "原有的恢复码将全部作废" in client.get(GENERATE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(GENERATE)
    assert response["Location"] == CODES
    new = _codes(liaison_user)
    assert len(new) == 10 and not set(new) & set(old)
    authenticator = Authenticator.objects.get(user=liaison_user, type="recovery_codes")
    assert not authenticator.wrap().validate_code(old[0])
    assert AuditEvent.objects.filter(verb="mfa_recovery_codes", actor=liaison_user).exists()


def test_members_without_two_factor_see_no_recovery_code_buttons(client, member_user):
    client.force_login(member_user)
    links = _mfa_section_links(client.get(SETTINGS).content.decode())
    assert CODES not in links and DOWNLOAD not in links and GENERATE not in links
