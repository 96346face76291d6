"""What every printable document with Chinese text needs: an embedded CJK font with a fallback
chain for rare characters, loaded once per process, and the committee's name as official
documents print it.

Fonts. Debian's fonts-noto-cjk ships OpenType collections (.ttc) with CFF outlines; fpdf2 embeds
those as CIDFontType0C subsets. The font files are settings with Debian's paths as defaults:

    PDF_FONT             regular face (default NotoSerifCJK-Regular.ttc; PROPOSAL_PDF_FONT too)
    PDF_FONT_BOLD        bold face (default NotoSerifCJK-Bold.ttc; the regular one if absent)
    PDF_FONT_INDEX       face number inside a collection (default 2, Simplified Chinese)
    PDF_FALLBACK_FONTS   files tried, in order, for a character the face lacks (default below)

Noto CJK has no CJK Extension B–F ideographs (names such as 𠀀 or 𪚥) and no emoji. The default
chain adds Debian's fonts-hanazono (花园明朝 A and B: Extension A–F), fonts-symbola (emoji and
symbols) and DejaVu Sans; missing files are left out. A character no font of the chain has is
printed as 〓 (U+3013, the typesetter's mark for a missing character), never silently dropped,
and logged. Variation selectors and joiners, which print nothing, are removed.

Loading. Reading a CJK font takes seconds (its cmap and widths for 65,000 glyphs). Each font is
read once per process (`_parsed`); a document gets a light copy with its own subset and a fresh,
lazily opened file handle (fpdf2 subsets that handle in place when it writes the PDF). Fallback
fonts join a document only when its text needs them, so a document pays for no font it does
not print.
"""

from __future__ import annotations

import copy
import functools
import logging
import threading
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext as _

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_FONT = NOTO_DIR / "NotoSerifCJK-Regular.ttc"
DEFAULT_FONT_BOLD = NOTO_DIR / "NotoSerifCJK-Bold.ttc"
FALLBACK_FONTS = (NOTO_DIR / "NotoSansCJK-Regular.ttc",)
DEFAULT_FONT_INDEX = 2  # Noto CJK collections: JP, KR, SC, TC, HK
DEFAULT_FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",  # fonts-hanazono: BMP, Extension A
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",  # fonts-hanazono: Extensions B–F
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",  # fonts-symbola: emoji
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # fonts-dejavu-core
)
FAMILY = "cjk"
MISSING_MARK = "\u3013"  # 〓 GETA MARK: where a character could not be printed
# Characters that print nothing of their own: variation selectors (emoji and ideographic) and
# the zero-width joiner of emoji sequences. They are removed rather than marked missing.
_INVISIBLE = frozenset(
    [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), 0x200D, 0x200C, 0x200B, 0x2060]
)

logger = logging.getLogger(__name__)

# fontTools logs every subsetting step at INFO; a PDF per request would flood the logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class PdfFontMissing(Exception):
    """No usable Chinese font: the message says what to install or configure."""


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or getattr(settings, f"PROPOSAL_{name}", "") or "")


def cjk_font_paths() -> tuple[Path, Path | None, int]:
    """(regular, bold or None, collection index) of the Chinese font to embed."""
    configured = _setting("PDF_FONT")
    regular = Path(configured or DEFAULT_FONT)
    if not regular.is_file() and not configured:
        regular = next((path for path in FALLBACK_FONTS if path.is_file()), regular)
    if not regular.is_file():
        raise PdfFontMissing(
            _(
                "服务器缺少生成 PDF 所需的中文字体（%(font)s）。请系统管理员安装 fonts-noto-cjk "
                "字体包，或在设置 PDF_FONT（或 PROPOSAL_PDF_FONT）中指定字体文件。"
            )
            % {"font": regular}
        )
    bold = Path(_setting("PDF_FONT_BOLD") or DEFAULT_FONT_BOLD)
    index = int(_setting("PDF_FONT_INDEX") or DEFAULT_FONT_INDEX)
    return regular, (bold if bold.is_file() else None), index


def fallback_font_paths() -> list[Path]:
    """The fallback chain that exists on this server, in order."""
    configured = getattr(settings, "PDF_FALLBACK_FONTS", None)
    paths = DEFAULT_FALLBACK_FONTS if configured is None else configured
    return [Path(path) for path in paths if Path(path).is_file()]


# ---------------------------------------------------------------------------------------------
# Fonts read once per process


_lock = threading.Lock()


@functools.cache
def _parsed(path: Path, index: int, style: str) -> Any:
    """The fpdf2 font object for one face, read once per process (the slow part: cmap, widths
    and glyph ids). Never used in a document itself: `_font_for` copies it."""
    from fpdf import FPDF

    reader = FPDF()
    reader.add_font("face", style, str(path), collection_font_number=index)
    font: Any = reader.fonts[f"face{style}"]
    font.ttfont.close()  # documents open their own handle (see _font_for)
    return font


def _font_for(pdf: Any, fontkey: str, path: Path, index: int, style: str) -> None:
    """Put a per-document copy of the process's font object into `pdf` under `fontkey`."""
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    with _lock:
        master = _parsed(path, index, style)
    font = copy.copy(master)
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    # Opening is cheap (lazy: tables are read when the PDF is written); fpdf2 subsets this
    # handle in place, so every document has its own.
    # recalcBBoxes=False: the subset keeps the face's own bounding box (the PDF font descriptor
    # carries it already) instead of drawing every kept glyph again to measure it.
    font.ttfont = ttLib.TTFont(
        path, recalcTimestamp=False, recalcBBoxes=False, fontNumber=index, lazy=True
    )
    font.subset = SubsetMap(font)
    pdf.fonts[fontkey] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")


def _pdf_class() -> type:
    from fpdf import FPDF

    class CjkPdf(FPDF):  # type: ignore[misc]
        """FPDF whose text goes through the fallback chain: characters the Chinese face lacks
        bring in the first fallback font that has them; none has them → 〓."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fallbacks: tuple[Path, ...] = ()
            self.missing: set[str] = set()

        def normalize_text(self, text: str) -> str:
            text = super().normalize_text(text)
            if not self.is_ttf_font or self.current_font is None:
                return text
            if text.isascii():
                return text
            cmap = cast(Any, self.current_font).cmap
            out = []
            for char in text:
                code = ord(char)
                if code in cmap or code < 0x20:
                    out.append(char)
                elif code in _INVISIBLE:
                    continue
                elif self._bring_fallback(code):
                    out.append(char)
                else:
                    self.missing.add(char)
                    out.append(MISSING_MARK)
            return "".join(out)

        def _bring_fallback(self, code: int) -> bool:
            """Register the first fallback font that has `code` (each is read, once per
            process, only when some document first needs a character beyond the ones before
            it); False when none has it."""
            for number, path in enumerate(self.fallbacks):
                with _lock:
                    font = _parsed(path, 0, "")
                if code not in font.cmap:
                    continue
                fontkey = f"fallback{number}"
                if fontkey not in self.fonts:
                    _font_for(self, fontkey, path, 0, "")
                    self.set_fallback_fonts(
                        [key for key in self.fonts if key.startswith("fallback")],
                        exact_match=False,
                    )
                return True
            return False

        def output(self, *args: Any, **kwargs: Any) -> Any:
            if self.missing:
                logger.warning(
                    "PDF %r: no font for %s; printed as %s",
                    self.title,
                    " ".join(f"U+{ord(char):04X}" for char in sorted(self.missing)),
                    MISSING_MARK,
                )
            return super().output(*args, **kwargs)

    return CjkPdf


_CjkPdf = functools.cache(_pdf_class)


def cjk_pdf(*, margins: tuple[float, float, float] = (20, 18, 20)) -> Any:
    """An A4 portrait fpdf2 document with the Chinese font registered as FAMILY ("" and "B")
    and the fallback chain behind it (see the module's docstring)."""
    regular, bold, index = cjk_font_paths()
    pdf = _CjkPdf()(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(*margins)
    pdf.set_auto_page_break(auto=True, margin=18)
    try:
        _font_for(pdf, FAMILY, regular, index, "")
        _font_for(pdf, f"{FAMILY}B", bold or regular, index, "B")
        pdf.fallbacks = tuple(fallback_font_paths())
    except Exception as exc:  # a broken or wrong font file
        raise PdfFontMissing(
            _("无法读取中文字体文件 %(font)s：%(error)s。请检查设置 PDF_FONT。")
            % {"font": regular, "error": exc}
        ) from exc
    pdf.alias_nb_pages()
    return pdf


def committee_title(name: str) -> str:
    """The committee as printed on official documents: 济南市政协 → 政协济南市委员会. (A rule of
    Chinese official names, not a translatable text.)"""
    name = name.strip()
    prefix = "中国人民政治协商会议"
    if name.startswith(prefix):
        return "政协" + name[len(prefix) :]
    if name.startswith("政协"):
        return name if name.endswith("委员会") else f"{name}委员会"
    if name.endswith("政协"):
        return f"政协{name[: -len('政协')]}委员会"
    return name
