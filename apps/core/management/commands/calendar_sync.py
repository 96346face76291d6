"""Bring the working-day calendar in line with the `chinese-calendar` package (after
upgrading it, once the State Council has published next year's list). Staff overrides are
kept. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.core.workdays import calendar_sync


class Command(BaseCommand):
    help = "按 chinese-calendar 同步节假日与调休（保留人工调整）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, action="append", help=_("只同步该年（可重复）"))

    def handle(self, *args: Any, **options: Any) -> None:
        result = calendar_sync(options.get("year"))
        if options["verbosity"]:
            self.stdout.write(
                _(
                    "已同步 %(first)s–%(last)s 年：新增 %(created)d 天，更正 %(updated)d 天，"
                    "删除 %(deleted)d 天，保留人工调整 %(kept)d 天。"
                )
                % {
                    "first": result.years[0] if result.years else "-",
                    "last": result.years[-1] if result.years else "-",
                    "created": result.created,
                    "updated": result.updated,
                    "deleted": result.deleted,
                    "kept": result.kept,
                }
            )
