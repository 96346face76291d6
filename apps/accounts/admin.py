"""Django admin for accounts. Roles are changed on the account pages (audited), not here; the
admin sign-in uses the same lockout and asks for the two-factor code. Failed sign-ins and locks
are django-axes' (访问尝试 / 访问失败 in its own admin section)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import ActivationToken, ApiToken, User

admin.site.login_form = AdminLoginForm
admin.site.login_template = "accounts/admin_login.html"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "name", "committee", "handling_unit", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "committee", "groups")
    search_fields = ("username", "name", "phone", "email")
    list_select_related = ("committee", "handling_unit")
    ordering = ("committee", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "phone", "email", "committee", "handling_unit")}),
        (
            _("权限"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups"),
                "description": _("后台角色请在“账户管理”页面调整（每次变更都会记入审计日志）。"),
            },
        ),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "name",
                    "phone",
                    "committee",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("groups", "is_superuser", "last_login", "date_joined")
    autocomplete_fields = ()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username", "user__name")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created by their owner on the 账户与安全 page


@admin.register(ActivationToken)
class ActivationTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_by", "created_at", "expires_at", "used_at", "voided_at")
    list_select_related = ("user", "created_by")
    search_fields = ("user__username", "user__name")
    readonly_fields = (
        "user",
        "token_hash",
        "code_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "voided_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
