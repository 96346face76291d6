"""The navigation's permission check in one statement instead of ModelBackend's two
(apps.dashboards.context_processors.load_model_permissions): the same answers as Django's, read
afresh on every request, so a permission given or taken away (directly or through a group)
shows on the very next page."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.dashboards.context_processors import load_model_permissions

pytestmark = pytest.mark.django_db

AUDIT_NAV = f'href="{reverse("audit:list")}"'


def _audit_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="core", codename="view_audit_log")


def _page(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("duties:mine"))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def test_the_navigation_reads_permissions_once_and_follows_every_change(client, member_user):
    client.force_login(member_user)
    client.get(reverse("duties:mine"))
    page, statements = _page(client)
    assert AUDIT_NAV not in page
    assert sum('"auth_permission"' in sql for sql in statements) == 1

    member_user.user_permissions.add(_audit_permission())
    page, _statements = _page(client)
    assert AUDIT_NAV in page  # given directly: the next page shows it

    member_user.user_permissions.remove(_audit_permission())
    page, _statements = _page(client)
    assert AUDIT_NAV not in page  # taken away: gone on the next page

    auditors = Group.objects.create(name="审计查看")
    auditors.permissions.add(_audit_permission())
    member_user.groups.add(auditors)
    page, _statements = _page(client)
    assert AUDIT_NAV in page  # through a group

    member_user.groups.remove(auditors)
    page, _statements = _page(client)
    assert AUDIT_NAV not in page


def test_the_set_is_the_one_model_backend_builds(member_user):
    own = Permission.objects.filter(content_type__app_label="duties").order_by("id")[:2]
    member_user.user_permissions.add(*own)
    group = Group.objects.create(name="混合")
    group.permissions.add(_audit_permission(), own[0])
    member_user.groups.add(group)

    ours = User.objects.get(pk=member_user.pk)
    load_model_permissions(ours)
    django = User.objects.get(pk=member_user.pk)
    expected = ModelBackend().get_all_permissions(django)
    assert ours._perm_cache == expected
    assert "core.view_audit_log" in expected and len(expected) == 3
    with CaptureQueriesContext(connection) as captured:
        assert ours.has_perm("core.view_audit_log")
        assert not ours.has_perm("core.delete_auditevent")
    assert not [q for q in captured.captured_queries if '"auth_permission"' in q["sql"]]


def test_inactive_users_and_superusers_are_left_to_django(member_user):
    inactive = User.objects.get(pk=member_user.pk)
    inactive.is_active = False
    load_model_permissions(inactive)
    assert not hasattr(inactive, "_perm_cache")

    boss = User.objects.get(pk=member_user.pk)
    boss.is_superuser = True
    load_model_permissions(boss)
    assert not hasattr(boss, "_perm_cache")
    assert boss.has_perm("core.view_audit_log")
