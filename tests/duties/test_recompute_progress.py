"""The recomputation's progress while it runs: a rule change starts a batch for the year; the
batch task splits the committee into chunks (one member each here) and queues one task per
chunk. Driving the chunk tasks one by one, the progress endpoint (polled by the rule page) and
the rule page show done / total as it grows — the members of the done chunks scored by the new
version, the others still by the old — then say it is finished and stop polling. A closed year
says it is frozen and refuses a recomputation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from apps.core.errors import Conflict
from apps.core.models import AuditEvent
from apps.duties import services, tasks
from apps.duties.models import DutySummary, DutyYear, RecomputeStatus
from apps.duties.services import years

from .conftest import membership_of

pytestmark = pytest.mark.django_db


def progress(client: Any, year: int, **headers: Any) -> tuple[str, Any]:
    response = client.get(reverse("duties:year_progress", args=[year]), **headers)
    assert response.status_code == 200
    return response.content.decode(), response


def done_of(html: str) -> tuple[int, int] | None:
    found = re.search(r"已完成 (\d+) / (\d+) 人", html)
    return (int(found.group(1)), int(found.group(2))) if found else None


def versions(city: Any, year: int) -> dict[int, int]:
    return dict(
        DutySummary.objects.filter(committee=city, year=year).values_list(
            "membership_id", "rule_version"
        )
    )


def test_progress_grows_chunk_by_chunk_then_says_finished(
    client,
    monkeypatch,
    django_capture_on_commit_callbacks,
    liaison_user,
    member_user,
    other_member_user,
    leader_user,
    city,
    tongcheng_rules,
    year,
):
    monkeypatch.setattr(years, "CHUNK", 1)
    queued_chunks: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        tasks.recompute_year_chunk, "delay", lambda *args: queued_chunks.append(args)
    )
    members = sorted(
        services.memberships_of_year(committee_id=city.pk, year=year).values_list("pk", flat=True)
    )
    total = len(members)
    assert total >= 3 and membership_of(member_user).pk in members
    assert set(versions(city, year).values()) == {1}

    # The office saves a change (the research item 2 → 3): the batch starts, its task waits
    # for the commit.
    definition = dict(tongcheng_rules.definition)
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        services.rule_set_save(
            user=liaison_user,
            rule_set_id=tongcheng_rules.pk,
            name=tongcheng_rules.name,
            definition={
                **definition,
                "categories": [
                    {
                        **category,
                        "items": [
                            {**item, "points": 3} if item["code"] == "activity.research" else item
                            for item in category["items"]
                        ],
                    }
                    for category in definition["categories"]
                ],
            },
        )
    client.force_login(liaison_user)
    html, response = progress(client, year)
    assert done_of(html) == (0, total)
    assert 'data-recompute="running"' in html
    assert "hx-get=" in html and 'hx-trigger="every 2s"' in html  # the page keeps polling

    # The commit runs the batch task: one chunk task per member, none run yet.
    for callback in on_commit:
        callback()
    assert [args[3] for args in queued_chunks] == [[pk] for pk in members]
    assert done_of(progress(client, year)[0]) == (0, total)

    # The first chunk: 1 / total; its member is scored by version 2, the others still by 1.
    committee_id, chunk_year, token, chunk, refresh = queued_chunks[0]
    assert tasks.recompute_year_chunk(committee_id, chunk_year, token, chunk, refresh) is True
    html, response = progress(client, year, HTTP_HX_REQUEST="true")
    assert done_of(html) == (1, total)
    assert "HX-Trigger" not in response  # still running: the page is not told to reload
    scored = versions(city, year)
    assert scored[members[0]] == 2
    assert {scored[pk] for pk in members[1:]} == {1}
    # The rule page shows the same progress; leadership (read only) sees it too.
    rule_page = client.get(reverse("duties:rule_set", args=[tongcheng_rules.pk])).content.decode()
    assert done_of(rule_page) == (1, total)
    client.force_login(leader_user)
    assert done_of(progress(client, year)[0]) == (1, total)
    client.force_login(liaison_user)

    # The remaining chunks but the last: total − 1 done, still running.
    for args in queued_chunks[1:-1]:
        tasks.recompute_year_chunk(*args)
    assert done_of(progress(client, year)[0]) == (total - 1, total)
    tasks.recompute_year_chunk(*queued_chunks[-1])

    html, response = progress(client, year, HTTP_HX_REQUEST="true")
    assert done_of(html) is None
    assert 'data-recompute="done"' in html
    assert f"{year}年度得分已于" in html and f"计算完成（{total} 人）" in html
    assert "hx-get=" not in html  # polling stops
    assert response["HX-Trigger"] == "duties-recomputed"
    assert set(versions(city, year).values()) == {2}
    row = DutyYear.objects.get(committee=city, year=year)
    assert (row.recompute_status, row.recompute_done, row.recompute_total) == (
        RecomputeStatus.DONE,
        total,
        total,
    )


def test_a_chunk_of_a_replaced_batch_changes_nothing(
    monkeypatch, member_user, city, tongcheng_rules, year
):
    """Two rule changes in a row: the first batch's chunks find their token replaced and do
    nothing, so the progress counts only the batch now running."""
    monkeypatch.setattr(years, "CHUNK", 1)
    first = years.recompute_start(committee_id=city.pk, year=year)
    second = years.recompute_start(committee_id=city.pk, year=year)
    ids = [membership_of(member_user).pk]
    assert not tasks.recompute_year_chunk(city.pk, year, first.recompute_token, ids, False)
    row = DutyYear.objects.get(committee=city, year=year)
    assert (row.recompute_token, row.recompute_done) == (second.recompute_token, 0)
    assert tasks.recompute_year_chunk(city.pk, year, second.recompute_token, ids, False)
    assert DutyYear.objects.get(committee=city, year=year).recompute_done == 1


def test_a_closed_year_says_it_is_frozen_and_refuses_a_recomputation(
    client, django_capture_on_commit_callbacks, liaison_user, city, tongcheng_rules, year
):
    services.year_close(user=liaison_user, committee_id=city.pk, year=year)
    client.force_login(liaison_user)
    html, response = progress(client, year)
    assert 'data-recompute="frozen"' in html
    assert f"{year}年度考评已结束，得分已冻结，不再重新计算" in html
    assert "hx-get=" not in html

    before = DutyYear.objects.filter(committee=city, year=year).values()[0]
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("duties:year_action", args=[year, "refresh"]))
    assert response.status_code == 409
    assert f"{year}年度的考评已经结束，结果已冻结。" in response.content.decode()
    assert DutyYear.objects.filter(committee=city, year=year).values()[0] == before
    assert AuditEvent.objects.count() == events
    assert not queued
    with pytest.raises(Conflict):
        years.recompute_start(committee_id=city.pk, year=year)
    # The rule page says so as well, with no editor.
    page = client.get(reverse("duties:rule_set", args=[tongcheng_rules.pk])).content.decode()
    assert 'data-testid="frozen"' in page and 'id="rule-editor"' not in page


def test_a_chunk_run_twice_is_counted_once(
    monkeypatch, member_user, other_member_user, city, tongcheng_rules, year
):
    """A restarted worker runs the first chunk again: the progress stays 1 / total and the
    batch is not marked finished before its other chunks ran (before, the second run counted
    again and a two-chunk batch read as done with one member never rescored)."""
    monkeypatch.setattr(years, "CHUNK", 1)
    members = [chunk[0] for chunk in years.recompute_chunks(committee_id=city.pk, year=year)]
    total = len(members)
    row = years.recompute_start(committee_id=city.pk, year=year)
    for _run in range(total):  # as many runs of the first chunk as there are chunks
        assert tasks.recompute_year_chunk(city.pk, year, row.recompute_token, members[:1], False)
    row.refresh_from_db()
    assert (row.recompute_done, row.recompute_total) == (1, total)
    assert row.recompute_status == RecomputeStatus.RUNNING
    for member in members[1:]:
        tasks.recompute_year_chunk(city.pk, year, row.recompute_token, [member], False)
    row.refresh_from_db()
    assert (row.recompute_done, row.recompute_status) == (total, RecomputeStatus.DONE)
