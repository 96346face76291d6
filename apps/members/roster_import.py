"""Roster import from .xlsx: the template, reading an uploaded file, validating every row.

`read_workbook` and `validate_rows` are pure (bytes and lookups in, rows and errors out) so they
are easy to test; `roster_import_check` loads the lookups and runs both. Writing happens in
apps.members.services.roster_import_apply, which checks again inside its transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.inputs import control_character_in

from .checks import birth_date_error, mobile_error, normalize_id_number, normalize_phone
from .idcard import id_birth_date, id_number_error
from .models import Gender, Member, Membership, Party, Position
from .selectors import ExistingMember, RosterImportLookups

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# The file format: sheet names, column headers, their aliases and the cell values the import
# understands are data that must match the client's Excel files, not interface text, so they
# are not translated. The help texts and every message are.
SHEET_NAME = "委员名册"
HELP_SHEET_NAME = "填写说明"
OPTIONS_SHEET_NAME = "选项"
# Rows whose name starts with this are the template's example and are skipped.
EXAMPLE_PREFIX = "示例"
MULTI_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str | Promise
    width: int = 14
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, gettext_lazy("委员姓名。"), 12),
    Column("gender", "性别", True, gettext_lazy("填“男”或“女”（可下拉选择）。"), 8),
    Column("ethnicity", "民族", False, gettext_lazy("如“汉族”“回族”；不填默认为汉族。"), 10),
    Column(
        "birth_date",
        "出生日期",
        False,
        gettext_lazy("如 1970-05-17；须与身份证号中的出生日期一致；不填则按身份证号填入。"),
        14,
    ),
    Column(
        "id_number",
        "身份证号",
        True,
        gettext_lazy(
            "18 位，最后一位可为 X。请把该列设为“文本”格式，以免 Excel 改写号码。"
            "同一身份证号再次导入时更新该委员，不会重复添加。"
        ),
        24,
        ("身份证号码", "公民身份号码"),
    ),
    Column(
        "mobile",
        "手机号",
        True,
        gettext_lazy("11 位手机号；创建账户时作为登录名。"),
        16,
        ("手机", "手机号码", "联系电话"),
    ),
    Column(
        "party", "政治面貌", True, gettext_lazy("下拉选择：中共、各民主党派、无党派、群众。"), 12
    ),
    Column("sector", "界别", True, gettext_lazy("下拉选择，须与本政协设置的界别名称一致。"), 22),
    Column(
        "special_committees",
        "专门委员会",
        False,
        gettext_lazy("须与本政协的专门委员会名称一致；多个用“、”分隔。"),
        24,
        ("专委会",),
    ),
    Column(
        "group", "委员小组", False, gettext_lazy("须与本政协的委员小组名称一致。"), 14, ("小组",)
    ),
    Column(
        "position",
        "职务",
        False,
        gettext_lazy("下拉选择：委员、常委、秘书长、副主席、主席；不填默认为委员。"),
        10,
    ),
    Column("work_unit", "工作单位", False, "", 28),
    Column(
        "nominated_by",
        "推荐单位",
        False,
        gettext_lazy(
            "推荐该委员的党派、团体或单位，如“民盟济南市委”“市工商联”“中共济南市委统战部”；"
            "每届可以不同，每年的履职情况按推荐单位分别报送。"
            "文件中没有这一列时，已在名册中的委员保留原来的推荐单位。"
        ),
        22,
    ),
    Column("job_title", "职务职称", False, "", 18),
    Column("expertise", "专业特长", False, "", 18),
    Column("focus_areas", "关注领域", False, "", 18),
    Column("email", "电子邮箱", False, "", 22, ("邮箱",)),
    Column(
        "create_account",
        "创建账户(是/否)",
        False,
        gettext_lazy(
            "填“是”则为尚无账户的委员创建登录账户（登录名为手机号，首次登录前由机关发放激活码）；"
            "不填视为“否”。"
        ),
        14,
        ("创建账户",),
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

PARTY_ALIASES: dict[str, str] = {
    **{str(label): value for value, label in Party.choices},
    "中共党员": Party.CPC,
    "中国共产党": Party.CPC,
    "中国共产党党员": Party.CPC,
    "中国国民党革命委员会": Party.RCCK,
    "中国民主同盟": Party.CDL,
    "中国民主建国会": Party.CDNCA,
    "中国民主促进会": Party.CAPD,
    "中国农工民主党": Party.CPWDP,
    "中国致公党": Party.CZGP,
    "台湾民主自治同盟": Party.TDSL,
    "无党派人士": Party.NONPARTY,
}
GENDER_ALIASES: dict[str, str] = {
    **{str(label): value for value, label in Gender.choices},
    "男性": Gender.MALE,
    "女性": Gender.FEMALE,
}
POSITION_ALIASES: dict[str, str] = {str(label): value for value, label in Position.choices}
YES, NO = "是", "否"


def _max_length(model: Any, name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


_MEMBER_LIMITS = {key: _max_length(Member, key) for key in ("name", "ethnicity", "email")}
_MEMBERSHIP_LIMITS = {
    key: _max_length(Membership, key)
    for key in ("work_unit", "nominated_by", "job_title", "expertise", "focus_areas")
}
# Optional columns an older file may lack: without the column an existing member keeps the
# value on the roster (a blank cell in a file that has the column clears it).
KEPT_WHEN_ABSENT = ("nominated_by",)


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, corrupt, too big, wrong columns)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class RawRow:
    """One non-empty data row as read from the sheet: Excel row number and cell values."""

    row_number: int
    values: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row_number: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)s 行：%(message)s") % {"row": self.row_number, "message": self.message}


@dataclass(frozen=True)
class ImportRow:
    """A valid row, ready to be written."""

    row_number: int
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date | None
    id_number: str
    mobile: str
    email: str
    party: str
    sector_id: int
    special_committee_ids: tuple[int, ...]
    group_id: int | None
    position: str
    work_unit: str
    nominated_by: str | None  # None: the file has no 推荐单位 column (keep what the roster has)
    job_title: str
    expertise: str
    focus_areas: str
    create_account: bool
    existing: ExistingMember | None

    @property
    def needs_account(self) -> bool:
        return self.create_account and (self.existing is None or self.existing.user_id is None)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    # Headers of KEPT_WHEN_ABSENT columns the file lacks (the preview says what that means).
    absent_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def update_count(self) -> int:
        return sum(1 for row in self.rows if row.existing is not None)

    @property
    def account_count(self) -> int:
        return sum(1 for row in self.rows if row.needs_account)

    @property
    def error_row_count(self) -> int:
        return len({error.row_number for error in self.errors})


# ---------------------------------------------------------------------------------------------
# Reading


def _normalize_header(value: Any) -> str:
    text = str(value or "")
    text = re.sub(r"[（(].*?[)）]", "", text)
    return re.sub(r"[\s*\uff0a]", "", text)  # spaces and (full-width) asterisks


def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            mapping[_normalize_header(name)] = column.key
    return mapping


def check_upload(*, filename: str, size: int) -> None:
    """File-level checks before reading: .xlsx only, at most MAX_FILE_BYTES."""
    if not filename.lower().endswith(".xlsx"):
        raise ImportFileError(
            _(
                "只能导入 .xlsx 格式的 Excel 文件。如果是 .xls 或 .csv 文件，"
                "请在 Excel 中“另存为” .xlsx 后再上传。"
            )
        )
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("文件过大（%(size).1f MB），不能超过 %(limit)d MB。")
            % {"size": size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if size == 0:
        raise ImportFileError(_("上传的文件是空的。"))


def _corrupt() -> str:
    return _(
        "无法读取该文件：文件可能已损坏，或不是 Excel（.xlsx）文件。请用 Excel 打开检查后重新保存。"
    )


def read_workbook(content: bytes) -> list[RawRow]:
    """Read the roster sheet: the first row names the columns, each later non-empty row is data.

    Raises ImportFileError with a Chinese message for anything that stops reading the file.
    """
    import openpyxl

    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("文件不能超过 %(limit)d MB。") % {"limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if not content.startswith(b"PK"):
        raise ImportFileError(_corrupt())
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_corrupt()) from exc
    if unpacked > MAX_UNPACKED_BYTES:  # a small file that expands enormously
        raise ImportFileError(_("文件内容过大，无法导入。请只保留委员名册工作表后重新保存。"))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_corrupt()) from exc
    try:
        if SHEET_NAME in workbook.sheetnames:
            sheet = workbook[SHEET_NAME]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise ImportFileError(_("文件中没有工作表。"))
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("工作表是空的：第 1 行应为列名（姓名、性别、身份证号……）。"))
        mapping = _header_map()
        positions: dict[str, int] = {}
        for index, value in enumerate(header):
            key = mapping.get(_normalize_header(value))
            if key is not None and key not in positions:
                positions[key] = index
        missing = [
            column.header for column in COLUMNS if column.required and column.key not in positions
        ]
        if missing:
            raise ImportFileError(
                _("第 1 行缺少必填列：%(columns)s。请使用下载的导入模板，不要修改列名。")
                % {"columns": "、".join(missing)}
            )
        result: list[RawRow] = []
        for row_number, cells in enumerate(rows, start=2):
            values = {
                key: cells[index] if index < len(cells) else None
                for key, index in positions.items()
            }
            if all(_is_blank(value) for value in values.values()):
                continue
            if str(values.get("name") or "").strip().startswith(EXAMPLE_PREFIX):
                continue
            if len(result) >= MAX_ROWS:
                raise ImportFileError(
                    _("一次最多导入 %(max)d 行，该文件超过了这个数量，请分成几个文件导入。")
                    % {"max": MAX_ROWS}
                )
            result.append(RawRow(row_number, values))
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_corrupt()) from exc
    finally:
        workbook.close()
    if not result:
        raise ImportFileError(_("文件中没有委员数据（示例行不计）。请从第 2 行起填写。"))
    return result


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def _parse_date(value: Any) -> dt.date | None:
    """A date from a cell; raises ValueError when it cannot be read."""
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 1 < value < 100000:  # an Excel serial day number
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = _text(value)
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


# ---------------------------------------------------------------------------------------------
# Validation


def _control_character_message(column: str) -> str:
    return _("%(column)s中含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新导入。") % {
        "column": column
    }


def validate_rows(raw_rows: Sequence[RawRow], lookups: RosterImportLookups) -> ImportReport:
    """Check every row; collect every problem (not only the first) with its row number."""
    report = ImportReport(total=len(raw_rows))
    present = set(raw_rows[0].values) if raw_rows else set()
    report.absent_columns = [
        COLUMN_BY_KEY[key].header for key in KEPT_WHEN_ABSENT if key not in present
    ]
    seen_ids: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    for raw in raw_rows:
        errors: list[RowError] = []

        def fail(key: str, message: str, raw: RawRow = raw, errors: list = errors) -> None:
            errors.append(RowError(raw.row_number, COLUMN_BY_KEY[key].header, message))

        values = raw.values
        for column in COLUMNS:
            if column.required and _is_blank(values.get(column.key)):
                fail(column.key, _("%(column)s不能为空。") % {"column": column.header})

        name = _text(values.get("name"))
        if control_character_in(name):
            fail("name", _control_character_message(COLUMN_BY_KEY["name"].header))
        elif len(name) > _MEMBER_LIMITS["name"]:
            fail("name", _("姓名不能超过 %(limit)d 个字。") % {"limit": _MEMBER_LIMITS["name"]})

        gender = ""
        gender_text = _text(values.get("gender"))
        if gender_text:
            gender = GENDER_ALIASES.get(gender_text, "")
            if not gender:
                fail("gender", _("性别“%(value)s”无效，应为“男”或“女”。") % {"value": gender_text})

        ethnicity = _text(values.get("ethnicity")) or "汉族"
        if control_character_in(ethnicity):
            fail("ethnicity", _control_character_message(COLUMN_BY_KEY["ethnicity"].header))
        elif len(ethnicity) > _MEMBER_LIMITS["ethnicity"]:
            fail("ethnicity", _("民族填写过长。"))

        id_number = ""
        id_value = values.get("id_number")
        if isinstance(id_value, float):
            fail(
                "id_number",
                _(
                    "身份证号被 Excel 存成了数字，末几位已经丢失。"
                    "请把该列设为“文本”格式后重新填写。"
                ),
            )
        elif not _is_blank(id_value):
            id_number = normalize_id_number(_text(id_value))
            problem = id_number_error(id_number)
            if problem:
                fail("id_number", problem)
                id_number = ""
            elif id_number in seen_ids:
                fail("id_number", _("身份证号与第 %(row)s 行重复。") % {"row": seen_ids[id_number]})
            else:
                seen_ids[id_number] = raw.row_number

        birth_date: dt.date | None = None
        try:
            birth_date = _parse_date(values.get("birth_date"))
        except ValueError:
            fail("birth_date", _("出生日期无法识别，请按 1970-05-17 的格式填写。"))
        if id_number:
            problem = birth_date_error(id_number, birth_date)
            if problem:
                fail("birth_date", problem)
            if birth_date is None:
                birth_date = id_birth_date(id_number)

        existing = lookups.existing.get(id_number) if id_number else None

        mobile = ""
        mobile_text = normalize_phone(_text(values.get("mobile")))
        if mobile_text:
            problem = mobile_error(mobile_text)
            if problem:
                fail("mobile", problem)
            elif mobile_text in seen_phones:
                fail("mobile", _("手机号与第 %(row)s 行重复。") % {"row": seen_phones[mobile_text]})
            else:
                seen_phones[mobile_text] = raw.row_number
                owner = lookups.phone_owners.get(mobile_text)
                if owner is not None and (existing is None or existing.user_id != owner):
                    message = _("手机号 %(phone)s 已被其他账户使用。") % {"phone": mobile_text}
                    fail("mobile", message)
                else:
                    mobile = mobile_text

        party = ""
        party_text = _text(values.get("party"))
        if party_text:
            party = PARTY_ALIASES.get(party_text, "")
            if not party:
                fail(
                    "party",
                    _("政治面貌“%(value)s”无效，请从下拉列表中选择。") % {"value": party_text},
                )

        sector_id: int | None = None
        sector_text = _text(values.get("sector"))
        if sector_text:
            sector_id = lookups.sectors.get(sector_text)
            if sector_id is None:
                fail(
                    "sector",
                    _("界别“%(value)s”不存在，请与本政协设置的界别名称一致。")
                    % {"value": sector_text},
                )

        special_ids: list[int] = []
        for part in MULTI_SEPARATORS.split(_text(values.get("special_committees"))):
            if not part:
                continue
            special_id = lookups.special_committees.get(part)
            if special_id is None:
                fail("special_committees", _("专门委员会“%(value)s”不存在。") % {"value": part})
            elif special_id not in special_ids:
                special_ids.append(special_id)

        group_id: int | None = None
        group_text = _text(values.get("group"))
        if group_text:
            group_id = lookups.groups.get(group_text)
            if group_id is None:
                fail("group", _("委员小组“%(value)s”不存在。") % {"value": group_text})

        position = Position.MEMBER.value
        position_text = _text(values.get("position"))
        if position_text:
            position = POSITION_ALIASES.get(position_text, "")
            if not position:
                fail(
                    "position",
                    _("职务“%(value)s”无效，应为委员、常委、秘书长、副主席或主席。")
                    % {"value": position_text},
                )

        texts: dict[str, str] = {}
        for key, limit in _MEMBERSHIP_LIMITS.items():
            texts[key] = _text(values.get(key))
            if control_character_in(texts[key]):
                fail(key, _control_character_message(COLUMN_BY_KEY[key].header))
            elif limit and len(texts[key]) > limit:
                fail(
                    key,
                    _("%(column)s不能超过 %(limit)d 个字。")
                    % {"column": COLUMN_BY_KEY[key].header, "limit": limit},
                )

        email = _text(values.get("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fail("email", _("电子邮箱“%(value)s”格式不正确。") % {"value": email})

        create_text = _text(values.get("create_account"))
        create_account = create_text == YES
        if create_text not in ("", YES, NO):
            fail("create_account", _("创建账户应填“是”或“否”。"))
        elif create_account and not mobile_text:
            fail("create_account", _("创建账户需要填写手机号（登录名为手机号）。"))

        if errors:
            report.errors.extend(errors)
            continue
        assert sector_id is not None  # required column, checked above
        report.rows.append(
            ImportRow(
                row_number=raw.row_number,
                name=name,
                gender=gender,
                ethnicity=ethnicity,
                birth_date=birth_date,
                id_number=id_number,
                mobile=mobile,
                email=email,
                party=party,
                sector_id=sector_id,
                special_committee_ids=tuple(special_ids),
                group_id=group_id,
                position=position,
                work_unit=texts["work_unit"],
                nominated_by=texts["nominated_by"] if "nominated_by" in values else None,
                job_title=texts["job_title"],
                expertise=texts["expertise"],
                focus_areas=texts["focus_areas"],
                create_account=create_account,
                existing=existing,
            )
        )
    return report


def roster_import_check(*, term: Any, content: bytes) -> ImportReport:
    """Read and validate a file against a term's committee. Reads only; raises ImportFileError."""
    from .selectors import roster_import_lookups

    raw_rows = read_workbook(content)
    lookups = roster_import_lookups(
        term=term,
        id_numbers=(normalize_id_number(_text(row.values.get("id_number"))) for row in raw_rows),
        phones=(normalize_phone(_text(row.values.get("mobile"))) for row in raw_rows),
    )
    return validate_rows(raw_rows, lookups)
