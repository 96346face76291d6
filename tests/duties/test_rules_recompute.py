"""Rule sets edited on the page without code: a change saved there recomputes the year for the
whole committee in the background (eager Celery here) with its progress recorded; a bad change
is refused with its Chinese message on the page and nothing saved; leadership may not edit; a
closed year is frozen (sources changing do not move its scores, its rules cannot change) and
says so, until reopened."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from apps.core.errors import Conflict
from apps.duties import services
from apps.duties.models import DutyYear, RecomputeStatus, ScoringRuleSet
from apps.duties.workflow import filing_verify

from .conftest import install, membership_of, pdf, summary_of

pytestmark = pytest.mark.django_db


def editor_data(response: Any) -> dict[str, Any]:
    """The rule page's form as the browser would send it unchanged (from the forms' initial
    values), to be edited by the test."""
    forms = response.context["forms"]
    data: dict[str, Any] = {}

    def put(prefix: str, form: Any) -> None:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            key = f"{prefix}-{name}"
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    put("general", forms["general"])
    for part in ("category", "item", "minimum", "grade"):
        formset = forms[part]
        initial = formset.initial or []
        data[f"{part}-TOTAL_FORMS"] = str(len(initial))
        data[f"{part}-INITIAL_FORMS"] = str(len(initial))
        data[f"{part}-MIN_NUM_FORMS"] = "0"
        data[f"{part}-MAX_NUM_FORMS"] = "1000"
        for index, form in enumerate(formset.forms[: len(initial)]):
            put(f"{part}-{index}", form)
    return data


def item_index(data: dict[str, Any], code: str) -> int:
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.startswith("item-") and key.endswith("-code") and value == code
    )


@pytest.fixture
def verified_research(member_user, liaison_user, city, on_commit):
    types = {t.code: t for t in services.activity_types_for(city.pk)}
    with on_commit():
        filing = services.filing_submit(
            user=member_user,
            activity_type_id=types["research"].pk,
            title="参加“职业教育”专题调研",
            happened_on=dt.date(2026, 5, 8),
            place="长清区",
            description="走访两所职业院校。",
            evidence=[pdf()],
        )
    with on_commit():
        filing_verify(user=liaison_user, filing_id=filing.pk)
    return filing


def test_a_change_saved_on_the_page_recomputes_the_committee(
    client,
    liaison_user,
    member_user,
    other_member_user,
    tongcheng_rules,
    verified_research,
    year,
    on_commit,
):
    """桐城: 调研 2 points → the office makes it 4 on the page; the member's score follows
    (2 → 4) and the other member is recomputed too (0, scored by the new version)."""
    assert summary_of(member_user, year).score == Decimal(2)
    client.force_login(liaison_user)
    url = reverse("duties:rule_set", args=[tongcheng_rules.pk])
    data = editor_data(client.get(url))
    data[f"item-{item_index(data, 'activity.research')}-points"] = "4"
    with on_commit():
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    tongcheng_rules.refresh_from_db()
    assert tongcheng_rules.version == 2
    summary = summary_of(member_user, year)
    assert summary.score == Decimal(4)
    assert summary.rule_version == 2
    line = next(
        line
        for category in summary.breakdown["categories"]
        for line in category["lines"]
        if line.get("source_key") == f"filing:{verified_research.pk}"
    )
    assert line["points"] == "4.00"
    other = summary_of(other_member_user, year)
    assert (other.score, other.rule_version) == (Decimal(0), 2)
    duty_year = DutyYear.objects.get(committee=tongcheng_rules.committee, year=year)
    assert duty_year.recompute_status == RecomputeStatus.DONE
    assert duty_year.recompute_done == duty_year.recompute_total >= 2
    progress = client.get(reverse("duties:year_progress", args=[year]))
    assert progress.status_code == 200


def test_a_cap_below_an_items_points_is_refused_on_the_page(
    client, liaison_user, tongcheng_rules, on_commit
):
    """履职活动 cap 10 with 书面发言 5 points: a cap of 4 is below one item — refused."""
    client.force_login(liaison_user)
    url = reverse("duties:rule_set", args=[tongcheng_rules.pk])
    data = editor_data(client.get(url))
    index = next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.startswith("category-") and key.endswith("-key") and value == "activities"
    )
    data[f"category-{index}-cap"] = "4"
    with on_commit():
        response = client.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "上限" in html
    stored = ScoringRuleSet.objects.get(pk=tongcheng_rules.pk)
    assert stored.version == 1
    assert stored.definition == tongcheng_rules.definition


def test_leadership_cannot_save_rules(client, leader_user, tongcheng_rules, liaison_user):
    client.force_login(liaison_user)
    url = reverse("duties:rule_set", args=[tongcheng_rules.pk])
    data = editor_data(client.get(url))
    data["general-name"] = "改过的名称"
    client.force_login(leader_user)
    response = client.post(url, data)
    assert response.status_code == 403
    assert ScoringRuleSet.objects.get(pk=tongcheng_rules.pk).name == tongcheng_rules.name


def test_a_closed_year_is_frozen_until_reopened(
    client, proposals, leader_user, liaison_user, member_user, city, jinan_rules, year, on_commit
):
    """济南: an accepted proposal (0: it fulfils the minimum). The year is closed; the proposal
    is then marked 重点 — the closed year's score stays 0 and its rules cannot change; the
    pages say it is frozen. Reopened and refreshed, the +5 arrives."""
    from apps.proposals import services as proposal_services

    with on_commit():
        proposal = proposals.accepted()
    assert summary_of(member_user, year).score == Decimal(0)
    with on_commit():
        services.year_close(user=liaison_user, committee_id=city.pk, year=year)
    with on_commit():
        proposal_services.proposal_mark_key(
            user=leader_user,
            proposal_id=proposal.pk,
            supervising_leader_id=leader_user.pk,
            mode="supervise",
        )
    assert summary_of(member_user, year).score == Decimal(0)
    with pytest.raises(Conflict):
        services.rule_set_save(
            user=liaison_user,
            rule_set_id=jinan_rules.pk,
            name="改名",
            definition=jinan_rules.definition,
        )
    client.force_login(member_user)
    assert "已冻结" in client.get(reverse("duties:mine")).content.decode()
    client.force_login(liaison_user)
    assert "已结束" in client.get(reverse("duties:rules")).content.decode()

    with on_commit():
        services.year_reopen(user=liaison_user, committee_id=city.pk, year=year)
    with on_commit():
        services.duty_refresh(membership_ids=[membership_of(member_user).pk], year=year)
    assert summary_of(member_user, year).score == Decimal(5)


def test_activating_another_preset_recomputes(
    liaison_user, member_user, city, jinan_rules, verified_research, year, on_commit
):
    """济南 gives a 调研 nothing by itself (it only meets a minimum; no base points while the
    other minimums are open): 0. Switching the year to 桐城 makes it 2 points."""
    assert summary_of(member_user, year).score == Decimal(0)
    with on_commit():
        tongcheng = services.rule_set_install(
            user=liaison_user, committee_id=city.pk, year=year, preset_key="tongcheng-2019"
        )
    with on_commit():
        services.rule_set_activate(user=liaison_user, rule_set_id=tongcheng.pk)
    jinan_rules.refresh_from_db()
    assert jinan_rules.status == "retired"
    summary = summary_of(member_user, year)
    assert (summary.rule_set_id, summary.score) == (tongcheng.pk, Decimal(2))


def test_refresh_now_refreshes_the_whole_year_and_ends_a_batch(
    liaison_user, member_user, other_member_user, city, year, on_commit
):
    """A bulk loader's refresh: every member scored at once, the batch marked done with a new
    token (chunks of a batch queued before do nothing); a closed year is left alone."""
    from apps.duties.models import DutySummary
    from apps.duties.services.years import recompute_chunk, recompute_start

    with on_commit():
        install(liaison_user, city, year, "tongcheng-2019")
    running = recompute_start(committee_id=city.pk, year=year)  # queued, never run
    DutySummary.objects.all().delete()
    assert services.year_refresh_now(committee_id=city.pk, year=year, chunk=1) >= 2
    assert DutySummary.objects.filter(committee=city, year=year).count() >= 2
    duty_year = DutyYear.objects.get(committee=city, year=year)
    assert duty_year.recompute_status == RecomputeStatus.DONE
    assert duty_year.recompute_token != running.recompute_token
    assert not recompute_chunk(
        committee_id=city.pk,
        year=year,
        token=running.recompute_token,
        membership_ids=[membership_of(member_user).pk],
        refresh=False,
    )
    services.year_close(user=liaison_user, committee_id=city.pk, year=year)
    assert services.year_refresh_now(committee_id=city.pk, year=year) == 0
