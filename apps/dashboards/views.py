"""Home pages, one per role. A person with several roles opens on the most specific one
(apps.dashboards.selectors.HOME_ORDER) and sees links to the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import STAFF_ROLES, Role
from apps.core.registry import TodoItem, registry

from . import selectors

HOME_LABELS: dict[Role, Any] = {
    Role.LEADERSHIP: gettext_lazy("主席会议成员总览"),
    Role.HANDLING_UNIT: gettext_lazy("承办单位首页"),
    Role.MEMBER: gettext_lazy("我的履职"),
    Role.SYSADMIN: gettext_lazy("系统管理"),
}


def home_label(role: Role) -> str:
    """ "我的履职", "主席会议成员总览", …; a staff office's home is its 工作台."""
    if role in HOME_LABELS:
        return str(HOME_LABELS[role])
    return _("%(office)s工作台") % {"office": role.label}


# Pages of the lower layers the homes link to.
LINK_NAMES = {
    "roster": "members:roster",
    "my_profile": "members:my_profile",
    "user_list": "accounts:user_list",
    "notifications": "notifications:list",
    "totp": "mfa_activate_totp",
    "account_settings": "accounts:settings",
    "audit": "audit:list",
    "organisation": "organisation:overview",
    "admin": "admin:index",
}


def _links() -> dict[str, str]:
    return {key: reverse(name) for key, name in LINK_NAMES.items()}


def _panel_for(role: Role | None) -> str:
    if role is None:
        return "dashboards/_no_role.html"
    if role in STAFF_ROLES:
        return "dashboards/_staff.html"
    return {
        Role.LEADERSHIP: "dashboards/_leadership.html",
        Role.HANDLING_UNIT: "dashboards/_unit.html",
        Role.MEMBER: "dashboards/_member.html",
        Role.SYSADMIN: "dashboards/_admin.html",
    }[role]


@login_required
def home(request: HttpRequest, role: str | None = None) -> HttpResponse:
    """The signed-in person's home. `role` picks one of their other homes (404 if not theirs)."""
    user = request.user
    homes = selectors.home_roles(user)
    if role is None:
        current = homes[0] if homes else None
    else:
        current = next((item for item in homes if item.value == role), None)
        if current is None:
            raise Http404(_("没有这个首页。"))
    links = _links()
    context: dict[str, Any] = {
        "current": current,
        "current_label": home_label(current) if current else _("首页"),
        "homes": [
            {
                "role": item,
                "label": home_label(item),
                "url": reverse("home_role", args=[item.value]),
                "active": item == current,
            }
            for item in homes
        ],
        "panel": _panel_for(current),
        "links": links,
        "today": timezone.localdate(),
    }
    if current is not None:
        context.update(_BUILDERS[_builder_key(current)](user, current))
        context["todos"] = _todos(request, current)
        # The member and staff panels show the to-dos themselves (我的待办, the work queue).
        context["panel_lists_todos"] = current == Role.MEMBER or current in STAFF_ROLES
        context["cards"] = _cards(request, current, context)
    return render(request, "dashboards/home.html", context)


def _todos(request: HttpRequest, role: Role) -> list[TodoItem]:
    """我的待办 / the work queue of this home: every registered provider's lines for the role
    (apps.core.registry.register_todo_provider)."""
    items: list[TodoItem] = []
    for provider in registry.todo_providers_for(role.value):
        items.extend(provider.items(request, role.value))
    if role == Role.MEMBER:
        # Real duties first (urgent ones, nearest deadline first), then suggestions.
        items.sort(key=lambda item: (not item.urgent, item.due or dt.date.max))
    return items


def _cards(request: HttpRequest, role: Role, context: dict[str, Any]) -> list[str]:
    """The registered cards of this home (apps.core.registry.register_home_card): their
    templates, in order; each card's context is added to the page's."""
    templates = []
    for card in registry.cards_for(role.value):
        context.update(card.context(request, role.value))
        templates.append(card.template)
    return templates


def _builder_key(role: Role) -> str:
    return "staff" if role in STAFF_ROLES else role.value


def _member_context(user: Any, role: Role) -> dict[str, Any]:
    data = selectors.member_home(user=user)
    membership = data.membership
    title = membership.get_position_display() if membership else _("委员")
    return {"member": data, "greeting_title": title}


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}"


def _staff_context(user: Any, role: Role) -> dict[str, Any]:
    facts = selectors.committee_facts(committee_id=user.committee_id)
    return {"facts": facts, "office": role}


def _leadership_context(user: Any, role: Role) -> dict[str, Any]:
    """The leadership home's own figures: the committee's facts, the next plenary sessions
    (read once for both) and the members' composition (membership_aggregates, cached for five
    minutes; the facts' member count is its total, so the two always agree)."""
    from apps.members.selectors import membership_current_for_user

    membership = membership_current_for_user(user=user)
    committee_id = membership.committee_id if membership else user.committee_id
    upcoming = selectors.upcoming_sessions(committee_id=committee_id)
    facts = selectors.committee_facts(
        committee_id=committee_id, upcoming=upcoming, count_members=False
    )
    aggregates = (
        selectors.membership_aggregates(committee_id=committee_id, term_id=facts.term.pk)
        if facts.term is not None and committee_id
        else None
    )
    if aggregates is not None:
        facts.member_count = aggregates["total"]
    sector_count = len(aggregates["sectors"]) if aggregates else 0
    return {
        "greeting_title": membership.get_position_display() if membership else "",
        "facts": facts,
        "aggregates": aggregates,
        "summary": aggregates["summary"] if aggregates else None,
        # Horizontal bars: enough height for every sector's label to stay readable.
        "chart_heights": {"sectors": max(320, 30 * sector_count + 60)},
        "upcoming": upcoming,
    }


def _unit_context(user: Any, role: Role) -> dict[str, Any]:
    return {"unit_home": selectors.unit_home(user=user)}


def _admin_context(user: Any, role: Role) -> dict[str, Any]:
    return {
        "admin": selectors.admin_home(user=user),
        "pending_url": _with_query(_links()["user_list"], "state=pending"),
    }


_BUILDERS: dict[str, Callable[[Any, Role], dict[str, Any]]] = {
    "staff": _staff_context,
    Role.LEADERSHIP.value: _leadership_context,
    Role.HANDLING_UNIT.value: _unit_context,
    Role.MEMBER.value: _member_context,
    Role.SYSADMIN.value: _admin_context,
}
