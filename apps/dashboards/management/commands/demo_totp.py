"""manage.py demo_totp <username>: the current TOTP code of a demo account (DEBUG only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "显示演示账户当前的两步验证码（仅限开发环境，DEBUG=True）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="演示账户的用户名，如 lianluo")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("出于安全考虑，只能在开发环境（DEBUG=True）中使用此命令。")
        from allauth.mfa import app_settings
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
        from allauth.mfa.utils import decrypt

        from apps.accounts.models import User

        username = options["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的账户。")
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"账户“{username}”尚未开启两步验证。")
        secret = decrypt(authenticator.data["secret"])
        now = time.time()
        period = app_settings.TOTP_PERIOD
        # The same computation allauth uses to check a code (allauth.mfa.totp.internal.auth).
        code = format_hotp_value(hotp_value(secret, int(now) // period))
        remaining = period - int(now) % period
        self.stdout.write(code)
        if options["verbosity"] > 1:
            self.stdout.write(f"（{remaining} 秒内有效；密钥 {secret}，可添加到手机验证器）")
        else:
            self.stderr.write(f"{username} 的验证码，{remaining} 秒内有效。")
