"""Reads for 码上商量: the public page (approved comments only), the moderation queue (paged,
by status), the organiser's statistics (visits and comments per day, keywords of approved
comments) and the export."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import NotFound

from ..models import Comment, CommentStatus, OnlineConsultation, VisitDay
from ..permissions import can_schedule


def online_list_for_staff(*, user: User) -> QuerySet[OnlineConsultation]:
    committee_id = user.committee_id
    if committee_id is None or not can_schedule(user, committee_id):
        return OnlineConsultation.objects.none()
    return (
        OnlineConsultation.objects.filter(committee_id=committee_id)
        .annotate(comment_total=Count("comments"))
        .order_by("-opens_at", "-id")
    )


def online_get_for_staff(*, user: User, consultation_id: int) -> OnlineConsultation:
    found = online_list_for_staff(user=user).filter(pk=consultation_id).first()
    if found is None:
        raise NotFound(_("未找到该网上协商，或您无权查看。"))
    return found


def online_get_public(*, key: str) -> OnlineConsultation:
    found = (
        OnlineConsultation.objects.select_related("committee").filter(public_key=key).first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("未找到该网上协商。"))
    return found


def approved_comments(*, consultation: OnlineConsultation) -> QuerySet[Comment]:
    """What anyone may read: approved comments only, newest first."""
    return (
        Comment.objects.filter(consultation=consultation, status=CommentStatus.APPROVED)
        .select_related("membership__member")
        .order_by("-created_at", "-id")
    )


def moderation_queue(*, consultation: OnlineConsultation, status: str) -> QuerySet[Comment]:
    """Comments of one status for moderators, oldest pending first (newest for the others)."""
    queryset = Comment.objects.filter(consultation=consultation, status=status).select_related(
        "membership__member", "moderated_by"
    )
    if status == CommentStatus.PENDING:
        return queryset.order_by("created_at", "id")
    return queryset.order_by("-created_at", "-id")


@dataclass(frozen=True)
class OnlineStats:
    days: list[dt.date]
    visits: list[int]
    comments: list[int]
    by_status: dict[str, int]
    keywords: list[tuple[str, int]]


def online_stats(*, consultation: OnlineConsultation, keyword_limit: int = 20) -> OnlineStats:
    """Visits and comments per day, counts by status, and the most frequent keywords of the
    approved comments (the keywords were extracted once, when each comment arrived)."""
    visits = dict(VisitDay.objects.filter(consultation=consultation).values_list("day", "visits"))
    comments = dict(
        Comment.objects.filter(consultation=consultation)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    by_status = dict(
        Comment.objects.filter(consultation=consultation)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counter: Counter[str] = Counter()
    for words in Comment.objects.filter(
        consultation=consultation, status=CommentStatus.APPROVED
    ).values_list("keywords", flat=True):
        counter.update(words or [])
    days = sorted(set(visits) | set(comments))
    return OnlineStats(
        days=days,
        visits=[visits.get(day, 0) for day in days],
        comments=[comments.get(day, 0) for day in days],
        by_status={status: by_status.get(status, 0) for status in CommentStatus.values},
        keywords=counter.most_common(keyword_limit),
    )
