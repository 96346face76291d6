"""The transition table: every allowed step of a social-opinion report, in one place.

收集 (草稿 → 待筛选) → 筛选 (接收 → 编辑中 / 退回修改 → 修改后重新提交 / 不予采用; or 合并 into
another report) → 编辑 → 送签 (待签发; the leader may send it back to 编辑中) → 签发 → 编入期刊
(when the issue carrying it is published) → 已报送 (when the issue is sent upward). Steps marked
"system" are taken by the bulletin services as a consequence of publishing or sending an issue.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Transition, transition

from ..models import ReportStatus as S

REPORT_TRANSITIONS: Mapping[str, Transition] = {
    "submit": transition(_("提交"), {S.DRAFT}, S.SUBMITTED),
    "resubmit": transition(_("修改后重新提交"), {S.RETURNED}, S.SUBMITTED),
    "accept": transition(_("接收"), {S.SUBMITTED}, S.ACCEPTED),
    "return": transition(_("退回修改"), {S.SUBMITTED}, S.RETURNED),
    "decline": transition(_("不予采用"), {S.SUBMITTED}, S.DECLINED),
    "merge": transition(_("合并"), {S.SUBMITTED, S.ACCEPTED}, S.MERGED),
    "request_signoff": transition(_("送领导签发"), {S.ACCEPTED}, S.AWAITING_SIGNOFF),
    "sign": transition(_("签发"), {S.AWAITING_SIGNOFF}, S.SIGNED),
    "send_back": transition(_("退回编辑"), {S.AWAITING_SIGNOFF}, S.ACCEPTED),
    "compile": transition(_("编入期刊"), {S.SIGNED}, S.COMPILED, system=True),
    "report_upward": transition(_("报送"), {S.COMPILED}, S.REPORTED, system=True),
}
