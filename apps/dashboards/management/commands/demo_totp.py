"""manage.py demo_totp <username>: the current TOTP code of a demo account (DEBUG only).

The code is printed alone on its line (stdout), the rest on stderr, so it can be piped. With
fewer than `FRESH_SECONDS` left in the current period the command waits for the next one: a
code about to expire is no use to someone typing it in.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

FRESH_SECONDS = 10


def _wait(seconds: float) -> None:
    time.sleep(seconds)


class Command(BaseCommand):
    help = "显示演示账户当前的两步验证码（仅限开发环境，DEBUG=True）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="演示账户的用户名，如 lianluo")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(_("出于安全考虑，只能在开发环境（DEBUG=True）中使用此命令。"))
        from allauth.mfa import app_settings
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
        from allauth.mfa.utils import decrypt

        from apps.accounts.models import User

        username = options["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("没有用户名为“%(username)s”的账户。") % {"username": username})
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(_("账户“%(username)s”尚未开启两步验证。") % {"username": username})
        secret = decrypt(authenticator.data["secret"])
        period = app_settings.TOTP_PERIOD
        remaining = period - int(time.time()) % period
        if remaining < FRESH_SECONDS:
            self.stderr.write(
                _("当前验证码 %(seconds)s 秒后失效，正在等待新的验证码……") % {"seconds": remaining}
            )
            _wait(remaining)
        now = time.time()
        remaining = period - int(now) % period
        # The same computation allauth uses to check a code (allauth.mfa.totp.internal.auth).
        code = format_hotp_value(hotp_value(secret, int(now) // period))
        self.stdout.write(code)
        if options["verbosity"] > 1:
            self.stderr.write(
                _("（%(seconds)s 秒内有效；密钥 %(secret)s，可添加到手机验证器）")
                % {"seconds": remaining, "secret": secret}
            )
        else:
            self.stderr.write(
                _("%(username)s 的验证码，%(seconds)s 秒内有效。")
                % {"username": username, "seconds": remaining}
            )
