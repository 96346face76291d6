"""manage.py seed_demo: the demo committees, members, staff and handling units."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.dashboards.demo import CITY, DEMO_PASSWORD, accounts_table, seed_demo
from apps.organisation.models import Committee, Term
from apps.proposals.demo import seed_proposals


class Command(BaseCommand):
    help = "生成演示数据：济南市政协（含历下区政协）、委员、机关工作人员、承办单位（可重复运行）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--proposals", type=int, default=300, help="济南市政协本届演示提案数（默认 300）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("seed_roles", verbosity=0)
        result = seed_demo()
        city = Committee.objects.get(code=CITY.code)
        term = Term.objects.get(committee=city, is_current=True)
        proposals = seed_proposals(committee=city, term=term, count=options["proposals"])
        if proposals:
            result.created["提案"] += proposals
        elapsed = time.monotonic() - started
        verbose = options["verbosity"] > 0
        if not verbose:
            return
        if result.created:
            summary = "，".join(f"{label} {count}" for label, count in result.created.items())
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已生成（{elapsed:.1f} 秒）：{summary}。")
            )
        else:
            self.stdout.write(self.style.SUCCESS("演示数据已齐全，本次没有新增或修改。"))
        self.stdout.write("")
        self.stdout.write(f"登录账户（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(accounts_table(result.accounts))
        self.stdout.write("")
        self.stdout.write(
            "其余委员账户：济南市政协 jn009 至 jn199、历下区政协 lx001 至 lx039"
            "（部分尚未开通或未激活，供委员联络处演示）；密码相同。"
        )
        self.stdout.write(
            "需要两步验证的账户：运行 manage.py demo_totp <用户名> 获取当前 6 位验证码"
            "（仅限开发环境）。"
        )
