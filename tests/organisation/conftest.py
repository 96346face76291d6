"""Extra personas for the organisation pages.

- district_staff_user: 提案委员会办公室 of 历下区政协; sees the district only, never the city.
- district_liaison_user: 委员联络处 of 历下区政协; may edit the district's structure.
- city_scope_liaison_user: the city's 委员联络处 with a scope grant over the districts; may see
  the district's structure (committee switcher) but edit only the city's.
"""

import pytest

from apps.accounts.roles import Role
from apps.organisation.models import CommitteeScopeGrant
from tests.conftest import _staff_user


@pytest.fixture
def district_staff_user(district, roles_seeded):
    return _staff_user(district, Role.PROPOSAL_OFFICE, username="lixia_tiban", name="历下提案办")


@pytest.fixture
def district_liaison_user(district, roles_seeded):
    return _staff_user(district, Role.LIAISON_OFFICE, username="lixia_lianluo", name="历下联络处")


@pytest.fixture
def city_scope_liaison_user(liaison_user, city, district):
    CommitteeScopeGrant.objects.create(user=liaison_user, committee=city, include_children=True)
    return liaison_user
