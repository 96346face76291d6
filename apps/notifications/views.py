"""The notification centre, the header badge and the channel preferences page.

A person only ever sees their own notifications: another person's id is a 404, as is a
missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound
from apps.core.masking import mask_phone
from apps.core.pages import perform

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification

PAGE_SIZE = 20
# htmx stops polling on this status: a signed-out page does not keep asking for the badge.
HTMX_STOP_POLLING = 286


def _list_url(show: str = "") -> str:
    url = reverse("notifications:list")
    return f"{url}?show=unread" if show == "unread" else url


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    show = "unread" if request.GET.get("show") == "unread" else "all"
    queryset = selectors.notification_list_for_user(user=request.user, unread_only=show == "unread")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    unread_count = selectors.notification_unread_count(user=request.user)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "show": show, "unread_count": unread_count},
    )


@login_required
@require_GET
def notification_open(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    """Mark read and go to the object. Only links on this site are followed."""
    try:
        notification = services.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if services.link_is_safe(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    show = "unread" if request.POST.get("show") == "unread" else "all"

    def marked(notification: Notification) -> HttpResponse:
        if request.htmx:
            return render(
                request,
                "notifications/list.html#item_marked",
                {
                    "notification": notification,
                    "show": show,
                    "unread_count": selectors.notification_unread_count(user=request.user),
                },
            )
        messages.success(request, _("已标为已读。"))
        return redirect(_list_url(show))

    return perform(
        request,
        lambda: services.notification_mark_read(user=request.user, notification_id=notification_id),
        on_success=marked,
        back=_list_url(show),
    )


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    target = _list_url(request.POST.get("show", ""))

    def marked(count: int) -> HttpResponse:
        if count:
            messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
        else:
            messages.info(request, _("没有未读消息。"))
        return redirect(target)

    return perform(
        request,
        lambda: services.notification_mark_all_read(user=request.user),
        on_success=marked,
        back=target,
    )


@never_cache
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count (loaded by htmx on every page and every 60 s)."""
    if not request.user.is_authenticated:
        return HttpResponse("", status=HTMX_STOP_POLLING)
    return render(
        request,
        "notifications/_badge.html",
        {"unread_count": selectors.notification_unread_count(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    current = selectors.preference_for_user(user=user)
    form_kwargs = {"has_phone": bool(user.phone), "has_email": bool(user.email)}
    initial = {
        "sms_enabled": current.sms_enabled,
        "email_enabled": current.email_enabled,
        "daily_digest": current.daily_digest,
    }
    form = PreferenceForm(
        request.POST if request.method == "POST" else None, initial=initial, **form_kwargs
    )

    def page() -> HttpResponse:
        context = {"form": form, "masked_phone": mask_phone(user.phone), "email": user.email}
        return render(request, "notifications/preferences.html", context)

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.preference_update(user=user, **form.cleaned_data),
        form=form,
        render=page,
        success=_("通知设置已保存。"),
        redirect_to=reverse("notifications:preferences"),
    )
