"""Row locks shared by the workflow verbs and the services that change the same rows, and the
role a person acts in (written on the audit event)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core.errors import NotFound

from ..models import OpinionReport

OFFICE = Role.OPINION_OFFICE.value
LEADER = Role.LEADERSHIP.value


def lock_report(report_id: int) -> OpinionReport:
    """The report row, locked for this transaction (FOR UPDATE of that row only), with the
    committee and the filer loaded for permission checks, audit and notices."""
    report = (
        OpinionReport.objects.select_for_update(of=("self",))
        .select_related("committee", "created_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound(_("未找到该社情民意信息，或您无权查看。"))
    return report


def submitter_role(user: Any, report: OpinionReport) -> str:
    """The role a submitter acts in: a liaison for an organisation's report, the office for a
    report it filed itself, otherwise a member."""
    if report.reporting_unit_id is not None:
        return "liaison"
    from ..permissions import is_opinion_office

    if is_opinion_office(user, report.committee_id) and report.origin == "staff":
        return OFFICE
    return Role.MEMBER.value
