"""Issue numbers of the 《社情民意》 bulletin: per committee, year and series (急报 numbered
separately), drawn at publication; no duplicates and no gaps, even when two officers publish at
the same moment (two threads, two database connections)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction

from apps.core.models import AuditEvent
from apps.opinions import services
from apps.opinions.models import BulletinCounter, BulletinIssue, BulletinSeries, ReportStatus

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _issue_with_report(build, *, series=BulletinSeries.REGULAR, **overrides):
    report = build.signed(is_urgent=series == BulletinSeries.URGENT, **overrides)
    issue = services.issue_create(user=build.editor, series=series)
    services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=report.pk)
    return issue


def _publish_together(user, issue_ids):
    """Run issue_publish for each id in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(issue_ids))
    errors: list[BaseException] = []

    def run(issue_id):
        try:
            barrier.wait(timeout=10)
            services.issue_publish(user=user, issue_id=issue_id)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in issue_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_publication_gives_consecutive_numbers(build):
    issues = [_issue_with_report(build, title=f"关于第{i}件事项的情况反映") for i in range(3)]
    _publish_together(build.editor, [issue.pk for issue in issues])
    numbers = sorted(
        BulletinIssue.objects.filter(pk__in=[i.pk for i in issues]).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    assert BulletinCounter.objects.get(series=BulletinSeries.REGULAR).last_number == 3
    assert set(BulletinIssue.objects.values_list("status", flat=True)) == {"published"}


@pytest.mark.django_db(transaction=True)
def test_publishing_the_same_issue_twice_at_once_numbers_it_once(build):
    issue = _issue_with_report(build)
    _publish_together(build.editor, [issue.pk, issue.pk])
    issue.refresh_from_db()
    assert issue.number == 1
    assert BulletinCounter.objects.get().last_number == 1
    assert AuditEvent.objects.filter(verb="opinion_issue_publish").count() == 1
    report = issue.reports.get()
    assert report.status == ReportStatus.COMPILED


@pytest.mark.django_db
def test_a_rolled_back_publication_leaves_no_gap(build):
    first = _issue_with_report(build)
    second = _issue_with_report(build, title="关于另一件事项的情况反映")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_publish(user=build.editor, issue_id=first.pk)
        raise RuntimeError("the page failed after publishing")
    services.issue_publish(user=build.editor, issue_id=second.pk)
    second.refresh_from_db()
    assert second.number == 1
    first.refresh_from_db()
    assert first.number is None and first.status == "draft"


@pytest.mark.django_db
def test_urgent_issues_and_years_have_their_own_numbers(build):
    with time_machine.travel(dt.datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        regular = _issue_with_report(build)
        services.issue_publish(user=build.editor, issue_id=regular.pk)
        urgent = _issue_with_report(
            build, series=BulletinSeries.URGENT, title="关于冬季燃气保供的紧急情况反映"
        )
        services.issue_publish(user=build.editor, issue_id=urgent.pk)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI), tick=False):
        next_year = _issue_with_report(build, title="关于春运返乡的情况反映")
        services.issue_publish(user=build.editor, issue_id=next_year.pk)
    for issue in (regular, urgent, next_year):
        issue.refresh_from_db()
    assert (regular.year, regular.number, regular.label) == (2026, 1, "2026年第1期")
    assert (urgent.year, urgent.number, urgent.label) == (2026, 1, "急报 2026年第1期")
    assert (next_year.year, next_year.number) == (2027, 1)


@pytest.mark.django_db
def test_an_urgent_issue_takes_urgent_reports_only(build):
    from apps.core.errors import Conflict

    report = build.signed()
    issue = services.issue_create(user=build.editor, series=BulletinSeries.URGENT)
    with pytest.raises(Conflict):
        services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=report.pk)
    report.refresh_from_db()
    assert report.issue_id is None


@pytest.mark.django_db
def test_an_empty_issue_cannot_be_published(build):
    from apps.core.errors import Conflict

    issue = services.issue_create(user=build.editor)
    with pytest.raises(Conflict):
        services.issue_publish(user=build.editor, issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.number is None and not BulletinCounter.objects.exists()
