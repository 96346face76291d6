"""The report's state machine and what each person may do now.

`REPORT` (apps.core.workflow.Workflow) combines the transition table (table.py), the permission
predicates (apps.opinions.permissions) and the guards (guards.py). The verbs in this package run
their steps through it; `report_actions_for(user, report)` answers which actions are open to the
user now — pages, templates and the API's `actions` field read it instead of re-deciding.

Actions (name: who · when):
- edit, manage_coauthors: the submitter · 草稿, 退回修改 (text, category, files, co-authors)
- delete_draft: the submitter · 草稿
- submit: the submitter · 草稿, text complete and within the limits
- resubmit: the submitter · 退回修改, text complete and within the limits
- accept, return, decline: the 社情民意信息处 · 待筛选
- merge: the office · 待筛选, 编辑中, not itself the target of a merge
- edit_text: the office · 编辑中 (every save kept as a version)
- request_signoff: the office · 编辑中, within the limits
- sign, send_back: the signing leader · 待签发
- add_to_issue: the office · 已签发, not yet in an issue
- record_outcome: the office · 已编入期刊, 已报送 (adoption, 批示, 转办 and 回函)
- compare_versions: the office and leadership · once submitted
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Actions, Workflow

from ..models import OpinionReport
from ..models import ReportStatus as S
from ..permissions import can_edit_draft, can_screen, is_leadership, is_signer
from . import guards
from .table import REPORT_TRANSITIONS

REPORT: Workflow[OpinionReport] = Workflow(
    name="opinion",
    noun=_("社情民意信息"),
    labels=dict(S.choices),
    transitions=REPORT_TRANSITIONS,
)

_SUBMITTER_ONLY = _("只有报送人可以执行此操作。")
_OFFICE_ONLY = _("只有本级社情民意信息处可以执行此操作。")
_SIGNER_ONLY = _("只有送签的领导可以签发或退回这条信息。")


def _office_or_leadership(user: Any, report: OpinionReport) -> bool:
    return can_screen(user, report) or is_leadership(user, report.committee_id)


# The submitter's side.
REPORT.action(
    "edit",
    label=_("修改"),
    allowed=can_edit_draft,
    states={S.DRAFT, S.RETURNED},
    denied=_SUBMITTER_ONLY,
)
REPORT.action(
    "manage_coauthors",
    label=_("联名报送人"),
    allowed=can_edit_draft,
    states={S.DRAFT, S.RETURNED},
    denied=_SUBMITTER_ONLY,
)
REPORT.action(
    "delete_draft",
    label=_("删除草稿"),
    allowed=can_edit_draft,
    states={S.DRAFT},
    denied=_SUBMITTER_ONLY,
)
REPORT.action(
    "submit",
    transition="submit",
    allowed=can_edit_draft,
    guards=(guards.text_complete,),
    denied=_SUBMITTER_ONLY,
)
REPORT.action(
    "resubmit",
    transition="resubmit",
    allowed=can_edit_draft,
    guards=(guards.text_complete,),
    denied=_SUBMITTER_ONLY,
)
# The 社情民意信息处.
for _verb in ("accept", "return", "decline"):
    REPORT.action(_verb, transition=_verb, allowed=can_screen, denied=_OFFICE_ONLY)
REPORT.action(
    "merge",
    transition="merge",
    allowed=can_screen,
    guards=(guards.not_leading_a_merge,),
    denied=_OFFICE_ONLY,
)
REPORT.action(
    "edit_text",
    label=_("编辑"),
    allowed=can_screen,
    states={S.ACCEPTED},
    denied=_OFFICE_ONLY,
)
REPORT.action(
    "request_signoff",
    transition="request_signoff",
    allowed=can_screen,
    guards=(guards.within_limits,),
    denied=_OFFICE_ONLY,
)
REPORT.action(
    "add_to_issue",
    label=_("编入期刊"),
    allowed=can_screen,
    states={S.SIGNED},
    conditions=(guards.not_in_an_issue,),
    denied=_OFFICE_ONLY,
)
REPORT.action(
    "record_outcome",
    label=_("登记采用、批示与转办"),
    allowed=can_screen,
    states={S.COMPILED, S.REPORTED},
    denied=_OFFICE_ONLY,
)
REPORT.action(
    "compare_versions",
    label=_("版本对照"),
    allowed=_office_or_leadership,
    states={s for s in S.values if s != S.DRAFT},
)
# The signing leader.
REPORT.action("sign", transition="sign", allowed=is_signer, denied=_SIGNER_ONLY)
REPORT.action("send_back", transition="send_back", allowed=is_signer, denied=_SIGNER_ONLY)


def report_actions_for(user: Any, report: OpinionReport) -> Actions:
    """What `user` may do with `report` now (see the module docstring). `report` needs its
    committee loaded (as the detail selectors load it)."""
    return REPORT.actions_for(user, report)
