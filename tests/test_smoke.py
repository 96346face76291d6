import pytest

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.organisation.numerals import chinese_number


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 14, 20, 21, 105, 110)] == [
        "一",
        "十",
        "十四",
        "二十",
        "二十一",
        "一百零五",
        "一百一十",
    ]


@pytest.mark.django_db
def test_personas_have_expected_roles(member_user, leader_user, liaison_user, unit_user):
    assert user_roles(member_user) == {Role.MEMBER}
    assert user_roles(leader_user) == {Role.MEMBER, Role.STANDING, Role.LEADERSHIP}
    assert user_roles(liaison_user) == {Role.LIAISON_OFFICE}
    assert user_roles(unit_user) == {Role.HANDLING_UNIT}


@pytest.mark.django_db
def test_home_page_renders_for_member(client, member_user):
    client.force_login(member_user)
    response = client.get("/")
    assert response.status_code == 200
    assert "李红梅" in response.content.decode()
