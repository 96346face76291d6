"""Rating (评价): each proposer rates the handling process and the result of a round.

- The first proposer (the filer of a collective proposal; the first proposer of any proposal
  merged into the handled one) rating 不满意 — for the process or for the result — in round 1
  sends the proposal back for one round of re-handling (已办复 → 重新办理). The round-2 answer is
  final: 不满意 then is recorded and changes nothing.
- A co-signer's 不满意 is recorded and never triggers re-handling.
- When every rater of the round has rated — or the window (default 15 working days) has passed
  and the missing ones are recorded as 逾期未评价 — the proposal is 已评价.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.workdays import add_months

from .. import notices
from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    OverallRatingRule,
    Proposal,
    ProposalStatus,
    Satisfaction,
    UnitRating,
)
from ..selectors.config import proposal_settings_for
from ..selectors.proposals import proposal_raters
from .actions import ASSIGNMENT, PROPOSAL
from .common import lock_proposal

MEMBER = Role.MEMBER.value
SYSTEM = "system"
FINAL_ROUND = 2


# From worst to best: the lowest of several ratings is the first of these among them.
RATING_ORDER = (Satisfaction.DISSATISFIED, Satisfaction.BASIC, Satisfaction.SATISFIED)


def rated_assignments(proposal: Proposal) -> list[Assignment]:
    """The units whose own answer the proposers rate in the proposal's current round: every
    answering unit (单办, 分办, 主办) with an answer released, and each 会办 unit that sent
    its views. Lead first, then in assignment order."""
    answering = Q(role__in=ANSWERING_ROLES, status=AssignmentStatus.REPLIED)
    co = Q(role=AssignmentRole.CO, opinions__round=proposal.handling_round)
    rows = (
        Assignment.objects.filter(answering | co, proposal=proposal)
        .exclude(status=AssignmentStatus.RETURNED)
        .select_related("handling_unit")
        .distinct()
        .order_by("id")
    )
    return sorted(rows, key=lambda a: a.role not in (AssignmentRole.LEAD, AssignmentRole.SOLE))


def overall_rating(rule: str, ratings: Sequence[tuple[str, str, str]]) -> tuple[str, str]:
    """The proposal's (process, result) from each unit's (role, process, result), by the
    committee's rule: the 主办 (or 单办) unit's own rating, or — under the other rule, and for
    分办 which has no lead — the lowest of the units' ratings, process and result each."""
    if rule == OverallRatingRule.LEAD:
        for role, process, result in ratings:
            if role in (AssignmentRole.LEAD, AssignmentRole.SOLE):
                return process, result
    return (
        min((process for _role, process, _result in ratings), key=RATING_ORDER.index),
        min((result for _role, _process, result in ratings), key=RATING_ORDER.index),
    )


def _unit_plan(
    units: list[Assignment],
    unit_ratings: Mapping[int, tuple[str, str]] | None,
    process_rating: str,
    result_rating: str,
) -> dict[int, tuple[str, str]]:
    """Each rated unit's (process, result): as given per unit (all of them, valid), or — for a
    caller that rates the proposal as a whole, e.g. an older app — the same for each."""
    if unit_ratings is None:
        return {a.pk: (process_rating, result_rating) for a in units}
    errors: dict[str, str] = {}
    for assignment in units:
        process, result = unit_ratings.get(assignment.pk, ("", ""))
        if process not in Satisfaction.values or result not in Satisfaction.values:
            errors[f"unit_{assignment.pk}_process"] = _(
                "请对%(unit)s的办理过程和办理结果分别作出评价。"
            ) % {"unit": assignment.handling_unit.name}
    unknown = set(unit_ratings) - {a.pk for a in units}
    if unknown:
        raise ValidationFailed(_("所评价的承办单位不在本轮答复的单位之中。"))
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    return {a.pk: unit_ratings[a.pk] for a in units}


def _handled_id(proposal_id: int) -> int:
    merged_into = (
        Proposal.objects.filter(pk=proposal_id, status=ProposalStatus.MERGED)
        .values_list("merged_into_id", flat=True)
        .first()
    )
    return merged_into or proposal_id


@transaction.atomic
def proposal_rate(
    *,
    user: User,
    proposal_id: int,
    process_rating: str = "",
    result_rating: str = "",
    comment: str = "",
    unit_ratings: Mapping[int, tuple[str, str]] | None = None,
) -> Evaluation:
    """Rate the current round's handling: process and result, each 满意 / 基本满意 / 不满意, with a
    comment. Who: the first proposer and confirmed co-signers (of the proposal or of one merged
    into it — `proposal_id` may be either). Only while the proposal is 已办复 and within the
    rating window; once per person and round.

    Each unit that answered (`rated_assignments`) is rated on its own answer: `unit_ratings`
    maps its assignment id to (process, result); the proposal's overall rating then follows the
    committee's rule (`overall_rating`). Without `unit_ratings` the one (process, result) given
    applies to every unit."""
    proposal = lock_proposal(_handled_id(proposal_id))
    PROPOSAL.check(user, proposal, "rate")  # a rater, 已办复, window open, not rated yet
    units = rated_assignments(proposal)
    plan: dict[int, tuple[str, str]] = {}
    if unit_ratings is not None and units:
        plan = _unit_plan(units, unit_ratings, process_rating, result_rating)
        rule = proposal_settings_for(proposal.committee).overall_rating_rule
        process_rating, result_rating = overall_rating(rule, [(a.role, *plan[a.pk]) for a in units])
    if process_rating not in Satisfaction.values or result_rating not in Satisfaction.values:
        message = _("请分别对办理过程和办理结果选择满意、基本满意或不满意。")
        raise ValidationFailed(message, extra={"errors": {"process_rating": message}})
    if not plan:
        plan = _unit_plan(units, None, process_rating, result_rating)
    raters = {rater.user_id: rater for rater in proposal_raters(proposal=proposal)}
    rater = raters[user.pk]
    evaluation = Evaluation.objects.create(
        proposal=proposal,
        round=proposal.handling_round,
        rater=user,
        membership_id=rater.membership_id,
        source_proposal_id=rater.source_proposal_id,
        is_first_proposer=rater.is_first_proposer,
        process_rating=process_rating,
        result_rating=result_rating,
        comment=comment.strip(),
        rated_at=clock.now(),
    )
    UnitRating.objects.bulk_create(
        UnitRating(
            evaluation=evaluation,
            assignment=assignment,
            handling_unit_id=assignment.handling_unit_id,
            process_rating=plan[assignment.pk][0],
            result_rating=plan[assignment.pk][1],
        )
        for assignment in units
    )
    audit_record(
        verb="proposal_rate",
        actor=user,
        obj=proposal,
        role=MEMBER,
        data={
            "round": evaluation.round,
            "process": process_rating,
            "result": result_rating,
            "first_proposer": rater.is_first_proposer,
            "units": {a.handling_unit.name: list(plan[a.pk]) for a in units},
        },
    )
    if (
        rater.is_first_proposer
        and evaluation.is_dissatisfied
        and proposal.handling_round < FINAL_ROUND
    ):
        _rehandle(user=user, proposal=proposal)
    else:
        finish_evaluation_if_complete(user=user, proposal=proposal, raters=list(raters))
    return evaluation


def _rehandle(*, user: User, proposal: Proposal) -> None:
    """System step 重新办理 (已办复 → 重新办理, round 2): the answering units' parts reopen with
    a new deadline (default 1 month) and their users are told."""
    settings = proposal_settings_for(proposal.committee)
    deadline = add_months(clock.today(), settings.rehandling_months)
    PROPOSAL.system_step(
        proposal,
        "rehandle",
        actor=user,
        fields={"handling_round": FINAL_ROUND, "rating_due": None},
        data={"round": FINAL_ROUND},
    )
    assignments = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("committee", "handling_unit")
        .filter(proposal=proposal, role__in=ANSWERING_ROLES, status=AssignmentStatus.REPLIED)
        .order_by("id")
    )
    for assignment in assignments:
        ASSIGNMENT.system_step(
            assignment,
            "reopen_for_rehandling",
            actor=user,
            fields={"deadline": deadline, "completed_at": None, "overdue_escalated_at": None},
            notify=lambda a: notices.send(
                recipients=notices.unit_users(a.handling_unit_id),
                key=f"assignment:{a.pk}:rehandling",
                title=_("提案人对办理结果不满意，请重新办理：%(number)s")
                % {"number": proposal.number_label},
                body=_("%(title)s\n重新办理期限：%(deadline)s")
                % {"title": proposal.title, "deadline": f"{deadline:%Y年%m月%d日}"},
                url=notices.assignment_url(a.pk),
                committee=proposal.committee,
            ),
        )


def finish_evaluation_if_complete(
    *, user: User | None, proposal: Proposal, raters: list[int] | None = None
) -> bool:
    """System step 完成评价 (已办复 → 已评价) once every rater of the round has an evaluation
    (a rating or 逾期未评价). `proposal` must be locked. Returns True if moved."""
    if proposal.status != ProposalStatus.REPLIED:
        return False
    if raters is None:
        raters = [rater.user_id for rater in proposal_raters(proposal=proposal)]
    rated = set(
        Evaluation.objects.filter(proposal=proposal, round=proposal.handling_round).values_list(
            "rater_id", flat=True
        )
    )
    if not set(raters) <= rated:
        return False
    return PROPOSAL.system_step(
        proposal,
        "finish_evaluation",
        actor=user,
        data={"round": proposal.handling_round},
    )


@transaction.atomic
def proposal_rating_expire(*, proposal_id: int, today: dt.date | None = None) -> int:
    """After the rating window, record 逾期未评价 for every rater who did not rate and finish the
    evaluation. Called by the reminder task (no user). Safe to run again; returns how many
    timed-out records it wrote."""
    proposal = lock_proposal(proposal_id)
    today = today or clock.today()
    if (
        proposal.status != ProposalStatus.REPLIED
        or proposal.rating_due is None
        or today <= proposal.rating_due
    ):
        return 0
    raters = proposal_raters(proposal=proposal)
    rated = set(
        Evaluation.objects.filter(proposal=proposal, round=proposal.handling_round).values_list(
            "rater_id", flat=True
        )
    )
    now = clock.now()
    missing = [rater for rater in raters if rater.user_id not in rated]
    Evaluation.objects.bulk_create(
        Evaluation(
            proposal=proposal,
            round=proposal.handling_round,
            rater_id=rater.user_id,
            membership_id=rater.membership_id,
            source_proposal_id=rater.source_proposal_id,
            is_first_proposer=rater.is_first_proposer,
            timed_out=True,
            rated_at=now,
        )
        for rater in missing
    )
    if missing:
        audit_record(
            verb="proposal_rating_expire",
            actor=None,
            obj=proposal,
            role=SYSTEM,
            data={"round": proposal.handling_round, "timed_out": len(missing)},
        )
    finish_evaluation_if_complete(
        user=None, proposal=proposal, raters=[rater.user_id for rater in raters]
    )
    return len(missing)
