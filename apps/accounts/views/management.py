"""Account management for staff (委员联络处, 系统管理员): list, create, detail.

Every POST calls one service through apps.core.pages.perform: a refused action shows the
portal's error page (403/404) or the page again with the message (422/409), never a redirect
that looks like success.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.errors import NotFound
from apps.core.htmx import template_or_partial
from apps.core.masking import mask_phone
from apps.core.pages import error_response, perform
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
    user_role_list,
)
from ..requests import AuthenticatedRequest
from ..roles import GROUP_ROLES, Role

ACTIVATION_SESSION_KEY = "accounts_activation_issued"


def _require_manager(request: AuthenticatedRequest) -> None:
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
def user_list(request: AuthenticatedRequest) -> HttpResponse:
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
            "roles": user_role_list(account),
            "activated": account.has_usable_password(),
            "phone_masked": mask_phone(account.phone),
        }
        for account in selectors.user_page_prime(page.object_list)
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


def _grant_context(request: AuthenticatedRequest) -> dict[str, Any]:
    return {
        "grantable": roles_grantable_by(request.user),
        "committee_ids": committee_ids_visible_to(request.user),
    }


def _detail_url(account: User) -> str:
    return reverse("accounts:user_detail", kwargs={"user_id": account.pk})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    """Create an account (no password yet) and, by default, issue its activation at once."""
    _require_manager(request)
    grant = _grant_context(request)
    form = UserCreateForm(request.POST or None, **grant)

    def page() -> HttpResponse:
        return render(request, "accounts/user_form.html", {"form": form})

    if request.method != "POST":
        return page()

    def create() -> User:
        data = form.cleaned_data
        return services.user_create(
            committee=data["committee"],
            username=data["username"],
            name=data["name"],
            phone=data.get("phone") or None,
            email=data.get("email") or "",
            roles=form.cleaned_roles(),
            handling_unit=data.get("handling_unit"),
            created_by=request.user,
        )

    def created(account: User) -> HttpResponse:
        if request.POST.get("issue_activation"):
            return _issue_activation(request, account)
        return redirect(_detail_url(account))

    return perform(
        request,
        create,
        form=form,
        render=page,
        success=lambda account: _("账户“%(name)s”已创建。") % {"name": account.display_name},
        on_success=created,
        back=reverse("accounts:user_create"),
    )


def _issue_activation(request: AuthenticatedRequest, account: User) -> HttpResponse:
    def shown_once(issued: services.ActivationIssued) -> HttpResponse:
        # Shown on the next page only (then removed from the session).
        request.session[ACTIVATION_SESSION_KEY] = {
            "user_id": account.pk,
            "link": issued.link,
            "code": issued.code,
            "expires_at": issued.expires_at.isoformat(),
            "sms": bool(issued.sms_phone),
        }
        return redirect(_detail_url(account))

    return perform(
        request,
        lambda: services.activation_issue(user=account, issued_by=request.user),
        on_success=shown_once,
        back=_detail_url(account),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """One account: roles, details, activation, deactivate/reactivate."""
    _require_manager(request)
    try:
        account = selectors.user_get_for_manager(manager=request.user, user_id=user_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    grant = _grant_context(request)
    committee_ids = {account.committee_id} if account.committee_id else set()
    roles_form = UserRolesForm(
        initial={"roles": _group_role_values(account), "handling_unit": account.handling_unit},
        committee_ids=committee_ids,
        grantable=grant["grantable"],
    )
    profile_form = _profile_form(None, account)

    def page() -> HttpResponse:
        return _detail_page(request, account, roles_form=roles_form, profile_form=profile_form)

    if request.method != "POST":
        return page()
    action = request.POST.get("action", "")
    back = _detail_url(account)
    if action == "roles":
        roles_form = UserRolesForm(
            request.POST, committee_ids=committee_ids, grantable=grant["grantable"]
        )
        keep = _roles_outside_grant(account, grant["grantable"])
        return perform(
            request,
            lambda: services.user_roles_set(
                user=account,
                roles=[*roles_form.cleaned_roles(), *keep],
                handling_unit=roles_form.cleaned_data.get("handling_unit"),
                changed_by=request.user,
            ),
            form=roles_form,
            render=page,
            success=_("角色已保存。"),
            redirect_to=back,
        )
    if action == "profile":
        profile_form = _profile_form(request.POST, account)
        return perform(
            request,
            lambda: services.user_profile_update(
                user=account,
                name=profile_form.cleaned_data["name"],
                phone=profile_form.cleaned_data.get("phone") or account.phone,
                email=profile_form.cleaned_data.get("email") or "",
                changed_by=request.user,
            ),
            form=profile_form,
            render=page,
            success=_("账户信息已保存。"),
            redirect_to=back,
        )
    if action in {"deactivate", "reactivate"}:
        active = action == "reactivate"
        return perform(
            request,
            lambda: services.user_set_active(user=account, active=active, changed_by=request.user),
            render=page,
            success=_("账户已启用。") if active else _("账户已停用，本人将无法登录。"),
            redirect_to=back,
        )
    if action == "issue_activation":
        return _issue_activation(request, account)
    return error_response(request, 400, _("无法识别的操作。"), back=back)


def _detail_page(
    request: AuthenticatedRequest,
    account: User,
    *,
    roles_form: UserRolesForm,
    profile_form: UserProfileForm,
) -> HttpResponse:
    issued = request.session.get(ACTIVATION_SESSION_KEY)
    if issued and issued.get("user_id") == account.pk:
        request.session.pop(ACTIVATION_SESSION_KEY)
        issued["expires_at"] = dt.datetime.fromisoformat(issued["expires_at"])
    else:
        issued = None
    context = {
        "account": account,
        "roles": user_role_list(account),
        "roles_form": roles_form,
        "profile_form": profile_form,
        "activated": account.has_usable_password(),
        "phone_masked": mask_phone(account.phone),
        "last_activation": selectors.activation_last_for_user(user=account),
        "issued": issued,
        "is_self": account.pk == request.user.pk,
        "can_grant_sysadmin": user_is_sysadmin(request.user),
        "now": timezone.now(),
    }
    return render(request, "accounts/user_detail.html", context)


def _group_role_values(account: User) -> list[str]:
    names = {group.name for group in account.groups.all()}
    return [role.value for role in GROUP_ROLES if role.value in names]


def _profile_form(data: Any, account: User) -> UserProfileForm:
    form = UserProfileForm(
        data, initial={"name": account.name, "email": account.email}, prefix="profile"
    )
    # The full number is not shown to staff; typing a new one replaces it.
    phone = form.fields["phone"]
    phone.widget.attrs["placeholder"] = mask_phone(account.phone)
    phone.help_text = _("留空表示不修改。用于短信验证码登录和接收激活码。")
    return form


def _roles_outside_grant(account: User, grantable: list[Role]) -> list[Role]:
    """Roles the manager cannot change are kept as they are (they are not in the form)."""
    names = {group.name for group in account.groups.all()}
    return [role for role in GROUP_ROLES if role.value in names and role not in grantable]
