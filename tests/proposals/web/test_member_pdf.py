"""The printable proposal (提案表) as PDF: Chinese text embedded and extractable, only for those
who may see the proposal, and a clear page when the font is missing."""

from __future__ import annotations

import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.proposals.models import ProposalKind
from apps.proposals.pdf import committee_title

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    # pypdf pads each two-byte (Identity-H) character with a NUL; poppler's pdftotext does not.
    return re.sub(r"[\s\x00]+", "", text)


def test_pdf_has_the_standard_form_in_chinese(client, build, member_user, cosigner_user):
    proposal = build.assigned(kind=ProposalKind.JOINT, cosigners=[cosigner_user])
    client.force_login(member_user)
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    assert "政协济南市委员会提案" in text
    assert proposal.title in text
    assert re.sub(r"\s+", "", proposal.number_label) in text
    for label in (
        "提案号",
        "届次",
        "类别",
        "案由",
        "提案人",
        "情况与分析",
        "具体建议",
        "审查意见",
        "交办单位",
    ):
        assert label in text, label
    assert "李红梅" in text and "陈志强" in text and "第一提案人" in text and "附议人" in text
    assert "教育界" in text  # sector of the proposers
    assert "市教育局（单办）" in text
    assert "予以立案" in text
    # The fonts are embedded (subset), so any reader shows the Chinese text.
    assert b"/FontFile3" in response.content or b"/FontFile2" in response.content


def test_pdf_of_a_long_draft_breaks_over_pages(client, build, member_user):
    proposal = build.draft(grounds="我市托育服务供给不足。" * 400)
    client.force_login(member_user)
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 3
    assert "（立案后编号）" in _text(response.content)


def test_pdf_only_for_those_who_may_see_the_proposal(client, build, other_member_user):
    proposal = build.submitted()
    client.force_login(other_member_user)
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    assert response.status_code == 404
    assert "application/pdf" not in response["Content-Type"]


def test_rare_name_characters_print_and_nothing_vanishes(client, build, member_user):
    # 𠀀 and 𪚥 (CJK Extension B) and 😂 are not in Noto CJK: the fallback chain prints them; the
    # private-use character is in no font and shows as 〓 instead of vanishing.
    proposal = build.draft(
        title="关于为“𠀀”“𪚥”等生僻字姓名群众办证的建议",
        grounds="居民王𠀀反映😂办证难。\U000f0001",
    )
    client.force_login(member_user)
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    assert response.status_code == 200
    text = _text(response.content)
    assert "“𠀀”“𪚥”等生僻字" in text
    assert "居民王𠀀反映😂办证难。〓" in text


@override_settings(PROPOSAL_PDF_FONT="/nonexistent/font.ttc")
def test_missing_font_gives_a_clear_page(client, build, member_user):
    proposal = build.submitted()
    client.force_login(member_user)
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "缺少生成 PDF 所需的中文字体" in html and "PROPOSAL_PDF_FONT" in html


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("济南市政协", "政协济南市委员会"),
        ("历下区政协", "政协历下区委员会"),
        ("中国人民政治协商会议山东省委员会", "政协山东省委员会"),
        ("政协青岛市委员会", "政协青岛市委员会"),
    ],
)
def test_committee_title(name, title):
    assert committee_title(name) == title
