"""Who is told what, through the outbox (apps.notifications.services.notify), inside the
caller's transaction. Keys name one request, one milestone and one recipient, so each notice is
written at most once however often the caller runs:

- ``study:request:<id>:u<user>``               a request was published, to each invitee
- ``study:request:<id>:due:<yyyy-mm-dd>:u<user>``  the due date is near, to those not submitted
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import notify_each

from .models import TextRequest

KIND = "study"


def due_label(request: TextRequest) -> str:
    day = request.due_date
    return f"{day.year}年{day.month}月{day.day}日"


def write_url(request_id: int) -> str:
    return reverse("study:write", args=[request_id])


def request_published(*, request: TextRequest, users: Iterable[User]) -> int:
    return notify_each(
        recipients=users,
        key=f"study:request:{request.pk}",
        title=_("请撰写%(kind)s：%(title)s")
        % {"kind": request.get_kind_display(), "title": request.title},
        body=_("请于%(day)s前在平台提交。") % {"day": due_label(request)},
        url=write_url(request.pk),
        kind=KIND,
        committee=request.committee,
    )


def due_reminder(*, request: TextRequest, users: Iterable[User]) -> int:
    """Returns how many reminders were new (a repeated run the same day reports 0)."""
    return notify_each(
        recipients=users,
        key=f"study:request:{request.pk}:due:{request.due_date.isoformat()}",
        title=_("学习材料即将截止：%(title)s") % {"title": request.title},
        body=_("您尚未提交，截止日期为%(day)s。") % {"day": due_label(request)},
        url=write_url(request.pk),
        kind=KIND,
        committee=request.committee,
    )
