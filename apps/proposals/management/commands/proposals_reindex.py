"""Recompute every proposal's keyword vector and search vector, e.g. after the 政协 user
dictionary or the stop-word list changed. Safe to run again; one transaction per batch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.proposals.models import Proposal
from apps.proposals.services import proposal_text_index_refresh

BATCH = 500


class Command(BaseCommand):
    help = "重建提案的关键词向量与全文检索向量（修改用户词典或停用词后运行）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--committee", type=int, help="只处理该政协组织（编号）的提案")

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Proposal.objects.order_by("pk").only("pk", "title", "grounds", "suggestions")
        if options.get("committee"):
            queryset = queryset.filter(committee_id=options["committee"])
        last_pk, done = 0, 0
        while True:
            batch = list(queryset.filter(pk__gt=last_pk)[:BATCH])
            if not batch:
                break
            with transaction.atomic():
                for proposal in batch:
                    proposal_text_index_refresh(proposal=proposal)
            done += len(batch)
            last_pk = batch[-1].pk
        if options["verbosity"]:
            self.stdout.write(f"已重建 {done} 件提案的检索索引。")
