"""The report's state machine: one public function per verb.

Each verb locks its row (SELECT … FOR UPDATE) and runs its step through `REPORT`
(apps.core.workflow.Workflow, actions.py): the permission predicate (apps.opinions.permissions),
the harmless no-op when the report is already in the target state, the transition table
(table.py), the guards (guards.py), the verb's own checks, then saves only the changed fields,
writes the audit event and sends the notices, all in one transaction. An illegal step raises
Conflict and changes nothing; a missing permission raises PermissionDenied.
`report_actions_for` says what a person may do now. The system steps 编入期刊 and 报送 are taken
by the bulletin services (apps.opinions.services.bulletin).
"""

from .actions import REPORT, report_actions_for
from .filing import report_resubmit, report_submit
from .screening import report_accept, report_decline, report_merge, report_return
from .signoff import report_request_signoff, report_send_back, report_sign
from .table import REPORT_TRANSITIONS

__all__ = [
    "REPORT",
    "REPORT_TRANSITIONS",
    "report_accept",
    "report_actions_for",
    "report_decline",
    "report_merge",
    "report_request_signoff",
    "report_resubmit",
    "report_return",
    "report_send_back",
    "report_sign",
    "report_submit",
]
