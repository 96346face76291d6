"""The proposal list as .xlsx (openpyxl, write-only so memory stays flat for long lists)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.xlsx import xlsx_sheet, xlsx_workbook

from ...models import ANSWERING_ROLES, Proposal

COLUMNS: tuple[tuple[Any, int], ...] = (
    (gettext_lazy("提案号"), 24),
    (gettext_lazy("案由"), 48),
    (gettext_lazy("提案人"), 16),
    (gettext_lazy("联名人"), 24),
    (gettext_lazy("界别"), 14),
    (gettext_lazy("类别"), 12),
    (gettext_lazy("状态"), 14),
    (gettext_lazy("承办单位"), 36),
    (gettext_lazy("办理期限"), 14),
    (gettext_lazy("答复类别"), 10),
    (gettext_lazy("评价"), 28),
    (gettext_lazy("提交日期"), 12),
    (gettext_lazy("重点提案"), 10),
    (gettext_lazy("优秀提案"), 10),
)


def proposer_name(proposal: Proposal) -> str:
    first = proposal.first_proposer
    if first is None:
        return proposal.collective_in_name_of
    return first.member.name


def _cosigners(proposal: Proposal) -> str:
    return "、".join(c.membership.member.name for c in getattr(proposal, "confirmed_cosigners", []))


def _sector(proposal: Proposal) -> str:
    first = proposal.first_proposer
    if first is None or first.sector_id is None:
        return ""
    return first.sector.name  # type: ignore[union-attr]


def _units(assignments: list[Any]) -> str:
    return "、".join(
        _("%(unit)s（%(role)s）") % {"unit": a.handling_unit.name, "role": a.get_role_display()}
        for a in assignments
    )


def _deadline(assignments: list[Any]) -> str:
    answering = [a.deadline for a in assignments if a.role in ANSWERING_ROLES]
    return f"{max(answering):%Y-%m-%d}" if answering else ""


def _result_classes(proposal: Proposal, assignments: list[Any]) -> str:
    classes = {
        reply.result_class
        for assignment in assignments
        for reply in getattr(assignment, "released", [])
        if reply.round == proposal.handling_round
    }
    return "、".join(sorted(classes))


def _rating(proposal: Proposal) -> str:
    ratings = [
        e for e in getattr(proposal, "first_ratings", []) if e.round == proposal.handling_round
    ]
    if not ratings:
        return ""
    rating = ratings[-1]
    if rating.timed_out:
        return _("逾期未评价")
    return _("过程：%(process)s；结果：%(result)s") % {
        "process": rating.get_process_rating_display(),
        "result": rating.get_result_rating_display(),
    }


def proposal_row(proposal: Proposal) -> list[Any]:
    assignments = list(getattr(proposal, "export_assignments", []))
    return [
        proposal.number_label,
        proposal.title,
        proposer_name(proposal),
        _cosigners(proposal),
        _sector(proposal),
        proposal.category.name if proposal.category else "",
        proposal.get_status_display(),
        _units(assignments),
        _deadline(assignments),
        _result_classes(proposal, assignments),
        _rating(proposal),
        f"{proposal.submitted_at:%Y-%m-%d}" if proposal.submitted_at else "",
        _("是") if proposal.is_key else "",
        proposal.get_excellent_status_display() if proposal.excellent_status else "",
    ]


def proposals_xlsx(proposals: Iterable[Proposal], out: IO[bytes]) -> int:
    """Write the proposals to `out` as one sheet; returns the number of rows written."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(
        workbook,
        title=_("提案"),
        headers=[str(title) for title, _width in COLUMNS],
        widths=[width for _title, width in COLUMNS],
    )
    count = 0
    for proposal in proposals:
        sheet.append(proposal_row(proposal))
        count += 1
    workbook.save(out)
    return count
