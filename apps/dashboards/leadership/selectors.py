"""Reads of the leadership dashboard: only the maintained snapshots
(apps.dashboards.models.LeadershipSnapshot), never the records behind them.

`dashboard_get` answers a page in a fixed number of queries whatever the data: the viewer's
committees (membership, at most three levels of committees below), the committees' names, the
slice menu of the year, the chosen slice's figures, the years on file and, for a committee with
committees below it, their headline figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.errors import NotFound, PermissionDenied
from apps.organisation.models import Committee

from ..models import LeadershipSnapshot, SliceKind
from .permissions import dashboard_committee_ids

KIND_ORDER = (SliceKind.ALL, SliceKind.SECTOR, SliceKind.SPECIAL, SliceKind.PARTY)


@dataclass(frozen=True)
class SliceChoice:
    kind: str
    key: str
    label: str

    @property
    def value(self) -> str:
        return self.kind if self.kind == SliceKind.ALL else f"{self.kind}:{self.key}"


@dataclass
class SliceGroup:
    kind: str
    label: str
    choices: list[SliceChoice] = field(default_factory=list)


@dataclass
class Comparison:
    committee_id: int
    name: str
    headline: dict[str, Any] | None


@dataclass
class Dashboard:
    committee: Committee
    committees: list[Committee]
    year: int
    years: list[int]
    slice: SliceChoice
    groups: list[SliceGroup]
    figures: dict[str, Any] | None
    refreshed_at: dt.datetime | None
    comparison: list[Comparison]

    @property
    def slice_value(self) -> str:
        return self.slice.value


def parse_slice(value: str | None) -> tuple[str, str]:
    """ "sector:12" → ("sector", "12"); anything unknown → all members."""
    kind, _sep, key = (value or "").partition(":")
    if kind in (SliceKind.SECTOR, SliceKind.SPECIAL) and key.isdigit():
        return kind, key
    if kind == SliceKind.PARTY and key.isalnum() and len(key) <= 16:
        return kind, key
    return SliceKind.ALL.value, ""


def parse_year(value: str | None) -> int | None:
    if value and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def dashboard_committees(user: Any) -> list[Committee]:
    """The committees whose dashboard the user may open (see permissions), in that order."""
    ids = dashboard_committee_ids(user)
    if not ids:
        return []
    found = {c.pk: c for c in Committee.objects.filter(pk__in=ids).select_related("parent")}
    return [found[pk] for pk in ids if pk in found]


def dashboard_get(
    *, user: Any, committee_id: int | None = None, year: int | None = None, slice_value: str = ""
) -> Dashboard:
    """The dashboard of one committee's year for one slice, from the snapshots. PermissionDenied
    when the user may see no dashboard; NotFound for a committee outside their scope. A slice
    that does not exist (any more) falls back to all members."""
    committees = dashboard_committees(user)
    if not committees:
        raise PermissionDenied(_("只有主席会议成员和委员联络处可以查看履职看板。"))
    found = (
        committees[0]
        if committee_id is None
        else next((c for c in committees if c.pk == committee_id), None)
    )
    if found is None:
        raise NotFound(_("未找到该政协组织，或您无权查看。"))
    committee: Committee = found
    this_year = clock.today().year
    year = year or this_year
    kind, key = parse_slice(slice_value)
    menu = list(
        LeadershipSnapshot.objects.filter(committee_id=committee.pk, year=year)
        .order_by("sort_order", "id")
        .values_list("id", "slice_kind", "slice_key", "label")
    )
    chosen = next((row for row in menu if row[1] == kind and row[2] == key), None)
    if chosen is None:
        kind, key = SliceKind.ALL.value, ""
        chosen = next((row for row in menu if row[1] == kind), None)
    groups = [SliceGroup(str(k.value), str(k.label)) for k in KIND_ORDER]
    by_kind = {group.kind: group for group in groups}
    for _pk, row_kind, row_key, label in menu:
        if row_kind in by_kind:
            by_kind[row_kind].choices.append(SliceChoice(row_kind, row_key, label))
    snapshot = (
        LeadershipSnapshot.objects.filter(pk=chosen[0]).only("figures", "refreshed_at").first()
        if chosen
        else None
    )
    years = sorted(
        set(
            LeadershipSnapshot.objects.filter(committee_id=committee.pk, slice_kind=SliceKind.ALL)
            .values_list("year", flat=True)
            .order_by()
        )
        | {this_year, year},
        reverse=True,
    )
    below = [c for c in committees if c.parent_id == committee.pk]
    comparison: list[Comparison] = []
    if below:
        headlines = dict(
            LeadershipSnapshot.objects.filter(
                committee_id__in=[c.pk for c in below], year=year, slice_kind=SliceKind.ALL
            )
            .annotate(headline=KT("figures__headline"))
            .values_list("committee_id", "headline")
        )
        comparison = [Comparison(c.pk, c.name, _as_dict(headlines.get(c.pk))) for c in below]
    label = chosen[3] if chosen else _("全体委员")
    return Dashboard(
        committee=committee,
        committees=committees,
        year=year,
        years=years,
        slice=SliceChoice(kind, key, label),
        groups=[group for group in groups if group.choices],
        figures=snapshot.figures if snapshot else None,
        refreshed_at=snapshot.refreshed_at if snapshot else None,
        comparison=comparison,
    )


def _as_dict(value: Any) -> dict[str, Any] | None:
    """KT() hands the JSON back as text on PostgreSQL."""
    if value is None or isinstance(value, dict):
        return value
    import json

    loaded = json.loads(value)
    return loaded if isinstance(loaded, dict) else None


def summary_for_api(
    *, user: Any, committee_id: int | None, year: int | None, slice_value: str
) -> Dashboard:
    """The same figures for the API (one committee's year, one slice)."""
    return dashboard_get(user=user, committee_id=committee_id, year=year, slice_value=slice_value)
