"""The issue as Word and PDF: the .docx opens with python-docx and holds the masthead, the
number and the reports' text in the issue's order; the PDF embeds the Chinese font."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from apps.opinions import services
from apps.opinions.documents import build_issue_docx, build_issue_pdf, issue_document
from apps.opinions.selectors.bulletin import issue_get

pytestmark = pytest.mark.django_db

FIRST = {
    "title": "关于加强农村留守老人关爱服务的情况反映",
    "situation": "据调查，我市农村留守老人约三万人，独居比例较高。\n部分村卫生室缺医少药。",
    "analysis": "农村养老服务设施覆盖不足。",
    "suggestion": "一是推广互助幸福院；二是开展定期巡访。",
}
SECOND = {
    "title": "关于规范校外培训机构收费的建议",
    "situation": "部分校外培训机构预收费用周期过长，退费难。",
    "analysis": "",
    "suggestion": "建议推行预收费资金监管。",
}


@pytest.fixture
def published(build):
    issue = services.issue_create(user=build.editor)
    for text in (FIRST, SECOND):
        report = build.signed(**text)
        services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=report.pk)
    services.issue_publish(user=build.editor, issue_id=issue.pk)
    return issue_get(user=build.editor, issue_id=issue.pk)


def _paragraph_texts(content: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def test_docx_holds_the_reports_text_in_order(published, client, editor):
    client.force_login(editor)
    response = client.get(reverse("opinions:issue_docx", args=[published.pk]))
    assert response.status_code == 200
    texts = _paragraph_texts(response.content)
    assert texts[0] == "社情民意"
    assert "第1期" in texts
    expected = [
        FIRST["title"],
        "据调查，我市农村留守老人约三万人，独居比例较高。",
        "部分村卫生室缺医少药。",
        FIRST["analysis"],
        FIRST["suggestion"],
        SECOND["title"],
        SECOND["situation"],
        SECOND["suggestion"],
    ]
    positions = [texts.index(text) for text in expected]
    assert positions == sorted(positions)
    assert any("报送：李红梅" in text for text in texts)
    assert "本期要目" in texts


def test_moving_a_report_changes_the_order_in_the_document(build):
    issue = services.issue_create(user=build.editor)
    ids = []
    for text in (FIRST, SECOND):
        report = build.signed(**text)
        services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=report.pk)
        ids.append(report.pk)
    services.issue_move_report(
        user=build.editor, issue_id=issue.pk, report_id=ids[1], direction="up"
    )
    loaded = issue_get(user=build.editor, issue_id=issue.pk)
    document = issue_document(loaded, loaded.ordered_reports, [])
    texts = _paragraph_texts(build_issue_docx(document))
    assert texts.index(SECOND["title"]) < texts.index(FIRST["title"])


def test_pdf_has_the_text_with_a_chinese_font(published):
    from pypdf import PdfReader

    document = issue_document(published, published.ordered_reports, published.all_submissions)
    content = build_issue_pdf(document)
    reader = PdfReader(io.BytesIO(content))
    # pypdf spells CID-keyed text with NUL bytes between characters.
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))
    assert "社情民意" in text and "留守老人" in text and "校外培训" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"]["/Font"].values() if "/Font" in page["/Resources"] else [])
        for font in [font.get_object()]
    }
    assert any("CJK" in name or "Noto" in name for name in fonts)


def test_upward_submissions_appear_as_the_distribution_lines(published, build):
    import datetime as dt

    services.issue_record_upward(
        user=build.editor,
        issue_id=published.pk,
        target="superior_cppcc",
        recipient="山东省政协办公厅",
        sent_on=dt.date.today(),
    )
    services.issue_record_upward(
        user=build.editor, issue_id=published.pk, target="government", sent_on=dt.date.today()
    )
    loaded = issue_get(user=build.editor, issue_id=published.pk)
    texts = _paragraph_texts(
        build_issue_docx(issue_document(loaded, loaded.ordered_reports, loaded.all_submissions))
    )
    assert "报：山东省政协办公厅" in texts
    assert "送：政府" in texts
