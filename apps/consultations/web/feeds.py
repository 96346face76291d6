"""The personal iCalendar feed: make or stop the secret address (signed in), and the feed
itself (no session: the secret in the address is the key)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import perform

from .. import documents
from ..selectors.feeds import feed_by_token, feed_invitations
from ..services.feeds import feed_create, feed_revoke, feed_touch
from .common import render_page


@login_required
@require_POST
def create(request: AuthenticatedRequest) -> HttpResponse:
    def shown(result: tuple[object, str]) -> HttpResponse:
        _feed, token = result
        url = request.build_absolute_uri(reverse("consultations:feed", args=[token]))
        return render_page(request, "consultations/member/feed_created.html", {"url": url})

    return perform(
        request,
        lambda: feed_create(user=request.user),
        on_success=shown,
        back=reverse("consultations:my_calendar"),
    )


@login_required
@require_POST
def revoke(request: AuthenticatedRequest) -> HttpResponse:
    return perform(
        request,
        lambda: feed_revoke(user=request.user),
        success=_("订阅地址已停用，手机日历将不再同步。"),
        redirect_to=reverse("consultations:my_calendar"),
    )


@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = feed_by_token(token)
    if found is None:
        raise Http404(_("订阅地址无效或已停用。"))
    feed_touch(found)
    content = documents.ical_feed(
        feed_invitations(user=found.user),
        name=_("我的政协会议"),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
