"""The proposal and assignment state machines: one public function per verb.

Each verb checks the permission predicate (apps.proposals.permissions), locks the row
(SELECT … FOR UPDATE), checks the transition table (table.py), writes an audit event in the same
transaction and saves only the changed fields. Asking for the state a row is already in does
nothing; an illegal step raises Conflict and changes nothing; a missing permission raises
PermissionDenied.
"""

from .assignment import assignment_add, proposal_assign
from .filing import proposal_reopen, proposal_submit, proposal_withdraw
from .handling import (
    assignment_approve_return,
    assignment_receive,
    assignment_refuse_return,
    assignment_request_return,
    assignment_submit_opinion,
)
from .rating import proposal_rate, proposal_rating_expire
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
from .table import (
    ASSIGNMENT_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    assignment_transition_needed,
    proposal_transition_needed,
)

__all__ = [
    "ASSIGNMENT_TRANSITIONS",
    "PROPOSAL_TRANSITIONS",
    "assignment_add",
    "assignment_approve_return",
    "assignment_receive",
    "assignment_refuse_return",
    "assignment_request_return",
    "assignment_submit_opinion",
    "assignment_submit_reply",
    "assignment_transition_needed",
    "proposal_accept",
    "proposal_assign",
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
    "proposal_transition_needed",
    "proposal_withdraw",
    "reply_approve",
    "reply_reject",
]
