"""One issue of the 《社情民意》 bulletin as Word (.docx, python-docx) and PDF (fpdf2 with the CJK
font of apps.core.pdf), in the usual layout: the red masthead (刊名, 期号, 编印单位 and date, a
red rule), 本期要目 when the issue carries several reports, each report with its title, text in
indented paragraphs and who reported it, and the 报/送 lines of where the issue was sent.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pdf import FAMILY, cjk_pdf, committee_title

from .models import BulletinIssue, OpinionReport, UpwardSubmission
from .services.bulletin import issue_title

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RED = (0xC0, 0x00, 0x00)
SONG = "宋体"
HEI = "黑体"
FANGSONG = "仿宋"


@dataclass(frozen=True)
class IssueDocument:
    """What both formats print, prepared once."""

    masthead: str
    number_line: str
    publisher: str
    date_line: str
    reports: list[OpinionReport]
    submissions: list[UpwardSubmission]


def credit_line(report: OpinionReport) -> str:
    """（报送：李红梅、王建国　民盟市委） from the report's credits (loaded with it)."""
    names: list[str] = []
    for credit in getattr(report, "all_contributors", []):
        if credit.membership is not None:
            names.append(credit.membership.member.name)
        elif credit.unit is not None:
            names.append(credit.unit.name)
        elif credit.user is not None:
            names.append(credit.user.display_name)
    unique = list(dict.fromkeys(names)) or [_("社情民意信息处")]
    return _("（报送：%(names)s）") % {"names": "、".join(unique)}


def paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    return [line for line in lines if line]


def report_paragraphs(report: OpinionReport) -> list[str]:
    """The report's text as printed: situation, analysis and suggestion, paragraph by
    paragraph (the bulletin prints them as one flowing text)."""
    return [
        *paragraphs(report.situation),
        *paragraphs(report.analysis),
        *paragraphs(report.suggestion),
    ]


def issue_document(
    issue: BulletinIssue, reports: Sequence[OpinionReport], submissions: Sequence[UpwardSubmission]
) -> IssueDocument:
    from .selectors import opinion_settings_for

    settings = opinion_settings_for(issue.committee)
    publisher = settings.bulletin_publisher or _("%(committee)s办公室") % {
        "committee": committee_title(issue.committee.name)
    }
    when = timezone.localtime(issue.published_at) if issue.published_at else None
    number_line = (
        _("第%(number)s期") % {"number": issue.number}
        if issue.number is not None
        else _("（待印发）")
    )
    return IssueDocument(
        masthead=issue_title(issue).strip("《》"),
        number_line=number_line,
        publisher=_("%(publisher)s编") % {"publisher": publisher},
        date_line=f"{when.year}年{when.month}月{when.day}日" if when else "",
        reports=list(reports),
        submissions=list(submissions),
    )


def _distribution(submissions: Sequence[UpwardSubmission]) -> list[str]:
    """报：上级政协（省政协办公厅）  送：党委、政府 … one line per target kind."""
    upward = [s for s in submissions if s.target == "superior_cppcc"]
    sideways = [s for s in submissions if s.target != "superior_cppcc"]

    def names(items: Sequence[UpwardSubmission]) -> str:
        return "、".join(item.recipient or item.get_target_display() for item in items)

    lines = []
    if upward:
        lines.append(_("报：%(names)s") % {"names": names(upward)})
    if sideways:
        lines.append(_("送：%(names)s") % {"names": names(sideways)})
    return lines


# Word -------------------------------------------------------------------------------------------


def _style_run(
    run: object, *, font: str, size: float, bold: bool = False, red: bool = False
) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = font  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    if red:
        run.font.color.rgb = RGBColor(*RED)  # type: ignore[attr-defined]
    properties = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _red_rule(paragraph: object) -> None:
    """A red line under the paragraph (the masthead's rule)."""
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    border = properties.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "18", qn("w:space"): "1", qn("w:color"): "C00000"},
    )
    border.append(bottom)
    properties.append(border)


def build_issue_docx(document: IssueDocument) -> bytes:
    """The issue as a .docx file."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = f"{document.masthead} {document.number_line}"
    doc.core_properties.author = document.publisher

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_run(head.add_run(document.masthead), font=SONG, size=40, bold=True, red=True)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_run(number.add_run(document.number_line), font=FANGSONG, size=16)
    byline = doc.add_paragraph()
    _style_run(byline.add_run(document.publisher), font=FANGSONG, size=14)
    if document.date_line:
        _style_run(byline.add_run("\t" + document.date_line), font=FANGSONG, size=14)
        byline.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), alignment=2)  # right-aligned
    _red_rule(byline)

    if len(document.reports) > 1:
        contents = doc.add_paragraph()
        _style_run(contents.add_run(_("本期要目")), font=HEI, size=14)
        for report in document.reports:
            item = doc.add_paragraph()
            item.paragraph_format.left_indent = Cm(0.8)
            _style_run(item.add_run(f"◆ {report.title}"), font=FANGSONG, size=14)

    for report in document.reports:
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(18)
        title.paragraph_format.space_after = Pt(12)
        _style_run(title.add_run(report.title), font=SONG, size=18, bold=True)
        for text in report_paragraphs(report):
            body = doc.add_paragraph()
            body.paragraph_format.first_line_indent = Pt(32)
            body.paragraph_format.line_spacing = Pt(28)
            _style_run(body.add_run(text), font=FANGSONG, size=16)
        credit = doc.add_paragraph()
        credit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _style_run(credit.add_run(credit_line(report)), font=FANGSONG, size=14)

    lines = _distribution(document.submissions)
    if lines:
        rule = doc.add_paragraph()
        _red_rule(rule)
        for line in lines:
            _style_run(doc.add_paragraph().add_run(line), font=FANGSONG, size=14)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# PDF --------------------------------------------------------------------------------------------


def build_issue_pdf(document: IssueDocument) -> bytes:
    """The issue as a PDF with the Chinese font embedded (apps.core.pdf). Raises
    apps.core.pdf.PdfFontMissing when no Chinese font can be used."""
    from fpdf.enums import WrapMode

    pdf = cjk_pdf(margins=(26, 30, 24))
    pdf.set_title(f"{document.masthead} {document.number_line}")
    pdf.set_author(document.publisher)
    pdf.set_creator(_("政协委员履职平台"))
    pdf.set_lang("zh-CN")

    def footer() -> None:
        pdf.set_y(-14)
        pdf.set_font(FAMILY, "", 9)
        pdf.cell(0, 5, _("第 %(page)s 页") % {"page": pdf.page_no()}, align="C")

    pdf.footer = footer  # type: ignore[method-assign]
    pdf.add_page()
    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, "B", 40)
    pdf.cell(0, 22, document.masthead, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "", 14)
    pdf.cell(0, 9, document.number_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 12)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.cell(width / 2, 8, document.publisher)
    pdf.cell(width / 2, 8, document.date_line, align="R", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.9)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(y + 5)

    if len(document.reports) > 1:
        pdf.set_font(FAMILY, "B", 13)
        pdf.cell(0, 8, _("本期要目"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 12)
        for report in document.reports:
            pdf.multi_cell(
                0, 7, f"◆ {report.title}", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(3)
    for report in document.reports:
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.set_font(FAMILY, "B", 16)
        pdf.multi_cell(
            0, 9, report.title, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(2)
        pdf.set_font(FAMILY, "", 13)
        for text in report_paragraphs(report):
            pdf.multi_cell(
                0,
                8,
                "\u3000\u3000" + text,
                align="J",
                wrapmode=WrapMode.CHAR,
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.set_font(FAMILY, "", 12)
        pdf.cell(0, 8, credit_line(report), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    lines = _distribution(document.submissions)
    if lines:
        y = pdf.get_y() + 2
        pdf.set_draw_color(*RED)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_y(y + 3)
        pdf.set_font(FAMILY, "", 12)
        for line in lines:
            pdf.multi_cell(0, 7, line, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
