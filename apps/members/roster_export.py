"""The roster as an .xlsx file. Column names match the import template, so a full export can be
corrected and imported again (extra columns such as 状态 are ignored by the import)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from apps.core.masking import mask_id_number, mask_phone
from apps.core.xlsx import xlsx_bytes, xlsx_sheet, xlsx_text_cell, xlsx_workbook
from apps.organisation.models import Term

from .models import Membership


def _account_label(membership: Membership) -> str:
    user = membership.member.user
    if user is None:
        return _("无账户")
    return _("已激活") if user.has_usable_password() else _("未激活")


# The column names are the import template's (a full export imports again), so they are part of
# the file format and not translated.


HEADERS = (
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "手机号",
    "政治面貌",
    "界别",
    "专门委员会",
    "委员小组",
    "职务",
    "工作单位",
    "推荐单位",
    "职务职称",
    "专业特长",
    "关注领域",
    "电子邮箱",
    "状态",
    "状态日期",
    "状态原因",
    "账户",
)
WIDTHS = (6, 10, 6, 8, 12, 22, 14, 10, 20, 24, 14, 10, 28, 22, 18, 18, 18, 22, 8, 12, 20, 10)


def build_roster_workbook(
    memberships: Iterable[Membership], *, term: Term, full: bool
) -> tuple[bytes, int]:
    """Write the rows (phone and ID masked unless `full`); returns (file bytes, row count)."""
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(workbook, title="委员名册", headers=HEADERS, widths=WIDTHS, freeze="C2")
    count = 0
    for membership in memberships:
        member = membership.member
        count += 1
        id_number = member.id_number if full else mask_id_number(member.id_number)
        mobile = member.mobile if full else mask_phone(member.mobile)
        id_cell = xlsx_text_cell(sheet, id_number)
        mobile_cell = xlsx_text_cell(sheet, mobile)
        sheet.append(
            [
                count,
                member.name,
                member.get_gender_display(),
                member.ethnicity,
                member.birth_date.isoformat() if member.birth_date else "",
                id_cell,
                mobile_cell,
                membership.get_party_display(),
                membership.sector.name,
                "、".join(sc.name for sc in membership.special_committees.all()),
                membership.group.name if membership.group else "",
                membership.get_position_display(),
                membership.work_unit,
                membership.nominated_by,
                membership.job_title,
                membership.expertise,
                membership.focus_areas,
                member.email,
                membership.get_status_display(),
                membership.status_date.isoformat() if membership.status_date else "",
                membership.status_reason,
                _account_label(membership),
            ]
        )
    note = workbook.create_sheet(_("说明"))
    title = _("%(committee)s %(term)s 委员名册") % {"committee": term.committee.name, "term": term}
    note.append([title])
    note.append(
        [_("手机号和身份证号为完整信息，请妥善保管。") if full else _("手机号和身份证号已脱敏。")]
    )
    return xlsx_bytes(workbook), count
