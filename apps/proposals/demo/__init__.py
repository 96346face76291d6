"""Demo seeder of the proposals: about 300 proposals of one committee and term in every state,
with realistic Chinese text built from themes (themes.toml) and some near-duplicates for the
similar-proposals panel.

The rules are exercised where they matter and volume is bulk-inserted: for each state a proposal
(or a few variants: 分办, 重点提案, 优秀提案) is walked through the real services and workflow
as of past dates (`walk`), and the rest of that state are copies of a walked one (`copies`).
The walks' notices are settled as already delivered, the copies' written so: seeding queues no
e-mail or SMS and leaves no delivery waiting.

`seed_proposals` is safe to run twice: it only tops the committee's term up to `count`. It
needs members with accounts in the term; handling units, a proposal-office account and unit
accounts are created when missing.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.demo import DemoRun, load_data
from apps.members.models import Membership
from apps.notifications.demo import outbox_settle
from apps.notifications.models import OutboxMessage
from apps.organisation.models import Committee, Term

from ..models import Assignment, Proposal, ProposalStatus
from ..services.text_index import proposal_corpus_reindex
from .copies import CopyPlan, Template, copies_create, template_load
from .themes import THEMES, Theme, near_duplicate, proposal_text
from .walk import AGES, OLD, Cast, build_cast, walk

__all__ = ["STATE_WEIGHTS", "THEMES", "Theme", "_text", "seed", "seed_proposals"]

_text = proposal_text  # the name the similarity tests know

DEFAULT_COUNT = 300

# Share of proposals per final state.
STATE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("draft", 5),
    ("draft_joint_pending", 2),
    ("submitted", 8),
    ("withdrawn", 2),
    ("rejected", 5),
    ("transfer_pending", 2),
    ("transferred", 2),
    ("merged", 3),
    ("accepted", 5),
    ("assigned", 12),
    ("assigned_received", 6),
    ("assigned_overdue", 4),
    ("return_requested", 2),
    ("assigned_lead_co", 4),
    ("replied", 8),
    ("rehandling", 3),
    ("evaluated", 12),
    ("closed", 15),
)
# The proposals walked per state, with how often copies follow each: the first is the plain
# case; a state seen only once gets only that one.
VARIANTS: dict[str, tuple[tuple[dict[str, Any], int], ...]] = {
    "assigned": (({}, 75), ({"split": True}, 15), ({"key": True}, 10)),
    "closed": (
        ({}, 70),
        ({"key": True}, 10),
        ({"excellent": "nominated"}, 8),
        ({"excellent": "selected"}, 12),
    ),
}
# How far back copies may move (weeks): the states that depend on today stay near it (the
# rating window of 已办复 is open, an undue assignment is not overdue).
WEEKS_BACK = {"draft_joint_pending": 0, "return_requested": 0, "replied": 1}
MERGE_LEADS = (ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED)


def seed(run: DemoRun) -> None:
    code = load_data(__file__, "themes.toml")["committee"]
    committee = Committee.objects.filter(code=code).first()
    term = Term.objects.filter(committee=committee, is_current=True).first()
    if committee is None or term is None:
        return
    count = int(run.option("proposals", DEFAULT_COUNT))
    run.created(_("提案"), seed_proposals(committee=committee, term=term, count=count))


def _weeks_back(state: str) -> int:
    low, high = AGES.get(state, OLD)
    return WEEKS_BACK.get(state, (high - low) // 7)


@transaction.atomic
def seed_proposals(
    *, committee: Committee, term: Term, count: int = DEFAULT_COUNT, rng_seed: int = 2026
) -> int:
    """Top the committee's term up to `count` demo proposals; returns how many were created.

    Running it again creates nothing once `count` is reached.
    """
    existing = Proposal.objects.filter(committee=committee, term=term).count()
    wanted = count - existing
    if wanted <= 0:
        return 0
    rng = random.Random(rng_seed + existing)
    cast = build_cast(committee, term)
    # Every state once, then the usual mix.
    every = [state for state, _weight in STATE_WEIGHTS]
    states = [state for state, weight in STATE_WEIGHTS for _ in range(weight)]
    plan = every[:wanted] + [states[i % len(states)] for i in range(wanted - len(every))]
    rng.shuffle(plan)
    counts = Counter(plan)
    today = clock.today()
    texts: dict[int, tuple[int | None, dict[str, str]]] = {
        pk: (None, {"title": title, "grounds": grounds, "suggestions": suggestions})
        for pk, title, grounds, suggestions in Proposal.objects.filter(committee=committee)
        .exclude(status=ProposalStatus.DRAFT)
        .values_list("id", "title", "grounds", "suggestions")[:200]
    }
    labels = dict(
        Proposal.objects.filter(committee=committee)
        .exclude(number_label="")
        .values_list("id", "number_label")
    )
    outbox_before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()

    # The walks. Leads of merges must exist first: merges last.
    templates: dict[str, list[tuple[Template, int]]] = {}
    for state in sorted(counts, key=lambda state: state == "merged"):
        for options, weight in VARIANTS.get(state, (({}, 1),))[: counts[state]]:
            theme_index = rng.randrange(len(THEMES))
            theme = THEMES[theme_index]
            proposal = walk(
                cast=cast,
                rng=rng,
                state=state,
                today=today,
                theme_index=theme_index,
                text=proposal_text(rng, theme),
                category_id=cast.categories[theme.category].pk,
                **options,
            )
            template = template_load(proposal.pk, state=state, theme_index=theme_index)
            templates.setdefault(state, []).append((template, weight))
            if proposal.status != ProposalStatus.DRAFT:
                texts[proposal.pk] = (theme_index, _text_of(proposal))
    outbox_settle(OutboxMessage.objects.filter(pk__gt=outbox_before or 0))
    for variants in templates.values():
        for template, _weight in variants:
            if template.proposal.number_label:
                labels[template.proposal.pk] = template.proposal.number_label

    # The copies: every state but 并案, then 并案 into the accepted and assigned ones.
    walked = Counter({state: len(variants) for state, variants in templates.items()})
    remaining = list((counts - walked).elements())
    rng.shuffle(remaining)
    first = [state for state in remaining if state != "merged"]
    merged = [state for state in remaining if state == "merged"]
    created = copies_create(_copy_plans(rng, cast, templates, first, texts), labels)
    for proposal in created:
        if proposal.status != ProposalStatus.DRAFT:
            texts[proposal.pk] = (None, _text_of(proposal))
    if merged:
        leads = list(
            Proposal.objects.filter(
                committee=committee, term=term, status__in=MERGE_LEADS, merged_into__isnull=True
            ).values_list("id", "category_id")
        )
        plans = _copy_plans(rng, cast, templates, merged, texts)
        for copy_plan in plans:
            same = [pk for pk, category in leads if category == copy_plan.category_id]
            copy_plan.lead_id = rng.choice(same or [pk for pk, _category in leads])
        copies_create(plans, labels)
    # The copies are bulk-inserted: count them into the similar finder's corpus (and re-weigh
    # every proposal's vectors by it), as filing them one by one would have.
    proposal_corpus_reindex(committee_id=committee.pk)
    return wanted


def _text_of(proposal: Proposal) -> dict[str, str]:
    return {
        "title": proposal.title,
        "grounds": proposal.grounds,
        "suggestions": proposal.suggestions,
    }


def _copy_plans(
    rng: random.Random,
    cast: Cast,
    templates: dict[str, list[tuple[Template, int]]],
    states: list[str],
    texts: dict[int, tuple[int | None, dict[str, str]]],
) -> list[CopyPlan]:
    plans = []
    pool = list(texts)
    for index, state in enumerate(states):
        variants = templates[state]
        template = rng.choices([t for t, _w in variants], weights=[w for _t, w in variants])[0]
        units_needed = len({a.handling_unit_id for a in template.rows[Assignment]})
        if pool and index % 12 == 5:
            # A near-duplicate of an earlier proposal, for the similar-proposals panel.
            original_theme, original = texts[rng.choice(pool)]
            theme_index = original_theme if original_theme is not None else template.theme_index
            text = near_duplicate(rng, original)
        else:
            theme_index = rng.randrange(len(THEMES))
            text = proposal_text(rng, THEMES[theme_index])
        if len(THEMES[theme_index].units) < units_needed:
            theme_index = template.theme_index
        theme = THEMES[theme_index]
        author = rng.choice(cast.members)
        others = [m for m in cast.members if m.pk != author.pk]
        keep = len(template.cosigners)
        if keep:
            keep = rng.choice(range(1 if state == "draft_joint_pending" else 0, keep + 1))
        cosigners: list[Membership] = rng.sample(others, k=min(keep, len(others)))
        plans.append(
            CopyPlan(
                template=template,
                author=author,
                cosigners=cosigners,
                units=[cast.units[name] for name in theme.units],
                unit_users=cast.unit_users,
                text=text,
                category_id=cast.categories[theme.category].pk,
                weeks_back=rng.randint(0, _weeks_back(state)),
                pick=lambda options, weights: rng.choices(options, weights=weights)[0],
            )
        )
    return plans
