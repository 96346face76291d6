"""The similar-proposals finder shown while drafting and reviewing, and 智能交办 (the handling
units suggested from how the most similar proposals were assigned).

One engine for every app: apps.core.text.similar (the method is described there and in the
README). Here:
1. The query vector: the stored one of a proposal, or weighed once from the draft's title and
   text with the committee's own document frequencies (the only segmentation per request).
2. Candidates and ranking by the engine, over the filed proposals of this committee, of this
   and earlier terms, that the user may read.
3. Near-identical proposals (the same text filed several times) fold into one row: `same`.
4. The rows are loaded with how they were handled: units and result classes.
A fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.text.corpus import corpus_idf
from apps.core.text.similar import Match, find_similar, group_near_identical
from apps.core.text.vectors import Analysis, Idf, analyse, weigh
from apps.organisation.models import Committee, Term

from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from .visibility import proposal_queryset_visible_to

MIN_SCORE = 0.05
EXCLUDED = (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
# How many ranked rows are looked at to fill `limit` groups of near-identical rows.
GROUPING_DEPTH = 4


def proposal_corpus_scope(committee_id: int) -> str:
    """The corpus (document frequencies) of one committee's filed proposals."""
    return f"proposals:{committee_id}"


def proposal_analysis(proposal: Proposal) -> Analysis:
    """A proposal's text, segmented and folded (title, then 情况与分析 and 具体建议)."""
    return analyse(title=proposal.title, body=f"{proposal.grounds}\n{proposal.suggestions}")


def proposal_idf(committee_id: int, terms: Iterable[str]) -> Idf:
    """The committee corpus's frequencies of `terms` (one query)."""
    return corpus_idf(proposal_corpus_scope(committee_id), terms)


@dataclass(frozen=True)
class HandlingUnitLine:
    name: str
    role: str  # 主办 / 会办 / 单办 / 分办


@dataclass(frozen=True)
class SameProposal:
    """A proposal folded into a row because its text is almost the same."""

    proposal_id: int
    number_label: str
    title: str


@dataclass(frozen=True)
class SimilarProposal:
    """One row of the similar-proposals panel."""

    proposal_id: int
    score: float  # cosine similarity, 0 to 1
    number_label: str
    title: str
    status: str
    status_label: str
    term_label: str
    session_label: str
    submitted_at: dt.datetime | None
    units: list[HandlingUnitLine] = field(default_factory=list)
    result_classes: list[str] = field(default_factory=list)  # "A", "B", "C" of released replies
    merged_into_label: str = ""
    same: list[SameProposal] = field(default_factory=list)  # near-identical ones, folded in

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)

    @property
    def handling_summary(self) -> str:
        """How it was handled, in one line: "市教育局（主办）、市财政局（会办）· A类"."""
        parts = []
        if self.units:
            parts.append(
                "、".join(
                    _("%(unit)s（%(role)s）") % {"unit": u.name, "role": u.role} for u in self.units
                )
            )
        if self.result_classes:
            parts.append("、".join(_("%(class)s类") % {"class": c} for c in self.result_classes))
        if self.merged_into_label:
            parts.append(_("并入%(number)s") % {"number": self.merged_into_label})
        return " · ".join(parts) or self.status_label


def _query(
    *, committee_id: int, text: str, title: str, proposal: Proposal | None
) -> tuple[dict[str, float], Idf | None]:
    """The query vector and, when it had to be weighed now, the frequencies fetched for it
    (the candidate terms need the frequencies of the vector's terms either way)."""
    if proposal is not None and proposal.keyword_vector:
        return dict(proposal.keyword_vector), None
    if proposal is not None:
        analysis = proposal_analysis(proposal)
    else:
        analysis = analyse(title=title, body=text)
    if not analysis:
        return {}, None
    idf = proposal_idf(committee_id, analysis.features)
    return weigh(analysis.features, idf), idf


def _base(user: User, committee_id: int, proposal: Proposal | None) -> QuerySet[Proposal]:
    """Filed proposals of the committee, this and earlier terms, that `user` may read."""
    term_number = None
    if proposal is not None:
        term_number = (
            Term.objects.filter(pk=proposal.term_id).values_list("number", flat=True).first()
        )
    if term_number is None:
        term_number = (
            Term.objects.filter(committee_id=committee_id, is_current=True)
            .values_list("number", flat=True)
            .first()
        )
    base = (
        proposal_queryset_visible_to(user)
        .filter(committee_id=committee_id)
        .exclude(status__in=EXCLUDED)
    )
    if term_number is not None:
        base = base.filter(term__number__lte=term_number)
    if proposal is not None:
        base = base.exclude(pk=proposal.pk)
    return base


def _matches(
    base: QuerySet[Proposal],
    *,
    committee_id: int,
    vector: Mapping[str, float],
    idf: Idf | None,
    limit: int,
    min_score: float = MIN_SCORE,
    proposal: Proposal | None = None,
) -> list[Match]:
    if idf is None:
        idf = proposal_idf(committee_id, vector)
    own = int(proposal is not None and proposal.status not in EXCLUDED)  # counted in the corpus
    return find_similar(base, vector, idf, limit=limit, min_score=min_score, own=own)


def _load(ids: Sequence[int]) -> dict[int, Proposal]:
    return {
        row.pk: row
        for row in Proposal.objects.filter(pk__in=ids)
        .select_related("term", "plenary_session__term", "merged_into")
        .only(
            "id",
            "title",
            "status",
            "number_label",
            "session_type",
            "submitted_at",
            "term__number",
            "plenary_session__number",
            "plenary_session__term__number",
            "merged_into__number_label",
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.RETURNED)
                .select_related("handling_unit")
                .prefetch_related(
                    Prefetch(
                        "replies",
                        queryset=Reply.objects.filter(review_status=ReplyReview.APPROVED).order_by(
                            "round", "id"
                        ),
                        to_attr="released",
                    )
                )
                .order_by("id"),
                to_attr="open_assignments",
            ),
        )
    }


def _row(row: Proposal, score: float, same: list[SameProposal]) -> SimilarProposal:
    session_label = ""
    if row.plenary_session_id and row.plenary_session is not None:
        session_label = row.plenary_session.short_name
    elif row.submitted_at:
        session_label = _("%(year)s年平时提案") % {"year": f"{row.submitted_at:%Y}"}
    latest_round: dict[int, Reply] = {}
    for assignment in row.open_assignments:  # type: ignore[attr-defined]
        for reply in assignment.released:
            latest_round[assignment.pk] = reply
    return SimilarProposal(
        proposal_id=row.pk,
        score=round(score, 4),
        number_label=row.number_label,
        title=row.title,
        status=row.status,
        status_label=row.get_status_display(),
        term_label=str(row.term),
        session_label=session_label,
        submitted_at=row.submitted_at,
        units=[
            HandlingUnitLine(a.handling_unit.name, a.get_role_display())
            for a in row.open_assignments  # type: ignore[attr-defined]
        ],
        result_classes=sorted({reply.result_class for reply in latest_round.values()}),
        merged_into_label=row.merged_into.number_label if row.merged_into else "",
        same=same,
    )


def proposal_similar(
    *,
    user: User,
    committee: Committee | int,
    text: str = "",
    title: str = "",
    proposal: Proposal | None = None,
    limit: int = 10,
) -> list[SimilarProposal]:
    """The proposals most similar to a draft's `title` + `text` (while drafting) or to a stored
    `proposal` (while reviewing), from this and earlier terms of `committee`, that `user` may
    read. Best first, each with its score and how it was handled; near-identical ones folded
    into the row of the best of them (`same`). A fixed number of queries."""
    committee_id = committee if isinstance(committee, int) else committee.pk
    vector, idf = _query(committee_id=committee_id, text=text, title=title, proposal=proposal)
    if not vector:
        return []
    base = _base(user, committee_id, proposal)
    matches = _matches(
        base,
        committee_id=committee_id,
        vector=vector,
        idf=idf,
        limit=limit * GROUPING_DEPTH,
        proposal=proposal,
    )
    groups = group_near_identical(matches)[:limit]
    if not groups:
        return []
    rows = _load([m.pk for group in groups for m in (group.lead, *group.same)])
    result = []
    for group in groups:
        same = [
            SameProposal(m.pk, rows[m.pk].number_label, rows[m.pk].title)
            for m in group.same
            if m.pk in rows
        ]
        result.append(_row(rows[group.lead.pk], group.lead.score, same))
    return result


# ---------------------------------------------------------------------------------------------
# 智能交办: units suggested from the most similar handled proposals

HANDLED_STATUSES = (
    ProposalStatus.ASSIGNED,
    ProposalStatus.REPLIED,
    ProposalStatus.REHANDLING,
    ProposalStatus.EVALUATED,
    ProposalStatus.CLOSED,
)
SUGGESTION_NEIGHBOURS = 10
SUGGESTION_MIN_SCORE = 0.12


@dataclass(frozen=True)
class UnitSuggestion:
    """A unit suggested for a proposal, with why: how many of the most similar handled
    proposals it answered, as what, and the closest of them."""

    unit_id: int
    name: str
    count: int  # similar handled proposals it answered
    lead_count: int  # of those, as 主办 or 单办
    score: float  # summed similarity (the order)
    example_id: int
    example_label: str
    example_title: str
    example_score: float

    @property
    def reason(self) -> str:
        """ "相似的 3 件提案由市教育局主办"."""
        if self.lead_count == self.count:
            return _("相似的 %(count)d 件提案由%(unit)s主办") % {
                "count": self.count,
                "unit": self.name,
            }
        return _("相似的 %(count)d 件提案由%(unit)s承办（其中主办 %(lead)d 件）") % {
            "count": self.count,
            "unit": self.name,
            "lead": self.lead_count,
        }

    @property
    def example_percent(self) -> int:
        return round(self.example_score * 100)


@dataclass
class _Tally:
    name: str
    proposals: set[int] = field(default_factory=set)
    lead: int = 0
    score: float = 0.0
    example: Assignment | None = None


def proposal_unit_suggestions(
    *, user: User, proposal: Proposal, limit: int = 3
) -> list[UnitSuggestion]:
    """智能交办: the units that answered (单办, 主办, 分办) the proposals most similar to
    `proposal` among the handled ones `user` may read, most similar first, each with its reason.
    A suggestion only: nothing is chosen for the user. A fixed number of queries."""
    vector, idf = _query(committee_id=proposal.committee_id, text="", title="", proposal=proposal)
    if not vector:
        return []
    base = _base(user, proposal.committee_id, proposal).filter(status__in=HANDLED_STATUSES)
    matches = _matches(
        base,
        committee_id=proposal.committee_id,
        vector=vector,
        idf=idf,
        limit=SUGGESTION_NEIGHBOURS,
        min_score=SUGGESTION_MIN_SCORE,
        proposal=proposal,
    )
    if not matches:
        return []
    scores = {m.pk: m.score for m in matches}
    assignments = (
        Assignment.objects.filter(proposal_id__in=scores, role__in=ANSWERING_ROLES)
        .exclude(status=AssignmentStatus.RETURNED)
        .select_related("handling_unit", "proposal")
        .only(
            "proposal_id",
            "role",
            "handling_unit__id",
            "handling_unit__name",
            "handling_unit__is_active",
            "proposal__number_label",
            "proposal__title",
        )
    )
    tally: dict[int, _Tally] = {}
    for assignment in assignments:
        unit = assignment.handling_unit
        if not unit.is_active:
            continue
        entry = tally.setdefault(unit.pk, _Tally(unit.name))
        if assignment.proposal_id in entry.proposals:
            continue
        score = scores[assignment.proposal_id]
        entry.proposals.add(assignment.proposal_id)
        entry.score += score
        if assignment.role in (AssignmentRole.LEAD, AssignmentRole.SOLE):
            entry.lead += 1
        if entry.example is None or score > scores[entry.example.proposal_id]:
            entry.example = assignment
    ranked = sorted(tally.items(), key=lambda item: (-item[1].score, item[0]))[:limit]
    result = []
    for unit_id, entry in ranked:
        example = entry.example
        assert example is not None  # every tally has seen one assignment
        result.append(
            UnitSuggestion(
                unit_id=unit_id,
                name=entry.name,
                count=len(entry.proposals),
                lead_count=entry.lead,
                score=round(entry.score, 4),
                example_id=example.proposal_id,
                example_label=example.proposal.number_label,
                example_title=example.proposal.title,
                example_score=round(scores[example.proposal_id], 4),
            )
        )
    return result
