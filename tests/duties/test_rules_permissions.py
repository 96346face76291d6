"""The permission matrix of the rule and year actions, through the pages as a browser sends
them: installing a preset, saving a rule set, putting one in effect, retiring it, copying it,
adding an activity type, saving a warning rule, recomputing a year (重新汇总), closing it and
reopening it — for every persona.

- 委员联络处 (liaison): allowed; each cell proves its effect (the row changed, the audit event
  written, and for the actions that recompute, the batch started and its task queued).
- another committee's 委员联络处 (district_liaison): a city rule set is not found (404); the
  committee-wide actions act on their own committee only — the city's rows stay as they were.
- leadership: reads the rules, changes nothing (403 with the Chinese reason).
- members, other offices (提案委员会办公室, 社情民意信息处, 办公室): 403 with the Chinese reason.
- signed out: sent to the sign-in page.
Every denied cell proves nothing changed: the city's rule sets, years, activity types and
warning rules, the audit log, the notification outbox, and nothing queued for the commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.duties import services
from apps.duties.models import (
    ActivityType,
    DutyYear,
    RecomputeStatus,
    ScoringRuleSet,
    WarningKind,
    WarningRule,
)
from apps.notifications.models import OutboxMessage

from .conftest import install
from .test_rules_recompute import editor_data

pytestmark = pytest.mark.django_db

PERSONAS = (
    "liaison",
    "district_liaison",
    "leader",
    "member",
    "other_member",
    "proposal_office",
    "opinion_office",
    "general_office",
    "anonymous",
)
FIXTURES = {
    "liaison": "liaison_user",
    "district_liaison": "district_liaison",
    "leader": "leader_user",
    "member": "member_user",
    "other_member": "other_member_user",
    "proposal_office": "proposal_staff_user",
    "opinion_office": "opinion_editor",
    "general_office": "meeting_office",
}


@dataclass
class World:
    city: Any
    year: int
    active: ScoringRuleSet  # 桐城, in effect
    draft: ScoringRuleSet  # 济南, a draft
    editor: dict[str, Any]  # the rule page's form of the active set, name changed


@pytest.fixture
def world(client, liaison_user, member_user, other_member_user, city, year, on_commit) -> World:
    """桐城 in effect and 济南 a draft for the year of a committee with (at least) two members."""
    services.warning_rules_for(city.pk)
    services.activity_types_for(city.pk)
    with on_commit():
        active = install(liaison_user, city, year, "tongcheng-2019")
        draft = services.rule_set_install(
            user=liaison_user, committee_id=city.pk, year=year, preset_key="jinan-2015"
        )
    client.force_login(liaison_user)
    editor = editor_data(client.get(reverse("duties:rule_set", args=[active.pk])))
    editor["general-name"] = "桐城细则（调整后）"
    client.logout()
    return World(city, year, active, draft, editor)


def city_rows(world: World) -> dict[str, Any]:
    city = world.city
    return {
        "rules": list(
            ScoringRuleSet.objects.filter(committee=city)
            .order_by("pk")
            .values_list("pk", "name", "status", "version", "definition", "year")
        ),
        "years": list(
            DutyYear.objects.filter(committee=city)
            .order_by("year")
            .values_list("year", "closed", "recompute_status", "recompute_token")
        ),
        "types": list(
            ActivityType.objects.filter(committee=city).order_by("pk").values_list("pk", "name")
        ),
        "warning_rules": list(
            WarningRule.objects.filter(committee=city)
            .order_by("pk")
            .values_list("pk", "label", "threshold", "is_active")
        ),
        "audit": AuditEvent.objects.filter(committee=city).count(),
    }


def duty_year(world: World) -> DutyYear:
    return DutyYear.objects.get(committee=world.city, year=world.year)


# Each action: how to send it, and what it does when allowed (checked against the rows before).


@dataclass
class Action:
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    effect: Callable[[World, dict[str, Any], Any], None]
    verb: str
    recomputes: bool = False
    rule_set: bool = False  # acts on one of the city's rule sets (not found elsewhere)
    setup: Callable[[World, Any], None] | None = None


def _installed(world: World, before: dict[str, Any], user: Any) -> None:
    new = ScoringRuleSet.objects.filter(committee=world.city).exclude(
        pk__in=[row[0] for row in before["rules"]]
    )
    assert [(r.preset, r.status, r.year) for r in new] == [("six-ones", "draft", world.year)]


def _saved(world: World, before: dict[str, Any], user: Any) -> None:
    world.active.refresh_from_db()
    assert (world.active.name, world.active.version) == ("桐城细则（调整后）", 2)


def _activated(world: World, before: dict[str, Any], user: Any) -> None:
    world.draft.refresh_from_db()
    world.active.refresh_from_db()
    assert (world.draft.status, world.active.status) == ("active", "retired")


def _retired(world: World, before: dict[str, Any], user: Any) -> None:
    world.active.refresh_from_db()
    assert world.active.status == "retired"


def _copied(world: World, before: dict[str, Any], user: Any) -> None:
    copy = ScoringRuleSet.objects.get(committee=world.city, year=world.year + 1)
    assert (copy.status, copy.definition) == ("draft", world.active.definition)


def _type_added(world: World, before: dict[str, Any], user: Any) -> None:
    assert ActivityType.objects.filter(committee=world.city, name="河湖巡查").exists()


def _warning_saved(world: World, before: dict[str, Any], user: Any) -> None:
    rule = WarningRule.objects.get(committee=world.city, label="一年内缺席常委会议4次")
    assert (rule.threshold, rule.meeting_type) == (4, "standing")


def _refreshing(world: World, before: dict[str, Any], user: Any) -> None:
    assert duty_year(world).recompute_status == RecomputeStatus.RUNNING


def _closed(world: World, before: dict[str, Any], user: Any) -> None:
    row = duty_year(world)
    assert (row.closed, row.closed_by) == (True, user)


def _reopened(world: World, before: dict[str, Any], user: Any) -> None:
    row = duty_year(world)
    assert (row.closed, row.recompute_status) == (False, RecomputeStatus.RUNNING)


def _close_first(world: World, liaison: Any) -> None:
    services.year_close(user=liaison, committee_id=world.city.pk, year=world.year)


def _rule_url(name: str, action: str = "") -> Callable[[World], str]:
    def url(world: World) -> str:
        target = world.draft if action == "activate" else world.active
        args = [target.pk, action] if action else [target.pk]
        return reverse(name, args=args)

    return url


def _year_url(action: str) -> Callable[[World], str]:
    return lambda world: reverse("duties:year_action", args=[world.year, action])


ACTIONS: dict[str, Action] = {
    "install": Action(
        url=lambda w: reverse("duties:rules"),
        data=lambda w: {"preset": "six-ones", "year": str(w.year)},
        effect=_installed,
        verb="duty_rules_install",
    ),
    "save": Action(
        url=_rule_url("duties:rule_set"),
        data=lambda w: dict(w.editor),
        effect=_saved,
        verb="duty_rules_save",
        recomputes=True,
        rule_set=True,
    ),
    "activate": Action(
        url=_rule_url("duties:rule_set_action", "activate"),
        data=lambda w: {},
        effect=_activated,
        verb="duty_rules_activate",
        recomputes=True,
        rule_set=True,
    ),
    "retire": Action(
        url=_rule_url("duties:rule_set_action", "retire"),
        data=lambda w: {},
        effect=_retired,
        verb="duty_rules_retire",
        recomputes=True,
        rule_set=True,
    ),
    "copy": Action(
        url=_rule_url("duties:rule_set_action", "copy"),
        data=lambda w: {"year": str(w.year + 1)},
        effect=_copied,
        verb="duty_rules_copy",
        rule_set=True,
    ),
    "activity_type": Action(
        url=lambda w: reverse("duties:activity_type_new"),
        data=lambda w: {"name": "河湖巡查"},
        effect=_type_added,
        verb="duty_activity_type_add",
    ),
    "warning_rule": Action(
        url=lambda w: reverse("duties:warning_rules"),
        data=lambda w: {
            "kind": WarningKind.MEETING_ABSENCE,
            "label": "一年内缺席常委会议4次",
            "meeting_type": "standing",
            "threshold": "4",
            "years": "1",
            "is_active": "on",
        },
        effect=_warning_saved,
        verb="duty_warning_rule_save",
    ),
    "refresh": Action(
        url=_year_url("refresh"),
        data=lambda w: {},
        effect=_refreshing,
        verb="duty_year_refresh",
        recomputes=True,
    ),
    "close": Action(
        url=_year_url("close"),
        data=lambda w: {},
        effect=_closed,
        verb="duty_year_close",
    ),
    "reopen": Action(
        url=_year_url("reopen"),
        data=lambda w: {},
        effect=_reopened,
        verb="duty_year_reopen",
        recomputes=True,
        setup=_close_first,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(ACTIONS))
def test_rule_and_year_actions(
    request,
    client,
    django_capture_on_commit_callbacks,
    world,
    liaison_user,
    name,
    persona,
):
    action = ACTIONS[name]
    if action.setup is not None:
        action.setup(world, liaison_user)
    user = request.getfixturevalue(FIXTURES[persona]) if persona != "anonymous" else None
    if user is not None:
        client.force_login(user)
    url = action.url(world)
    before = city_rows(world)
    token = duty_year(world).recompute_token
    events, outbox = AuditEvent.objects.count(), OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, action.data(world))
    assert response.status_code != 500

    if persona == "liaison":
        assert response.status_code == 302, response.content.decode()[:2000]
        action.effect(world, before, user)
        assert AuditEvent.objects.filter(verb=action.verb, actor=user).exists()
        if action.recomputes:
            # The batch is started (a new token, running) and its task queued for the commit:
            # running what was queued (eager Celery) completes the batch.
            started = duty_year(world)
            assert (started.recompute_token, started.recompute_status) != (
                token,
                RecomputeStatus.DONE,
            )
            assert started.recompute_status == RecomputeStatus.RUNNING and queued
            for callback in queued:
                callback()
            done = duty_year(world)
            assert done.recompute_status == RecomputeStatus.DONE
            assert done.recompute_done == done.recompute_total >= 2
        else:
            assert duty_year(world).recompute_token == token
        return

    html = response.content.decode()
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif persona == "district_liaison" and action.rule_set:
        assert response.status_code == 404
        assert "未找到该考评细则" in html
    elif persona == "district_liaison":
        # Their own committee's year or rules: the city's stay as they were (checked below).
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert "只有" in html and "委员联络处" in html, html[:2000]
    assert city_rows(world) == before
    if persona != "district_liaison" or action.rule_set:
        assert AuditEvent.objects.count() == events
        assert OutboxMessage.objects.count() == outbox
        assert not queued


def test_a_closed_year_refuses_every_rule_change_on_the_pages(client, world, liaison_user):
    """Even the 委员联络处: once the year is closed, saving, activating, retiring and
    recomputing are refused with the frozen message (409), and nothing changes."""
    _close_first(world, liaison_user)
    client.force_login(liaison_user)
    before = city_rows(world)
    for name in ("save", "activate", "retire", "refresh"):
        action = ACTIONS[name]
        response = client.post(action.url(world), action.data(world))
        html = response.content.decode()
        assert response.status_code == 409, (name, response.status_code)
        assert "已冻结" in html or "已经结束" in html, (name, html[:2000])
    assert city_rows(world) == before
