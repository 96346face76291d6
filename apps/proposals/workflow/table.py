"""The transition tables: every allowed step of a proposal and of an assignment, in one place.

A verb maps to (states it may start from, the state it leads to). Verbs marked "system" are
taken by the workflow itself as a consequence of another step (the last reply approved, the last
rating in, a 不满意 from the first proposer, the last unit gone). The state machines built on
these tables (and the actions people may take) are in actions.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Transition, transition

from ..models import AssignmentStatus as A
from ..models import ProposalStatus as P

PROPOSAL_TRANSITIONS: Mapping[str, Transition] = {
    "submit": transition(_("提交"), {P.DRAFT}, P.SUBMITTED),
    "withdraw": transition(_("撤回"), {P.SUBMITTED}, P.WITHDRAWN),
    "reopen": transition(_("重新编辑"), {P.WITHDRAWN}, P.DRAFT),
    "accept": transition(_("立案"), {P.SUBMITTED}, P.ACCEPTED),
    "reject": transition(_("不予立案"), {P.SUBMITTED}, P.REJECTED),
    "propose_transfer": transition(_("建议转交"), {P.SUBMITTED, P.REJECTED}, P.TRANSFER_PENDING),
    "consent_transfer": transition(_("同意转交"), {P.TRANSFER_PENDING}, P.TRANSFERRED),
    "refuse_transfer": transition(_("不同意转交"), {P.TRANSFER_PENDING}, P.REJECTED),
    "merge": transition(_("并案"), {P.SUBMITTED, P.ACCEPTED}, P.MERGED),
    "assign": transition(_("交办"), {P.ACCEPTED}, P.ASSIGNED),
    "unassign": transition(_("退回待交办"), {P.ASSIGNED}, P.ACCEPTED, system=True),
    "complete_handling": transition(_("办复"), {P.ASSIGNED, P.REHANDLING}, P.REPLIED, system=True),
    "rehandle": transition(_("重新办理"), {P.REPLIED}, P.REHANDLING, system=True),
    "finish_evaluation": transition(_("完成评价"), {P.REPLIED}, P.EVALUATED, system=True),
    "close": transition(_("办结"), {P.EVALUATED}, P.CLOSED),
}

ASSIGNMENT_TRANSITIONS: Mapping[str, Transition] = {
    "receive": transition(_("签收"), {A.PENDING}, A.RECEIVED),
    "request_return": transition(_("申退"), {A.PENDING, A.RECEIVED}, A.RETURN_REQUESTED),
    "approve_return": transition(_("同意退回"), {A.RETURN_REQUESTED}, A.RETURNED),
    "refuse_return": transition(_("不同意退回"), {A.RETURN_REQUESTED}, A.RECEIVED),
    "submit_opinion": transition(_("提交会办意见"), {A.RECEIVED}, A.OPINION_SUBMITTED),
    "submit_reply": transition(_("提交答复"), {A.RECEIVED}, A.REPLY_SUBMITTED),
    "approve_reply": transition(_("审核通过答复"), {A.REPLY_SUBMITTED}, A.REPLIED),
    "reject_reply": transition(_("驳回答复"), {A.REPLY_SUBMITTED}, A.RECEIVED),
    "reopen_for_rehandling": transition(_("重新办理"), {A.REPLIED}, A.RECEIVED, system=True),
}
