"""Fixtures for the accounts tests: signing in through the real forms, SMS outbox, extra
personas (staff without two-factor, a district liaison officer, an admin superuser)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from apps.accounts.roles import Role
from apps.core.sms import LocmemSmsBackend
from tests.factories import UserFactory

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate-limit counters in the cache; start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox():
    return LocmemSmsBackend.outbox


def sign_in(client, login: str, password: str, **extra):
    """POST the allauth sign-in form, as a browser would."""
    return client.post(LOGIN_URL, {"login": login, "password": password}, **extra)


@pytest.fixture
def staff_without_totp(city, roles_seeded):
    """委员联络处 staff 钱进 who has not set up two-factor yet (required for staff)."""
    user = UserFactory(username="qianjin", name="钱进", committee=city)
    user.groups.add(Group.objects.get(name=Role.PROPOSAL_OFFICE.value))
    return user


@pytest.fixture
def district_liaison_user(district, roles_seeded):
    """委员联络处 staff of the district committee: manages district accounts only."""
    from tests.conftest import enroll_totp

    user = UserFactory(username="lixialiaison", name="吴芳", committee=district)
    user.groups.add(Group.objects.get(name=Role.LIAISON_OFFICE.value))
    enroll_totp(user)
    return user


@pytest.fixture
def superuser(city):
    """A Django superuser (staff) without two-factor, for the admin sign-in tests."""
    return UserFactory(
        username="rootadmin", name="超级管理员", committee=city, is_staff=True, is_superuser=True
    )
