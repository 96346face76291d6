"""How many members sit in each part of a committee's structure, without importing apps.members.

Members sit above organisation in the layers, so the organisation page cannot count memberships
itself. The members app registers one counter from its `AppConfig.ready()`:

    register_structure_counter(structure_member_counts)

and the overview asks `structure_counts(committee=…, term=…)`. With no counter registered (an
installation without the members app) every count is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .models import Committee, Term


@dataclass(frozen=True)
class StructureCounts:
    """Active members of one committee in one term: per sector, special committee and member
    group (keyed by their ids; a part with nobody in it may be missing), and in all."""

    by_sector: dict[int, int] = field(default_factory=dict)
    by_special_committee: dict[int, int] = field(default_factory=dict)
    by_group: dict[int, int] = field(default_factory=dict)
    total: int = 0


class StructureCounter(Protocol):
    def __call__(self, *, committee: Committee, term: Term) -> StructureCounts: ...


_counter: StructureCounter | None = None


def register_structure_counter(counter: StructureCounter) -> None:
    """Make `counter` the source of the organisation page's member counts.

    There is one source: registering the same function again is harmless, a second, different
    one is a configuration error (two apps would disagree about the numbers)."""
    global _counter
    if _counter is not None and _counter is not counter:
        raise ImproperlyConfigured(
            f"A structure counter is already registered ({_counter!r}); cannot add {counter!r}."
        )
    _counter = counter


def structure_counts(*, committee: Committee, term: Term) -> StructureCounts:
    """The registered counter's numbers for `committee` in `term`; all zero without one."""
    if _counter is None:
        return StructureCounts()
    return _counter(committee=committee, term=term)
