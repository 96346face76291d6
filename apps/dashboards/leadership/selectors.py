"""Reads of the leadership dashboard: only the maintained snapshots
(apps.dashboards.models.LeadershipSnapshot), never the records behind them.

`dashboard_get` answers a page in a fixed number of queries whatever the data: the viewer's
committees (their membership, then one query for the committees: theirs and, for leadership, the
active ones up to three levels below), the snapshots' menu (this year's slices, the years on
file and, for a committee with committees below it, their headline figures: one query) and the
chosen slice's figures (skipped with `figures=False`: the dashboard page loads them only when its
cached rendering of that snapshot is missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Q, When
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.errors import NotFound, PermissionDenied
from apps.organisation.models import Committee

from ..models import LeadershipSnapshot, SliceKind
from .permissions import committee_ids_below, home_committee

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
    # The chosen slice's snapshot row (None: not computed yet). Snapshots are rewritten as new
    # rows on every refresh, so (snapshot_id, refreshed_at) names one set of figures for good.
    snapshot_id: int | None = None

    @property
    def slice_value(self) -> str:
        return self.slice.value

    def load_figures(self) -> dict[str, Any] | None:
        """The figures of a board read with figures=False (one query, the first time)."""
        if self.figures is None and self.snapshot_id is not None:
            row = LeadershipSnapshot.objects.filter(pk=self.snapshot_id).only("figures").first()
            self.figures = row.figures if row else None
        return self.figures


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
    """The committees whose dashboard the user may open (see permissions), in that order: the
    user's own, then for leadership the active ones up to three levels below (one query)."""
    from apps.members.permissions import current_membership

    home = home_committee(user)
    if home is None:
        return []
    membership = current_membership(user)
    rows = Committee.objects.select_related("parent").order_by("name", "id")
    if membership is None or not membership.is_leadership:
        return list(rows.filter(pk=home))
    found = list(rows.filter(Q(is_active=True) | Q(pk=home)))
    ids = committee_ids_below(home, [(c.pk, c.parent_id) for c in found if c.is_active])
    by_pk = {c.pk: c for c in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def dashboard_get(
    *,
    user: Any,
    committee_id: int | None = None,
    year: int | None = None,
    slice_value: str = "",
    figures: bool = True,
) -> Dashboard:
    """The dashboard of one committee's year for one slice, from the snapshots. PermissionDenied
    when the user may see no dashboard; NotFound for a committee outside their scope. A slice
    that does not exist (any more) falls back to all members. With figures=False the figures
    stay unread (Dashboard.load_figures reads them)."""
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
    below = [c for c in committees if c.parent_id == committee.pk]
    # One query: this year's slices (the menu), every year's all-members row (the years) and
    # the committees below's all-members rows of the year with their headline (the comparison).
    wanted = Q(committee_id=committee.pk) & (Q(year=year) | Q(slice_kind=SliceKind.ALL))
    if below:
        wanted |= Q(committee_id__in=[c.pk for c in below], year=year, slice_kind=SliceKind.ALL)
    found_rows = (
        LeadershipSnapshot.objects.filter(wanted)
        .annotate(
            headline=Case(
                When(~Q(committee_id=committee.pk), then=KT("figures__headline")),
                default=None,
            )
        )
        .order_by("sort_order", "id")
        .values_list(
            "id",
            "year",
            "slice_kind",
            "slice_key",
            "label",
            "refreshed_at",
            "committee_id",
            "headline",
        )
    )
    rows = []
    headlines: dict[int, Any] = {}
    for row in found_rows:
        if row[6] == committee.pk:
            rows.append(row[:6])
        else:
            headlines[row[6]] = row[7]
    menu = [row for row in rows if row[1] == year]
    chosen = next((row for row in menu if row[2] == kind and row[3] == key), None)
    if chosen is None:
        kind, key = SliceKind.ALL.value, ""
        chosen = next((row for row in menu if row[2] == kind), None)
    groups = [SliceGroup(str(k.value), str(k.label)) for k in KIND_ORDER]
    by_kind = {group.kind: group for group in groups}
    for _pk, _year, row_kind, row_key, label, _at in menu:
        if row_kind in by_kind:
            by_kind[row_kind].choices.append(SliceChoice(row_kind, row_key, label))
    snapshot = (
        LeadershipSnapshot.objects.filter(pk=chosen[0]).only("figures").first()
        if chosen and figures
        else None
    )
    years = sorted(
        {row[1] for row in rows if row[2] == SliceKind.ALL} | {this_year, year},
        reverse=True,
    )
    comparison = [Comparison(c.pk, c.name, json_object(headlines.get(c.pk))) for c in below]
    label = chosen[4] if chosen else _("全体委员")
    return Dashboard(
        committee=committee,
        committees=committees,
        year=year,
        years=years,
        slice=SliceChoice(kind, key, label),
        groups=[group for group in groups if group.choices],
        figures=snapshot.figures if snapshot else None,
        refreshed_at=chosen[5] if chosen else None,
        comparison=comparison,
        snapshot_id=chosen[0] if chosen else None,
    )


def json_object(value: Any) -> dict[str, Any] | None:
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
