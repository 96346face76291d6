"""The proposal and assignment state machines and what each person may do now.

`PROPOSAL` and `ASSIGNMENT` (apps.core.workflow.Workflow) combine the transition tables
(table.py), the permission predicates (apps.proposals.permissions) and the guards (guards.py).
The verbs in this package run their steps through them; `proposal_actions_for(user, proposal)`
and `assignment_actions_for(user, assignment)` answer which actions are open to the user now —
pages, templates and the API's `actions` fields read these instead of re-deciding.

Proposal actions (name: who · when):
- edit: authors · 草稿 (text, category, attachments)
- delete_draft: authors · 草稿, 已撤回
- manage_cosigners: the first proposer · 草稿, not a collective proposal
- answer_cosign: a member with an open invitation · 草稿
- submit: authors · 草稿, text complete, every invitation answered
- withdraw: authors · 已提交
- reopen: authors · 已撤回
- consent_transfer, refuse_transfer: the first proposer · 待转交
- rate: first proposer and confirmed co-signers · 已办复 (a merged proposal: its lead), window
  open, not yet rated this round
- accept, reject: the proposal office · 已提交
- propose_transfer: the office · 已提交, 不立案
- merge: the office · 已提交, 已立案, not leading a merge itself
- assign: the office · 已立案
- add_unit: the office · 已交办, 重新办理
- close: the office · 已评价
- nominate_excellent: the office · accepted and handled on its own, not nominated yet
- mark_key, unmark_key (unmark: when it is key), select_excellent (when nominated):
  leadership · accepted and handled on its own

Assignment actions:
- receive, request_return (within the window), record_contact, submit_opinion (会办 only),
  submit_reply (单办/分办/主办), request_extension: the assigned unit
- approve_return, refuse_return, approve_reply, reject_reply, decide_extension (when one is
  asked for): the proposal office
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Actions, Workflow

from ..models import Assignment, AssignmentStatus, Cosigner, CosignerStatus, Proposal
from ..models import ProposalStatus as P
from ..permissions import (
    can_answer_transfer,
    can_edit_draft,
    can_handle,
    can_manage_cosigners,
    can_mark_key,
    can_review,
    is_proposal_office,
)
from . import guards
from .table import ASSIGNMENT_TRANSITIONS, PROPOSAL_TRANSITIONS

PROPOSAL: Workflow[Proposal] = Workflow(
    name="proposal",
    noun=_("提案"),
    labels=dict(P.choices),
    transitions=PROPOSAL_TRANSITIONS,
)
ASSIGNMENT: Workflow[Assignment] = Workflow(
    name="assignment",
    noun=_("交办事项"),
    labels=dict(AssignmentStatus.choices),
    transitions=ASSIGNMENT_TRANSITIONS,
)

# Accepted proposals still handled on their own (not merged away, not refused): 重点/优秀.
MARKABLE = frozenset({P.ACCEPTED, P.ASSIGNED, P.REPLIED, P.REHANDLING, P.EVALUATED, P.CLOSED})


def _has_open_invitation(user: Any, proposal: Proposal) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return Cosigner.objects.filter(
        proposal=proposal, membership__member__user=user, status=CosignerStatus.INVITED
    ).exists()


def _office_of(user: Any, assignment: Assignment) -> bool:
    return is_proposal_office(user, assignment.committee_id)


_AUTHORS_ONLY = _("只有提案人可以执行此操作。")
_OFFICE_ONLY = _("只有本级提案委员会办公室可以执行此操作。")
_UNIT_ONLY = _("只有承办该提案的单位可以执行此操作。")

# Proposal: the member side.
PROPOSAL.action("edit", label=_("修改"), allowed=can_edit_draft, states={P.DRAFT})
PROPOSAL.action(
    "delete_draft",
    label=_("删除草稿"),
    allowed=can_edit_draft,
    states={P.DRAFT, P.WITHDRAWN},
    denied=_("只有提案人可以删除草稿。"),
)
PROPOSAL.action(
    "manage_cosigners",
    label=_("邀请附议人"),
    allowed=can_manage_cosigners,
    states={P.DRAFT},
    conditions=(guards.not_collective,),
    denied=_("只有第一提案人可以邀请附议人。"),
)
PROPOSAL.action(
    "answer_cosign", label=_("答复附议邀请"), allowed=_has_open_invitation, states={P.DRAFT}
)
PROPOSAL.action(
    "submit",
    transition="submit",
    allowed=can_edit_draft,
    guards=(guards.submission_complete, guards.cosigners_answered),
    denied=_AUTHORS_ONLY,
)
PROPOSAL.action("withdraw", transition="withdraw", allowed=can_edit_draft, denied=_AUTHORS_ONLY)
PROPOSAL.action("reopen", transition="reopen", allowed=can_edit_draft, denied=_AUTHORS_ONLY)
PROPOSAL.action("consent_transfer", transition="consent_transfer", allowed=can_answer_transfer)
PROPOSAL.action("refuse_transfer", transition="refuse_transfer", allowed=can_answer_transfer)
PROPOSAL.action(
    "rate",
    label=_("评价"),
    allowed=guards.is_rater,
    states={P.REPLIED, P.MERGED},
    guards=(guards.rating_open,),
    denied=_("只有提案人和附议人可以评价办理情况。"),
)
# Proposal: the proposal office.
for _verb in ("accept", "reject", "propose_transfer", "assign", "close"):
    PROPOSAL.action(_verb, transition=_verb, allowed=can_review, denied=_OFFICE_ONLY)
PROPOSAL.action(
    "merge",
    transition="merge",
    allowed=can_review,
    guards=(guards.not_leading_a_merge,),
    denied=_OFFICE_ONLY,
)
PROPOSAL.action(
    "add_unit",
    label=_("追加承办单位"),
    allowed=can_review,
    states={P.ASSIGNED, P.REHANDLING},
    denied=_OFFICE_ONLY,
)
PROPOSAL.action(
    "nominate_excellent",
    label=_("推荐优秀提案"),
    allowed=can_review,
    states=MARKABLE,
    conditions=(guards.not_excellent_yet,),
    denied=_OFFICE_ONLY,
)
# Proposal: leadership.
_LEADERS_ONLY = _("只有本级主席会议成员可以执行此操作。")
PROPOSAL.action(
    "mark_key", label=_("标记重点提案"), allowed=can_mark_key, states=MARKABLE, denied=_LEADERS_ONLY
)
PROPOSAL.action(
    "unmark_key",
    label=_("取消重点提案"),
    allowed=can_mark_key,
    states=MARKABLE,
    conditions=(guards.is_key,),
    denied=_LEADERS_ONLY,
)
PROPOSAL.action(
    "select_excellent",
    label=_("评选优秀提案"),
    allowed=can_mark_key,
    states=MARKABLE,
    conditions=(guards.nominated,),
    denied=_LEADERS_ONLY,
)

# Assignment: the unit.
A = AssignmentStatus
ASSIGNMENT.action("receive", transition="receive", allowed=can_handle, denied=_UNIT_ONLY)
ASSIGNMENT.action(
    "request_return",
    transition="request_return",
    allowed=can_handle,
    guards=(guards.within_return_window,),
    denied=_UNIT_ONLY,
)
ASSIGNMENT.action(
    "record_contact",
    label=_("记录联系情况"),
    allowed=can_handle,
    states={s for s in A.values if s not in (A.PENDING, A.RETURNED)},
    denied=_UNIT_ONLY,
)
ASSIGNMENT.action(
    "submit_opinion",
    transition="submit_opinion",
    allowed=can_handle,
    conditions=(guards.is_co_unit,),
    denied=_UNIT_ONLY,
)
ASSIGNMENT.action(
    "submit_reply",
    transition="submit_reply",
    allowed=can_handle,
    conditions=(guards.is_answering_unit,),
    denied=_UNIT_ONLY,
)
ASSIGNMENT.action(
    "request_extension",
    label=_("申请延期"),
    allowed=can_handle,
    states={A.PENDING, A.RECEIVED},
    guards=(guards.extension_possible,),
    denied=_UNIT_ONLY,
)
# Assignment: the proposal office.
for _verb in ("approve_return", "refuse_return", "approve_reply", "reject_reply"):
    ASSIGNMENT.action(_verb, transition=_verb, allowed=_office_of, denied=_OFFICE_ONLY)
ASSIGNMENT.action(
    "decide_extension",
    label=_("审批延期申请"),
    allowed=_office_of,
    conditions=(guards.extension_requested,),
    denied=_OFFICE_ONLY,
)


def proposal_actions_for(user: Any, proposal: Proposal) -> Actions:
    """What `user` may do with `proposal` now (see the module docstring). `proposal` needs its
    committee and first proposer loaded (as the detail selectors load them)."""
    return PROPOSAL.actions_for(user, proposal)


def assignment_actions_for(user: Any, assignment: Assignment) -> Actions:
    """What `user` may do with `assignment` now (see the module docstring)."""
    return ASSIGNMENT.actions_for(user, assignment)
