"""A compilation (汇编) as Word (.docx, python-docx) and PDF (fpdf2 with the CJK font of
apps.core.pdf): the title with its 第N期 line, the preface (编者按), 目录 listing each text's
position, title and author with their position ("张三（市政协委员，民盟）"), then the texts in
order, each with its title, author line and paragraphs. The edited version of a text is printed
when there is one."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.pdf import FAMILY, cjk_pdf, committee_title

from .models import Compilation, CompilationEntry
from .selectors import author_line

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SONG = "宋体"
HEI = "黑体"
FANGSONG = "仿宋_GB2312"


@dataclass(frozen=True)
class Text:
    position: int
    title: str
    author: str
    paragraphs: list[str]


@dataclass(frozen=True)
class CompilationDocument:
    title: str
    number_line: str
    publisher: str
    preface: list[str]
    texts: list[Text]


def paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    return [line for line in lines if line]


def compilation_document(
    compilation: Compilation, entries: Sequence[CompilationEntry]
) -> CompilationDocument:
    texts = [
        Text(
            position=entry.position,
            title=entry.submission.final_title,
            author=author_line(entry.submission.membership),
            paragraphs=paragraphs(entry.submission.final_body),
        )
        for entry in entries
    ]
    return CompilationDocument(
        title=compilation.title,
        number_line=_("%(year)s年第%(number)s期（共%(n)s篇）")
        % {"year": compilation.year, "number": compilation.number, "n": len(texts)},
        publisher=_("%(committee)s委员联络处编")
        % {"committee": committee_title(compilation.committee.name)},
        preface=paragraphs(compilation.preface),
        texts=texts,
    )


# Word -------------------------------------------------------------------------------------------


def _east_asian(element: object, font: str) -> None:
    """Set the East Asian font (w:eastAsia) that Word uses for Chinese characters."""
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _set_style(doc: object, name: str, font: str, size: float, bold: bool = False) -> None:
    from docx.shared import Pt

    style = doc.styles[name]  # type: ignore[attr-defined]
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = bold
    _east_asian(style.element, font)


def build_docx(document: CompilationDocument) -> bytes:
    """The compilation as a .docx file, Chinese fonts set in the document's styles."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.publisher
    _set_style(doc, "Normal", FANGSONG, 16)
    _set_style(doc, "Title", SONG, 22, bold=True)
    _set_style(doc, "Heading 1", HEI, 16, bold=True)
    _set_style(doc, "Heading 2", SONG, 18, bold=True)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = None  # black, not the theme's blue

    title = doc.add_paragraph(document.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = doc.add_paragraph(document.number_line)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    publisher = doc.add_paragraph(document.publisher)
    publisher.alignment = WD_ALIGN_PARAGRAPH.CENTER

    if document.preface:
        doc.add_paragraph(_("编者按"), style="Heading 1")
        for line_text in document.preface:
            paragraph = doc.add_paragraph(line_text)
            paragraph.paragraph_format.first_line_indent = Pt(32)

    doc.add_paragraph(_("目录"), style="Heading 1")
    for text in document.texts:
        line = doc.add_paragraph(f"{text.position}. {text.title}　{text.author}")
        line.paragraph_format.left_indent = Cm(0.5)

    for text in document.texts:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = doc.add_paragraph(text.title, style="Heading 2")
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        author = doc.add_paragraph(text.author)
        author.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for body in text.paragraphs:
            paragraph = doc.add_paragraph(body)
            paragraph.paragraph_format.first_line_indent = Pt(32)
            paragraph.paragraph_format.line_spacing = Pt(28)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# PDF --------------------------------------------------------------------------------------------


def build_pdf(document: CompilationDocument) -> bytes:
    """The compilation as a PDF with the Chinese font embedded (apps.core.pdf). Raises
    apps.core.pdf.PdfFontMissing when no Chinese font can be used."""
    from fpdf.enums import WrapMode

    pdf = cjk_pdf(margins=(26, 30, 24))
    pdf.set_title(document.title)
    pdf.set_author(document.publisher)
    pdf.set_creator(_("政协委员履职平台"))
    pdf.set_lang("zh-CN")

    def footer() -> None:
        pdf.set_y(-14)
        pdf.set_font(FAMILY, "", 9)
        pdf.cell(0, 5, _("第 %(page)s 页") % {"page": pdf.page_no()}, align="C")

    pdf.footer = footer  # type: ignore[method-assign]

    def block(
        text: str, size: float, *, bold: bool = False, align: str = "J", h: float = 8
    ) -> None:
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.multi_cell(
            0, h, text, align=align, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
        )

    pdf.add_page()
    pdf.ln(20)
    block(document.title, 22, bold=True, align="C", h=12)
    block(document.number_line, 14, align="C")
    block(document.publisher, 14, align="C")
    pdf.ln(8)
    if document.preface:
        block(_("编者按"), 15, bold=True)
        for line_text in document.preface:
            block("\u3000\u3000" + line_text, 13)
        pdf.ln(4)
    block(_("目录"), 15, bold=True)
    for text in document.texts:
        block(f"{text.position}. {text.title}　{text.author}", 12, align="L", h=7)
    for text in document.texts:
        pdf.add_page()
        block(text.title, 16, bold=True, align="C", h=9)
        block(text.author, 12, align="C")
        pdf.ln(2)
        for body in text.paragraphs:
            block("\u3000\u3000" + body, 13)
    return bytes(pdf.output())
