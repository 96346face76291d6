"""The committee's annual summary (PDF and .docx) carries the leadership dashboard's study
figures (学习培训: courses, participation, texts compiled, reading), read back with pypdf; a
summary whose figures were computed before the study figures existed still builds."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from docx import Document
from pypdf import PdfReader

from apps.dashboards.models import CommitteeSummary
from apps.dashboards.reports import services
from apps.dashboards.reports.documents import build_summary_docx, build_summary_pdf

from .leadership_world import TODAY, YEAR, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


def _pdf_text(content: bytes) -> str:
    """The PDF's text as pypdf reads it, without the spaces and NULs the CJK font's encoding
    leaves between characters."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _world(city, city_term) -> World:
    world = World.build(city, city_term, seed=31, members=8)
    for _round in range(4):
        world.add_course()
        world.add_texts()
        world.add_checkin()
    world.set_course_attendance()
    world.adopt_text()
    world.compile_texts()
    return world


def test_the_annual_summary_pdf_and_docx_say_the_study_figures(city, city_term):
    _world(city, city_term)
    summary = services.summary_build(committee_id=city.pk, year=YEAR)
    assert summary is not None
    study = summary.figures["study"]
    assert study["sessions"] and study["texts"]["submitted"] and study["reading"]["checkins"]
    with default_storage.open(summary.pdf.name, "rb") as handle:
        text = _pdf_text(handle.read())
    part = study["participation"]
    rate = "—" if part["rate"] is None else f"{part['rate']}%"
    texts = study["texts"]
    expected = [
        "四、学习培训",
        f"全年举办学习培训班{study['courses']}个，举办课程{study['sessions']}次",
        f"参训应到{part['invited']}人次，出勤{part['attended']}人次",
        f"请假{part['leave']}人次，缺席{part['absent']}人次，参训出勤率{rate}",
        f"委员提交学习心得等材料{texts['submitted']}篇，采用{texts['adopted']}篇，"
        f"编入汇编{texts['compiled']}篇",
        f"读书打卡{study['reading']['checkins']}次，{study['reading']['members']}位委员参加",
        "五、委员履职考评",
        "七、议题热度",
    ]
    for row in study["kinds"]:
        if row["courses"]:
            expected.append(f"{row['label']}{row['courses']}个（课程{row['sessions']}次）")
    for row in texts["kinds"]:
        if row["submitted"]:
            expected.append(f"{row['label']}{row['submitted']}篇（采用{row['adopted']}篇")
    for line in expected:
        assert line in text, line
    with default_storage.open(summary.docx.name, "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    paragraphs = _squeezed("".join(p.text for p in document.paragraphs))
    for line in expected:
        assert line in paragraphs, line


def test_a_summary_from_figures_without_study_still_builds(city, city_term):
    _world(city, city_term)
    summary = services.summary_build(committee_id=city.pk, year=YEAR, documents=False)
    assert summary is not None
    figures = dict(summary.figures)
    figures.pop("study")
    CommitteeSummary.objects.filter(pk=summary.pk).update(figures=figures)
    summary.refresh_from_db()
    name = services.summary_file_ensure(summary, "pdf")
    with default_storage.open(name, "rb") as handle:
        text = _pdf_text(handle.read())
    assert "四、学习培训" in text and "尚未包含学习培训数据" in text
    assert "一、提案工作" in text
    docx = build_summary_docx(name=city.name, title="政协济南市委员会", year=YEAR, figures=figures)
    assert docx[:2] == b"PK"
    assert build_summary_pdf(name=city.name, title="政协济南市委员会", year=YEAR, figures=figures)
