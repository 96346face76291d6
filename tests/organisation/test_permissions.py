"""Who may see and maintain a committee's structure (apps.organisation.permissions).

The capabilities are Django permissions granted to the seeded roles: view_structure to the
staff offices, leadership and administrators; change_structure (own committee) to the liaison
office; change_any_structure (every committee in scope) to administrators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.organisation.permissions import can_edit_organisation, can_view_organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# persona: (may open the pages, sees the city, sees the district, edits the city, edits the
# district)
MATRIX = {
    "member_user": (False, False, False, False, False),
    "standing_user": (False, False, False, False, False),
    "unit_user": (False, False, False, False, False),
    "district_member_user": (False, False, False, False, False),
    "proposal_staff_user": (True, True, False, False, False),
    "leader_user": (True, True, False, False, False),
    "liaison_user": (True, True, False, True, False),
    "city_scope_liaison_user": (True, True, True, True, False),
    "district_liaison_user": (True, False, True, False, True),
    "district_staff_user": (True, False, True, False, False),
    "admin_user": (True, True, False, True, False),
    "admin_over_district_user": (True, True, True, True, True),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_structure_permission_matrix(request, persona, city, district):
    user = request.getfixturevalue(persona)
    expected = MATRIX[persona]
    assert (
        can_view_organisation(user),
        can_view_organisation(user, city.pk),
        can_view_organisation(user, district.pk),
        can_edit_organisation(user, city.pk),
        can_edit_organisation(user, district.pk),
    ) == expected


def test_anonymous_may_do_nothing(city):
    anonymous = AnonymousUser()
    assert not can_view_organisation(anonymous)
    assert not can_view_organisation(anonymous, city.pk)
    assert not can_edit_organisation(anonymous, city.pk)


def test_a_superuser_edits_every_committee(city, district):
    root = UserFactory(username="root", committee=None, is_superuser=True)
    assert can_view_organisation(root, district.pk)
    assert can_edit_organisation(root, city.pk) and can_edit_organisation(root, district.pk)


def test_the_permissions_are_what_decides(city, liaison_user):
    """Taking change_structure away from the liaison office's group takes the edit away."""
    group = Group.objects.get(name=Role.LIAISON_OFFICE.value)
    group.permissions.remove(Permission.objects.get(codename="change_structure"))
    fresh = User.objects.get(pk=liaison_user.pk)
    assert can_view_organisation(fresh, city.pk)
    assert not can_edit_organisation(fresh, city.pk)
