"""Document frequencies of a corpus (one committee's filed proposals, its opinion reports …),
kept as rows and maintained by the services as documents are filed and withdrawn.

A corpus is named by a `scope` string chosen by its app ("proposals:12"). Each row counts the
documents containing one term (a lexeme of apps.core.text.vectors.Analysis.terms); the row with
the empty term holds the number of documents. Reading the frequencies a query needs is one
indexed query (`corpus_idf`); filing a document is one upsert of its terms (`corpus_add`),
taken in term order so concurrent filings never deadlock. `corpus_rebuild` recounts a corpus
from scratch (after importing data or changing the dictionaries).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models, transaction

from .vectors import Analysis, Idf

DOCUMENTS = ""  # the term of the row that counts documents
MAX_TERM_LENGTH = 100
UPSERT_BATCH = 500


class CorpusTerm(models.Model):
    """How many documents of corpus `scope` contain `term` (the empty term: how many
    documents the corpus has)."""

    scope = models.CharField("语料范围", max_length=60)
    term = models.CharField("词语", max_length=MAX_TERM_LENGTH, blank=True)
    df = models.IntegerField("文档数", default=0)

    class Meta:
        app_label = "core"
        verbose_name = "语料词频"
        verbose_name_plural = "语料词频"
        constraints = [
            models.UniqueConstraint(fields=["scope", "term"], name="corpus_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.term or '（文档数）'} {self.df}"


def _clean(terms: Iterable[str]) -> list[str]:
    return sorted({term[:MAX_TERM_LENGTH] for term in terms if term})


def corpus_idf(scope: str, terms: Iterable[str]) -> Idf:
    """The corpus's document count and the frequencies of `terms` (one query)."""
    wanted = _clean(terms)
    rows = dict(
        CorpusTerm.objects.filter(scope=scope, term__in=[DOCUMENTS, *wanted]).values_list(
            "term", "df"
        )
    )
    documents = max(0, rows.pop(DOCUMENTS, 0))
    return Idf(documents=documents, df=rows)


def _upsert(scope: str, counts: list[tuple[str, int]]) -> None:
    table = connection.ops.quote_name(CorpusTerm._meta.db_table)
    for start in range(0, len(counts), UPSERT_BATCH):
        batch = counts[start : start + UPSERT_BATCH]
        values = ", ".join(["(%s, %s, %s)"] * len(batch))
        params: list[str | int] = []
        for term, delta in batch:
            params.extend((scope, term, delta))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (scope, term, df) VALUES {values} "
                f"ON CONFLICT (scope, term) DO UPDATE SET df = {table}.df + excluded.df",
                params,
            )


@transaction.atomic
def corpus_add(scope: str, terms: Iterable[str], *, documents: int = 1) -> None:
    """Count one more document (or `documents` more, negative to remove) with these `terms`."""
    if documents == 0:
        return
    counts = [(DOCUMENTS, documents), *((term, documents) for term in _clean(terms))]
    _upsert(scope, counts)


def corpus_remove(scope: str, terms: Iterable[str]) -> None:
    """Count one document with these `terms` less (a withdrawn proposal)."""
    corpus_add(scope, terms, documents=-1)


@transaction.atomic
def corpus_rebuild(scope: str, documents: Iterable[Iterable[str]]) -> Idf:
    """Replace the corpus's counts with those of `documents` (each an iterable of its terms);
    returns them (every term's frequency)."""
    counts: Counter[str] = Counter()
    total = 0
    for terms in documents:
        counts.update(_clean(terms))
        total += 1
    CorpusTerm.objects.filter(scope=scope).delete()
    rows = [CorpusTerm(scope=scope, term=DOCUMENTS, df=total)]
    rows += [CorpusTerm(scope=scope, term=term, df=n) for term, n in sorted(counts.items())]
    CorpusTerm.objects.bulk_create(rows, batch_size=2000)
    return Idf(documents=total, df=dict(counts))


REINDEX_BATCH = 500


def corpus_reindex(
    *,
    queryset: models.QuerySet[Any],
    scope: str,
    analyse: Callable[[Any], Analysis],
    counted: Callable[[Any], bool],
    index_fields: Callable[[Analysis, Idf], dict[str, Any]],
    batch: int = REINDEX_BATCH,
) -> int:
    """Recount corpus `scope` from the documents of `queryset` (read in primary-key batches;
    those `counted` make the counts), then store every document's index fields weighed with the
    new counts (`index_fields(analysis, idf)`, one transaction per batch of writes). Returns
    how many documents were indexed. Documents filed while it runs are missing from the counts
    until the next run (corpus_rebuild replaces the rows): run it at quiet times."""
    analyses: dict[int, Analysis] = {}
    documents: list[frozenset[str]] = []
    last_pk = 0
    ordered = queryset.order_by("pk")
    while True:
        rows = list(ordered.filter(pk__gt=last_pk)[:batch])
        if not rows:
            break
        for row in rows:
            analysis = analyse(row)
            analyses[row.pk] = analysis
            if counted(row):
                documents.append(analysis.terms)
        last_pk = rows[-1].pk
    idf = corpus_rebuild(scope, documents)
    model = queryset.model
    ids = list(analyses)
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            for pk in ids[start : start + batch]:
                model._default_manager.filter(pk=pk).update(**index_fields(analyses[pk], idf))
    return len(ids)
