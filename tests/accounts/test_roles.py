"""Where roles and their permissions come from: Groups seeded by `seed_roles` for back-office
roles, role sources (the roster) for 委员/常委/主席会议成员, and RolePermissionBackend for the
permissions of roles that are not Groups."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts import permissions
from apps.accounts.models import User
from apps.accounts.permissions import register_role_source, user_roles, user_roles_prefetch
from apps.accounts.roles import GROUP_PERMISSIONS, GROUP_ROLES, STAFF_ROLES, Role
from apps.accounts.selectors import me_profile
from apps.members.models import Membership, MembershipStatus, Position

pytestmark = pytest.mark.django_db

VIEW, CHANGE, CHANGE_ANY = (
    "organisation.view_structure",
    "organisation.change_structure",
    "organisation.change_any_structure",
)


def _fresh(user: User) -> User:
    """The same account as a new request would load it (no cached roles or permissions)."""
    return User.objects.get(pk=user.pk)


def test_leadership_may_view_the_structure_through_the_roster(leader_user):
    assert Role.LEADERSHIP in user_roles(leader_user)
    assert not leader_user.groups.exists()  # not a Group: the permission comes from the backend
    assert leader_user.has_perm(VIEW)
    assert not leader_user.has_perm(CHANGE) and not leader_user.has_perm(CHANGE_ANY)


def test_plain_and_standing_members_may_not(member_user, standing_user):
    for user in (member_user, standing_user):
        assert Role.MEMBER in user_roles(user)
        assert not user.has_perm(VIEW)


def test_leadership_permission_ends_with_the_position(leader_user):
    Membership.objects.filter(member__user=leader_user).update(position=Position.MEMBER)
    assert not _fresh(leader_user).has_perm(VIEW)


def test_leadership_permission_ends_with_the_membership(leader_user):
    Membership.objects.filter(member__user=leader_user).update(status=MembershipStatus.RESIGNED)
    user = _fresh(leader_user)
    assert user_roles(user) == frozenset()
    assert not user.has_perm(VIEW)


def test_a_deactivated_leader_has_no_permission(leader_user):
    leader_user.is_active = False
    leader_user.save(update_fields=["is_active"])
    assert not _fresh(leader_user).has_perm(VIEW)


@pytest.mark.parametrize(
    ("persona", "view", "change", "change_any"),
    [
        ("proposal_staff_user", True, False, False),
        ("liaison_user", True, True, False),
        ("admin_user", True, False, True),
        ("unit_user", False, False, False),
        ("member_user", False, False, False),
    ],
)
def test_structure_permissions_of_each_role(request, persona, view, change, change_any):
    user = request.getfixturevalue(persona)
    assert (user.has_perm(VIEW), user.has_perm(CHANGE), user.has_perm(CHANGE_ANY)) == (
        view,
        change,
        change_any,
    )


def test_every_staff_office_may_view_the_structure(roles_seeded):
    for role in sorted(STAFF_ROLES):
        codenames = set(
            Group.objects.get(name=role.value).permissions.values_list("codename", flat=True)
        )
        assert "view_structure" in codenames, role


def test_seed_roles_is_idempotent_and_resets_drifted_groups(roles_seeded):
    def granted() -> dict[str, set[str]]:
        return {
            group.name: {
                f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
            }
            for group in Group.objects.prefetch_related("permissions__content_type")
        }

    first = granted()
    assert first == {role.value: set(GROUP_PERMISSIONS[role]) for role in GROUP_ROLES}
    # Someone granted an extra permission by hand; a second run puts the groups right again.
    Group.objects.get(name=Role.PROPOSAL_OFFICE.value).permissions.add(
        Permission.objects.get(codename="manage_accounts")
    )
    call_command("seed_roles", verbosity=0)
    call_command("seed_roles", verbosity=0)
    assert granted() == first
    assert Group.objects.filter(name__in=[role.value for role in GROUP_ROLES]).count() == len(
        GROUP_ROLES
    )


def test_roles_come_from_every_registered_source(member_user, monkeypatch):
    monkeypatch.setattr(permissions, "_role_sources", list(permissions._role_sources))

    def delegates(user: User):
        return [Role.GENERAL_OFFICE] if user.username == "lihongmei" else []

    register_role_source(delegates)
    register_role_source(delegates)  # a second ready() adds nothing
    assert len([s for s in permissions.role_sources() if s.roles_of is delegates]) == 1
    assert user_roles(_fresh(member_user)) == {Role.MEMBER, Role.GENERAL_OFFICE}


def test_roles_are_cached_for_the_request(member_user):
    user = _fresh(member_user)
    user_roles(user)
    with CaptureQueriesContext(connection) as queries:
        assert Role.MEMBER in user_roles(user)
    assert len(queries) == 0


def test_prefetch_loads_the_roster_roles_of_many_users_at_once(
    member_user, other_member_user, leader_user
):
    users = list(
        User.objects.filter(
            pk__in=[member_user.pk, other_member_user.pk, leader_user.pk]
        ).prefetch_related("groups")
    )
    user_roles_prefetch(users)
    with CaptureQueriesContext(connection) as queries:
        roles = {user.username: user_roles(user) for user in users}
    assert len(queries) == 0
    assert roles["zhaowenhua"] == {Role.MEMBER, Role.STANDING, Role.LEADERSHIP}
    assert roles["lihongmei"] == {Role.MEMBER}


def test_profile_has_the_membership_section_from_the_roster(member_user, liaison_user):
    profile = me_profile(user=_fresh(member_user))
    assert profile["membership"]["sector"] == "教育界"
    assert profile["membership"]["position_label"] == "委员"
    assert me_profile(user=_fresh(liaison_user))["membership"] is None
