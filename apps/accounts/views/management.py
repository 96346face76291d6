"""Account management for staff (委员联络处, 系统管理员): list, create, detail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError, NotFound
from apps.core.htmx import template_or_partial
from apps.members.idcard import mask_phone
from apps.organisation.selectors import committee_ids_visible_to

from .. import selectors, services
from ..forms import (
    UserCreateForm,
    UserFilterForm,
    UserProfileForm,
    UserRolesForm,
)
from ..models import User
from ..permissions import (
    roles_grantable_by,
    user_can_manage_accounts,
    user_is_sysadmin,
    user_roles,
)
from ..roles import GROUP_ROLES, Role
from .common import form_error

ACTIVATION_SESSION_KEY = "accounts_activation_issued"


def _require_manager(request: HttpRequest) -> None:
    if not user_can_manage_accounts(request.user):
        raise DjangoPermissionDenied(_("您没有管理账户的权限。"))


def _role_filter_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return ""


@never_cache
@login_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    """Accounts of the committees the manager may see: search, filter by role and state."""
    _require_manager(request)
    filter_form = UserFilterForm(request.GET or None)
    data = filter_form.cleaned_data if filter_form.is_valid() else {}
    filters = selectors.UserFilter(
        q=data.get("q", ""), role=data.get("role", ""), state=data.get("state", "")
    )
    queryset = selectors.user_list_for_manager(manager=request.user, filters=filters)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    rows = [
        {
            "user": account,
            "roles": selectors.user_role_list(account),
            "activated": account.has_usable_password(),
            "phone_masked": mask_phone(account.phone or ""),
        }
        for account in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "role_label": _role_filter_label(filters.role),
    }
    return render(
        request, template_or_partial(request, "accounts/user_list.html", "results"), context
    )


def _grant_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "grantable": roles_grantable_by(request.user),
        "committee_ids": committee_ids_visible_to(request.user),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    """Create an account (no password yet) and, by default, issue its activation at once."""
    _require_manager(request)
    grant = _grant_context(request)
    form = UserCreateForm(request.POST or None, **grant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                committee=data["committee"],
                username=data["username"],
                name=data["name"],
                phone=data.get("phone") or None,
                email=data.get("email") or "",
                roles=form.cleaned_roles(),
                handling_unit=data.get("handling_unit"),
                created_by=request.user,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("账户“%(name)s”已创建。") % {"name": account.display_name})
            if request.POST.get("issue_activation"):
                return _issue_activation(request, account)
            return redirect("accounts:user_detail", user_id=account.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _issue_activation(request: HttpRequest, account: User) -> HttpResponse:
    try:
        issued = services.activation_issue(user=account, issued_by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        # Shown on the next page only (then removed from the session).
        request.session[ACTIVATION_SESSION_KEY] = {
            "user_id": account.pk,
            "link": issued.link,
            "code": issued.code,
            "expires_at": issued.expires_at.isoformat(),
            "sms": bool(issued.sms_phone),
        }
    return redirect("accounts:user_detail", user_id=account.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One account: roles, details, activation, deactivate/reactivate."""
    _require_manager(request)
    try:
        account = selectors.user_get_for_manager(manager=request.user, user_id=user_id)
    except NotFound as exc:
        return render(request, "accounts/not_found.html", {"message": exc.message}, status=404)
    grant = _grant_context(request)
    current_roles = [
        role.value for role in GROUP_ROLES if role.value in {g.name for g in account.groups.all()}
    ]
    roles_form = UserRolesForm(
        initial={"roles": current_roles, "handling_unit": account.handling_unit},
        committee_ids={account.committee_id} if account.committee_id else set(),
        grantable=grant["grantable"],
    )
    profile_form = _profile_form(None, account)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "roles":
                roles_form = UserRolesForm(
                    request.POST,
                    committee_ids={account.committee_id} if account.committee_id else set(),
                    grantable=grant["grantable"],
                )
                if roles_form.is_valid():
                    keep = _roles_outside_grant(account, grant["grantable"])
                    services.user_roles_set(
                        user=account,
                        roles=[*roles_form.cleaned_roles(), *keep],
                        handling_unit=roles_form.cleaned_data.get("handling_unit"),
                        changed_by=request.user,
                    )
                    messages.success(request, _("角色已保存。"))
                    return redirect("accounts:user_detail", user_id=account.pk)
            elif action == "profile":
                profile_form = _profile_form(request.POST, account)
                if profile_form.is_valid():
                    data = profile_form.cleaned_data
                    services.user_profile_update(
                        user=account,
                        name=data["name"],
                        phone=data.get("phone") or account.phone,
                        email=data.get("email") or "",
                        changed_by=request.user,
                    )
                    messages.success(request, _("账户信息已保存。"))
                    return redirect("accounts:user_detail", user_id=account.pk)
            elif action in {"deactivate", "reactivate"}:
                services.user_set_active(
                    user=account, active=action == "reactivate", changed_by=request.user
                )
                messages.success(
                    request,
                    _("账户已启用。")
                    if action == "reactivate"
                    else _("账户已停用，本人将无法登录。"),
                )
                return redirect("accounts:user_detail", user_id=account.pk)
            elif action == "issue_activation":
                return _issue_activation(request, account)
            else:
                messages.error(request, _("无法识别的操作。"))
                return redirect("accounts:user_detail", user_id=account.pk)
        except DomainError as exc:
            target = roles_form if action == "roles" else profile_form
            if action in {"roles", "profile"}:
                form_error(target, exc)
            else:
                messages.error(request, exc.message)
                return redirect("accounts:user_detail", user_id=account.pk)
    issued = request.session.get(ACTIVATION_SESSION_KEY)
    if issued and issued.get("user_id") == account.pk:
        request.session.pop(ACTIVATION_SESSION_KEY)
        issued["expires_at"] = dt.datetime.fromisoformat(issued["expires_at"])
    else:
        issued = None
    context = {
        "account": account,
        "roles": [role for role in Role if role in user_roles(account)],
        "roles_form": roles_form,
        "profile_form": profile_form,
        "activated": account.has_usable_password(),
        "phone_masked": mask_phone(account.phone or ""),
        "last_activation": selectors.activation_last_for_user(user=account),
        "issued": issued,
        "is_self": account.pk == request.user.pk,
        "can_grant_sysadmin": user_is_sysadmin(request.user),
        "now": timezone.now(),
    }
    return render(request, "accounts/user_detail.html", context)


def _profile_form(data: Any, account: User) -> UserProfileForm:
    form = UserProfileForm(
        data, initial={"name": account.name, "email": account.email}, prefix="profile"
    )
    # The full number is not shown to staff; typing a new one replaces it.
    phone = form.fields["phone"]
    phone.widget.attrs["placeholder"] = mask_phone(account.phone or "")
    phone.help_text = _("留空表示不修改。用于短信验证码登录和接收激活码。")
    return form


def _roles_outside_grant(account: User, grantable: list[Role]) -> list[Role]:
    """Roles the manager cannot change are kept as they are (they are not in the form)."""
    names = {group.name for group in account.groups.all()}
    return [role for role in GROUP_ROLES if role.value in names and role not in grantable]
