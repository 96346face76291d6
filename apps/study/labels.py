"""Chinese labels for the audit verbs this app writes (the audit log page)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS: dict[str, Promise] = {
    "study_request_create": _("发起学习材料征集"),
    "study_request_close": _("截止学习材料征集"),
    "study_submission_save": _("保存学习材料草稿"),
    "study_submission_submit": _("提交学习材料"),
    "study_submission_edit": _("编辑学习材料"),
    "study_submission_adopt": _("采用学习材料"),
    "study_submission_unadopt": _("取消采用学习材料"),
    "study_compilation_create": _("新建学习材料汇编"),
    "study_compilation_update": _("修改学习材料汇编"),
    "study_compilation_order": _("调整汇编篇目"),
    "study_compilation_export": _("导出学习材料汇编"),
    "study_compilation_publish": _("印发学习材料汇编"),
    "study_compilation_withdraw": _("撤回印发的学习材料汇编"),
    "study_article_publish": _("发布履职思考文章"),
    "study_article_withdraw": _("撤下履职思考文章"),
    "study_group_create": _("建立读书群组"),
    "study_group_members": _("调整读书群组成员"),
    "study_group_book": _("设置共读书目"),
    "study_group_sharing": _("安排读书分享会"),
    "study_checkin": _("读书打卡"),
    "study_plan_add": _("增加专题学习计划事项"),
    "study_plan_done": _("登记专题学习计划完成"),
    "study_plan_undone": _("取消专题学习计划完成登记"),
    "study_plan_remove": _("删除专题学习计划事项"),
}
