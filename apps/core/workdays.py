"""Working days under the national holiday calendar.

The State Council publishes each year's holidays and make-up working days (调休) in November of
the year before; that list is DATA, kept in `CalendarDay` rows that staff edit in the admin:
a holiday on a weekday is a row with ``is_workday=False``, a make-up Saturday or Sunday a row with
``is_workday=True``. Every other date follows the week: Monday to Friday work, weekends rest.

The rows are seeded from the maintained `chinese-calendar` package (its lists follow the State
Council's notices; `calendar_sync`, run by migration core 0006 and by `manage.py calendar_sync`
after upgrading the package). Each row keeps what the package says in `official`; a row staff
added (``official`` empty) or changed (``is_workday`` differs from ``official``) is an override
the sync never touches. `calendar_notice` warns staff when next year's list is not yet known.

Counting convention (the one deadlines use): the start date itself is never counted.
`add_working_days(d, 15)` is the 15th working day after `d`; `working_days_between(a, b)` counts
the working days after `a` up to and including `b`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _


class CalendarDay(models.Model):
    """A date that differs from the plain week: a holiday or a make-up working day (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日", help_text="放假的工作日不勾选；调休上班的周末勾选。")
    note = models.CharField("说明", max_length=60, blank=True, help_text="如：春节、国庆节调休上班")
    official = models.BooleanField(
        "国务院安排",
        null=True,
        blank=True,
        editable=False,
        help_text="chinese-calendar 所列的安排（是否上班）；为空或与“工作日”不同即为人工调整。",
    )

    class Meta:
        app_label = "core"
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()

    @property
    def is_override(self) -> bool:
        """Entered or changed by staff: the sync leaves it as it is."""
        return self.official is None or self.official != self.is_workday


# The package's holiday names, in the words of the State Council's notices.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def official_days(years: Iterable[int] | None = None) -> dict[dt.date, tuple[bool, str]]:
    """What `chinese-calendar` lists: date → (is a working day, note), for `years` (default:
    every year it knows). Holidays are False, make-up working days True."""
    from chinese_calendar import constants  # type: ignore[import-untyped]

    wanted = set(years) if years is not None else None
    days: dict[dt.date, tuple[bool, str]] = {}
    for day, name in constants.holidays.items():
        if wanted is None or day.year in wanted:
            days[day] = (False, HOLIDAY_NAMES.get(str(name), str(name)))
    for day, name in constants.workdays.items():
        if wanted is None or day.year in wanted:
            label = HOLIDAY_NAMES.get(str(name), str(name))
            days[day] = (True, f"{label}调休上班")
    return days


def official_years() -> set[int]:
    """The years whose lists `chinese-calendar` has."""
    from chinese_calendar import constants

    return {day.year for day in constants.holidays}


@dataclass(frozen=True)
class SyncResult:
    years: tuple[int, ...]
    created: int
    updated: int
    deleted: int
    kept: int  # staff overrides left alone


def _is_override(row: CalendarDay) -> bool:
    return row.official is None or row.official != row.is_workday


def sync_rows(model: type[CalendarDay], years: Iterable[int]) -> SyncResult:
    """The sync on `model` (CalendarDay, or its historical version in a migration)."""
    chosen = sorted(set(years))
    official = official_days(chosen)
    rows = {row.date: row for row in model.objects.filter(date__year__in=chosen)}
    updated = deleted = kept = 0
    for row in rows.values():
        listed = official.get(row.date)
        if _is_override(row):
            kept += 1
            new_official = listed[0] if listed else None
            if row.official != new_official:
                row.official = new_official
                row.save(update_fields=["official"])
            continue
        if listed is None:  # the package no longer lists it
            row.delete()
            deleted += 1
        elif (row.is_workday, row.note) != listed:
            row.is_workday, row.note = listed
            row.official = listed[0]
            row.save(update_fields=["is_workday", "note", "official"])
            updated += 1
    new = [
        model(date=day, is_workday=value, note=note, official=value)
        for day, (value, note) in sorted(official.items())
        if day not in rows
    ]
    model.objects.bulk_create(new)
    return SyncResult(tuple(chosen), len(new), updated, deleted, kept)


@transaction.atomic
def calendar_sync(years: Iterable[int] | None = None) -> SyncResult:
    """Bring the rows of `years` (default: every year the package knows) in line with
    `chinese-calendar`, leaving staff overrides alone (see the module docstring)."""
    return sync_rows(CalendarDay, official_years() if years is None else years)


def calendar_year_known(year: int) -> bool:
    """Whether the holidays of `year` are in the calendar (from the package or by staff)."""
    return CalendarDay.objects.filter(date__year=year, is_workday=False).exists()


def calendar_notice(today: dt.date) -> str:
    """A warning for staff when next year's list (or this year's) is not yet in the calendar;
    empty when both are known."""
    years = (today.year, today.year + 1)
    known = {
        day.year
        for day in CalendarDay.objects.filter(date__year__in=years, is_workday=False).dates(
            "date", "year"
        )
    }  # one query
    for year in years:
        if year not in known:
            return _(
                "%(year)d年的节假日和调休安排尚未录入：该年的期限暂按普通周末计算。"
                "国务院办公厅发布后，请升级 chinese-calendar 并运行 manage.py calendar_sync，"
                "或在后台“节假日与调休”中录入。"
            ) % {"year": year}
    return ""


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
