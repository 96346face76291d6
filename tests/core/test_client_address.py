"""One client address (apps.core.context.client_ip): REMOTE_ADDR unless proxies are trusted;
behind N proxies the N-th X-Forwarded-For entry from the right, whatever the client wrote to its
left. The audit log, the lockout and allauth's rate limits all use it."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from apps.core.context import client_ip

PROXY = "172.18.0.2"


def _request(forwarded: str | None = None):
    meta = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7")) == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("1.1.1.1, 8.8.8.8, 203.0.113.7", "203.0.113.7"),
        ("not-an-address, 203.0.113.7", "203.0.113.7"),
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_with_one_proxy_the_right_most_entry_is_the_client(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded)) == expected


def test_with_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("9.9.9.9, 203.0.113.7, 10.0.0.3")) == "203.0.113.7"
    # Fewer entries than proxies: the request did not come through them.
    assert client_ip(_request("203.0.113.7")) == PROXY


def test_a_request_without_the_header_is_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request()) == PROXY


def test_allauth_rate_limits_use_the_same_address(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request("198.51.100.1, 203.0.113.7")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
def test_the_audit_log_records_the_same_address(settings, client, member_user, password):
    from apps.core.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"login": "lihongmei", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="10.66.66.66, 203.0.113.7",
    )
    assert AuditEvent.objects.get(verb="login").ip == "203.0.113.7"
