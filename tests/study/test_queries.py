"""Query-count pins: the staff request list and the member's list cost the same whatever the
number of rows they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _count_queries(client, url, django_assert_max_num_queries, limit):
    client.get(url)  # the first request after sign-in also saves the session
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_staff_request_list_query_count(
    client, build, member_user, other_member_user, liaison_user, django_assert_max_num_queries
):
    client.force_login(liaison_user)
    url = reverse("study:office")
    for index in range(3):
        request = build.request(member_user, other_member_user, title=f"征集{index}")
        build.submitted(request, member_user)
    few = _count_queries(client, url, django_assert_max_num_queries, 20)
    for index in range(3, 9):
        request = build.request(member_user, other_member_user, title=f"征集{index}")
        build.submitted(request, other_member_user)
    many = _count_queries(client, url, django_assert_max_num_queries, 20)
    assert many == few
    assert "征集8" in client.get(url).content.decode()


def test_member_list_query_count(
    client, build, member_user, other_member_user, django_assert_max_num_queries
):
    client.force_login(member_user)
    url = reverse("study:mine")
    for index in range(3):
        request = build.request(member_user, title=f"征集{index}")
        build.submitted(request, member_user)
    few = _count_queries(client, url, django_assert_max_num_queries, 20)
    for index in range(3, 9):
        build.request(member_user, other_member_user, title=f"征集{index}")
    many = _count_queries(client, url, django_assert_max_num_queries, 20)
    assert many == few


def test_request_detail_query_count(
    client,
    build,
    member_user,
    other_member_user,
    standing_user,
    liaison_user,
    django_assert_max_num_queries,
):
    request = build.request(member_user, other_member_user, standing_user)
    build.submitted(request, member_user)
    client.force_login(liaison_user)
    _count_queries(
        client, reverse("study:request", args=[request.pk]), django_assert_max_num_queries, 20
    )
