from __future__ import annotations

from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class UnreadCountOut(Schema):
    unread: int


class MarkAllReadOut(Schema):
    updated: int
