"""What the opinions app puts on people's to-do lists (apps.core.registry to-do providers):
我的待办 of members and liaisons (reports returned for revision, an organisation behind its
monthly quota), the 社情民意信息处's queues, the leader's reports awaiting 签发. Each provider runs
a small fixed number of queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.registry import TodoItem

from .models import ReportStatus
from .permissions import is_opinion_office
from .selectors import office_queue_counts, returned_count_for, signoff_list_for
from .selectors.liaison import quota_for_liaison


def member_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Reports returned for revision; each organisation the user files for that is behind its
    quota this month (two queries)."""
    items: list[TodoItem] = []
    returned = returned_count_for(user=request.user)
    if returned:
        items.append(
            TodoItem(
                label=_("社情民意信息退回修改，待重新提交"),
                url=reverse("opinions:mine") + "?status=" + ReportStatus.RETURNED,
                count=returned,
                urgent=True,
            )
        )
    today = clock.today()
    for line in quota_for_liaison(user=request.user, day=today):
        if line.behind:
            items.append(
                TodoItem(
                    label=_("%(unit)s本月社情民意信息报送任务未完成") % {"unit": line.unit.name},
                    url=reverse("opinions:new"),
                    count=line.missing,
                    detail=_("本月任务%(quota)d条，已报送%(done)d条。")
                    % {"quota": line.quota, "done": line.reported},
                )
            )
    return items


def office_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """The office's real queues with how many items each holds (two queries)."""
    committee_id = request.user.committee_id
    if not committee_id or not is_opinion_office(request.user, committee_id):
        return []
    counts = office_queue_counts(committee_id=committee_id)
    queues = [
        (counts.screen, _("社情民意信息待筛选"), "screen", bool(counts.urgent)),
        (counts.edit, _("已接收待编辑"), "edit", False),
        (counts.signoff, _("已送领导待签发"), "signoff", False),
        (counts.bulletin, _("已签发待编入期刊"), "bulletin", False),
        (counts.feedback, _("转办待登记回函"), "feedback", False),
    ]
    return [
        TodoItem(
            label=label,
            url=reverse("opinions:queue", args=[name]),
            count=count,
            urgent=urgent,
        )
        for count, label, name, urgent in queues
    ]


def leadership_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Reports waiting for this leader's 签发 (one query)."""
    waiting = signoff_list_for(user=request.user).count()
    if not waiting:
        return []
    return [
        TodoItem(
            label=_("社情民意信息待您签发"),
            url=reverse("opinions:signoff"),
            count=waiting,
            urgent=True,
        )
    ]
