"""Reads for the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from apps.organisation.selectors import committee_ids_visible_to

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    q: str = ""
    verb: str = ""
    committee_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ip: str = ""


def audit_event_list_visible_to(*, user: Any, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events of committees the user may see. Events without a committee (e.g. a failed
    sign-in for an unknown name) are visible to superusers only."""
    visible = committee_ids_visible_to(user)
    scope = Q(committee_id__in=visible)
    if user.is_superuser:
        scope |= Q(committee__isnull=True)
    queryset = AuditEvent.objects.filter(scope).select_related("committee", "content_type")
    if filters.q:
        queryset = queryset.filter(
            Q(actor_label__icontains=filters.q) | Q(object_repr__icontains=filters.q)
        )
    if filters.verb:
        queryset = queryset.filter(verb=filters.verb)
    if filters.committee_id:
        queryset = queryset.filter(committee_id=filters.committee_id)
    if filters.date_from:
        queryset = queryset.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(occurred_at__date__lte=filters.date_to)
    if filters.ip:
        queryset = queryset.filter(ip=filters.ip)
    return queryset.order_by("-occurred_at", "-id")


# Labels for the verbs services write; unknown verbs are shown as they are.
VERB_LABELS: dict[str, str] = {
    "account_create": "创建账户",
    "role_change": "角色变更",
    "login": "登录",
    "login_failed": "登录失败",
    "login_locked": "登录锁定",
    "logout": "退出登录",
    "activation_issue": "签发激活凭证",
    "activation_complete": "完成激活",
    "unmask": "查看完整信息",
    "member_update": "修改委员信息",
    "membership_status": "委员状态变更",
    "roster_import": "导入名册",
    "roster_export": "导出名册",
    "token_create": "创建 API 令牌",
    "token_revoke": "撤销 API 令牌",
    "account_update": "修改账户信息",
    "account_deactivate": "停用账户",
    "account_reactivate": "启用账户",
    "activation_failed": "激活码错误",
    "mfa_activate": "开启两步验证",
    "mfa_deactivate": "关闭两步验证",
    "mfa_recovery_codes": "生成恢复码",
    "password_change": "修改密码",
    "contact_duty_add": "添加联系关系",
    "contact_duty_remove": "移除联系关系",
    "member_create": "新增委员",
    "committee_create": "创建政协组织",
    "term_create": "新增届次",
    "term_set_current": "设为本届",
    "plenary_session_create": "新增全体会议",
    "sector_create": "新增界别",
    "sector_update": "修改界别",
    "sector_reorder": "调整界别顺序",
    "special_committee_create": "新增专门委员会",
    "special_committee_update": "修改专门委员会",
    "member_group_create": "新增委员小组",
    "member_group_update": "修改委员小组",
    "handling_unit_create": "新增承办单位",
    "handling_unit_update": "修改承办单位",
    "notification_requeue": "重新投递通知",
}
