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
from typing import Any

from django.db import transaction

from apps.accounts.roles import Role
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.core.workdays import add_months

from .. import clock, notices
from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentStatus,
    Evaluation,
    Proposal,
    ProposalStatus,
    Satisfaction,
)
from ..selectors.config import proposal_settings_for
from ..selectors.proposals import proposal_raters
from .common import lock_proposal, record, save_changed
from .table import assignment_transition_needed, proposal_transition_needed

MEMBER = Role.MEMBER.value
SYSTEM = "system"
FINAL_ROUND = 2


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
    user: Any,
    proposal_id: int,
    process_rating: str,
    result_rating: str,
    comment: str = "",
) -> Evaluation:
    """Rate the current round's handling: process and result, each 满意 / 基本满意 / 不满意, with a
    comment. Who: the first proposer and confirmed co-signers (of the proposal or of one merged
    into it — `proposal_id` may be either). Only while the proposal is 已办复 and within the
    rating window; once per person and round."""
    proposal = lock_proposal(_handled_id(proposal_id))
    raters = {rater.user_id: rater for rater in proposal_raters(proposal=proposal)}
    rater = raters.get(user.pk) if getattr(user, "is_authenticated", False) else None
    if rater is None or not user.is_active:
        raise PermissionDenied("只有提案人和附议人可以评价办理情况。")
    if proposal.status != ProposalStatus.REPLIED:
        raise Conflict(
            f"提案当前状态为“{proposal.get_status_display()}”，不在评价期内。",
            extra={"status": proposal.status},
        )
    today = clock.today()
    if proposal.rating_due and today > proposal.rating_due:
        raise Conflict(f"评价期限已于{proposal.rating_due:%Y年%m月%d日}截止。")
    if process_rating not in Satisfaction.values or result_rating not in Satisfaction.values:
        raise ValidationFailed("请分别对办理过程和办理结果选择满意、基本满意或不满意。")
    if Evaluation.objects.filter(
        proposal=proposal, round=proposal.handling_round, rater=user
    ).exists():
        raise Conflict("您已对本轮办理作出评价。")
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
    record(
        verb="proposal_rate",
        actor=user,
        obj=proposal,
        role=MEMBER,
        round=evaluation.round,
        process=process_rating,
        result=result_rating,
        first_proposer=rater.is_first_proposer,
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


def _rehandle(*, user: Any, proposal: Proposal) -> None:
    """System step 重新办理 (已办复 → 重新办理, round 2): the answering units' parts reopen with
    a new deadline (default 1 month) and their users are told."""
    proposal_transition_needed("rehandle", proposal.status)
    settings = proposal_settings_for(proposal.committee)
    today = clock.today()
    deadline = add_months(today, settings.rehandling_months)
    previous = proposal.status
    save_changed(
        proposal,
        {"status": ProposalStatus.REHANDLING, "handling_round": FINAL_ROUND, "rating_due": None},
    )
    record(
        verb="proposal_rehandle",
        actor=user,
        obj=proposal,
        role=SYSTEM,
        from_state=previous,
        to_state=proposal.status,
        round=FINAL_ROUND,
    )
    assignments = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("committee", "handling_unit")
        .filter(proposal=proposal, role__in=ANSWERING_ROLES, status=AssignmentStatus.REPLIED)
        .order_by("id")
    )
    for assignment in assignments:
        assignment_transition_needed("reopen_for_rehandling", assignment.status)
        before = assignment.status
        save_changed(
            assignment,
            {
                "status": AssignmentStatus.RECEIVED,
                "deadline": deadline,
                "completed_at": None,
                "overdue_escalated_at": None,
            },
        )
        record(
            verb="assignment_reopen_for_rehandling",
            actor=user,
            obj=assignment,
            role=SYSTEM,
            from_state=before,
            to_state=assignment.status,
        )
        notices.send(
            recipients=notices.unit_users(assignment.handling_unit_id),
            key=f"assignment:{assignment.pk}:rehandling",
            title=f"提案人对办理结果不满意，请重新办理：{proposal.number_label}",
            body=f"{proposal.title}\n重新办理期限：{deadline:%Y年%m月%d日}",
            url=notices.assignment_url(assignment.pk),
            committee=proposal.committee,
        )


def finish_evaluation_if_complete(
    *, user: Any, proposal: Proposal, raters: list[int] | None = None
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
    proposal_transition_needed("finish_evaluation", proposal.status)
    previous = proposal.status
    save_changed(proposal, {"status": ProposalStatus.EVALUATED})
    record(
        verb="proposal_finish_evaluation",
        actor=user,
        obj=proposal,
        role=SYSTEM,
        from_state=previous,
        to_state=proposal.status,
        round=proposal.handling_round,
    )
    return True


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
        record(
            verb="proposal_rating_expire",
            actor=None,
            obj=proposal,
            role=SYSTEM,
            round=proposal.handling_round,
            timed_out=len(missing),
        )
    finish_evaluation_if_complete(
        user=None, proposal=proposal, raters=[rater.user_id for rater in raters]
    )
    return len(missing)
