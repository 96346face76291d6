"""The printable proposal (提案表) as PDF, in the standard form: title block
“政协某某市委员会提案”, 提案号 / 届次 / 类别, 案由, 提案人 (first proposer and co-signers with
sector and work unit), 情况与分析, 具体建议, 审查意见, 交办单位.

The fonts come from apps.core.pdf (cjk_pdf): Noto Serif CJK with a fallback chain for rare
name characters (CJK Extension B–F, emoji) and a visible 〓 for anything still missing, read
once per process. The settings PROPOSAL_PDF_FONT / _BOLD / _INDEX are still read there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pdf import FAMILY, PdfFontMissing, cjk_pdf, committee_title

__all__ = ["PdfFontMissing", "build_proposal_pdf", "committee_title", "review_opinion"]

from .models import AssignmentStatus, Proposal, ProposalKind, ProposalStatus, RejectionReason

RED = (168, 18, 26)
INK = (26, 26, 26)
LABEL_FILL = (244, 244, 244)
LABEL_WIDTH = 30.0


def review_opinion(proposal: Proposal) -> str:
    """审查意见 as printed: the review outcome and the office's note."""
    note = proposal.review_note.strip()
    status = proposal.status
    if status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN):
        return _("（尚未审查）")
    if status == ProposalStatus.MERGED:
        lead = proposal.merged_into.number_label if proposal.merged_into else ""
        text = (
            _("予以立案，并入%(number)s并案办理。") % {"number": lead}
            if lead
            else _("予以立案，并案办理。")
        )
    elif status in (ProposalStatus.REJECTED, ProposalStatus.TRANSFER_PENDING):
        reason = (
            RejectionReason(proposal.rejection_reason).label if proposal.rejection_reason else ""
        )
        text = _("不予立案（%(reason)s）。") % {"reason": reason} if reason else _("不予立案。")
    elif status == ProposalStatus.TRANSFERRED:
        target = proposal.get_transfer_to_display()
        text = _("不予立案，经提案人同意转为%(target)s处理。") % {"target": target}
    else:
        text = _("予以立案。")
    return f"{text}{note}" if note else text


def _units(assignments: Sequence[Any]) -> str:
    names = [
        _("%(unit)s（%(role)s）") % {"unit": a.handling_unit.name, "role": a.get_role_display()}
        for a in assignments
        if a.status != AssignmentStatus.RETURNED
    ]
    return "、".join(names) or _("（尚未交办）")


def _session_label(proposal: Proposal) -> str:
    parts = [str(proposal.term)]
    if proposal.plenary_session_id and proposal.plenary_session is not None:
        parts.append(proposal.plenary_session.name)
    if proposal.session_type:
        parts.append(proposal.get_session_type_display())
    return " · ".join(parts)


def _paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return [line for line in lines if line]


class _ProposalPdf:
    def __init__(self) -> None:
        self.pdf = cjk_pdf(margins=(20, 18, 20))

    def footer(self, printed: str) -> None:
        pdf = self.pdf

        def draw() -> None:
            pdf.set_y(-13)
            pdf.set_font(FAMILY, "", 9)
            pdf.set_text_color(*INK)
            text = _("第 %(page)s 页 共 %(pages)s 页　　打印时间：%(printed)s") % {
                "page": pdf.page_no(),
                "pages": "{nb}",  # fpdf2 puts the page count here
                "printed": printed,
            }
            pdf.cell(0, 5, text, align="C")

        pdf.footer = draw  # type: ignore[method-assign]

    def title_block(self, committee: str) -> None:
        pdf = self.pdf
        pdf.set_text_color(*RED)
        pdf.set_font(FAMILY, "B", 24)
        pdf.cell(
            0,
            14,
            _("%(committee)s提案") % {"committee": committee},
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        y = pdf.get_y() + 2
        pdf.set_draw_color(*RED)
        pdf.set_line_width(0.8)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, y + 1.2, pdf.w - pdf.r_margin, y + 1.2)
        pdf.set_y(y + 5)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.2)

    def grid(self, rows: list[tuple[str, str]], *, bold_values: bool = False) -> None:
        """Label-value rows (a label column on grey, the value beside it)."""
        from fpdf.enums import WrapMode
        from fpdf.fonts import FontFace

        pdf = self.pdf
        pdf.set_font(FAMILY, "", 11.5)
        label_style = FontFace(family=FAMILY, emphasis="BOLD", fill_color=LABEL_FILL)
        value_style = FontFace(family=FAMILY, emphasis="BOLD" if bold_values else "")
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        with pdf.table(
            col_widths=(LABEL_WIDTH, usable - LABEL_WIDTH),
            width=usable,
            first_row_as_headings=False,
            text_align=("CENTER", "LEFT"),
            wrapmode=WrapMode.CHAR,
            line_height=7,
            padding=(1.5, 2, 1.5, 2),
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label, style=label_style)
                row.cell(value or "—", style=value_style)
        pdf.ln(3)

    def signatories(self, people: Sequence[Any], collective: str) -> None:
        from fpdf.enums import WrapMode
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self.heading(_("提案人"))
        pdf.set_font(FAMILY, "", 11)
        if collective:
            pdf.multi_cell(0, 7, collective, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        if not people:
            return
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        heading = FontFace(family=FAMILY, emphasis="BOLD", fill_color=LABEL_FILL)
        with pdf.table(
            col_widths=(14, 26, 26, 36, usable - 102),
            width=usable,
            headings_style=heading,
            text_align=("CENTER", "CENTER", "CENTER", "LEFT", "LEFT"),
            wrapmode=WrapMode.CHAR,
            line_height=6.5,
            padding=(1.2, 1.5, 1.2, 1.5),
        ) as table:
            header = table.row()
            for title in (_("序号"), _("姓名"), _("身份"), _("界别"), _("工作单位及职务")):
                header.cell(title)
            for number, person in enumerate(people, start=1):
                row = table.row()
                for value in (
                    str(number),
                    person.name,
                    person.role,
                    person.sector,
                    person.work_unit,
                ):
                    row.cell(value or "—")
        pdf.ln(3)

    def heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.set_font(FAMILY, "B", 13)
        pdf.set_fill_color(*LABEL_FILL)
        pdf.cell(0, 8, f" {text}", fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def section(self, title: str, text: str) -> None:
        from fpdf.enums import WrapMode

        pdf = self.pdf
        self.heading(title)
        pdf.set_font(FAMILY, "", 12)
        paragraphs = _paragraphs(text) or [_("（未填写）")]
        for paragraph in paragraphs:
            # A Chinese paragraph opens with a two-character indent.
            pdf.multi_cell(
                0,
                7.5,
                "\u3000\u3000" + paragraph,
                wrapmode=WrapMode.CHAR,
                align="J",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(3)


def build_proposal_pdf(
    *, proposal: Proposal, signatories: Sequence[Any], assignments: Sequence[Any]
) -> bytes:
    """The proposal form as PDF bytes. `proposal` comes from `proposal_get_for_user` (committee,
    term, session and category loaded), `signatories` from `proposal_signatories`. Raises
    PdfFontMissing when no Chinese font can be used."""
    document = _ProposalPdf()
    pdf = document.pdf
    title = proposal.title or _("（案由未填写）")
    committee = committee_title(proposal.committee.name)
    pdf.set_title(title)
    pdf.set_subject(_("%(committee)s提案") % {"committee": committee})
    pdf.set_author(committee)
    pdf.set_creator(_("政协委员履职平台"))
    pdf.set_lang("zh-CN")
    document.footer(timezone.localtime().strftime("%Y年%m月%d日 %H:%M"))
    pdf.add_page()
    document.title_block(committee)
    submitted = (
        timezone.localtime(proposal.submitted_at).strftime("%Y年%m月%d日")
        if proposal.submitted_at
        else _("（未提交）")
    )
    document.grid(
        [
            (_("提案号"), proposal.number_label or _("（立案后编号）")),
            (_("届次"), _session_label(proposal)),
            (_("类别"), proposal.category.name if proposal.category else ""),
            (_("提案类型"), proposal.get_kind_display()),
            (_("提交日期"), submitted),
        ]
    )
    document.grid([(_("案由"), title)], bold_values=True)
    collective = ""
    if proposal.kind == ProposalKind.COLLECTIVE:
        sponsor = proposal.get_collective_sponsor_display() if proposal.collective_sponsor else ""
        name = proposal.collective_in_name_of or _("（未填写署名）")
        collective = (
            _("以%(name)s名义提出（%(sponsor)s）") % {"name": name, "sponsor": sponsor}
            if sponsor
            else _("以%(name)s名义提出") % {"name": name}
        )
    document.signatories(signatories, collective)
    document.section(_("情况与分析"), proposal.grounds)
    document.section(_("具体建议"), proposal.suggestions)
    document.grid([(_("审查意见"), review_opinion(proposal)), (_("交办单位"), _units(assignments))])
    return bytes(pdf.output())
