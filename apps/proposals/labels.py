"""Chinese labels for the audit verbs this app writes (the audit log page and the proposal
timeline)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS: dict[str, Promise] = {
    "proposal_draft_create": _("新建提案草稿"),
    "proposal_draft_delete": _("删除提案草稿"),
    "proposal_submit": _("提交提案"),
    "proposal_withdraw": _("撤回提案"),
    "proposal_reopen": _("重新编辑提案"),
    "proposal_accept": _("提案立案"),
    "proposal_reject": _("提案不予立案"),
    "proposal_propose_transfer": _("建议转交"),
    "proposal_consent_transfer": _("同意转交"),
    "proposal_refuse_transfer": _("不同意转交"),
    "proposal_merge": _("并案"),
    "proposal_assign": _("交办"),
    "proposal_unassign": _("退回待交办"),
    "proposal_complete_handling": _("办复"),
    "proposal_rehandle": _("重新办理"),
    "proposal_finish_evaluation": _("完成评价"),
    "proposal_rate": _("评价办理"),
    "proposal_rating_expire": _("逾期未评价"),
    "proposal_close": _("办结"),
    "proposal_cosign_invite": _("邀请附议"),
    "proposal_cosign_confirm": _("确认附议"),
    "proposal_cosign_decline": _("谢绝附议"),
    "proposal_cosign_withdraw": _("撤回附议邀请"),
    "proposal_cosign_withdraw_pending": _("撤回未答复的附议邀请"),
    "proposal_mark_key": _("标记重点提案"),
    "proposal_unmark_key": _("取消重点提案"),
    "proposal_nominate_excellent": _("推荐优秀提案"),
    "proposal_select_excellent": _("评选优秀提案"),
    "proposal_settings_update": _("修改提案工作设置"),
    "proposal_category_save": _("编辑提案类别"),
    "assignment_add": _("追加承办单位"),
    "assignment_receive": _("签收"),
    "assignment_request_return": _("申请退回"),
    "assignment_approve_return": _("同意退回"),
    "assignment_refuse_return": _("不同意退回"),
    "assignment_submit_opinion": _("提交会办意见"),
    "assignment_submit_reply": _("提交答复"),
    "assignment_approve_reply": _("答复审核通过"),
    "assignment_reject_reply": _("驳回答复"),
    "assignment_reopen_for_rehandling": _("重新办理"),
    "assignment_contact": _("联系提案人"),
    "assignment_extension_request": _("申请延期"),
    "assignment_extension_approve": _("批准延期"),
    "assignment_extension_refuse": _("不批准延期"),
}
