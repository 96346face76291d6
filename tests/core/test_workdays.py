"""Working days under the State Council calendar (2025 and 2026 seeded by migration)."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.core.workdays import (
    CalendarDay,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_seeded_2026_calendar():
    assert not is_working_day(D(2026, 1, 1))  # 元旦
    assert is_working_day(D(2026, 1, 4))  # Sunday, make-up working day
    assert is_working_day(D(2026, 2, 14))  # Saturday, make-up for 春节
    assert not is_working_day(D(2026, 2, 23))  # Monday in 春节
    assert is_working_day(D(2026, 2, 28))
    assert not is_working_day(D(2026, 5, 5))
    assert is_working_day(D(2026, 5, 9))
    assert is_working_day(D(2026, 9, 20))
    assert not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday


def test_seeded_2025_calendar():
    assert not is_working_day(D(2025, 1, 28))
    assert is_working_day(D(2025, 1, 26))
    assert not is_working_day(D(2025, 10, 8))
    assert is_working_day(D(2025, 10, 11))


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    assert add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)  # via 2/13, 2/14 (Sat), 2/24
    assert add_working_days(D(2026, 9, 30), 15) == D(2026, 10, 27)
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert add_working_days(D(2026, 2, 24), -3) == D(2026, 2, 12)


def test_working_days_between():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    start = D(2026, 4, 1)
    assert working_days_between(start, add_working_days(start, 15)) == 15


def test_calendar_is_data_editable():
    assert is_working_day(D(2027, 3, 1))
    CalendarDay.objects.create(date=D(2027, 3, 1), is_workday=False, note="地方假日")
    assert not is_working_day(D(2027, 3, 1))
    assert add_working_days(D(2027, 2, 26), 1) == D(2027, 3, 2)


def test_long_spans_refetch_the_calendar():
    # 261 weekdays a year; 2025: 18 weekday holidays, 5 make-up days; 2026: 19 and 6.
    assert working_days_between(D(2025, 1, 1), D(2026, 12, 31)) == 248 + 248
    assert add_working_days(D(2025, 1, 1), 496) == D(2026, 12, 31)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 11, 23), 3, D(2027, 2, 23)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 3, 15), -3, D(2025, 12, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected
