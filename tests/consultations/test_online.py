"""码上商量: anyone may comment on an open consultation; limits (length, 10 a minute per
address), the honeypot, moderation (approve / reject / hide with a reason, in bulk) and
"unapproved is never visible"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.consultations.models import Comment, CommentStatus
from apps.consultations.selectors.online import approved_comments, online_stats
from apps.consultations.services.online import (
    RateLimited,
    comment_post,
    comments_moderate,
    online_create,
    online_visit,
)
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(office_user, frozen):
    return online_create(
        user=office_user,
        data={
            "title": "如何让老旧小区加装电梯更顺利",
            "introduction": "欢迎就老旧小区加装电梯提出意见建议。",
            "opens_at": NOW - dt.timedelta(days=1),
            "closes_at": NOW + dt.timedelta(days=10),
        },
    )


def _post(consultation, body="建议政府对加装电梯给予补贴，简化审批流程。", ip="10.0.0.1", **extra):
    return comment_post(consultation_id=consultation.pk, body=body, ip=ip, **extra)


def test_comment_is_pending_and_invisible_until_approved(client, consultation, office_user):
    comment = _post(consultation)
    assert comment.status == CommentStatus.PENDING and comment.keywords
    page = client.get(reverse("consultations:public", args=[consultation.public_key]))
    assert "简化审批流程" not in page.content.decode()
    comments_moderate(
        user=office_user,
        consultation_id=consultation.pk,
        comment_ids=[comment.pk],
        action="approve",
    )
    page = client.get(reverse("consultations:public", args=[consultation.public_key]))
    assert "简化审批流程" in page.content.decode()


def test_length_limit(consultation):
    _post(consultation, body="字" * 2000)
    with pytest.raises(ValidationFailed) as caught:
        _post(consultation, body="字" * 2001)
    assert "不能超过2000字" in caught.value.message
    assert Comment.objects.count() == 1


def test_rate_limit_per_address_per_minute(consultation, frozen):
    for _ in range(10):
        _post(consultation)
    with pytest.raises(RateLimited):
        _post(consultation)
    _post(consultation, ip="10.0.0.2")  # another address is not limited
    frozen.shift(61)
    _post(consultation)
    assert Comment.objects.count() == 12


def test_honeypot_stores_nothing(client, consultation):
    response = client.post(
        reverse("consultations:public", args=[consultation.public_key]),
        {"body": "广告内容", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_public_page_posts_and_counts_visits(client, consultation):
    url = reverse("consultations:public", args=[consultation.public_key])
    client.get(url)
    client.get(url)
    response = client.post(url, {"body": "希望增加社区议事的机会。", "author_name": "张女士"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author_name, comment.status, comment.membership) == ("张女士", "pending", None)
    consultation.refresh_from_db()
    assert consultation.visit_count == 2


def test_member_comment_is_labelled(consultation, member_user):
    comment = _post(consultation, user=member_user)
    assert comment.membership.member.name == "李红梅"


def test_closed_window_refuses(consultation):
    with at(NOW + dt.timedelta(days=11)), pytest.raises(Conflict):
        _post(consultation)
    assert not Comment.objects.exists()


def test_bulk_moderation_with_reasons(consultation, office_user):
    comments = [_post(consultation, ip=f"10.0.1.{i}") for i in range(5)]
    ids = [c.pk for c in comments]
    assert (
        comments_moderate(
            user=office_user, consultation_id=consultation.pk, comment_ids=ids[:3], action="approve"
        )
        == 3
    )
    with pytest.raises(ValidationFailed):
        comments_moderate(
            user=office_user, consultation_id=consultation.pk, comment_ids=ids[3:], action="reject"
        )
    comments_moderate(
        user=office_user,
        consultation_id=consultation.pk,
        comment_ids=ids[3:4],
        action="reject",
        reason="与议题无关",
    )
    comments_moderate(
        user=office_user,
        consultation_id=consultation.pk,
        comment_ids=ids[4:],
        action="hide",
        reason="含个人信息",
    )
    assert approved_comments(consultation=consultation).count() == 3
    assert Comment.objects.get(pk=ids[3]).moderation_reason == "与议题无关"
    assert AuditEvent.objects.filter(verb="online_comment_approve").count() == 1
    stats = online_stats(consultation=consultation)
    assert stats.by_status == {"pending": 0, "approved": 3, "rejected": 1, "hidden": 1}
    assert "电梯" in dict(stats.keywords)


def test_moderation_is_for_staff_only(consultation, member_user, district_office_user):
    comment = _post(consultation)
    for user in (member_user, district_office_user):
        with pytest.raises(PermissionDenied):
            comments_moderate(
                user=user,
                consultation_id=consultation.pk,
                comment_ids=[comment.pk],
                action="approve",
            )
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_visits_per_day(consultation, frozen):
    online_visit(consultation=consultation)
    frozen.shift(dt.timedelta(days=1))
    online_visit(consultation=consultation)
    online_visit(consultation=consultation)
    stats = online_stats(consultation=consultation)
    assert stats.visits == [1, 2]


def test_moderation_queue_stays_at_fixed_queries(
    client, consultation, office_user, django_assert_max_num_queries
):
    url = reverse("consultations:online_detail", args=[consultation.pk])
    client.force_login(office_user)
    for i in range(3):
        _post(consultation, ip=f"10.1.0.{i}")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    Comment.objects.bulk_create(
        Comment(consultation=consultation, body=f"留言{i}", keywords=["电梯"]) for i in range(40)
    )
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)
