"""What the study app puts on 我的待办 (members with texts due), the home card of members and the
委员联络处 queue (requests still open). Each runs one or two queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.registry import TodoItem

from .permissions import office_committee_id
from .selectors import member_due_count, office_open_count


def member_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Texts the member is asked for and has not submitted yet (one query)."""
    count, due = member_due_count(user=request.user)
    if not count:
        return []
    return [
        TodoItem(
            label=_("学习材料待提交"),
            url=reverse("study:mine"),
            count=count,
            due=due,
            detail=_("请在截止日期前提交学习心得或发言材料。"),
        )
    ]


def member_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    count, due = member_due_count(user=request.user)
    return {"study_due_count": count, "study_due": due}


def office_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """The committee's requests still collecting texts (one query)."""
    committee_id = office_committee_id(request.user)
    if committee_id is None:
        return []
    count = office_open_count(committee_id=committee_id)
    if not count:
        return []
    return [TodoItem(label=_("学习材料征集中"), url=reverse("study:office"), count=count)]
