"""Chinese labels for the audit verbs this app writes (the audit log page and the report's
timeline)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS: dict[str, Promise] = {
    "opinion_draft_create": _("新建社情民意信息草稿"),
    "opinion_draft_delete": _("删除社情民意信息草稿"),
    "opinion_coauthor_add": _("添加联名报送人"),
    "opinion_coauthor_remove": _("移除联名报送人"),
    "opinion_submit": _("提交社情民意信息"),
    "opinion_resubmit": _("修改后重新提交"),
    "opinion_transfer_receive": _("由提案转为社情民意信息"),
    "opinion_accept": _("接收社情民意信息"),
    "opinion_return": _("退回修改"),
    "opinion_decline": _("不予采用"),
    "opinion_merge": _("合并同类信息"),
    "opinion_merge_receive": _("并入同类信息"),
    "opinion_edit": _("编辑加工"),
    "opinion_request_signoff": _("送领导签发"),
    "opinion_sign": _("领导签发"),
    "opinion_send_back": _("领导退回编辑"),
    "opinion_issue_create": _("新建一期《社情民意》"),
    "opinion_issue_add": _("拟编入期刊"),
    "opinion_issue_remove": _("移出期刊"),
    "opinion_issue_delete": _("删除未印发的期刊"),
    "opinion_issue_publish": _("印发《社情民意》"),
    "opinion_issue_upward": _("期刊报送上级"),
    "opinion_compile": _("编入《社情民意》"),
    "opinion_report_upward": _("报送上级"),
    "opinion_report_upward_again": _("再次报送"),
    "opinion_adoption_record": _("登记采用"),
    "opinion_instruction_record": _("登记领导批示"),
    "opinion_referral_create": _("转办"),
    "opinion_referral_reply": _("登记回函"),
    "opinion_settings_update": _("修改社情民意工作设置"),
    "opinion_category_save": _("编辑社情民意类别"),
    "opinion_level_save": _("编辑采用层级"),
    "opinion_unit_save": _("编辑报送单位"),
    "opinion_liaison_appoint": _("设置信息联络员"),
    "opinion_liaison_release": _("免去信息联络员"),
}
