"""Excel exports: one way to start a sheet (column widths, bold frozen header) for every list.

Workbooks are write-only so memory stays flat however long the list is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


def xlsx_workbook() -> Workbook:
    return Workbook(write_only=True)


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
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    return sheet


def xlsx_text_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A cell Excel keeps as text (ID numbers, phones: no scientific notation, no lost zeros)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "@"
    return cell


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
