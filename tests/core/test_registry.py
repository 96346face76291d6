"""The extension seams: apps plug themselves in from their apps.py, and a registered page that
does not exist is a start-up error."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory
from django.urls import reverse

from apps.core import registry as seams
from apps.core.registry import registry


@pytest.fixture
def scratch_registry():
    """The registry, restored after the test to what the apps registered."""
    saved = {f.name: getattr(registry, f.name) for f in dataclasses.fields(registry)}
    for name, value in saved.items():
        setattr(registry, name, type(value)(value))
    yield registry
    for name, value in saved.items():
        setattr(registry, name, value)


def test_every_app_registers_its_navigation():
    names = {item.url_name: item.app for item in registry.nav}
    assert names["home"] == "dashboards"
    assert names["proposals:mine"] == "proposals"
    assert names["members:roster"] == "members"
    assert names["organisation:overview"] == "organisation"
    assert names["accounts:user_list"] == "accounts"
    assert names["audit:list"] == "dashboards"
    # In menu order, home first.
    assert registry.nav_items()[0].url_name == "home"


def test_registered_urls_resolve_at_start_up():
    assert [m for m in run_checks() if m.id and m.id.startswith("core.")] == []


def test_a_navigation_entry_to_a_missing_page_fails_the_system_check(scratch_registry):
    seams.register_nav("不存在的页面", "nowhere:page", app="example")
    errors = [m for m in run_checks() if m.id == "core.E001"]
    assert len(errors) == 1
    assert "nowhere:page" in errors[0].msg


def test_a_home_card_linking_to_a_missing_page_fails_the_system_check(scratch_registry):
    seams.register_home_card(
        "example-card",
        roles=["member"],
        template="dashboards/_todo_list.html",
        context=lambda request, role: {},
        url_names=["nowhere:card"],
        app="example",
    )
    assert [m.id for m in run_checks() if m.id == "core.E002"] == ["core.E002"]


def test_the_same_menu_entry_twice_is_refused(scratch_registry):
    with pytest.raises(ValueError):
        seams.register_nav("首页", "home")


def test_an_audit_verb_cannot_get_two_labels(scratch_registry):
    seams.register_audit_labels({"example_verb": "示例"})
    seams.register_audit_labels({"example_verb": "示例"})  # the same again is fine
    with pytest.raises(ValueError):
        seams.register_audit_labels({"example_verb": "别的名字"})
    assert seams.audit_label("example_verb") == "示例"
    assert seams.audit_label("unknown_verb") == "unknown_verb"


def test_apps_register_their_audit_labels():
    assert seams.audit_label("proposal_accept") == "提案立案"
    assert seams.audit_label("login") == "登录"
    assert seams.audit_label("sector_create") == "新增界别"
    assert seams.audit_label("member_update") == "修改委员信息"


def test_reminder_jobs_reach_celery_beat():
    from zhengxie.celery import app

    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["proposals-reminders"]["task"] == "apps.proposals.tasks.run_proposal_reminders"
    assert schedule["notifications-sweep"]["task"] == "apps.notifications.tasks.sweep_outbox"
    assert set(seams.beat_schedule()) <= set(schedule)


def test_registered_api_routers_are_mounted():
    assert reverse("api:get_me") == "/api/v1/me"
    assert reverse("api:list_members") == "/api/v1/members"
    assert {entry.app for entry in registry.routers()} >= {
        "accounts",
        "organisation",
        "members",
        "notifications",
        "proposals",
    }


def test_cards_and_todo_providers_by_role():
    # The duty score first, then proposals (order 5, 10), then the rest.
    assert [card.key for card in registry.cards_for("member")][:2] == [
        "duties-member",
        "proposals-member",
    ]
    member_providers = [p.key for p in registry.todo_providers_for("member")]
    assert "proposals-member" in member_providers
    assert "proposals-office" in [p.key for p in registry.todo_providers_for("proposal_office")]
    assert registry.todo_providers_for("nobody") == []


@pytest.mark.django_db
def test_a_new_app_appears_on_the_home_page_without_touching_another_app(
    scratch_registry, client, member_user
):
    """What the README's "Adding a domain app" promises: a card and a to-do line."""
    seams.register_todo_provider(
        "example-todo",
        roles=["member"],
        items=lambda request, role: [seams.TodoItem(label="示例待办事项", url="/", count=3)],
        app="example",
    )
    client.force_login(member_user)
    response = client.get("/")
    assert "示例待办事项" in response.content.decode()


def test_navigation_is_built_from_the_registry(rf: RequestFactory, scratch_registry):
    from django.contrib.auth.models import AnonymousUser

    from apps.dashboards.navigation import navigation_for

    request = rf.get("/")
    request.user = AnonymousUser()
    assert navigation_for(request) == []
