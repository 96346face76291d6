"""The compilation's .docx (python-docx) and PDF (pypdf): title, preface, 目录 with each
text's position, title and author with their position, then the texts in the chosen order —
the edited version where the editor made one."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.study import services

pytestmark = pytest.mark.django_db

TITLES = {
    "member": "把握性质定位　提升履职本领",
    "other": "在学习中提高　在实践中成长",
    "standing": "守正创新　提高协商议政质量",
}


@pytest.fixture
def compiled(build, member_user, other_member_user, standing_user, liaison_user):
    request = build.request(member_user, other_member_user, standing_user)
    texts = {
        "member": build.submitted(request, member_user, TITLES["member"], "李红梅的心得正文。"),
        "other": build.submitted(request, other_member_user, TITLES["other"], "王建国的心得正文。"),
        "standing": build.submitted(
            request, standing_user, TITLES["standing"], "陈志强的心得正文。"
        ),
    }
    services.submission_edit(
        user=liaison_user,
        submission_id=texts["other"].pk,
        edited_title=TITLES["other"],
        edited_body="王建国的心得正文（编辑稿）。",
    )
    compilation = services.compilation_create(
        user=liaison_user, title="新任委员培训班学习心得汇编", preface="现将委员学习心得汇编成册。"
    )
    order = [texts["standing"].pk, texts["member"].pk, texts["other"].pk]
    services.compilation_set_entries(
        user=liaison_user, compilation_id=compilation.pk, submission_ids=order
    )
    return compilation


EXPECTED_TOC = [
    "1. 守正创新　提高协商议政质量　陈志强（市政协常委，民盟）",
    "2. 把握性质定位　提升履职本领　李红梅（市政协委员，无党派）",
    "3. 在学习中提高　在实践中成长　王建国（市政协委员，无党派）",
]


def _download(client, user, compilation, fmt):
    client.force_login(user)
    response = client.get(reverse("study:compilation_download", args=[compilation.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_docx_order_and_table_of_contents(client, liaison_user, compiled):
    from docx import Document

    document = Document(io.BytesIO(_download(client, liaison_user, compiled, "docx")))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    assert texts[0] == "新任委员培训班学习心得汇编"
    assert "2026年第1期（共3篇）" in texts
    assert "现将委员学习心得汇编成册。" in texts
    start = texts.index("目录") + 1
    assert texts[start : start + 3] == EXPECTED_TOC
    headings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert headings == [TITLES["standing"], TITLES["member"], TITLES["other"]]
    assert "王建国的心得正文（编辑稿）。" in texts  # the edited version is printed
    assert "王建国的心得正文。" not in texts
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    ).startswith("仿宋")
    assert AuditEvent.objects.filter(verb="study_compilation_export").count() == 1


def test_pdf_text_in_order(client, liaison_user, compiled):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_download(client, liaison_user, compiled, "pdf")))
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))
    for line in EXPECTED_TOC:
        assert re.sub(r"\s+", "", line) in text
    toc_end = text.index("王建国（市政协委员，无党派）") + 1
    body = text[toc_end:]
    positions = [
        body.index(re.sub(r"\s+", "", TITLES[key])) for key in ("standing", "member", "other")
    ]
    assert positions == sorted(positions)
    assert "王建国的心得正文（编辑稿）。" in text
