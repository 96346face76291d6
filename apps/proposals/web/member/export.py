"""「我的提案」 as an .xlsx file (the rows the list shows, with its filters)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.xlsx import xlsx_bytes, xlsx_sheet, xlsx_workbook

from ...models import ExcellentStatus, Proposal, ProposalStatus

HEADERS = (
    gettext_lazy("提案号"),
    gettext_lazy("案由"),
    gettext_lazy("提案类型"),
    gettext_lazy("提案性质"),
    gettext_lazy("类别"),
    gettext_lazy("届次"),
    gettext_lazy("状态"),
    gettext_lazy("我的身份"),
    gettext_lazy("第一提案人"),
    gettext_lazy("附议人"),
    gettext_lazy("承办单位"),
    gettext_lazy("重点提案"),
    gettext_lazy("优秀提案"),
    gettext_lazy("提交时间"),
    gettext_lazy("最后更新"),
)
WIDTHS = (24, 40, 10, 10, 12, 8, 14, 12, 10, 24, 30, 8, 8, 18, 18)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def build_mine_workbook(rows: Iterable[tuple[Proposal, str]]) -> bytes:
    """One row per (proposal, the caller's role in it); related rows must be preloaded
    (`confirmed_cosigners`, `open_assignments`)."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(
        workbook, title=_("我的提案"), headers=[str(h) for h in HEADERS], widths=WIDTHS
    )
    for proposal, role in rows:
        first = proposal.first_proposer
        cosigners = proposal.confirmed_cosigners  # type: ignore[attr-defined]
        assignments = proposal.open_assignments  # type: ignore[attr-defined]
        sheet.append(
            [
                proposal.number_label
                or (_("草稿") if proposal.status == ProposalStatus.DRAFT else ""),
                proposal.title,
                proposal.get_kind_display(),
                proposal.get_session_type_display() if proposal.session_type else "",
                proposal.category.name if proposal.category else "",
                str(proposal.term),
                proposal.get_status_display(),
                role,
                first.member.name if first else proposal.collective_in_name_of,
                "、".join(c.membership.member.name for c in cosigners),
                "、".join(
                    _("%(unit)s（%(role)s）")
                    % {"unit": a.handling_unit.name, "role": a.get_role_display()}
                    for a in assignments
                ),
                _("是") if proposal.is_key else "",
                _("是") if proposal.excellent_status == ExcellentStatus.SELECTED else "",
                _when(proposal.submitted_at),
                _when(proposal.updated_at),
            ]
        )
    return xlsx_bytes(workbook)
