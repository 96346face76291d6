"""Home pages, one per role. A person with several roles opens on the most specific one
(apps.dashboards.selectors.HOME_ORDER) and sees links to the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import STAFF_ROLES, Role
from apps.core.selectors import VERB_LABELS

from . import selectors

HOME_LABELS: dict[Role, Any] = {
    Role.LEADERSHIP: gettext_lazy("主席会议成员总览"),
    Role.PROPOSAL_OFFICE: gettext_lazy("提案委员会办公室工作台"),
    Role.OPINION_OFFICE: gettext_lazy("社情民意信息处工作台"),
    Role.LIAISON_OFFICE: gettext_lazy("委员联络处工作台"),
    Role.GENERAL_OFFICE: gettext_lazy("会务办公室工作台"),
    Role.HANDLING_UNIT: gettext_lazy("承办单位首页"),
    Role.MEMBER: gettext_lazy("我的履职"),
    Role.SYSADMIN: gettext_lazy("系统管理"),
}

# Pages the homes link to. Some are being built by other teams: a missing one is left out.
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


def _links() -> dict[str, str | None]:
    links: dict[str, str | None] = {}
    for key, name in LINK_NAMES.items():
        try:
            links[key] = reverse(name)
        except NoReverseMatch:
            links[key] = None
    return links


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
        "current_label": HOME_LABELS[current] if current else _("首页"),
        "homes": [
            {
                "role": item,
                "label": HOME_LABELS[item],
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
        context.update(_proposals_card(request, current))
    return render(request, "dashboards/home.html", context)


def _proposals_card(request: HttpRequest, role: Role) -> dict[str, Any]:
    """The proposals card of this home: its template and the context its owner supplies
    (apps.proposals.web.<side>.hooks.home_context)."""
    from apps.proposals.web.member import hooks as member_hooks
    from apps.proposals.web.office import hooks as office_hooks
    from apps.proposals.web.unit import hooks as unit_hooks

    cards: dict[Role, tuple[str, Callable[[HttpRequest], dict[str, Any]]]] = {
        Role.MEMBER: ("proposals/home/_member.html", member_hooks.home_context),
        Role.PROPOSAL_OFFICE: ("proposals/home/_office.html", office_hooks.home_context),
        Role.LEADERSHIP: ("proposals/home/_leadership.html", office_hooks.home_context),
        Role.HANDLING_UNIT: ("proposals/home/_unit.html", unit_hooks.home_context),
    }
    if role not in cards:
        return {}
    template, build = cards[role]
    return {"proposals_card": template, **build(request)}


def _builder_key(role: Role) -> str:
    return "staff" if role in STAFF_ROLES else role.value


def _member_context(user: Any, role: Role) -> dict[str, Any]:
    data = selectors.member_home(user=user)
    membership = data.membership
    title = membership.get_position_display() if membership else _("委员")
    return {"member": data, "greeting_title": title}


def _with_query(url: str | None, query: str) -> str | None:
    return f"{url}?{query}" if url else None


def _staff_context(user: Any, role: Role) -> dict[str, Any]:
    facts = selectors.committee_facts(committee_id=user.committee_id)
    context: dict[str, Any] = {"facts": facts, "office": role}
    if role == Role.LIAISON_OFFICE and user.committee_id:
        links = _links()
        context["liaison"] = selectors.liaison_queue(
            committee_id=user.committee_id, term=facts.term
        )
        # Filters the roster and account pages understand (apps.members / apps.accounts).
        context["queue_links"] = {
            "without_account": _with_query(links["roster"], "account=none"),
            "not_activated": _with_query(links["user_list"], "state=pending"),
            "without_mobile": _with_query(links["roster"], "mobile=missing"),
        }
        context["verb_labels"] = VERB_LABELS
    return context


def _leadership_context(user: Any, role: Role) -> dict[str, Any]:
    from apps.members.selectors import membership_current_for_user

    membership = membership_current_for_user(user=user)
    committee_id = membership.committee_id if membership else user.committee_id
    facts = selectors.committee_facts(committee_id=committee_id)
    aggregates = (
        selectors.membership_aggregates(committee_id=committee_id, term_id=facts.term.pk)
        if facts.term is not None and committee_id
        else None
    )
    sector_count = len(aggregates["sectors"]) if aggregates else 0
    return {
        "greeting_title": membership.get_position_display() if membership else "",
        "facts": facts,
        "aggregates": aggregates,
        "summary": aggregates["summary"] if aggregates else None,
        # Horizontal bars: enough height for every sector's label to stay readable.
        "chart_heights": {"sectors": max(320, 30 * sector_count + 60)},
        "upcoming": selectors.upcoming_sessions(committee_id=committee_id),
    }


def _unit_context(user: Any, role: Role) -> dict[str, Any]:
    return {"unit_home": selectors.unit_home(user=user)}


def _admin_context(user: Any, role: Role) -> dict[str, Any]:
    return {
        "admin": selectors.admin_home(user=user),
        "verb_labels": VERB_LABELS,
        "pending_url": _with_query(_links()["user_list"], "state=pending"),
    }


_BUILDERS: dict[str, Callable[[Any, Role], dict[str, Any]]] = {
    "staff": _staff_context,
    Role.LEADERSHIP.value: _leadership_context,
    Role.HANDLING_UNIT.value: _unit_context,
    Role.MEMBER.value: _member_context,
    Role.SYSADMIN.value: _admin_context,
}
