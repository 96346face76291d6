"""The time the proposal workflow runs at: now, unless a caller sets another moment.

Everything in this app reads the time through `now()` / `today()`. `at(moment)` lets the demo
seeder (and imports of historical records) run the real workflow "as of" a past date, so numbers,
deadlines and rating windows come out consistent. Tests move the clock with time-machine, which
this follows.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_moment: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "proposals_clock", default=None
)


def now() -> dt.datetime:
    return _moment.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Run the block as if it were `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
