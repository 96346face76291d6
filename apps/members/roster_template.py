"""The roster import template (.xlsx): the roster sheet with dropdowns and an example row, a
填写说明 sheet, and a hidden sheet holding the dropdown lists."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .idcard import id_number_make
from .models import Party, Position
from .roster_import import (
    COLUMN_BY_KEY,
    COLUMNS,
    EXAMPLE_PREFIX,
    HELP_SHEET_NAME,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NO,
    OPTIONS_SHEET_NAME,
    SHEET_NAME,
    YES,
)


def build_template(
    *,
    committee_name: str,
    sector_names: Iterable[str],
    special_committee_names: Iterable[str],
    group_names: Iterable[str],
) -> bytes:
    """The import template: the roster sheet with dropdowns and an example row, a 填写说明 sheet,
    and a hidden sheet holding the dropdown lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sectors = list(sector_names)
    specials = list(special_committee_names)
    groups = list(group_names)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE2E1")
    optional_fill = PatternFill("solid", fgColor="EEF1F5")
    letters: dict[str, str] = {}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        letters[column.key] = letter
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        cell.fill = required_fill if column.required else optional_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[letter].width = column.width
    for key in ("id_number", "mobile", "birth_date"):
        sheet.column_dimensions[letters[key]].number_format = "@"
    sheet.freeze_panes = "B2"
    example = {
        "name": EXAMPLE_PREFIX + _("：张三（导入时跳过此行，可删除）"),
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": "1975-03-08",
        "id_number": id_number_make(region="370102", birth_date=dt.date(1975, 3, 8), sequence=123),
        "mobile": "13800000000",
        "party": "民盟",
        "sector": sectors[0] if sectors else "教育界",
        "special_committees": "、".join(specials[:2]),
        "group": groups[0] if groups else "",
        "position": "委员",
        "work_unit": "某某大学",
        "nominated_by": "民盟某某市委",
        "job_title": "教授",
        "expertise": "教育管理",
        "focus_areas": "基础教育、乡村振兴",
        "email": "zhangsan@example.com",
        "create_account": YES,
    }
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index, value=example[column.key])
        cell.font = Font(color="808080", italic=True)
        cell.number_format = "@"

    options = workbook.create_sheet(OPTIONS_SHEET_NAME)
    option_lists = {
        "party": [str(label) for _value, label in Party.choices],
        "sector": sectors,
        "group": groups,
    }
    option_ranges: dict[str, str] = {}
    for index, (key, values) in enumerate(option_lists.items(), start=1):
        letter = get_column_letter(index)
        options.cell(row=1, column=index, value=COLUMN_BY_KEY[key].header)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=index, value=value)
        if values:
            option_ranges[key] = f"'{OPTIONS_SHEET_NAME}'!${letter}$2:${letter}${len(values) + 1}"
    options.sheet_state = "hidden"

    last_row = MAX_ROWS + 1
    inline_lists = {
        "gender": '"男,女"',
        "position": '"' + ",".join(str(label) for _value, label in Position.choices) + '"',
        "create_account": f'"{YES},{NO}"',
    }
    formulas = {**inline_lists, **option_ranges}
    for key, formula in formulas.items():
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=not COLUMN_BY_KEY[key].required,
            showErrorMessage=True,
            errorTitle=_("输入有误"),
            error=_("请从下拉列表中选择%(column)s。") % {"column": COLUMN_BY_KEY[key].header},
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letters[key]}2:{letters[key]}{last_row}")

    help_sheet = workbook.create_sheet(HELP_SHEET_NAME, 1)
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 90
    lines: list[tuple[str, str, str]] = [
        (_("%(committee)s 委员名册导入模板 · 填写说明") % {"committee": committee_name}, "", ""),
        ("", "", ""),
        (
            "1.",
            "",
            _("在“%(sheet)s”工作表中从第 2 行起每行填写一位委员；不要修改第 1 行的列名。")
            % {"sheet": SHEET_NAME},
        ),
        ("2.", "", _("第 2 行是示例（姓名以“示例”开头），导入时会跳过，可以删除。")),
        (
            "3.",
            "",
            _("导入前会逐行检查；只要有一行有误，整个文件都不会导入，请按提示改正后重新上传。"),
        ),
        ("4.", "", _("按身份证号识别委员：已在名册中的委员会被更新，不会重复添加。")),
        (
            "5.",
            "",
            _("每个文件不超过 %(rows)d 行、%(mb)d MB，只接受 .xlsx 格式。")
            % {"rows": MAX_ROWS, "mb": MAX_FILE_BYTES // 1048576},
        ),
        ("", "", ""),
        (_("列名"), _("是否必填"), _("说明")),
    ]
    lines += [(c.header, _("必填") if c.required else _("选填"), str(c.help)) for c in COLUMNS]
    for row_index, line in enumerate(lines, start=1):
        for column_index, value in enumerate(line, start=1):
            cell = help_sheet.cell(row=row_index, column=column_index, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet["A1"].font = Font(bold=True, size=14)
    header_row = 9
    for column_index in range(1, 4):
        help_sheet.cell(row=header_row, column=column_index).font = bold
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
