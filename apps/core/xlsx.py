"""Excel exports: one way to start a sheet (column widths, bold frozen header) for every list,
and cells that cannot attack the person who opens the file.

Workbooks are write-only so memory stays flat however long the list is.

Every text value is written as a plain string cell, never as a formula (openpyxl on its own
turns any text starting with "=" into one, and "#N/A" into an error value):
- text that a spreadsheet would read as a formula — starting with = + - @, a tab or a carriage
  return — is neutralised the way OWASP recommends, with a leading apostrophe, and the cell is
  marked `quotePrefix` (what Excel and WPS store when someone types a leading apostrophe), so it
  stays text when edited, and when the sheet is saved on as CSV;
- numbers written with a sign or a phone's "+" ("+86 158 9526 6909", "-3") keep their exact
  text and only get `quotePrefix`: they can never become a formula that calls anything;
- characters XML 1.0 cannot carry (U+000B and the other control characters, lone surrogates)
  are removed, so one bad title never makes an export answer 500.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What XML 1.0 forbids (besides tab, LF and CR every C0 control), lone surrogates, U+FFFE/F.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A signed number or a phone number: digits, spaces, dots, brackets and dashes after the sign.
_SIGNED_NUMBER = re.compile(r"[+-][\d\s().\-]*\d[\d\s().\-]*")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]]")
MAX_CELL_TEXT = 32767


def xlsx_clean_text(value: str) -> str:
    """`value` without the characters a worksheet cannot hold, cut to Excel's cell limit."""
    return XML_ILLEGAL.sub("", value)[:MAX_CELL_TEXT]


def xlsx_neutralise(value: str) -> tuple[str, bool]:
    """(the text to write, whether the cell needs quotePrefix) for a cleaned text value."""
    if not value.startswith(FORMULA_TRIGGERS):
        return value, False
    if _SIGNED_NUMBER.fullmatch(value):
        return value, True
    return ("'" + value)[:MAX_CELL_TEXT], True


class SafeWriteOnlyWorksheet(WriteOnlyWorksheet):
    """A write-only sheet whose `append` writes every text value as an inert string cell."""

    def append(self, row: Iterable[Any]) -> None:
        super().append([_safe_value(self, value) for value in row])


def _safe_value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, Cell):  # openpyxl.cell.WriteOnlyCell makes these too
        if isinstance(value.value, str):
            _set_text(value, value.value)
        return value
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet)
    _set_text(cell, value)
    return cell


def _set_text(cell: Any, value: str) -> None:
    text, quote = xlsx_neutralise(xlsx_clean_text(value))
    # Bypass openpyxl's type guessing ("=…" → formula, "#N/A" → error): always a string.
    cell._value = text
    cell.data_type = "s"
    if quote:
        cell.quotePrefix = True


class SafeWorkbook(Workbook):
    """A write-only workbook whose sheets are SafeWriteOnlyWorksheet."""

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = SafeWriteOnlyWorksheet(parent=self, title=xlsx_sheet_title(title))
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def xlsx_sheet_title(title: Any) -> str | None:
    """A sheet name Excel accepts: no \\ / * ? : [ ], no control characters, 31 at most."""
    if title is None:
        return None
    cleaned = _SHEET_TITLE_ILLEGAL.sub(" ", xlsx_clean_text(str(title))).strip().strip("'")
    return cleaned[:31] or "Sheet"


def xlsx_workbook() -> Workbook:
    return SafeWorkbook(write_only=True)


def xlsx_sheet(
    workbook: Workbook,
    *,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    freeze: str = "A2",
) -> WriteOnlyWorksheet:
    """A new sheet with its column widths, a bold header row, and panes frozen at `freeze`."""
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet)
        _set_text(cell, str(text))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    return sheet


def xlsx_text_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A cell Excel keeps as text (ID numbers, phones: no scientific notation, no lost zeros)."""
    cell = WriteOnlyCell(sheet)
    if value is not None:
        _set_text(cell, str(value))
    cell.number_format = "@"
    return cell


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
