"""The proposal and assignment state machines: one public function per verb.

Each verb locks its row (SELECT … FOR UPDATE) and runs its step through the entity's
apps.core.workflow.Workflow (actions.py): the permission predicate (apps.proposals.permissions),
the harmless no-op when the row is already in the target state, the transition table
(table.py), the guards (guards.py), the verb's own checks, then saves only the changed fields,
writes the audit event and sends the notices, all in one transaction. An illegal step raises
Conflict and changes nothing; a missing permission raises PermissionDenied.
`proposal_actions_for` / `assignment_actions_for` say what a person may do now.
"""

from .actions import ASSIGNMENT, PROPOSAL, assignment_actions_for, proposal_actions_for
from .assignment import (
    PlannedAssignment,
    assignment_add,
    proposal_assign,
    proposal_assign_preview,
)
from .filing import proposal_reopen, proposal_submit, proposal_withdraw
from .handling import (
    assignment_approve_return,
    assignment_receive,
    assignment_refuse_return,
    assignment_request_return,
    assignment_submit_opinion,
)
from .rating import overall_rating, proposal_rate, proposal_rating_expire, rated_assignments
from .replies import assignment_submit_reply, reply_approve, reply_reject
from .review import (
    proposal_accept,
    proposal_close,
    proposal_merge,
    proposal_propose_transfer,
    proposal_reject,
    proposal_transfer_consent,
    proposal_transfer_refuse,
)
from .table import ASSIGNMENT_TRANSITIONS, PROPOSAL_TRANSITIONS

__all__ = [
    "ASSIGNMENT",
    "ASSIGNMENT_TRANSITIONS",
    "PROPOSAL",
    "PROPOSAL_TRANSITIONS",
    "PlannedAssignment",
    "assignment_actions_for",
    "assignment_add",
    "assignment_approve_return",
    "assignment_receive",
    "assignment_refuse_return",
    "assignment_request_return",
    "assignment_submit_opinion",
    "assignment_submit_reply",
    "overall_rating",
    "proposal_accept",
    "proposal_actions_for",
    "proposal_assign",
    "proposal_assign_preview",
    "proposal_close",
    "proposal_merge",
    "proposal_propose_transfer",
    "proposal_rate",
    "proposal_rating_expire",
    "proposal_reject",
    "proposal_reopen",
    "proposal_submit",
    "proposal_transfer_consent",
    "proposal_transfer_refuse",
    "proposal_withdraw",
    "rated_assignments",
    "reply_approve",
    "reply_reject",
]
