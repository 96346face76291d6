"""Password policy: at least 12 characters, 3 of 4 character classes, no common passwords."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!short", "密码太短"),
        ("abcdefgh12345", "大写字母、小写字母、数字、符号中的 3 类"),
        ("ABCDEFGHIJKLMN", "大写字母、小写字母、数字、符号中的 3 类"),
        ("Qwertyuiop123", "这个密码太常见了"),
    ],
    ids=["too-short", "two-classes", "one-class", "common"],
)
def test_weak_passwords_are_refused_with_chinese_messages(member_user, password, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, member_user)
    assert any(message in text for text in excinfo.value.messages)


@pytest.mark.parametrize("password", ["Qing-Shan-2026!", "huanghe-liu-2026", "Zheng Xie 2026 ok"])
def test_good_passwords_are_accepted(member_user, password):
    validate_password(password, member_user)


def test_password_change_page_applies_the_policy_in_chinese(client, member_user, password):
    client.force_login(member_user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "abcdefgh12345", "password2": "abcdefgh12345"},
    )
    assert response.status_code == 200
    assert "至少要包含大写字母、小写字母、数字、符号中的 3 类" in response.content.decode()
    member_user.refresh_from_db()
    assert member_user.check_password(password)


def test_password_change_page_accepts_a_good_password(client, member_user, password):
    client.force_login(member_user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "Qing-Shan-2026!", "password2": "Qing-Shan-2026!"},
    )
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.check_password("Qing-Shan-2026!")
