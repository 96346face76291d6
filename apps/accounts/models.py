from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: member, staff, handling-unit user, leader or administrator.

    No self-signup: staff create accounts (or the roster import does) with an unusable password;
    the person sets one through a one-time activation link or code.
    Domain facts live in rows: membership (apps.members), `handling_unit` here; back-office
    capabilities are Groups (apps.accounts.roles).
    """

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, unique=True, null=True, blank=True)
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("所属政协"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    handling_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("manage_accounts", _("管理账户与角色"))]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username


class ActivationToken(models.Model):
    """A one-time way to set a first password: a long link token and a short code.

    Only hashes are stored. Used or expired tokens are refused; issuing a new one voids old ones.
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="activation_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        User, verbose_name=_("签发人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("激活凭证")
        verbose_name_plural = _("激活凭证")
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return gettext("%(user)s 激活凭证") % {"user": self.user}


class ApiToken(models.Model):
    """A personal API token for the mobile app. Only a SHA-256 hash is kept; the user sees the
    token once, at creation, and can revoke it."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user"], condition=Q(revoked_at__isnull=True), name="token_live")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
