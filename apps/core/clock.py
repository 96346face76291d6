"""The time the domain apps run at: now, unless a caller sets another moment. The one clock of
every app (proposals, consultations, opinions, …): one moment set by `at()` holds for all of them,
so a step in one app that hands on to another stays on the same day.

Services, workflows, selectors and pages that stamp or compare domain dates (submitted at,
deadlines, rating windows, signed at, published on …) read the time through `now()` /
`today()`. `at(moment)` lets a demo seeder (or an import of historical records) run the
real services "as of" a past date, so dates, numbers and windows come out consistent. Tests move
the clock with time-machine, which this follows. (Audit events keep their real time.)
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_moment: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "core_clock", default=None
)


def now() -> dt.datetime:
    return _moment.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Run the block as if it were `moment` (an aware datetime; a naive one is made aware)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January of `year`, 1 January of the next) in the portal's time zone: the span a
    duty year (or a statistics year) covers, for `start <= moment < end` filters."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
