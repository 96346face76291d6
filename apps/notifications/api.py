"""Notifications API (/api/v1/notifications). A caller only ever sees their own notifications:
another person's id answers 404, like a missing one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from apps.accounts.auth import api_caller
from apps.core.inputs import PageNumberPagination

from . import selectors, services
from .schemas import MarkAllReadOut, NotificationOut, UnreadCountOut

router = Router(tags=["通知"])


@router.get("", response=list[NotificationOut], summary="我的通知（新的在前）")
@paginate(PageNumberPagination, page_size=20)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    return selectors.notification_list_for_user(user=api_caller(request), unread_only=unread)


@router.get("/unread-count", response=UnreadCountOut, summary="未读通知数")
def unread_notification_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.notification_unread_count(user=api_caller(request))}


@router.post("/read-all", response=MarkAllReadOut, summary="全部标为已读")
def mark_all_notifications_read(request: HttpRequest) -> dict[str, int]:
    return {"updated": services.notification_mark_all_read(user=api_caller(request))}


@router.post("/{int:notification_id}/read", response=NotificationOut, summary="标为已读")
def mark_notification_read(request: HttpRequest, notification_id: int) -> Any:
    return services.notification_mark_read(
        user=api_caller(request), notification_id=notification_id
    )
