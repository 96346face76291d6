"""Chinese labels for the audit verbs the members app writes (the audit log page)."""

from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS = {
    "member_create": _("新增委员"),
    "member_update": _("修改委员信息"),
    "membership_status": _("委员状态变更"),
    "unmask": _("查看完整信息"),
    "roster_import": _("导入名册"),
    "roster_export": _("导出名册"),
    "contact_duty_add": _("添加联系关系"),
    "contact_duty_remove": _("移除联系关系"),
    "convener_add": _("添加集体提案召集人"),
    "convener_remove": _("移除集体提案召集人"),
}
