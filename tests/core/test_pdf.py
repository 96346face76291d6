"""Chinese PDFs (apps.core.pdf): rare name characters print through the fallback chain, anything
no font has is marked 〓 (and logged) instead of vanishing, and each font is read once per
process while every document keeps its own subset.

Needs Debian's fonts-noto-cjk, fonts-hanazono and fonts-symbola (installed by .ci/run).
"""

from __future__ import annotations

import io
import logging
import re

import pytest
from fpdf import fonts as fpdf_fonts

from apps.core import pdf as core_pdf
from apps.core.pdf import FAMILY, MISSING_MARK, cjk_pdf, fallback_font_paths

# CJK Extension B names (U+20000, U+2A6A5: in 花园明朝 A; U+20001: only in B) and emoji (👍 in
# 花园明朝 A, 😂 only in Symbola): Noto CJK has none of them.
RARE = "王𠀀 张𪚥 刘\U00020001 李👍 笑😂"


def _document(*lines: str, bold: bool = False) -> bytes:
    pdf = cjk_pdf()
    pdf.add_page()
    for line in lines:
        pdf.set_font(FAMILY, "B" if bold else "", 12)
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\s\x00]+", "", text)


def _font_names(content: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_fallback_chain_is_installed():
    names = {path.name for path in fallback_font_paths()}
    assert {"HanaMinA.ttf", "HanaMinB.ttf", "Symbola_hint.ttf"} <= names


@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_rare_name_characters_and_emoji_print(bold):
    content = _document(f"提案人：{RARE}", bold=bold)
    text = _text(content)
    for name in RARE.split():
        assert name in text, name
    assert MISSING_MARK not in text
    fonts = _font_names(content)
    assert any("HanaMin" in name for name in fonts), fonts
    assert any("Symbola" in name for name in fonts), fonts


def test_a_document_without_rare_characters_embeds_no_fallback_font():
    fonts = _font_names(_document("政协济南市委员会提案"))
    assert fonts and all("NotoSerifCJK" in name for name in fonts), fonts


def test_a_character_no_font_has_is_marked_and_logged(caplog):
    private = "\U000f0001"  # a private-use code point: no font of the chain has it
    with caplog.at_level(logging.WARNING, logger="apps.core.pdf"):
        content = _document(f"委员{private}同志")
    assert f"委员{MISSING_MARK}同志" in _text(content)
    assert "U+F0001" in caplog.text


def test_variation_selectors_and_joiners_are_not_marked_missing():
    text = _text(_document("点赞❤️ 家庭👨\u200d👩\u200d👧 葛\U000e0100"))
    assert MISSING_MARK not in text
    assert "❤" in text and "👨👩👧" in text and "葛" in text


def test_fonts_are_read_once_per_process(monkeypatch):
    core_pdf._parsed.cache_clear()
    reads: list[str] = []
    original = fpdf_fonts.TTFFont.__init__

    def counting(self, fpdf, font_file_path, *args, **kwargs):
        reads.append(str(font_file_path))
        original(self, fpdf, font_file_path, *args, **kwargs)

    monkeypatch.setattr(fpdf_fonts.TTFFont, "__init__", counting)
    for _number in range(3):
        _document("政协济南市委员会提案", RARE)
        _document(RARE, bold=True)
    # Regular and bold, then the fallback fonts the rare characters needed: once each, not
    # once per document.
    names = [path.rsplit("/", 1)[-1] for path in reads]
    assert names == [
        "NotoSerifCJK-Regular.ttc",
        "NotoSerifCJK-Bold.ttc",
        "HanaMinA.ttf",
        "HanaMinB.ttf",
        "Symbola_hint.ttf",
    ]


def test_documents_keep_their_own_subsets():
    first = cjk_pdf()
    first.add_page()
    first.set_font(FAMILY, "", 12)
    first.multi_cell(0, 8, "甲乙丙丁")
    second = cjk_pdf()
    second.add_page()
    second.set_font(FAMILY, "", 12)
    second.multi_cell(0, 8, "子丑寅卯𠀀")
    # Written in the other order, and the first one twice over: nothing leaks between them.
    second_bytes = bytes(second.output())
    first_bytes = bytes(first.output())
    assert _text(first_bytes) == "甲乙丙丁"
    assert _text(second_bytes) == "子丑寅卯𠀀"
    assert len(first_bytes) < len(second_bytes)
    assert _text(_document("甲乙丙丁")) == "甲乙丙丁"
