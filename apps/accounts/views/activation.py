"""Activation pages: set the first password with a one-time link or code; closed flows."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError
from apps.core.pages import perform

from .. import services
from ..forms import ActivationCodeForm, NewPasswordForm
from ..models import User


def _signed_in_after_activation(request: HttpRequest, user: User) -> HttpResponse:
    """Sign the person in through allauth (so a two-factor step still applies when enrolled)."""
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    messages.success(request, _("密码已设置，账户已激活。"))
    # Counts as having just entered the password (allauth counts only records marked
    # `reauthenticated`), so setting up two-factor right after does not ask for it again.
    record_authentication(request, user, method="password", reauthenticated=True)
    return perform_login(request, user, redirect_url=reverse("home"))


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def activate_link(request: HttpRequest, token: str) -> HttpResponse:
    """/accounts/activate/<token>/: set the first password with a one-time link.

    A used, voided, expired or unknown link shows why (400) before any form; a password the
    policy refuses comes back on the form."""
    try:
        row = services.activation_check_link(token=token)
    except DomainError as exc:
        return render(
            request, "accounts/activate_invalid.html", {"message": exc.message}, status=400
        )
    form = NewPasswordForm(request.POST or None)

    def page() -> HttpResponse:
        return render(
            request,
            "accounts/activate.html",
            {"form": form, "person": row.user, "by_link": True, "expires_at": row.expires_at},
        )

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.activation_complete(
            token=token, password=form.cleaned_data["password1"], request=request
        ),
        form=form,
        render=page,
        on_success=lambda user: _signed_in_after_activation(request, user),
    )


@never_cache
@sensitive_post_parameters("password1", "password2", "code")
@require_http_methods(["GET", "POST"])
def activate_code(request: HttpRequest) -> HttpResponse:
    """/accounts/activate/: set the first password with username or phone plus the code."""
    form = ActivationCodeForm(request.POST or None)

    def page() -> HttpResponse:
        return render(request, "accounts/activate.html", {"form": form, "by_link": False})

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.activation_complete(
            login=form.cleaned_data["login"],
            code=form.cleaned_data["code"],
            password=form.cleaned_data["password1"],
            request=request,
        ),
        form=form,
        render=page,
        on_success=lambda user: _signed_in_after_activation(request, user),
    )


# Closed allauth flows ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def closed_notice(request: HttpRequest, topic: str) -> HttpResponse:
    """Flows the office handles instead of self-service (phone change, password reset)."""
    return render(request, "accounts/closed.html", {"topic": topic})


def email_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("accounts:settings")
