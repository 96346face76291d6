"""Documents the secretariat hands out: the meeting notice and the published plan as Word
(.docx, python-docx), the attendance sheet as .xlsx, each member's calendar as iCalendar
(`icalendar`), the 码上商量 QR poster as PDF (fpdf2 with the Noto CJK font)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.xlsx import xlsx_bytes, xlsx_sheet, xlsx_workbook

from .models import AnnualPlan, AttendanceStatus, Invitation, Meeting, MeetingStatus


def committee_title(name: str) -> str:
    """济南市政协 → 政协济南市委员会 (the form official documents use)."""
    name = name.strip()
    if name.startswith("政协"):
        return name if name.endswith("委员会") else f"{name}委员会"
    if name.endswith("政协"):
        return f"政协{name[: -len('政协')]}委员会"
    return name


def _span(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    weekday = "一二三四五六日"[start.weekday()]
    if start.date() == end.date():
        return f"{start:%Y年%m月%d日}（星期{weekday}）{start:%H:%M}至{end:%H:%M}"
    return f"{start:%Y年%m月%d日 %H:%M}至{end:%Y年%m月%d日 %H:%M}"


def _place(meeting: Meeting) -> str:
    parts = [meeting.venue.name if meeting.venue else "", meeting.location_note]
    return "，".join(p for p in parts if p) or (_("线上会议") if meeting.online_url else "")


def _docx() -> Any:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    return document


def _heading(document: Any, text: str, size: int = 20, red: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    if red:
        run.font.color.rgb = RGBColor(0xA8, 0x12, 0x1A)


def _bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_docx(meeting: Meeting, invitations: Sequence[Invitation]) -> bytes:
    """The meeting notice (会议通知) in the usual form: red heading, addressees, time, place,
    agenda, what to bring, leave rule, the list of invitees."""
    document = _docx()
    _heading(document, committee_title(meeting.committee.name), 24, red=True)
    _heading(document, _("关于召开%(title)s的通知") % {"title": meeting.title}, 18)
    document.add_paragraph(_("各位委员："))
    document.add_paragraph(
        _("　　经研究，定于%(when)s召开%(title)s。现将有关事项通知如下：")
        % {"when": _span(meeting), "title": meeting.title}
    )
    document.add_paragraph(_("　　一、时间：%(when)s") % {"when": _span(meeting)})
    document.add_paragraph(_("　　二、地点：%(place)s") % {"place": _place(meeting) or "—"})
    if meeting.online_url:
        document.add_paragraph(_("　　线上参会：%(url)s") % {"url": meeting.online_url})
    agenda = meeting.agenda or []
    if agenda:
        document.add_paragraph(_("　　三、议程："))
        for index, item in enumerate(agenda, start=1):
            document.add_paragraph(f"　　（{index}）{item}")
    if meeting.description:
        document.add_paragraph(f"　　{meeting.description}")
    document.add_paragraph(
        _("　　请各位委员在履职平台上答复是否出席；因故不能出席的，请于会前书面请假。")
    )
    if invitations:
        document.add_paragraph(_("　　参会委员（%(count)d人）：") % {"count": len(invitations)})
        names = "、".join(i.membership.member.name for i in invitations)
        document.add_paragraph(f"　　{names}")
    sent = timezone.localtime(meeting.notice_sent_at) if meeting.notice_sent_at else None
    document.add_paragraph("")
    paragraph = document.add_paragraph(committee_title(meeting.committee.name))
    paragraph.alignment = 2  # right
    paragraph = document.add_paragraph(f"{(sent or timezone.localtime()):%Y年%m月%d日}")
    paragraph.alignment = 2
    return _bytes(document)


def plan_docx(plan: AnnualPlan, rows: Iterable[Any]) -> bytes:
    """The annual consultation plan as a Word document: title, introduction and a table of
    topics (议题, 形式, 牵头单位, 时间, 参与部门)."""
    document = _docx()
    _heading(document, committee_title(plan.committee.name), 22, red=True)
    _heading(document, plan.title, 18)
    if plan.introduction:
        for line in plan.introduction.splitlines():
            document.add_paragraph(f"　　{line}")
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [_("序号"), _("协商议题"), _("协商形式"), _("牵头单位"), _("计划时间"), _("参与部门")],
        strict=True,
    ):
        cell.text = text
    for index, row in enumerate(rows, start=1):
        topic = row.topic
        cells = table.add_row().cells
        values = [
            str(index),
            topic.title,
            topic.form.name,
            topic.lead_special_committee.name if topic.lead_special_committee else "",
            _("%(month)d月") % {"month": topic.planned_month},
            topic.departments,
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return _bytes(document)


ATTENDANCE_HEADERS = (
    "序号",
    "姓名",
    "界别",
    "答复",
    "请假",
    "签到时间",
    "签到方式",
    "离会时间",
    "出勤",
    "备注",
)


def attendance_xlsx(meeting: Meeting, invitations: Sequence[Invitation]) -> bytes:
    """The attendance sheet: one row per invitee with the answer, leave, check-in and the
    final status."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(
        workbook,
        title=_("签到表"),
        headers=[_(h) for h in ATTENDANCE_HEADERS],
        widths=[6, 12, 18, 10, 12, 18, 14, 18, 10, 24],
    )
    labels = dict(AttendanceStatus.choices)
    for index, row in enumerate(invitations, start=1):
        leave = row.all_leave_requests[0] if getattr(row, "all_leave_requests", None) else None  # type: ignore[attr-defined]
        sheet.append(
            [
                index,
                row.membership.member.name,
                row.membership.sector.name,
                row.get_answer_display(),
                leave.get_status_display() if leave else "",
                _time(row.checked_in_at),
                row.get_check_in_method_display() if row.check_in_method else "",
                _time(row.left_at),
                str(labels.get(row.attendance, "")) if row.attendance else "",
                row.attendance_note,
            ]
        )
    return xlsx_bytes(workbook)


def _time(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def ical_feed(invitations: Iterable[Invitation], *, name: str, base_url: str) -> bytes:
    """The member's meetings as an iCalendar (RFC 5545) feed. A meeting's UID stays the same
    across reschedules (SEQUENCE is its schedule version); cancelled ones are CANCELLED."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//zhengxie//consultations//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for invitation in invitations:
        meeting = invitation.meeting
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@zhengxie")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("dtstamp", stamp)
        event.add("sequence", meeting.schedule_version)
        place = _place(meeting)
        if place:
            event.add("location", place)
        event.add("url", f"{base_url}/consultations/meetings/{meeting.pk}/")
        event.add("description", meeting.form.name)
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()


def _pdf_fonts() -> tuple[str, str, int]:
    from pathlib import Path

    from django.conf import settings

    regular = Path(
        getattr(settings, "PROPOSAL_PDF_FONT", "")
        or "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    )
    if not regular.is_file():
        regular = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    bold = Path(getattr(settings, "PROPOSAL_PDF_FONT_BOLD", "") or regular)
    index = int(getattr(settings, "PROPOSAL_PDF_FONT_INDEX", 2))
    return str(regular), str(bold if bold.is_file() else regular), index


def poster_pdf(*, title: str, introduction: str, url: str, committee: str, until: str) -> bytes:
    """The 码上商量 poster (A4): the committee, the topic, a large QR code of the public page,
    the address in words and the closing date. The CJK font is Debian's Noto CJK (the same
    settings as the proposal form)."""
    import logging

    import qrcode
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    regular, bold, index = _pdf_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("cjk", "", regular, collection_font_number=index)
    pdf.add_font("cjk", "B", bold, collection_font_number=index)
    pdf.add_page()
    pdf.set_fill_color(168, 18, 26)
    pdf.rect(0, 0, 210, 38, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("cjk", "B", 26)
    pdf.set_xy(10, 9)
    pdf.cell(190, 12, _("码上商量"), align="C")
    pdf.set_font("cjk", "", 14)
    pdf.set_xy(10, 23)
    pdf.cell(190, 8, committee_title(committee), align="C")
    pdf.set_text_color(26, 26, 26)
    pdf.set_font("cjk", "B", 20)
    pdf.set_xy(15, 48)
    pdf.multi_cell(180, 10, title, align="C")
    pdf.set_font("cjk", "", 12)
    pdf.set_x(20)
    pdf.multi_cell(170, 7, introduction[:300], align="L")
    image = qrcode.make(url, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf.image(buffer, x=55, y=pdf.get_y() + 6, w=100, h=100)
    pdf.set_y(pdf.get_y() + 112)
    pdf.set_font("cjk", "B", 16)
    pdf.cell(
        0, 10, _("微信或手机相机扫码，留下您的意见建议"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("cjk", "", 11)
    pdf.cell(0, 7, url, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, _("征集截止：%(until)s") % {"until": until}, align="C")
    return bytes(pdf.output())


def comments_xlsx(consultation: Any, comments: Iterable[Any]) -> bytes:
    """Every comment of an online consultation with its moderation state."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(
        workbook,
        title=_("留言"),
        headers=[_("序号"), _("时间"), _("署名"), _("委员"), _("内容"), _("状态"), _("审核理由")],
        widths=[6, 18, 12, 12, 80, 10, 24],
    )
    for index, comment in enumerate(comments, start=1):
        sheet.append(
            [
                index,
                _time(comment.created_at),
                comment.author_name,
                comment.membership.member.name if comment.membership_id else "",
                comment.body,
                comment.get_status_display(),
                comment.moderation_reason,
            ]
        )
    return xlsx_bytes(workbook)
