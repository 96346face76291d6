"""The leadership dashboard's pages (mounted at /leadership/, namespace `leadership`):

- `dashboard`: charts with a data table under each, sliced by committee, year and slice;
- `screen`: the 大屏 for the meeting room (1920×1080, redraws itself every few minutes);
- `print`: the A4 version;
- `data`: the screen's figures as JSON (what it redraws from);
- `drill`: the records behind one figure;
- `refresh`: "立即更新" (POST), queues a recomputation.

Every page reads the snapshots only (selectors.dashboard_get); only the drill-down lists read
records, one page at a time. The dashboard page renders a snapshot's charts and data tables once
and caches that HTML under the snapshot's id and refresh time (`board_parts`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core import clock
from apps.core.errors import DomainError
from apps.core.pages import domain_error_response, perform

from . import services
from .charts import Links, charts_for
from .drill import Scope, drill_for
from .selectors import Dashboard, dashboard_get, parse_slice, parse_year

DRILL_PAGE_SIZE = 50
SCREEN_REFRESH_SECONDS = 300
# The dashboard's rendered figures (tiles, charts with their data tables, members to watch,
# units' ranking) are cached per snapshot row: a refresh writes new rows (new ids, new
# refreshed_at), so an entry is never stale while its snapshot is shown; it expires after this
# long so an entry left by a deploy with other templates goes too (bump the version for that).
BOARD_CACHE_SECONDS = 6 * 3600
BOARD_CACHE_VERSION = 1


def _committee_param(request: HttpRequest) -> int | None:
    value = request.GET.get("committee") or request.POST.get("committee") or ""
    return int(value) if value.isdigit() else None


def _dashboard(request: HttpRequest, *, figures: bool = True) -> Dashboard:
    return dashboard_get(
        user=request.user,
        committee_id=_committee_param(request),
        year=parse_year(request.GET.get("year")),
        slice_value=request.GET.get("slice", ""),
        figures=figures,
    )


def board_cache_key(board: Dashboard) -> str | None:
    """Where the rendered figures of the board's snapshot are cached (None: no snapshot)."""
    if board.snapshot_id is None or board.refreshed_at is None:
        return None
    stamp = f"{board.refreshed_at.timestamp():.6f}"
    return f"leadership:board:{BOARD_CACHE_VERSION}:{board.snapshot_id}:{stamp}:{get_language()}"


def board_parts(request: HttpRequest, board: Dashboard) -> dict[str, SafeString] | None:
    """The dashboard's figures as HTML (the tiles; the charts, their tables and the lists,
    with the charts' JSON), rendered once per snapshot and language and then read from the
    cache; None when the year has no snapshot. What is rendered depends on the snapshot only
    (its committee, year, slice and figures), never on the viewer, who was checked before."""
    key = board_cache_key(board)
    if key is None:
        return None
    parts: dict[str, str] | None = cache.get(key)
    if parts is None:
        if not board.load_figures():
            return None
        context = _context(request, board)
        parts = {
            "tiles": render_to_string("dashboards/leadership/_tiles.html", context),
            "body": render_to_string("dashboards/leadership/_board.html", context),
        }
        cache.set(key, parts, BOARD_CACHE_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # our own rendering


def _context(request: HttpRequest, board: Dashboard) -> dict[str, Any]:
    link = Links(committee_id=board.committee.pk, year=board.year, slice_value=board.slice_value)
    charts = charts_for(board.figures, link) if board.figures else []
    query: dict[str, Any] = {
        "committee": board.committee.pk,
        "year": board.year,
        "slice": board.slice_value,
    }
    return {
        "board": board,
        "figures": board.figures,
        "headline": (board.figures or {}).get("headline"),
        "charts": charts,
        "charts_json": {chart.key: chart.as_json() for chart in charts},
        "link": link,
        "query": urlencode(query),
        "links": {
            "dashboard": f"{reverse('leadership:dashboard')}?{urlencode(query)}",
            "screen": f"{reverse('leadership:screen')}?{urlencode(query)}",
            "print": f"{reverse('leadership:print')}?{urlencode(query)}",
            "data": f"{reverse('leadership:data')}?{urlencode(query)}",
        },
        "drill_links": _drill_links(board, link),
        "refresh_seconds": SCREEN_REFRESH_SECONDS,
    }


def _drill_links(board: Dashboard, link: Links) -> dict[str, str]:
    names = [
        "proposals.received",
        "proposals.accepted",
        "handling.on_time",
        "handling.overdue",
        "opinions.used",
        "opinions.instructed",
        "meetings.all",
        "scores.lagging",
        "study.sessions.all",
    ]
    return {name.replace(".", "_"): link(name) for name in names}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """履职看板: the leadership's view of the committee's year (or a slice of it). The figures
    are read and rendered only when the snapshot's rendering is not cached (board_parts)."""
    try:
        board = _dashboard(request, figures=False)
    except DomainError as error:
        return domain_error_response(request, error)
    params: dict[str, Any] = {
        "committee": board.committee.pk,
        "year": board.year,
        "slice": board.slice_value,
    }
    query = urlencode(params)
    return render(
        request,
        "dashboards/leadership/dashboard.html",
        {
            "board": board,
            "board_parts": board_parts(request, board),
            "links": {
                "screen": f"{reverse('leadership:screen')}?{query}",
                "print": f"{reverse('leadership:print')}?{query}",
            },
        },
    )


@login_required
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    """大屏: the same figures on one 1920×1080 screen, redrawn every few minutes."""
    try:
        board = _dashboard(request)
    except DomainError as error:
        return domain_error_response(request, error)
    return render(request, "dashboards/leadership/screen.html", _context(request, board))


@login_required
@require_GET
def print_view(request: HttpRequest) -> HttpResponse:
    """The A4 version: every chart with its table, for printing or saving as PDF."""
    try:
        board = _dashboard(request)
    except DomainError as error:
        return domain_error_response(request, error)
    context = _context(request, board)
    context["printed_at"] = timezone.localtime(clock.now())
    return render(request, "dashboards/leadership/print.html", context)


@login_required
@require_GET
def data(request: HttpRequest) -> HttpResponse:
    """The figures of the screen as JSON (the screen's auto-refresh reads this)."""
    try:
        board = _dashboard(request)
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    context = _context(request, board)
    refreshed = board.refreshed_at
    return JsonResponse(
        {
            "refreshed_at": timezone.localtime(refreshed).strftime("%Y-%m-%d %H:%M")
            if refreshed
            else None,
            "headline": context["headline"],
            "charts": context["charts_json"],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_GET
def drill(request: HttpRequest) -> HttpResponse:
    """The records behind one figure of the dashboard, 50 a page."""
    try:
        board = _dashboard(request)
        kind, key = parse_slice(request.GET.get("slice"))
        scope = Scope(
            committee_id=board.committee.pk,
            year=board.year,
            slice_kind=board.slice.kind,
            slice_key=board.slice.key,
            today=clock.today(),
        )
        found = drill_for(scope, (request.GET.get("figure") or "")[:80])
    except DomainError as error:
        return domain_error_response(request, error)
    page = Paginator(found.items, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    query: dict[str, Any] = {
        "committee": board.committee.pk,
        "year": board.year,
        "slice": board.slice_value,
    }
    return render(
        request,
        "dashboards/leadership/drill.html",
        {
            "board": board,
            "drill": found,
            "page": page,
            "rows": [found.row(item) for item in page.object_list],
            "back": f"{reverse('leadership:dashboard')}?{urlencode(query)}",
            "page_query": urlencode({**query, "figure": found.key}),
            "slice_changed": (kind, key) != (board.slice.kind, board.slice.key),
        },
    )


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """立即更新: queue a recomputation of the committee's year."""
    committee_id = _committee_param(request)
    year = parse_year(request.POST.get("year")) or clock.today().year
    slice_value = request.POST.get("slice", "")
    query = urlencode({"committee": committee_id or "", "year": year, "slice": slice_value})
    back = f"{reverse('leadership:dashboard')}?{query}"
    user = request.user
    target = committee_id or getattr(user, "committee_id", None) or 0
    return perform(
        request,
        lambda: services.snapshot_refresh_request(user=user, committee_id=target, year=year),
        success=_("已开始更新统计数据，通常一两分钟内完成，请稍后刷新页面查看。"),
        redirect_to=back,
    )
