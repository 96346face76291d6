"""Recount each committee's corpus statistics (document frequencies) from its filed proposals
and recompute every proposal's keyword vector and search vector, e.g. after importing data or
after the 政协 user dictionary, the synonym groups or the stop-word list changed. Safe to run
again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.proposals.models import Proposal
from apps.proposals.services.text_index import proposal_corpus_reindex


class Command(BaseCommand):
    help = (
        "重建提案的语料词频、关键词向量与全文检索向量（导入数据或修改词典、同义词、停用词后运行）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--committee", type=int, help=_("只处理该政协组织（编号）的提案"))

    def handle(self, *args: Any, **options: Any) -> None:
        committees = sorted(set(Proposal.objects.values_list("committee_id", flat=True)))
        if options.get("committee"):
            committees = [options["committee"]]
        done = sum(proposal_corpus_reindex(committee_id=pk) for pk in committees)
        if options["verbosity"]:
            self.stdout.write(_("已重建 %(count)d 件提案的检索索引。") % {"count": done})
