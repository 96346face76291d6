"""Roster import: template, row-by-row validation, all-or-nothing, re-import updates."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.members.models import Member, Membership, Position
from apps.members.roster_import import (
    COLUMNS,
    ImportFileError,
    read_workbook,
    roster_import_check,
)
from apps.members.services import roster_import_apply
from apps.sectors.models import Sector

from .conftest import CITY_MEMBER_ID, CITY_MEMBER_MOBILE
from .helpers import HEADERS, roster_row, xlsx_bytes

pytestmark = pytest.mark.django_db
IMPORT = reverse("members:import")
CONFIRM = reverse("members:import_confirm")


def _upload(client, content: bytes, term, name: str = "名册.xlsx"):
    return client.post(
        IMPORT, {"term": term.pk, "file": SimpleUploadedFile(name, content)}, follow=False
    )


def _token(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _import(client, content: bytes, term):
    preview = _upload(client, content, term)
    assert preview.status_code == 200
    return client.post(CONFIRM, {"token": _token(preview)})


# ---------------------------------------------------------------------------------------------
# Template


def test_template_has_headers_dropdowns_and_instructions(client, liaison_user, city_term):
    client.force_login(liaison_user)
    response = client.get(reverse("members:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["委员名册", "填写说明"]
    sheet = workbook["委员名册"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert "创建账户(是/否)" in HEADERS and "专门委员会" in HEADERS
    assert str(sheet["A2"].value).startswith("示例")
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    letters = {c.header: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
    for header in ("性别", "政治面貌", "界别", "职务"):
        assert f"{letters[header]}2" in validated, header
    assert "身份证号" in str([c.value for c in workbook["填写说明"]["A"]])
    # The template itself (only the example row) reads as "no data".
    with pytest.raises(ImportFileError, match="没有委员数据"):
        read_workbook(response.content)


def test_template_example_row_is_valid_when_renamed(city_term):
    from apps.members.roster_template import build_template

    content = build_template(
        committee_name="济南市政协",
        sector_names=["教育界"],
        special_committee_names=[],
        group_names=[],
    )
    workbook = load_workbook(io.BytesIO(content))
    workbook["委员名册"]["A2"] = "张三"
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = roster_import_check(term=city_term, content=buffer.getvalue())
    assert report.errors == []
    assert report.rows[0].name == "张三"
    assert report.rows[0].create_account is True


# ---------------------------------------------------------------------------------------------
# Valid files


def test_valid_file_creates_members_and_accounts_when_asked(
    client, liaison_user, city, city_term, special_committee, economy_committee, first_group
):
    client.force_login(liaison_user)
    content = xlsx_bytes(
        [
            roster_row(
                1,
                special_committees="提案委员会、经济委员会",
                group="第一委员小组",
                position="常委",
                create_account="是",
            ),
            roster_row(2, party="中共", sector="经济界"),
            roster_row(3, create_account="是", email="san@example.com"),
        ]
    )
    preview = _upload(client, content, city_term)
    html = preview.content.decode()
    assert "新增 3 人、更新 0 人，将创建账户 2 个" in html
    assert roster_row(1)[4] not in html  # the preview masks ID numbers
    assert "18600000001" not in html
    assert Member.objects.filter(committee=city).count() == 0  # nothing before confirming
    response = client.post(CONFIRM, {"token": _token(preview)})
    assert response.status_code == 302
    assert Member.objects.filter(committee=city).count() == 3
    first = Membership.objects.get(member__name="导入委员1")
    assert first.term == city_term
    assert first.position == Position.STANDING
    assert {sc.name for sc in first.special_committees.all()} == {"提案委员会", "经济委员会"}
    assert first.group == first_group
    assert first.member.user.username == "18600000001"
    assert not first.member.user.has_usable_password()
    assert Member.objects.get(name="导入委员2").user is None
    assert Membership.objects.get(member__name="导入委员2").party == "cpc"
    assert User.objects.filter(phone__startswith="1860000").count() == 2
    event = AuditEvent.objects.get(verb="roster_import")
    assert event.data["created"] == 3 and event.data["accounts"] == 2


def test_reimport_updates_instead_of_duplicating(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    _import(client, xlsx_bytes([roster_row(1), roster_row(2)]), city_term)
    assert Member.objects.filter(committee=city).count() == 2
    response = _import(
        client,
        xlsx_bytes([roster_row(1, work_unit="山东大学", create_account="是"), roster_row(2)]),
        city_term,
    )
    assert response.status_code == 302
    assert Member.objects.filter(committee=city).count() == 2
    assert Membership.objects.filter(term=city_term).count() == 2
    membership = Membership.objects.get(member__name="导入委员1")
    assert membership.work_unit == "山东大学"
    assert membership.member.user is not None
    last = AuditEvent.objects.filter(verb="roster_import").order_by("-id").first()
    assert (last.data["created"], last.data["updated"], last.data["accounts"]) == (0, 2, 1)


def test_reimport_of_existing_member_with_new_phone_updates_account(
    client, liaison_user, member_user, city_term
):
    member = member_user.member
    row = roster_row(
        7,
        name=member.name,
        id_number=member.id_number,
        birth_date=member.birth_date.isoformat(),
        mobile="13344445555",
    )
    client.force_login(liaison_user)
    assert _import(client, xlsx_bytes([row]), city_term).status_code == 302
    member_user.refresh_from_db()
    assert member_user.phone == "13344445555"
    assert Member.objects.filter(id_number=member.id_number).count() == 1


def test_example_and_empty_rows_are_skipped(city_term):
    content = xlsx_bytes(
        [
            roster_row(1, name="示例：张三"),
            [None] * len(HEADERS),
            roster_row(2),
        ]
    )
    report = roster_import_check(term=city_term, content=content)
    assert report.errors == []
    assert [row.row_number for row in report.rows] == [4]


def test_headers_in_any_order_with_marks_are_understood(city_term):
    headers = ["*姓名", "身份证号码", "性别", "手机", "界别", "政治面貌（必填）"]
    row = dict(zip([c.key for c in COLUMNS], roster_row(1), strict=True))
    content = xlsx_bytes(
        [[row["name"], row["id_number"], row["gender"], row["mobile"], "教育界", "无党派"]],
        headers=headers,
    )
    report = roster_import_check(term=city_term, content=content)
    assert report.errors == []
    assert report.rows[0].party == "nonparty"


def test_dates_and_numbers_from_excel_cells(city_term):
    row = roster_row(5)
    birth = dt.datetime.fromisoformat(row[3])
    row[3] = birth  # a real date cell
    row[5] = int(row[5])  # phone typed as a number
    report = roster_import_check(term=city_term, content=xlsx_bytes([row]))
    assert report.errors == []
    assert report.rows[0].birth_date == birth.date()
    assert report.rows[0].mobile == row[5].__str__()


# ---------------------------------------------------------------------------------------------
# Invalid files: nothing imported, every problem named with its row


def test_one_invalid_row_imports_nothing_and_report_names_row(
    client, liaison_user, city, city_term
):
    client.force_login(liaison_user)
    bad_id = roster_row(2)[4]
    bad_id = bad_id[:17] + ("0" if bad_id[17] != "0" else "1")
    content = xlsx_bytes([roster_row(1), roster_row(2, id_number=bad_id), roster_row(3)])
    response = _upload(client, content, city_term)
    html = response.content.decode()
    assert response.status_code == 422
    assert "第 3 行：身份证号校验位不正确" in html
    assert "未导入任何数据" in html
    assert 'name="token"' not in html
    assert Member.objects.filter(committee=city).count() == 0


def test_every_kind_of_row_problem_is_reported(city_term, liaison_user, member_user):
    rows = [
        roster_row(1),
        roster_row(2, id_number=roster_row(1)[4]),  # duplicate ID in file
        roster_row(3, mobile=roster_row(1)[5]),  # duplicate phone in file
        roster_row(4, mobile="1234567"),
        roster_row(5, birth_date="1999-01-01"),
        roster_row(6, party="共产党员啊"),
        roster_row(7, sector="不存在界"),
        roster_row(8, special_committees="提案委员会、不存在委员会"),
        roster_row(9, group="第九十九组"),
        roster_row(10, position="组长"),
        roster_row(11, name="", gender="未知"),
        roster_row(12, mobile=member_user.phone),  # another account's phone
        roster_row(13, create_account="也许"),
        roster_row(14, mobile="", create_account="是"),
        roster_row(15, email="bad@"),
        roster_row(16, birth_date="去年"),
    ]
    report = roster_import_check(term=city_term, content=xlsx_bytes(rows))
    messages = [str(error) for error in report.errors]
    text = "\n".join(messages)
    expected = [
        "第 3 行：身份证号与第 2 行重复",
        "第 4 行：手机号与第 2 行重复",
        "第 5 行：手机号应为 11 位数字",
        "第 6 行：出生日期与身份证号不一致",
        "第 7 行：政治面貌“共产党员啊”无效",
        "第 8 行：界别“不存在界”不存在",
        "第 9 行：专门委员会“提案委员会”不存在",  # none set up in this committee yet
        "第 10 行：委员小组“第九十九组”不存在",
        "第 11 行：职务“组长”无效",
        "第 12 行：姓名不能为空",
        "第 12 行：性别“未知”无效",
        f"第 13 行：手机号 {member_user.phone} 已被其他账户使用",
        "第 14 行：创建账户应填“是”或“否”",
        "第 15 行：手机号不能为空",
        "第 16 行：电子邮箱“bad@”格式不正确",
        "第 17 行：出生日期无法识别",
    ]
    for message in expected:
        assert message in text, (message, text)
    assert report.rows[0].row_number == 2
    assert len(report.rows) == 1


def test_service_refuses_invalid_file_and_writes_nothing(liaison_user, city, city_term):
    content = xlsx_bytes([roster_row(1), roster_row(2, sector="无此界别")])
    with pytest.raises(ValidationFailed) as caught:
        roster_import_apply(actor=liaison_user, term=city_term, content=content)
    assert "第 3 行：界别“无此界别”不存在" in caught.value.extra["errors"]["file"][0]
    assert Member.objects.filter(committee=city).count() == 0
    assert not AuditEvent.objects.filter(verb="roster_import").exists()


def test_float_id_number_is_explained(city_term):
    row = roster_row(1)
    row[4] = 370103196001010011.0
    report = roster_import_check(term=city_term, content=xlsx_bytes([row]))
    assert "身份证号被 Excel 存成了数字" in str(report.errors[0])


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("名册.xls", b"PK\x03\x04whatever", "只能导入 .xlsx"),
        ("名册.csv", "姓名,性别\n".encode(), "只能导入 .xlsx"),
        ("名册.xlsx", b"this is not a zip file at all", "无法读取该文件"),
        ("名册.xlsx", b"PK\x03\x04" + b"\x00" * 200, "无法读取该文件"),
        ("名册.xlsx", xlsx_bytes([], headers=["名字", "电话"]), "缺少必填列"),
        ("名册.xlsx", xlsx_bytes([]), "没有委员数据"),
    ],
)
def test_bad_files_are_messages_not_errors(
    client, liaison_user, city, city_term, name, content, message
):
    client.force_login(liaison_user)
    response = _upload(client, content, city_term, name=name)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'id="id_file_error"' in response.content.decode()  # on the file field
    assert Member.objects.filter(committee=city).count() == 0


def test_too_big_and_too_many_rows(client, liaison_user, city_term, monkeypatch):
    from apps.members import roster_import

    client.force_login(liaison_user)
    big = b"PK" + b"0" * (5 * 1024 * 1024 + 1)
    assert "不能超过 5 MB" in _upload(client, big, city_term).content.decode()
    monkeypatch.setattr(roster_import, "MAX_ROWS", 2)
    content = xlsx_bytes([roster_row(1), roster_row(2), roster_row(3)])
    assert "一次最多导入 2 行" in _upload(client, content, city_term).content.decode()


def test_file_that_expands_enormously_is_refused(monkeypatch):
    from apps.members import roster_import

    monkeypatch.setattr(roster_import, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ImportFileError, match="文件内容过大"):
        read_workbook(xlsx_bytes([roster_row(1)]))


def test_stale_or_foreign_token_is_a_message(client, liaison_user, admin_user, city_term):
    client.force_login(liaison_user)
    response = client.post(CONFIRM, {"token": "x" * 32})
    assert response.status_code == 409
    assert "导入预览已过期或无效" in response.content.decode()
    preview = _upload(client, xlsx_bytes([roster_row(1)]), city_term)
    token = _token(preview)
    client.force_login(admin_user)  # another user cannot use it
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "导入预览已过期或无效" in response.content.decode()
    assert not Member.objects.filter(name="导入委员1").exists()
    client.force_login(liaison_user)
    assert client.post(CONFIRM, {"token": token}).status_code == 302
    # A second confirmation of the same token is stale, not a double import.
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "导入预览已过期或无效" in response.content.decode()
    assert Member.objects.filter(name="导入委员1").count() == 1


def test_confirm_revalidates(client, liaison_user, city_term, other_member_user):
    client.force_login(liaison_user)
    preview = _upload(client, xlsx_bytes([roster_row(1)]), city_term)
    # Between preview and confirmation, someone takes the phone number.
    User.objects.filter(pk=other_member_user.pk).update(phone="18600000001")
    response = client.post(CONFIRM, {"token": _token(preview)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "第 2 行：手机号 18600000001 已被其他账户使用" in html
    assert not Member.objects.filter(name="导入委员1").exists()


def test_proposal_staff_cannot_import(client, proposal_staff_user, city_term):
    client.force_login(proposal_staff_user)
    assert _upload(client, xlsx_bytes([roster_row(1)]), city_term).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 32}).status_code == 403
    assert client.get(reverse("members:import_template")).status_code == 403


def test_existing_member_matched_by_id_number(liaison_user, city_member, city_term):
    row = roster_row(
        1,
        name="张伟",
        id_number=CITY_MEMBER_ID,
        birth_date="1968-09-03",
        mobile=CITY_MEMBER_MOBILE,
        sector="经济界",
        work_unit="新单位",
    )
    report = roster_import_check(term=city_term, content=xlsx_bytes([row]))
    assert report.errors == []
    assert (report.new_count, report.update_count) == (0, 1)
    result = roster_import_apply(actor=liaison_user, term=city_term, content=xlsx_bytes([row]))
    assert (result.created, result.updated) == (0, 1)
    city_member.refresh_from_db()
    assert city_member.work_unit == "新单位"
    assert list(city_member.special_committees.all()) == []  # the file is authoritative
    assert Sector.objects.get(pk=city_member.sector_id).name == "经济界"


# ---------------------------------------------------------------------------------------------
# 推荐单位 (optional column): read like the other text columns; a file without it keeps the roster's


def _without(column_key: str, rows: list[list]) -> tuple[list[str], list[list]]:
    """The headers and rows of a file that lacks one column."""
    index = [column.key for column in COLUMNS].index(column_key)
    headers = [header for i, header in enumerate(HEADERS) if i != index]
    return headers, [[value for i, value in enumerate(row) if i != index] for row in rows]


def test_template_explains_the_nominating_body_column(city_term):
    from apps.members.roster_template import build_template

    content = build_template(
        committee_name="济南市政协",
        sector_names=["教育界"],
        special_committee_names=[],
        group_names=[],
    )
    workbook = load_workbook(io.BytesIO(content))
    headers = [cell.value for cell in workbook["委员名册"][1]]
    assert "推荐单位" in headers
    assert workbook["委员名册"].cell(row=2, column=headers.index("推荐单位") + 1).value
    help_rows = {row[0]: row for row in workbook["填写说明"].iter_rows(values_only=True)}
    assert help_rows["推荐单位"][1] == "选填"
    assert "民盟济南市委" in help_rows["推荐单位"][2]
    assert "保留原来的推荐单位" in help_rows["推荐单位"][2]


def test_nominating_body_is_imported_shown_in_the_preview_and_updated_on_reimport(
    client, liaison_user, city, city_term
):
    client.force_login(liaison_user)
    content = xlsx_bytes([roster_row(1, nominated_by="  市工商联 "), roster_row(2)])
    preview = _upload(client, content, city_term)
    html = preview.content.decode()
    assert '<th scope="col">推荐单位</th>' in html
    assert "<td>市工商联</td>" in html and "<td>民盟济南市委</td>" in html
    assert "文件中没有“推荐单位”列" not in html
    assert client.post(CONFIRM, {"token": _token(preview)}).status_code == 302
    first = Membership.objects.get(member__name="导入委员1")
    assert first.nominated_by == "市工商联"  # trimmed like the other cells
    assert Membership.objects.get(member__name="导入委员2").nominated_by == "民盟济南市委"

    again = xlsx_bytes(
        [roster_row(1, nominated_by="中共济南市委统战部"), roster_row(2, nominated_by="")]
    )
    assert _import(client, again, city_term).status_code == 302
    first.refresh_from_db()
    assert first.nominated_by == "中共济南市委统战部"
    # The column is in the file: a blank cell clears it, as for the other text columns.
    assert Membership.objects.get(member__name="导入委员2").nominated_by == ""


def test_file_without_the_column_imports_and_keeps_existing_bodies(
    client, liaison_user, city, city_term, city_member
):
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    known = roster_row(
        1,
        name="张伟",
        id_number=CITY_MEMBER_ID,
        birth_date="1968-09-03",
        mobile=CITY_MEMBER_MOBILE,
        sector="经济界",
        work_unit="新单位",
    )
    headers, rows = _without("nominated_by", [known, roster_row(2)])
    content = xlsx_bytes(rows, headers=headers)
    report = roster_import_check(term=city_term, content=content)
    assert report.errors == []
    assert report.absent_columns == ["推荐单位"]
    assert [row.nominated_by for row in report.rows] == [None, None]

    client.force_login(liaison_user)
    preview = _upload(client, content, city_term)
    html = preview.content.decode()
    assert "文件中没有“推荐单位”列：已在名册中的委员保留原来的推荐单位" in html
    assert "保留原值" in html  # the existing member's row
    assert client.post(CONFIRM, {"token": _token(preview)}).status_code == 302
    city_member.refresh_from_db()
    assert city_member.work_unit == "新单位"  # the rest of the row was imported
    assert city_member.nominated_by == "民建济南市委"  # kept
    assert Membership.objects.get(member__name="导入委员2").nominated_by == ""


def test_too_long_nominating_body_is_a_row_error_and_nothing_is_imported(
    client, liaison_user, city, city_term
):
    content = xlsx_bytes([roster_row(1), roster_row(2, nominated_by="推" * 121)])
    report = roster_import_check(term=city_term, content=content)
    assert [str(error) for error in report.errors] == ["第 3 行：推荐单位不能超过 120 个字。"]
    assert (
        roster_import_check(
            term=city_term, content=xlsx_bytes([roster_row(1, nominated_by="推" * 120)])
        ).errors
        == []
    )

    client.force_login(liaison_user)
    response = _upload(client, content, city_term)
    html = response.content.decode()
    assert response.status_code == 422
    assert "第 3 行：推荐单位不能超过 120 个字。" in html and "未导入任何数据" in html
    with pytest.raises(ValidationFailed) as caught:
        roster_import_apply(actor=liaison_user, term=city_term, content=content)
    assert caught.value.extra["errors"]["file"] == ["第 3 行：推荐单位不能超过 120 个字。"]
    assert Member.objects.filter(committee=city).count() == 0
    assert not AuditEvent.objects.filter(verb="roster_import").exists()


@pytest.mark.parametrize("character", ["\x7f", "\x85", "\x9f"])
def test_control_character_in_nominating_body_is_a_row_error_and_nothing_is_imported(
    liaison_user, city, city_term, character
):
    content = xlsx_bytes(
        [roster_row(1), roster_row(2, nominated_by=f"民盟{character}济南市委"), roster_row(3)]
    )
    report = roster_import_check(term=city_term, content=content)
    assert [str(error) for error in report.errors] == [
        "第 3 行：推荐单位中含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新导入。"
    ]
    with pytest.raises(ValidationFailed) as caught:
        roster_import_apply(actor=liaison_user, term=city_term, content=content)
    assert "第 3 行：推荐单位中含有不可见的控制字符" in caught.value.extra["errors"]["file"][0]
    assert Member.objects.filter(committee=city).count() == 0


def test_control_characters_are_refused_in_every_text_column(city_term):
    rows = [
        roster_row(1, name="导入\x7f委员"),
        roster_row(2, ethnicity="汉\x7f族"),
        roster_row(3, work_unit="山东\x7f大学"),
        roster_row(4, job_title="教\x7f授"),
        roster_row(5, expertise="教\x7f育"),
        roster_row(6, focus_areas="基础\x7f教育"),
    ]
    report = roster_import_check(term=city_term, content=xlsx_bytes(rows))
    messages = [str(error) for error in report.errors]
    columns = ["姓名", "民族", "工作单位", "职务职称", "专业特长", "关注领域"]
    hint = "（常见于从其他软件复制粘贴），请删除后重新导入。"
    assert messages == [
        f"第 {row} 行：{column}中含有不可见的控制字符{hint}"
        for row, column in enumerate(columns, start=2)
    ]
    assert report.rows == []


def test_full_export_with_bodies_imports_again_unchanged(
    client, liaison_user, city_member, city_term
):
    city_member.nominated_by = "民建济南市委"
    city_member.save(update_fields=["nominated_by"])
    client.force_login(liaison_user)
    exported = client.post(reverse("members:export"), {"term": city_term.pk, "full": "1"})
    report = roster_import_check(term=city_term, content=exported.content)
    assert report.errors == [] and report.absent_columns == []
    assert report.rows[0].nominated_by == "民建济南市委"
