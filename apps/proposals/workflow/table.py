"""The transition tables: every allowed step of a proposal and of an assignment, in one place.

A verb maps to (states it may start from, the state it leads to). `transition_needed` is the
single check every workflow verb makes after locking the row:
- the row is already in the target state → False (a harmless no-op, nothing written);
- the row is in a source state → True (go ahead);
- anything else → Conflict with a Chinese message, nothing changed.
Verbs marked "system" are taken by the workflow itself as a consequence of another step (the
last reply approved, the last rating in, a 不满意 from the first proposer, the last unit gone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from apps.core.errors import Conflict

from ..models import AssignmentStatus as A
from ..models import ProposalStatus as P


@dataclass(frozen=True)
class Transition:
    label: str  # what the step is called, for messages ("立案")
    sources: frozenset[str]
    target: str
    system: bool = False


def _t(label: str, sources: set[str], target: str, *, system: bool = False) -> Transition:
    return Transition(label, frozenset(sources), target, system)


PROPOSAL_TRANSITIONS: Mapping[str, Transition] = {
    "submit": _t("提交", {P.DRAFT}, P.SUBMITTED),
    "withdraw": _t("撤回", {P.SUBMITTED}, P.WITHDRAWN),
    "reopen": _t("重新编辑", {P.WITHDRAWN}, P.DRAFT),
    "accept": _t("立案", {P.SUBMITTED}, P.ACCEPTED),
    "reject": _t("不予立案", {P.SUBMITTED}, P.REJECTED),
    "propose_transfer": _t("建议转交", {P.SUBMITTED, P.REJECTED}, P.TRANSFER_PENDING),
    "consent_transfer": _t("同意转交", {P.TRANSFER_PENDING}, P.TRANSFERRED),
    "refuse_transfer": _t("不同意转交", {P.TRANSFER_PENDING}, P.REJECTED),
    "merge": _t("并案", {P.SUBMITTED, P.ACCEPTED}, P.MERGED),
    "assign": _t("交办", {P.ACCEPTED}, P.ASSIGNED),
    "unassign": _t("退回待交办", {P.ASSIGNED}, P.ACCEPTED, system=True),
    "complete_handling": _t("办复", {P.ASSIGNED, P.REHANDLING}, P.REPLIED, system=True),
    "rehandle": _t("重新办理", {P.REPLIED}, P.REHANDLING, system=True),
    "finish_evaluation": _t("完成评价", {P.REPLIED}, P.EVALUATED, system=True),
    "close": _t("办结", {P.EVALUATED}, P.CLOSED),
}

ASSIGNMENT_TRANSITIONS: Mapping[str, Transition] = {
    "receive": _t("签收", {A.PENDING}, A.RECEIVED),
    "request_return": _t("申退", {A.PENDING, A.RECEIVED}, A.RETURN_REQUESTED),
    "approve_return": _t("同意退回", {A.RETURN_REQUESTED}, A.RETURNED),
    "refuse_return": _t("不同意退回", {A.RETURN_REQUESTED}, A.RECEIVED),
    "submit_opinion": _t("提交会办意见", {A.RECEIVED}, A.OPINION_SUBMITTED),
    "submit_reply": _t("提交答复", {A.RECEIVED}, A.REPLY_SUBMITTED),
    "approve_reply": _t("审核通过答复", {A.REPLY_SUBMITTED}, A.REPLIED),
    "reject_reply": _t("驳回答复", {A.REPLY_SUBMITTED}, A.RECEIVED),
    "reopen_for_rehandling": _t("重新办理", {A.REPLIED}, A.RECEIVED, system=True),
}

_PROPOSAL_LABELS = dict(P.choices)
_ASSIGNMENT_LABELS = dict(A.choices)


def _check(
    table: Mapping[str, Transition], labels: Mapping[str, str], noun: str, verb: str, current: str
) -> bool:
    transition = table[verb]
    if current == transition.target:
        return False
    if current in transition.sources:
        return True
    raise Conflict(
        f"{noun}当前状态为“{labels.get(current, current)}”，不能{transition.label}。",
        extra={"verb": verb, "status": current},
    )


def proposal_transition_needed(verb: str, current: str) -> bool:
    """Check a proposal step against the table (see the module docstring)."""
    return _check(PROPOSAL_TRANSITIONS, _PROPOSAL_LABELS, "提案", verb, current)


def assignment_transition_needed(verb: str, current: str) -> bool:
    """Check an assignment step against the table (see the module docstring)."""
    return _check(ASSIGNMENT_TRANSITIONS, _ASSIGNMENT_LABELS, "交办事项", verb, current)
