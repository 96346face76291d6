"""账户与安全: the signed-in person's own account page (password, two-factor, API tokens)."""

from __future__ import annotations

import datetime as dt

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError

from .. import selectors, services
from ..forms import ApiTokenCreateForm
from ..models import User
from ..permissions import user_requires_mfa
from .common import form_error

NEW_TOKEN_SESSION_KEY = "accounts_new_api_token"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account and security page: password, two-factor, API tokens."""
    user = request.user
    assert isinstance(user, User)
    token_form = ApiTokenCreateForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create_token":
            token_form = ApiTokenCreateForm(request.POST)
            if token_form.is_valid():
                days = token_form.cleaned_data.get("expires_in_days")
                expires_at = timezone.now() + dt.timedelta(days=days) if days else None
                try:
                    token, raw = services.api_token_create(
                        user=user, name=token_form.cleaned_data["name"], expires_at=expires_at
                    )
                except DomainError as exc:
                    form_error(token_form, exc)
                else:
                    # Kept for the very next page only, then gone for good.
                    request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "token": raw}
                    return redirect(reverse("accounts:settings") + "#api-tokens")
        elif action == "revoke_token":
            try:
                token = services.api_token_revoke(
                    user=user, token_id=int(request.POST.get("token_id", "0"))
                )
            except (DomainError, ValueError):
                messages.error(request, _("未找到该令牌。"))
            else:
                messages.success(
                    request,
                    _("令牌“%(name)s”已撤销，使用它的应用将无法再访问。") % {"name": token.name},
                )
            return redirect(reverse("accounts:settings") + "#api-tokens")
        else:
            messages.error(request, _("无法识别的操作。"))
            return redirect("accounts:settings")

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
