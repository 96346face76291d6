"""What the members app puts on to-do lists and homes (apps.core.registry): a member's missing
contact details (我的待办), the 委员联络处's roster work and its recent roster changes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core.models import AuditEvent
from apps.core.registry import TodoItem

from .models import Membership, MembershipStatus
from .selectors import membership_current_for_user

# Audit verbs that change the roster (written by this app's services).
ROSTER_VERBS = (
    "member_create",
    "member_update",
    "membership_create",
    "membership_status",
    "roster_import",
    "contact_duty_add",
    "contact_duty_remove",
)


def member_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """完善个人资料 when the member's mobile, e-mail or address is missing (cached membership)."""
    membership = membership_current_for_user(user=request.user)
    if membership is None:
        return []
    member = membership.member
    labels = {"mobile": _("手机号"), "email": _("电子邮箱"), "address": _("通讯地址")}
    missing = [str(label) for name, label in labels.items() if not getattr(member, name)]
    if not missing:
        return []
    return [
        TodoItem(
            label=_("完善个人资料"),
            url=reverse("members:my_profile"),
            detail=_("尚未填写：%(fields)s") % {"fields": "、".join(missing)},
        )
    ]


def _current_term_id(committee_id: int) -> int | None:
    from apps.organisation.models import Term

    return (
        Term.objects.filter(committee_id=committee_id, is_current=True)
        .values_list("pk", flat=True)
        .first()
    )


def liaison_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """The 委员联络处's work: members without an account, accounts not yet activated, members
    with no mobile phone (three queries), each linking to the filtered list."""
    committee_id = getattr(request.user, "committee_id", None)
    if not committee_id:
        return []
    without_account = without_mobile = 0
    term_id = _current_term_id(committee_id)
    if term_id is not None:
        counts = Membership.objects.filter(
            term_id=term_id, status=MembershipStatus.ACTIVE
        ).aggregate(
            without_account=Count("id", filter=Q(member__user__isnull=True)),
            without_mobile=Count("id", filter=Q(member__mobile="")),
        )
        without_account = counts["without_account"]
        without_mobile = counts["without_mobile"]
    # An unusable password (never activated) starts with "!" (django.contrib.auth.hashers).
    not_activated = User.objects.filter(
        committee_id=committee_id, is_active=True, password__startswith="!"
    ).count()
    roster = reverse("members:roster")
    return [
        TodoItem(
            label=_("名委员尚未开通账户"), url=f"{roster}?account=none", count=without_account
        ),
        TodoItem(
            label=_("个账户尚未激活"),
            url=reverse("accounts:user_list") + "?state=pending",
            count=not_activated,
        ),
        TodoItem(
            label=_("名委员未登记手机号"), url=f"{roster}?mobile=missing", count=without_mobile
        ),
    ]


def roster_changes_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    """The liaison home's card of the latest roster changes (one query)."""
    committee_id = getattr(request.user, "committee_id", None)
    events = (
        list(
            AuditEvent.objects.filter(committee_id=committee_id, verb__in=ROSTER_VERBS).order_by(
                "-occurred_at", "-id"
            )[:6]
        )
        if committee_id
        else []
    )
    return {"roster_changes": events}
