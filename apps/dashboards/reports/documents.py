"""The printable annual documents: a member's 年度履职报告 (PDF) and the committee's annual
summary (PDF and .docx). The Chinese font comes from apps.core.pdf (cjk_pdf), the committee's
printed name from its committee_title."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from apps.core.pdf import FAMILY, cjk_pdf

RED = (168, 18, 26)
INK = (26, 26, 26)
GREY = (74, 74, 74)
FILL = (244, 244, 244)


def _pdf(title: str, author: str) -> Any:
    pdf = cjk_pdf(margins=(20, 18, 20))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator(_("政协委员履职平台"))
    pdf.set_lang("zh-CN")

    def footer() -> None:
        pdf.set_y(-14)
        pdf.set_font(FAMILY, "", 9)
        pdf.set_text_color(*GREY)
        pdf.cell(0, 5, _("第 %(page)s 页") % {"page": pdf.page_no()}, align="C")
        pdf.set_text_color(*INK)

    pdf.footer = footer
    return pdf


def _heading(pdf: Any, text: str) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "", 11)


def _paragraph(pdf: Any, text: str, *, size: int = 11, height: float = 6.5) -> None:
    from fpdf.enums import WrapMode

    pdf.set_font(FAMILY, "", size)
    pdf.multi_cell(0, height, text, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")


def _rows(pdf: Any, rows: list[tuple[str, str, str]]) -> None:
    """A three-column table (date, what, note) that wraps its middle column."""
    from fpdf.enums import WrapMode

    if not rows:
        return
    width = pdf.w - pdf.l_margin - pdf.r_margin
    with pdf.table(
        col_widths=(22, width - 22 - 52, 52),
        text_align=("LEFT", "LEFT", "LEFT"),
        line_height=6,
        wrapmode=WrapMode.CHAR,
        headings_style=None,
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for date, label, note in rows:
            row = table.row()
            row.cell(date)
            row.cell(label)
            row.cell(note)


def build_report_pdf(content: dict[str, Any]) -> bytes:
    """A member's 年度履职报告 as PDF: title block, basics, each section's totals and records,
    the score with its breakdown and grade, and for 常委 the submitted 述职 text."""
    basics = content["basics"]
    title = _("%(name)s %(year)s年度履职报告") % {"name": basics["name"], "year": content["year"]}
    pdf = _pdf(title, content["committee_title"])
    pdf.add_page()
    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(0, 12, content["committee_title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(
        0,
        11,
        _("委员%(year)s年度履职报告") % {"year": content["year"]},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*INK)
    pdf.ln(3)
    _heading(pdf, _("一、基本情况"))
    facts = [
        (_("姓名"), basics["name"]),
        (_("性别"), basics["gender"]),
        (_("界别"), basics["sector"]),
        (_("政治面貌"), basics["party"]),
        (_("职务"), basics["position"]),
        (_("专门委员会"), "、".join(basics["special_committees"]) or "—"),
        (
            _("工作单位及职务"),
            " ".join(p for p in (basics["work_unit"], basics["job_title"]) if p) or "—",
        ),
        (_("推荐单位"), basics.get("nominated_by") or "—"),
        (_("届次"), basics["term"]),
    ]
    width = pdf.w - pdf.l_margin - pdf.r_margin
    with pdf.table(
        col_widths=(34, width - 34),
        line_height=7,
        first_row_as_headings=False,
        borders_layout="ALL",
    ) as table:
        for label, value in facts:
            row = table.row()
            row.cell(label)
            row.cell(value)
    numbers = ["二", "三", "四", "五", "六", "七"]
    for index, section in enumerate(content["sections"]):
        _heading(pdf, f"{numbers[index]}、{section['title']}")
        _paragraph(pdf, section["summary"])
        _rows(pdf, [(row["date"], row["label"], row["note"]) for row in section["rows"]])
    score = content["score"]
    _heading(pdf, _("八、量化考评"))
    if score["total"] is None:
        _paragraph(pdf, _("本年度尚未计分。"))
    else:
        line = _("得分 %(total)s 分，等次：%(grade)s。") % {
            "total": score["total"],
            "grade": score["grade"] or "—",
        }
        if score["rank"]:
            line += score["rank"] + _("。")
        if score["rule_set"]:
            line += _("（按“%(rules)s”计分）") % {"rules": score["rule_set"]}
        _paragraph(pdf, line)
        for category in score["breakdown"]["categories"]:
            _paragraph(
                pdf,
                _("%(name)s：%(subtotal)s 分")
                % {"name": category["name"], "subtotal": category["subtotal"]},
            )
            _rows(
                pdf,
                [
                    ("", item["label"], f"{item['points']} {item['note']}".strip())
                    for item in category["lines"]
                ],
            )
        for item in score["breakdown"]["minimums"]:
            mark = _("已完成") if item["met"] else _("未完成")
            _paragraph(
                pdf,
                _("最低要求“%(label)s”：%(done)s / %(required)s，%(mark)s")
                % {**item, "mark": mark},
            )
    statement = content.get("statement")
    if statement:
        _heading(pdf, _("九、述职报告"))
        for text in [line.strip() for line in statement.splitlines() if line.strip()]:
            _paragraph(pdf, "\u3000\u3000" + text, size=12, height=7.5)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def _summary_lines(name: str, year: int, figures: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The annual summary's sections as (heading, paragraphs), shared by PDF and .docx."""
    p = figures["proposals"]
    o = figures["opinions"]
    c = figures["consultations"]
    a = figures["attendance"]
    s = figures["scores"]

    def rate(value: Any) -> str:
        return "—" if value is None else f"{value}%"

    def listed(lead: str, parts: list[str], separator: str = "、") -> str:
        return lead + ("：" + separator.join(parts) if parts else "") + "。"

    study = figures.get("study")
    if study is None:  # figures computed before the study figures existed
        study_lines = [_("本统计生成时尚未包含学习培训数据，更新履职看板统计后重新生成即可。")]
    else:
        held = [row for row in study["kinds"] if row["courses"] or row["sessions"]]
        part = study["participation"]
        texts = study["texts"]
        written = [row for row in texts["kinds"] if row["submitted"]]
        study_lines = [
            listed(
                _("全年举办学习培训班 %(courses)s 个，举办课程 %(sessions)s 次") % study,
                [_("%(label)s %(courses)s 个（课程 %(sessions)s 次）") % row for row in held],
            ),
            _(
                "参训应到 %(invited)s 人次，出勤 %(attended)s 人次（其中迟到 %(late)s、"
                "早退 %(early)s），请假 %(leave)s 人次，缺席 %(absent)s 人次，"
                "参训出勤率 %(rate)s。"
            )
            % {**part, "rate": rate(part["rate"])},
            listed(
                _(
                    "委员提交学习心得等材料 %(submitted)s 篇，采用 %(adopted)s 篇，"
                    "编入汇编 %(compiled)s 篇"
                )
                % texts,
                [
                    _("%(label)s %(submitted)s 篇（采用 %(adopted)s 篇，编入汇编 %(compiled)s 篇）")
                    % row
                    for row in written
                ],
                "；",
            ),
            _("读书打卡 %(checkins)s 次，%(members)s 位委员参加。") % study["reading"],
        ]

    sections = [
        (
            _("一、提案工作"),
            [
                _(
                    "全年收到提案 %(received)s 件，立案 %(accepted)s 件，立案率 %(rate)s；"
                    "重点提案 %(key)s 件，优秀提案 %(excellent)s 件。"
                )
                % {**p, "rate": rate(p["accept_rate"])},
                _(
                    "交办件中按期办复 %(on_time)s 件、逾期办复 %(late)s 件、"
                    "超期未办复 %(overdue)s 件，"
                    "按期办复率 %(rate)s；提案人评价满意率 %(satisfaction)s。"
                )
                % {
                    **p["handling"],
                    "rate": rate(p["handling"]["rate"]),
                    "satisfaction": rate(p["satisfaction"]["rate"]),
                },
                _("答复办理结果：A类 %(A)s 件，B类 %(B)s 件，C类 %(C)s 件。") % p["classes"],
            ],
        ),
        (
            _("二、社情民意信息工作"),
            [
                _(
                    "全年收到社情民意信息 %(received)s 篇，编发 %(used)s 篇，"
                    "被上级采用 %(upper)s 篇，"
                    "获领导批示 %(instructions)s 次。"
                )
                % o,
                "；".join(_("%(name)s %(count)s 篇") % level for level in o["levels"]) + "。",
            ],
        ),
        (
            _("三、协商议政"),
            [
                _("全年召开各类会议和活动 %(total)s 场：") % c
                + "、".join(_("%(name)s %(count)s 场") % form for form in c["forms"])
                + "。",
                _("年度协商计划议题 %(total)s 个，其中：") % (c["plan"] or {"total": 0})
                + "、".join(
                    _("%(label)s %(count)s 个") % row
                    for row in (c["plan"] or {}).get("progress", [])
                )
                + "。",
                _("委员总出勤率 %(rate)s。") % {"rate": rate(a["rate"])},
            ],
        ),
        (_("四、学习培训"), study_lines),
        (
            _("五、委员履职考评"),
            [
                _("参加考评委员 %(members)s 人，已计分 %(computed)s 人，平均得分 %(average)s。")
                % {**s, "average": s["average"] if s["average"] is not None else "—"},
                "；".join(_("%(label)s %(count)s 人") % band for band in s["bands"]) + "。",
                _("低于合格线或未完成最低履职要求的委员 %(n)s 人。") % {"n": s["lagging_total"]},
            ],
        ),
        (
            _("六、承办单位办理情况（按期办复率前十）"),
            [
                _(
                    "%(rank)s. %(name)s：交办 %(assignments)s 件，"
                    "按期办复率 %(rate)s，满意率 %(s)s。"
                )
                % {**unit, "rate": rate(unit["rate"]), "s": rate(unit["satisfaction_rate"])}
                for unit in figures["units"][:10]
            ]
            or [_("本年度暂无交办的提案。")],
        ),
        (
            _("七、议题热度"),
            [
                f"{quarter['label']}：" + ("、".join(k["word"] for k in quarter["keywords"]) or "—")
                for quarter in figures["topics"]
            ],
        ),
    ]
    return sections


def build_summary_pdf(*, name: str, title: str, year: int, figures: dict[str, Any]) -> bytes:
    """The committee's annual summary as PDF."""
    pdf = _pdf(_("%(name)s %(year)s年度工作统计") % {"name": name, "year": year}, title)
    pdf.add_page()
    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 17)
    pdf.cell(
        0,
        11,
        _("%(year)s年度履职工作统计") % {"year": year},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*INK)
    headline = figures["headline"]
    _paragraph(
        pdf,
        _("本年度在任委员 %(members)s 人。以下数据来自履职看板的年度统计。") % headline,
    )
    for heading, paragraphs in _summary_lines(name, year, figures):
        _heading(pdf, heading)
        for text in paragraphs:
            _paragraph(pdf, text)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def build_summary_docx(*, name: str, title: str, year: int, figures: dict[str, Any]) -> bytes:
    """The committee's annual summary as .docx (for the secretariat to edit into its report)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    document.add_heading(title, level=0)
    document.add_heading(_("%(year)s年度履职工作统计") % {"year": year}, level=1)
    document.add_paragraph(
        _("本年度在任委员 %(members)s 人。以下数据来自履职看板的年度统计。") % figures["headline"]
    )
    for heading, paragraphs in _summary_lines(name, year, figures):
        document.add_heading(heading, level=2)
        for text in paragraphs:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
