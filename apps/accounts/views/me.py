"""账户与安全: the signed-in person's own account page (password, two-factor, API tokens)."""

from __future__ import annotations

import datetime as dt

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.pages import error_response, perform

from .. import selectors, services
from ..forms import ApiTokenCreateForm
from ..models import ApiToken
from ..permissions import user_requires_mfa
from ..requests import AuthenticatedRequest

NEW_TOKEN_SESSION_KEY = "accounts_new_api_token"


def _token_id(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return 0  # no such token: the service answers NotFound


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's account and security page: password, two-factor, API tokens."""
    user = request.user
    token_form = ApiTokenCreateForm(
        request.POST if request.POST.get("action") == "create_token" else None
    )
    tokens_url = reverse("accounts:settings") + "#api-tokens"

    def page() -> HttpResponse:
        return _settings_page(request, token_form)

    if request.method != "POST":
        return page()
    action = request.POST.get("action")
    if action == "create_token":

        def create() -> tuple[ApiToken, str]:
            days = token_form.cleaned_data.get("expires_in_days")
            expires_at = timezone.now() + dt.timedelta(days=days) if days else None
            return services.api_token_create(
                user=user, name=token_form.cleaned_data["name"], expires_at=expires_at
            )

        def created(result: tuple[ApiToken, str]) -> HttpResponse:
            token, raw = result
            # Kept for the very next page only, then gone for good.
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "token": raw}
            return redirect(tokens_url)

        return perform(request, create, form=token_form, render=page, on_success=created)
    if action == "revoke_token":
        token_id = _token_id(request.POST.get("token_id"))
        return perform(
            request,
            lambda: services.api_token_revoke(user=user, token_id=token_id),
            success=lambda token: (
                _("令牌“%(name)s”已撤销，使用它的应用将无法再访问。") % {"name": token.name}
            ),
            redirect_to=tokens_url,
        )
    return error_response(request, 400, _("无法识别的操作。"), back=reverse("accounts:settings"))


def _settings_page(request: AuthenticatedRequest, token_form: ApiTokenCreateForm) -> HttpResponse:
    user = request.user
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    recovery_unused = len(recovery.wrap().get_unused_codes()) if recovery else 0
    context = {
        "profile": selectors.me_profile(user=user),
        "has_password": user.has_usable_password(),
        "totp": authenticators.get(Authenticator.Type.TOTP),
        "recovery": recovery,
        "recovery_unused": recovery_unused,
        "mfa_required": user_requires_mfa(user),
        "tokens": selectors.api_token_list_for_user(user=user),
        "token_form": token_form,
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
        "now": timezone.now(),
    }
    return render(request, "accounts/settings.html", context)
