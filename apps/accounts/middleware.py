"""Two-factor enrolment is required for staff, leadership, handling units and administrators.

A signed-in person whose roles require it and who has no active TOTP authenticator is sent to
the TOTP activation page for every page except the two-factor pages themselves, re-entering the
password, signing out, static files and the health check. The API answers 403 instead. Members
are never forced (apps.accounts.permissions.user_requires_mfa).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import quote

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .permissions import RequestUser, user_requires_mfa

API_PREFIX = "/api/"


def mfa_setup_missing(user: RequestUser) -> bool:
    """The person must enrol TOTP before using the portal."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user_requires_mfa(user)
        and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
    )


def mfa_required_message() -> str:
    return _("您的岗位要求开启两步验证，请先在手机验证器应用中完成设置后再继续使用。")


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @cached_property
    def exempt_prefixes(self) -> tuple[str, ...]:
        return (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("healthz"),
            settings.STATIC_URL or "/static/",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(self.exempt_prefixes) or not mfa_setup_missing(request.user):
            return self.get_response(request)
        if path.startswith(API_PREFIX):
            return JsonResponse({"detail": mfa_required_message()}, status=403)
        if request.headers.get("HX-Request"):
            # Background fragments (e.g. the unread badge polled from the setup pages
            # themselves) get nothing; redirecting them would pull the person away from the
            # very page where they set two-factor up.
            return HttpResponse(status=204)
        target = reverse("mfa_activate_totp")
        if request.method == "GET":
            messages.warning(request, mfa_required_message())
        return HttpResponseRedirect(target)


IDLE_SESSION_KEY = "zx_last_activity"
BACKGROUND_HEADER = "X-Background-Poll"
# The activity stamp is rewritten only once it is this old (settings.SESSION_IDLE_STAMP_SECONDS
# overrides it): a signed-in request writes the session (an UPDATE and a COMMIT) at most once a
# minute instead of on every request. The cost is precision: an idle session ends between
# SESSION_IDLE_TIMEOUT minus this and SESSION_IDLE_TIMEOUT after the person's last request,
# never later. 0 writes on every request (what query-count pins in tests may want: with 60, a
# request's count depends on how long ago the previous one was).
IDLE_STAMP_REFRESH_SECONDS = 60


def idle_stamp_refresh_seconds() -> float:
    return float(getattr(settings, "SESSION_IDLE_STAMP_SECONDS", IDLE_STAMP_REFRESH_SECONDS))


class IdleTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without a request made by the person.

    Background polls (elements that send the X-Background-Poll header, like the unread badge in
    the header) neither count as activity nor extend the session, so a page left open does not
    keep a session alive forever. When the session has expired, an htmx poll moves the open page
    to the sign-in page (HX-Redirect), so data is not left on an unattended screen.

    The stamp is written only when it is missing or older than idle_stamp_refresh_seconds(), so
    the session is saved at most once a minute, not on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = timezone.now().timestamp()
        last = request.session.get(IDLE_SESSION_KEY)
        idle_limit = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        if last is not None and now - float(last) > idle_limit:
            logout(request)
            login_url = f"{reverse('account_login')}?next={quote(request.get_full_path())}"
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("account_login")
                return response
            if request.path_info.startswith(API_PREFIX):
                return self.get_response(request)  # now anonymous: the API answers 401
            messages.info(request, idle_logout_message())
            return HttpResponseRedirect(login_url)
        refresh = idle_stamp_refresh_seconds()
        stale = last is None or refresh <= 0 or now - float(last) > refresh
        if stale and not request.headers.get(BACKGROUND_HEADER):
            request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


def idle_logout_message() -> str:
    minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    return _("您已超过 %(minutes)d 分钟未操作，为保护信息安全已自动退出，请重新登录。") % {
        "minutes": minutes
    }
