"""The working-day calendar seeded from `chinese-calendar` (the State Council's lists), staff
overrides kept as data through every sync, and the warning when next year's list is unknown."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.workdays import (
    CalendarDay,
    add_working_days,
    calendar_notice,
    calendar_sync,
    is_working_day,
    official_days,
    official_years,
)

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_every_year_the_package_knows():
    years = official_years()
    assert {2019, 2024, 2025, 2026} <= years
    seeded = CalendarDay.objects.filter(is_workday=False).dates("date", "year")
    assert {day.year for day in seeded} >= years
    # 2019 was not typed in by hand: it comes from the package.
    spring = CalendarDay.objects.get(date=dt.date(2019, 2, 5))
    assert (spring.is_workday, spring.note, spring.official) == (False, "春节", False)
    makeup = CalendarDay.objects.get(date=dt.date(2019, 2, 2))  # a Saturday worked
    assert makeup.is_workday and makeup.note == "春节调休上班"
    assert not is_working_day(dt.date(2019, 2, 5)) and is_working_day(dt.date(2019, 2, 2))


def test_sync_is_idempotent_and_matches_the_package():
    result = calendar_sync()
    assert (result.created, result.updated, result.deleted, result.kept) == (0, 0, 0, 0)
    listed = official_days([2026])
    rows = {
        row.date: (row.is_workday, row.note) for row in CalendarDay.objects.filter(date__year=2026)
    }
    assert rows == listed


def test_staff_overrides_survive_the_sync():
    # Staff: an extra day off the committee's city gave (a weekday), and a holiday worked.
    CalendarDay.objects.create(date=dt.date(2026, 3, 16), is_workday=False, note="本市调整")
    CalendarDay.objects.filter(date=dt.date(2026, 10, 7)).update(is_workday=True, note="值班")
    # An official row gone wrong (as if the package's list had been mistyped before).
    CalendarDay.objects.filter(date=dt.date(2026, 10, 6)).update(note="旧说明")
    CalendarDay.objects.filter(date=dt.date(2026, 10, 5)).delete()
    result = calendar_sync([2026])
    assert result.kept == 2 and result.created == 1 and result.updated == 1
    extra = CalendarDay.objects.get(date=dt.date(2026, 3, 16))
    assert (extra.is_workday, extra.note, extra.official) == (False, "本市调整", None)
    worked = CalendarDay.objects.get(date=dt.date(2026, 10, 7))
    assert (worked.is_workday, worked.note, worked.official) == (True, "值班", False)
    assert worked.is_override
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 6)).note == "国庆节"
    assert not CalendarDay.objects.get(date=dt.date(2026, 10, 5)).is_workday
    # Deadlines follow the overrides: 2026-10-07 is worked, 2026-03-16 is not.
    assert add_working_days(dt.date(2026, 10, 6), 1) == dt.date(2026, 10, 7)
    assert add_working_days(dt.date(2026, 3, 13), 1) == dt.date(2026, 3, 17)


def test_a_row_the_package_no_longer_lists_is_removed_unless_staff_set_it():
    CalendarDay.objects.create(
        date=dt.date(2026, 3, 18), is_workday=False, note="误录", official=False
    )
    CalendarDay.objects.create(date=dt.date(2026, 3, 19), is_workday=False, note="本市调整")
    result = calendar_sync([2026])
    assert result.deleted == 1
    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 18)).exists()
    assert CalendarDay.objects.filter(date=dt.date(2026, 3, 19)).exists()


def test_the_command_reports_what_it_did():
    CalendarDay.objects.filter(date=dt.date(2025, 1, 28)).delete()
    out = StringIO()
    call_command("calendar_sync", "--year", "2025", stdout=out)
    assert "已同步 2025–2025 年：新增 1 天" in out.getvalue()
    assert CalendarDay.objects.get(date=dt.date(2025, 1, 28)).note == "春节"


def test_notice_when_next_year_is_not_known():
    last = max(official_years())
    assert calendar_notice(dt.date(last - 1, 6, 1)) == ""  # this year and next are known
    notice = calendar_notice(dt.date(last, 12, 2))
    assert notice == calendar_notice(dt.date(last, 1, 5))
    assert f"{last + 1}年的节假日和调休安排尚未录入" in notice and "calendar_sync" in notice
    # Staff enter next year's 元旦 by hand: known.
    CalendarDay.objects.create(date=dt.date(last + 1, 1, 1), is_workday=False, note="元旦")
    assert calendar_notice(dt.date(last, 12, 2)) == ""


def test_the_organisation_page_partial_shows_the_warning(monkeypatch):
    from django.template.loader import render_to_string

    from apps.core import clock

    last = max(official_years())
    monkeypatch.setattr(clock, "today", lambda: dt.date(last, 12, 2))
    html = render_to_string("core/_calendar_notice.html")
    assert 'id="calendar-notice"' in html and f"{last + 1}年的节假日和调休安排尚未录入" in html
    monkeypatch.setattr(clock, "today", lambda: dt.date(last - 1, 12, 2))
    assert render_to_string("core/_calendar_notice.html").strip() == ""


@pytest.mark.django_db(transaction=True)
def test_a_flush_refills_the_calendar():
    """A flush (every transactional test ends with one) empties the calendar the migrations
    seeded; post_migrate fills it again, so the next test's deadlines still skip holidays."""
    from apps.core.workdays import CalendarDay, official_years

    call_command("flush", interactive=False, verbosity=0)
    years = set(CalendarDay.objects.filter(is_workday=False).dates("date", "year"))
    assert {d.year for d in years} == official_years()
