"""Recount each committee's corpus of social-opinion reports (the duplicate panel's document
frequencies) and recompute every report's keyword vector and search vector: after loading
reports by other means than the services (COPY, an import), or after the 政协 user dictionary,
the synonym groups or the stop-word list changed. Safe to run again; run it when no reports are
being submitted (see opinion_corpus_reindex)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.text.corpus import CorpusTerm
from apps.opinions.models import OpinionReport
from apps.opinions.selectors.similar import opinion_corpus_scope
from apps.opinions.services.text_index import opinion_corpus_reindex
from apps.organisation.models import Committee

SCOPE_PREFIX = opinion_corpus_scope(0)[:-1]  # "opinions:"


def _committees_with_corpus() -> set[int]:
    scopes = CorpusTerm.objects.filter(scope__startswith=SCOPE_PREFIX).values_list(
        "scope", flat=True
    )
    return {
        int(tail) for tail in (s[len(SCOPE_PREFIX) :] for s in scopes.distinct()) if tail.isdigit()
    }


class Command(BaseCommand):
    help = _(
        "重建社情民意信息的语料词频、关键词向量与全文检索向量"
        "（批量导入信息或修改词典、同义词、停用词后运行）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--committee", type=int, help=_("只处理该政协组织（编号）的信息"))

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options.get("committee")
        if chosen is not None:
            if not Committee.objects.filter(pk=chosen).exists():
                raise CommandError(_("没有编号为 %(id)s 的政协组织。") % {"id": chosen})
            committees = [chosen]
        else:
            committees = sorted(
                set(OpinionReport.objects.values_list("committee_id", flat=True).distinct())
                | _committees_with_corpus()
            )
        done = sum(opinion_corpus_reindex(committee_id=pk) for pk in committees)
        if options["verbosity"]:
            self.stdout.write(
                _("已重建 %(committees)d 个政协组织 %(count)d 条社情民意信息的检索索引。")
                % {"committees": len(committees), "count": done}
            )
