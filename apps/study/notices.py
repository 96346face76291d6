"""Who is told what, through the outbox (apps.notifications.services.notify), inside the
caller's transaction. Keys name one request, one milestone and one recipient, so each notice is
written at most once however often the caller runs:

- ``study:request:<id>:u<user>``               a request was published, to each invitee
- ``study:request:<id>:due:<yyyy-mm-dd>:u<user>``  the due date is near, to those not submitted
- ``study:reading:<book>:w<yyyy>-<ww>:u<user>``  a week without a reading check-in for the
  group's current book, to those members (once per ISO week)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import notify_each

from .models import Compilation, ReadingBook, ReadingGroup, Submission, TextRequest

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


def compilation_published(*, compilation: Compilation, users: Iterable[User]) -> int:
    return notify_each(
        recipients=users,
        key=f"study:compilation:{compilation.pk}:published",
        title=_("您的文章已编入《%(title)s》") % {"title": compilation.title},
        body=_("%(year)s年第%(number)s期已印发，可在学习园地阅读。")
        % {"year": compilation.year, "number": compilation.number},
        url=reverse("study:reading_compilation", args=[compilation.pk]),
        kind=KIND,
        committee=compilation.committee,
    )


def article_published(*, submission: Submission) -> int:
    user = submission.membership.member.user
    return notify_each(
        recipients=[user] if user is not None else [],
        key=f"study:article:{submission.pk}:published",
        title=_("您的文章已作为履职思考发布：%(title)s") % {"title": submission.final_title},
        body=_("本政协委员可在学习园地阅读。"),
        url=reverse("study:reading_article", args=[submission.pk]),
        kind=KIND,
        committee=submission.committee,
    )


def group_joined(*, group: ReadingGroup, membership_ids: Iterable[int]) -> int:
    users = User.objects.filter(member__memberships__in=list(membership_ids)).distinct()
    return notify_each(
        recipients=users,
        key=f"study:group:{group.pk}:joined",
        title=_("您已加入读书群组：%(name)s") % {"name": group.name},
        body=_("可在“读书群组”查看共读书目并读书打卡。"),
        url=reverse("study:group", args=[group.pk]),
        kind=KIND,
        committee=group.committee,
    )


def reading_reminder(*, book: ReadingBook, users: Iterable[User], week: str) -> int:
    """Returns how many reminders were new (a repeated run the same week reports 0)."""
    return notify_each(
        recipients=users,
        key=f"study:reading:{book.pk}:w{week}",
        title=_("读书打卡提醒：《%(title)s》") % {"title": book.title},
        body=_(
            "“%(group)s”正在共读《%(title)s》（至%(end)s），您已一周没有打卡，记下读到哪里和一点心得吧。"
        )
        % {
            "group": book.group.name,
            "title": book.title,
            "end": f"{book.ends_on.month}月{book.ends_on.day}日",
        },
        url=reverse("study:group", args=[book.group_id]),
        kind=KIND,
        committee=book.group.committee,
    )
