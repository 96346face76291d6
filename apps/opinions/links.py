"""The link this app adds to a proposal's page: "已转为社情民意信息" when the proposal was
transferred here (registered for "proposals.Proposal" with apps.core.registry; the proposal is
read as the object handed over, never imported)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.core.registry import RelatedLink

from . import notices
from .selectors.visibility import report_queryset_visible_to


def proposal_links(proposal: Any, user: Any) -> list[RelatedLink]:
    """The report made from `proposal`, if the user may read it (one query)."""
    report = (
        report_queryset_visible_to(user)
        .filter(origin_proposal_id=proposal.pk)
        .only("id", "status", "title")
        .first()
    )
    if report is None:
        return []
    return [
        RelatedLink(
            label=_("已转为社情民意信息"),
            url=notices.report_url(report.pk),
            detail=_("当前状态：%(state)s") % {"state": report.get_status_display()},
        )
    ]
