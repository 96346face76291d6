"""Builders for the members tests: roster .xlsx files for the import, edit-form data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from apps.members.idcard import id_number_make
from apps.members.roster_import import COLUMNS

HEADERS = [column.header for column in COLUMNS]


def xlsx_bytes(rows: Iterable[Sequence[Any]], headers: Sequence[str] = HEADERS) -> bytes:
    """A workbook with one sheet: the header row, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "委员名册"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_row(n: int, **overrides: Any) -> list[Any]:
    """A valid template row for person n (unique ID and phone), with overrides by column key."""
    birth = dt.date(1960 + n % 30, 1 + n % 12, 1 + n % 28)
    values = {
        "name": f"导入委员{n}",
        "gender": "女" if n % 2 else "男",
        "ethnicity": "汉族",
        "birth_date": birth.isoformat(),
        "id_number": id_number_make(region="370103", birth_date=birth, sequence=n),
        "mobile": f"1860000{n:04d}",
        "party": "民盟",
        "sector": "教育界",
        "special_committees": "",
        "group": "",
        "position": "委员",
        "work_unit": f"济南第{n}中学",
        "nominated_by": "民盟济南市委",
        "job_title": "校长",
        "expertise": "教育",
        "focus_areas": "基础教育",
        "email": "",
        "create_account": "否",
    }
    values.update(overrides)
    return [values[column.key] for column in COLUMNS]


def member_form_data(membership, **overrides: Any) -> dict[str, Any]:
    """The staff edit form as posted for `membership` unchanged (blank ID number and mobile
    mean "keep"), with overrides by field name."""
    member = membership.member
    data = {
        "name": member.name,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "id_number": "",
        "mobile": "",
        "email": member.email,
        "office_phone": member.office_phone,
        "address": member.address,
        "sector": membership.sector_id,
        "party": membership.party,
        "position": membership.position,
        "special_committees": [sc.pk for sc in membership.special_committees.all()],
        "group": membership.group_id or "",
        "work_unit": membership.work_unit,
        "nominated_by": membership.nominated_by,
        "job_title": membership.job_title,
        "expertise": membership.expertise,
        "focus_areas": membership.focus_areas,
        "status": membership.status,
        "status_date": "",
        "status_reason": "",
    }
    data.update(overrides)
    return data
