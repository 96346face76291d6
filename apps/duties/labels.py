"""Chinese labels for the audit verbs this app writes (the audit log page)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS: dict[str, Promise] = {
    "filing_submit": _("提交履职备案"),
    "filing_verify": _("核实履职备案"),
    "filing_reject": _("退回履职备案"),
    "filing_resubmit": _("修改后重新提交履职备案"),
    "filing_withdraw": _("撤回履职备案"),
    "duty_activity_type_add": _("增加履职活动类型"),
    "duty_settings_update": _("修改履职备案设置"),
    "duty_rules_install": _("安装预置考评细则"),
    "duty_rules_copy": _("复制考评细则"),
    "duty_rules_save": _("修改考评细则"),
    "duty_rules_activate": _("启用考评细则"),
    "duty_rules_retire": _("停用考评细则"),
    "duty_year_refresh": _("重新计算年度考评"),
    "duty_year_close": _("结束年度考评"),
    "duty_year_reopen": _("重新开放年度考评"),
    "duty_warning_raise": _("履职预警"),
    "duty_warning_clear": _("解除履职预警"),
    "duty_warning_rule_save": _("修改预警规则"),
    "duty_scores_export": _("导出履职考评"),
}
