"""Measure the similar-proposal finder on the labelled set in bench/similar/ (issue 8 §3).

Prints recall@1 and recall@3 of the finder for each pair of the set (both ways round: each
proposal of a pair is the query, its partner must come back), in three corpora:

- alone: the set itself (pairs and distractors);
- demo: the set planted among proposals built like the demo's (apps/proposals/demo themes, with
  the seeder's near-duplicates), or planted in an existing committee with --committee CODE;
- large: the set planted among --large proposals (default 20,000) composed from the benchmark's
  phrase banks (bench/textbank.py) when present, else from the demo themes.

and the top-3 accuracy of 智能交办 (unit suggestions from the most similar handled proposals):
each handled proposal of the demo corpus is treated as new, and a hit is its lead unit among
the three units suggested from the other proposals.

Everything runs inside one transaction that is rolled back: the database is left as found.
The query goes through `proposal_similar` (review mode: the stored vector of a filed proposal)
exactly as the office's review panel calls it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.text.similar import find_similar, group_near_identical
from apps.organisation.models import Committee, CommitteeLevel, HandlingUnit, Term, UnitSystem
from apps.proposals.demo.themes import THEMES, near_duplicate, proposal_text
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CollectiveSponsor,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from apps.proposals.selectors import proposal_similar
from apps.proposals.selectors.similar import MIN_SCORE, proposal_idf

DATA_DIR = Path(settings.BASE_DIR) / "bench" / "similar"
SANDBOX_CODE = "similar-eval-sandbox"


@dataclass(frozen=True)
class Text:
    title: str
    grounds: str
    suggestions: str
    unit: str = ""


@dataclass(frozen=True)
class Pair:
    key: str
    a: Text
    b: Text


@dataclass(frozen=True)
class EvalSet:
    pairs: tuple[Pair, ...]
    distractors: tuple[Text, ...]


def load_set(directory: Path = DATA_DIR) -> EvalSet:
    """The pairs (pairs.toml) and distractors (distractors.toml) of the evaluation set."""
    with (directory / "pairs.toml").open("rb") as handle:
        pairs_data = tomllib.load(handle)
    with (directory / "distractors.toml").open("rb") as handle:
        distractors_data = tomllib.load(handle)
    pairs = []
    for row in pairs_data["pairs"]:
        unit = row.get("unit", "")
        pairs.append(
            Pair(
                key=row["key"],
                a=Text(row["a"]["title"], row["a"]["grounds"], row["a"]["suggestions"], unit),
                b=Text(row["b"]["title"], row["b"]["grounds"], row["b"]["suggestions"], unit),
            )
        )
    keys = {pair.key for pair in pairs}
    distractors = []
    for row in distractors_data["distractors"]:
        if row["near"] not in keys:
            raise CommandError(
                _("干扰项“%(title)s”指向不存在的提案对 %(near)s。")
                % {"title": row["title"], "near": row["near"]}
            )
        distractors.append(Text(row["title"], row["grounds"], row["suggestions"]))
    return EvalSet(tuple(pairs), tuple(distractors))


# ---------------------------------------------------------------------------------------------
# Corpora


def demo_corpus(count: int = 300, seed: int = 2026) -> list[Text]:
    """Proposals like the demo seeder's: a theme's sentences drawn at random, and every twelfth
    a near-duplicate of an earlier one (apps.proposals.demo)."""
    rng = random.Random(seed)
    texts: list[Text] = []
    for index in range(count):
        if texts and index % 12 == 5:
            original = rng.choice(texts)
            copy = near_duplicate(rng, original.__dict__)
            texts.append(Text(copy["title"], copy["grounds"], copy["suggestions"], original.unit))
            continue
        theme = THEMES[rng.randrange(len(THEMES))]
        text = proposal_text(rng, theme)
        lead = theme.units[0] if rng.random() < 0.85 else theme.units[1]
        texts.append(Text(text["title"], text["grounds"], text["suggestions"], lead))
    return texts


def large_corpus(count: int, seed: int = 9) -> tuple[list[Text], str]:
    """`count` proposals from the benchmark's phrase banks (bench/textbank.py) if present, else
    from the demo themes; returns the texts and which source was used."""
    try:
        from bench import textbank  # type: ignore[import-not-found]
    except ImportError:
        return demo_corpus(count, seed=seed), "demo themes"
    rng = random.Random(seed)
    composer = textbank.Composer(rng, "临江", "市")
    themes = textbank.themes()
    texts = []
    for _index in range(count):
        theme = themes[rng.randrange(len(themes))]
        title, grounds, suggestions = composer.proposal(theme)
        texts.append(Text(title, grounds, suggestions, theme.units[0] if theme.units else ""))
    return texts, "bench/textbank.py"


# ---------------------------------------------------------------------------------------------
# The sandbox: a committee, a term, an office user and the proposals, all rolled back


@dataclass
class Sandbox:
    committee: Committee
    term: Term
    user: User
    units: dict[str, HandlingUnit] = field(default_factory=dict)


def _sandbox(committee_code: str | None) -> Sandbox:
    if committee_code:
        committee = Committee.objects.filter(code=committee_code).first()
        if committee is None:
            raise CommandError(_("没有代码为 %(code)s 的政协组织。") % {"code": committee_code})
        term = Term.objects.filter(committee=committee, is_current=True).first()
        if term is None:
            raise CommandError(_("政协组织 %(code)s 未设置本届。") % {"code": committee_code})
    else:
        committee = Committee.objects.create(
            name="相似提案评测（临时）", code=SANDBOX_CODE, level=CommitteeLevel.CITY
        )
        term = Term.objects.create(
            committee=committee, number=1, start_date=dt.date(2023, 1, 1), is_current=True
        )
    user = User.objects.create(
        username="similar-eval-office", name="评测", committee=committee, is_active=True
    )
    group, _created = Group.objects.get_or_create(name=Role.PROPOSAL_OFFICE.value)
    user.groups.add(group)
    return Sandbox(committee, term, user)


def _unit(box: Sandbox, name: str) -> HandlingUnit:
    unit = box.units.get(name)
    if unit is None:
        unit, _created = HandlingUnit.objects.get_or_create(
            committee=box.committee, name=name, defaults={"system": UnitSystem.values[0]}
        )
        box.units[name] = unit
    return unit


def _insert(box: Sandbox, texts: Sequence[Text], *, assign: bool) -> list[int]:
    """Filed (立案) proposals for `texts`, bulk-inserted; with `assign`, each handled by its
    unit (主办 or 单办). Returns the ids in order."""
    now = timezone.now()
    rows = [
        Proposal(
            committee=box.committee,
            term=box.term,
            kind=ProposalKind.COLLECTIVE,
            collective_sponsor=CollectiveSponsor.GROUP,
            created_by=box.user,
            title=text.title,
            grounds=text.grounds,
            suggestions=text.suggestions,
            status=ProposalStatus.ASSIGNED if assign and text.unit else ProposalStatus.ACCEPTED,
            submitted_at=now,
        )
        for text in texts
    ]
    created = Proposal.objects.bulk_create(rows, batch_size=1000)
    if assign:
        assignments = [
            Assignment(
                proposal=proposal,
                committee=box.committee,
                handling_unit=_unit(box, text.unit),
                role=AssignmentRole.SOLE,
                status=AssignmentStatus.RECEIVED,
                assigned_at=now,
                assigned_by=box.user,
                deadline=now.date() + dt.timedelta(days=90),
            )
            for proposal, text in zip(created, texts, strict=True)
            if text.unit
        ]
        Assignment.objects.bulk_create(assignments, batch_size=1000)
    return [proposal.pk for proposal in created]


def _index(box: Sandbox) -> None:
    """The committee's corpus statistics and every stored vector, as `proposals_reindex`."""
    from apps.proposals.services.text_index import proposal_corpus_reindex

    proposal_corpus_reindex(committee_id=box.committee.pk)


# ---------------------------------------------------------------------------------------------
# Measures


@dataclass
class Recall:
    """Hits of one corpus. `strict`: the partner among the first rows of the panel, whatever
    else the corpus holds. `labelled`: the partner among the first rows when only the set's own
    proposals (pairs and distractors) compete, ranked with the whole corpus's statistics — the
    demo and benchmark corpora hold their own unlabelled proposals on the same matters
    (hundreds of 加装电梯 ones in the benchmark corpus), which rightly come before a partner
    worded differently and are not misses. Equal to `strict` when the set is alone."""

    corpus: str
    size: int
    queries: int = 0
    at1: int = 0
    at3: int = 0
    labelled_at1: int = 0
    labelled_at3: int = 0
    misses: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def recall1(self) -> float:
        return self.at1 / self.queries if self.queries else 0.0

    @property
    def recall3(self) -> float:
        return self.at3 / self.queries if self.queries else 0.0

    @property
    def labelled_recall1(self) -> float:
        return self.labelled_at1 / self.queries if self.queries else 0.0

    @property
    def labelled_recall3(self) -> float:
        return self.labelled_at3 / self.queries if self.queries else 0.0

    @property
    def ms_per_query(self) -> float:
        return self.seconds * 1000 / self.queries if self.queries else 0.0


PANEL_DEPTH = 10  # rows of the panel, as the drafting and review pages ask for


def _rank(rows: Sequence[Any], partner_id: int) -> int | None:
    """1-based row of the partner (a row counts for the near-identical ones folded into it)."""
    for position, row in enumerate(rows, start=1):
        if row.proposal_id == partner_id or partner_id in {s.proposal_id for s in _same(row)}:
            return position
    return None


def _labelled_rank(query: Proposal, partner_id: int, labelled: Sequence[int]) -> int | None:
    """The partner's row when only the set's own proposals compete (the engine as the panel
    runs it, with the whole corpus's statistics, over the set's proposals only)."""
    vector = dict(query.keyword_vector or {})
    base = Proposal.objects.filter(pk__in=labelled).exclude(pk=query.pk)
    idf = proposal_idf(query.committee_id, vector)
    matches = find_similar(base, vector, idf, limit=40, min_score=MIN_SCORE, own=1)
    for position, group in enumerate(group_near_identical(matches), start=1):
        if partner_id in {group.lead.pk, *(m.pk for m in group.same)}:
            return position
    return None


def measure_recall(
    eval_set: EvalSet,
    *,
    corpus_name: str = "alone",
    extra: Sequence[Text] = (),
    committee_code: str | None = None,
    keys: Iterable[str] | None = None,
) -> Recall:
    """Plant the set (and `extra`) in a sandbox, query with each proposal of each pair (only
    the pairs named in `keys`, if given) and count the partner in the first 1 / 3 rows."""
    wanted = set(keys) if keys is not None else None
    pairs = [pair for pair in eval_set.pairs if wanted is None or pair.key in wanted]
    with transaction.atomic():
        box = _sandbox(committee_code)
        _insert(box, extra, assign=False)
        set_texts = [text for pair in pairs for text in (pair.a, pair.b)]
        set_ids = _insert(box, [*set_texts, *eval_set.distractors], assign=False)
        _index(box)
        size = Proposal.objects.filter(committee=box.committee).exclude(
            status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
        )
        result = Recall(corpus=corpus_name, size=size.count())
        proposals = Proposal.objects.in_bulk(set_ids[: len(set_texts)])
        for index, pair in enumerate(pairs):
            a_id, b_id = set_ids[2 * index], set_ids[2 * index + 1]
            for query_id, partner_id, side in ((a_id, b_id, "a"), (b_id, a_id, "b")):
                started = time.perf_counter()
                rows = proposal_similar(
                    user=box.user,
                    committee=box.committee,
                    proposal=proposals[query_id],
                    limit=PANEL_DEPTH,
                )
                result.seconds += time.perf_counter() - started
                result.queries += 1
                strict = _rank(rows, partner_id)
                among = _labelled_rank(proposals[query_id], partner_id, set_ids)
                result.at1 += strict == 1
                result.at3 += strict is not None and strict <= 3
                result.labelled_at1 += among == 1
                result.labelled_at3 += among is not None and among <= 3
                if among is None or among > 1:
                    result.misses.append(f"{pair.key}:{side}")
        transaction.set_rollback(True)
    return result


def _same(row: Any) -> list[Any]:
    return list(getattr(row, "same", ()) or ())


def _same_ids(rows: Sequence[Any]) -> set[int]:
    return {same.proposal_id for row in rows for same in _same(row)}


@dataclass
class Accuracy:
    queries: int = 0
    hits: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.queries if self.queries else 0.0


def measure_suggestions(
    *, texts: Sequence[Text] | None = None, committee_code: str | None = None, limit: int = 200
) -> Accuracy | None:
    """智能交办 top-3 accuracy: for up to `limit` handled proposals, the units suggested from
    the other proposals against the lead unit it was given."""
    try:
        from apps.proposals.selectors import proposal_unit_suggestions
    except ImportError:
        return None
    result = Accuracy()
    with transaction.atomic():
        box = _sandbox(committee_code)
        if texts:
            _insert(box, texts, assign=True)
            _index(box)
        answering = Assignment.objects.filter(
            committee=box.committee,
            role__in=[AssignmentRole.SOLE, AssignmentRole.LEAD, AssignmentRole.SPLIT],
        ).exclude(status=AssignmentStatus.RETURNED)
        leads: dict[int, set[int]] = {}
        for proposal_id, unit_id in answering.values_list("proposal_id", "handling_unit_id"):
            leads.setdefault(proposal_id, set()).add(unit_id)
        chosen = sorted(leads)[:limit]
        for proposal in Proposal.objects.filter(pk__in=chosen):
            suggestions = proposal_unit_suggestions(user=box.user, proposal=proposal, limit=3)
            result.queries += 1
            if {s.unit_id for s in suggestions} & leads[proposal.pk]:
                result.hits += 1
        transaction.set_rollback(True)
    return result


class Command(BaseCommand):
    help = (
        "评测类似提案检索：评测集单独、植入演示语料、植入大规模语料时的 recall@1 / recall@3，"
        "以及智能交办前三准确率。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--large", type=int, default=20000, help="size of the larger corpus (0: skip)"
        )
        parser.add_argument("--demo", type=int, default=300, help="size of the demo-like corpus")
        parser.add_argument(
            "--committee",
            help="plant the set in this existing committee (code) instead of a demo-like corpus",
        )
        parser.add_argument("--misses", action="store_true", help="list the missed queries")
        parser.add_argument(
            "--ablation",
            action="store_true",
            help="also measure the set alone without 词林, without synonyms.txt and without both",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        eval_set = load_set()
        self.stdout.write(
            f"evaluation set: {len(eval_set.pairs)} pairs ({2 * len(eval_set.pairs)} queries), "
            f"{len(eval_set.distractors)} distractors"
        )
        runs: list[tuple[str, Callable[[], Recall]]] = [
            ("alone", lambda: measure_recall(eval_set)),
        ]
        demo_texts = demo_corpus(options["demo"])
        if options.get("committee"):
            runs.append(
                (
                    f"committee {options['committee']}",
                    lambda: measure_recall(
                        eval_set, corpus_name="committee", committee_code=options["committee"]
                    ),
                )
            )
        else:
            runs.append(
                ("demo", lambda: measure_recall(eval_set, corpus_name="demo", extra=demo_texts))
            )
        if options["large"]:
            large, source = large_corpus(options["large"])
            runs.append(
                (
                    f"large ({source})",
                    lambda: measure_recall(eval_set, corpus_name="large", extra=large),
                )
            )
        self.stdout.write(
            f"{'corpus':<28}{'size':>8}{'recall@1':>10}{'recall@3':>10}"
            f"{'labelled@1':>12}{'labelled@3':>12}{'ms/query':>10}"
        )
        for name, run in runs:
            result = run()
            self.stdout.write(
                f"{name:<28}{result.size:>8}{result.recall1:>10.1%}{result.recall3:>10.1%}"
                f"{result.labelled_recall1:>12.1%}{result.labelled_recall3:>12.1%}"
                f"{result.ms_per_query:>10.1f}"
            )
            if options["misses"] and result.misses:
                self.stdout.write("  not first among the set: " + " ".join(result.misses))
        self.stdout.write(
            "recall@k: the partner in the first k rows of the panel; labelled@k: the same when "
            "only the set's own proposals compete, ranked with the corpus's statistics (the "
            "corpus's own unlabelled proposals on the same matters are not misses); ms/query: "
            "the panel's query (review mode, 10 rows)."
        )
        if options["ablation"]:
            self._ablation(eval_set)
        accuracy = measure_suggestions(
            texts=None if options.get("committee") else demo_texts,
            committee_code=options.get("committee"),
        )
        if accuracy is not None:
            self.stdout.write(
                f"智能交办 top-3 accuracy on the demo data: {accuracy.rate:.1%} "
                f"({accuracy.hits}/{accuracy.queries})"
            )

    def _ablation(self, eval_set: EvalSet) -> None:
        """What each synonym source contributes (the set alone; the table restored after)."""
        from apps.core.text import synonyms

        runs = [
            ("without 词林", {"cilin": False, "domain": True}),
            ("without synonyms.txt", {"cilin": True, "domain": False}),
            ("without synonyms", {"cilin": False, "domain": False}),
        ]
        try:
            for name, sources in runs:
                synonyms.use_sources(**sources)
                result = measure_recall(eval_set, corpus_name=name)
                self.stdout.write(
                    f"{'alone, ' + name:<28}{result.size:>8}{result.recall1:>10.1%}"
                    f"{result.recall3:>10.1%}"
                )
        finally:
            synonyms.use_sources(cilin=True, domain=True)
