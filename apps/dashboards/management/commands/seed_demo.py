"""manage.py seed_demo: the demo data of every app (each app registers its own seeder)."""

from __future__ import annotations

import contextlib
import logging
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.demo import DemoAccount, DemoRun
from apps.core.registry import registry
from apps.notifications.services import deliveries_by_sweep


class Command(BaseCommand):
    help = (
        "生成演示数据：各应用登记的演示数据（济南市政协及历下区政协、委员、账户、提案等），"
        "可重复运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--proposals", type=int, default=300, help="济南市政协本届演示提案数（默认 300）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # The demo creates `admin` with a published password and a TOTP secret that can be
            # derived from the source code.
            raise CommandError(
                _(
                    "生产环境不能生成演示数据：演示账户的密码是公开的。"
                    "请在开发环境（zhengxie.settings.dev）运行。"
                )
            )
        verbosity = options["verbosity"]
        run = DemoRun(
            options=options,
            stdout=self.stdout if verbosity > 0 else None,
            style=self.style,
            verbosity=verbosity,
        )
        started = time.monotonic()
        with _deliveries_in_process(), deliveries_by_sweep(), transaction.atomic():
            for seeder in registry.seeders():
                begun = time.monotonic()
                seeder.seed(run)
                if verbosity > 0:
                    label = apps.get_app_config(seeder.app).verbose_name if seeder.app else ""
                    self.stdout.write(
                        _("  %(name)s：%(seconds).1f 秒")
                        % {"name": label or seeder.name, "seconds": time.monotonic() - begun}
                    )
        if verbosity == 0:
            return
        elapsed = time.monotonic() - started
        if run.counts:
            summary = "，".join(f"{label} {count}" for label, count in run.counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    _("演示数据已生成（%(seconds).1f 秒）：%(summary)s。")
                    % {"seconds": elapsed, "summary": summary}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("演示数据已齐全，本次没有新增或修改。")))
        self.stdout.write("")
        self.stdout.write(_("登录账户（密码均为 %(password)s）：") % {"password": run.password})
        self.stdout.write(accounts_table(run.accounts, run.password))
        self.stdout.write("")
        for note in run.notes:
            self.stdout.write(note)
        if any(account.totp for account in run.accounts):
            self.stdout.write(
                _(
                    "需要两步验证的账户：运行 manage.py demo_totp <用户名> 获取当前 6 位验证码"
                    "（仅限开发环境）。"
                )
            )


@contextlib.contextmanager
def _deliveries_in_process() -> Iterator[None]:
    """Seeders walk the real workflow, whose steps queue tasks on commit (a duty record to
    refresh, …): run them here, before the portal starts, instead of leaving the worker a
    backlog. Notices queue none (deliveries_by_sweep): the seeders settle them as delivered."""
    from celery import current_app

    conf = current_app.conf
    previous = conf.task_always_eager
    trace = logging.getLogger("celery.app.trace")  # one "succeeded" line per no-op task
    level = trace.level
    conf.task_always_eager = True
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        conf.task_always_eager = previous
        trace.setLevel(level)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def accounts_table(accounts: list[DemoAccount], password: str) -> str:
    """The sign-in accounts as an aligned plain-text table in Chinese."""
    header = (_("角色"), _("用户名"), _("密码"), _("说明"))
    rows = [
        (
            account.role,
            account.username,
            password,
            _("%(note)s（两步验证码：manage.py demo_totp %(username)s）")
            % {"note": account.note, "username": account.username}
            if account.totp
            else account.note,
        )
        for account in accounts
    ]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        for row in [header, *rows]
    ]
    lines.insert(1, "-" * (sum(widths) + 6 + 20))
    return "\n".join(lines)
