"""The main navigation, by role. Each entry names a URL and who sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None = None  # None: every signed-in user
    permission: str | None = None
    check: Callable[[Any], bool] | None = None  # a predicate on the user, for domain rules


def _can_view_roster(user: Any) -> bool:
    from apps.members.permissions import can_view_roster

    return can_view_roster(user)


def _can_view_organisation(user: Any) -> bool:
    from apps.organisation.permissions import can_view_organisation

    return can_view_organisation(user)


NAV: tuple[NavItem, ...] = (
    NavItem("首页", "home"),
    NavItem("我的提案", "proposals:mine", roles=frozenset({Role.MEMBER})),
    NavItem("提案办理", "proposals:office", roles=frozenset({Role.PROPOSAL_OFFICE})),
    NavItem("交办提案", "proposals:unit_list", roles=frozenset({Role.HANDLING_UNIT})),
    NavItem("重点提案", "proposals:key", roles=frozenset({Role.LEADERSHIP})),
    NavItem("委员名册", "members:roster", check=_can_view_roster),
    NavItem("组织机构", "organisation:overview", check=_can_view_organisation),
    NavItem("账户管理", "accounts:user_list", permission="accounts.manage_accounts"),
    NavItem("审计日志", "audit:list", permission="core.view_audit_log"),
    NavItem("我的资料", "members:my_profile", roles=frozenset({Role.MEMBER})),
)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    if not user.is_authenticated:
        return []
    roles = user_roles(user)
    items: list[dict[str, object]] = []
    for item in NAV:
        if item.roles is not None and not (roles & item.roles):
            continue
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.check is not None and not item.check(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # page not built yet
            continue
        items.append({"label": item.label, "url": url, "active": _is_active(request.path, url)})
    return items


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
