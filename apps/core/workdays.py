"""Working days under the national holiday calendar.

The State Council publishes each year's holidays and make-up working days (调休) in November of
the year before; that list is DATA, kept in `CalendarDay` rows that staff edit in the admin:
a holiday on a weekday is a row with ``is_workday=False``, a make-up Saturday or Sunday a row with
``is_workday=True``. Every other date follows the week: Monday to Friday work, weekends rest.
The 2025 and 2026 lists are seeded by migration core 0004; later years must be entered when the
State Council publishes them.

Counting convention (the one deadlines use): the start date itself is never counted.
`add_working_days(d, 15)` is the 15th working day after `d`; `working_days_between(a, b)` counts
the working days after `a` up to and including `b`.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models


class CalendarDay(models.Model):
    """A date that differs from the plain week: a holiday or a make-up working day (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日", help_text="放假的工作日不勾选；调休上班的周末勾选。")
    note = models.CharField("说明", max_length=60, blank=True, help_text="如：春节、国庆节调休上班")

    class Meta:
        app_label = "core"
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """Calendar rows between `start` and `end` inclusive, in one query."""
    return dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
    )


def _workday(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    """Whether `day` is a working day."""
    return _workday(day, _overrides(day, day))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The `n`-th working day after `start` (start not counted); n=0 returns `start`.

    Negative `n` counts backwards. One query for the calendar rows of the span.
    """
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    remaining = abs(n)
    # Generous span: weekends plus the longest holiday runs (春节, 国庆) fit easily.
    span = dt.timedelta(days=remaining * 2 + 30)
    low, high = (start, start + span) if step > 0 else (start - span, start)
    overrides = _overrides(low, high)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if not (low <= day <= high):  # a span longer than guessed: fetch the next stretch
            low, high = (day, day + span) if step > 0 else (day - span, day)
            overrides = _overrides(low, high)
        if _workday(day, overrides):
            remaining -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`)."""
    if b == a:
        return 0
    if b < a:
        return -working_days_between(b, a)
    overrides = _overrides(a + dt.timedelta(days=1), b)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if _workday(day, overrides):
            count += 1
    return count


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's end
    (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))
