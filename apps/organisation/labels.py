"""Chinese labels for the audit verbs the organisation app writes (the audit log page)."""

from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS = {
    "committee_create": _("创建政协组织"),
    "term_create": _("新增届次"),
    "term_set_current": _("设为本届"),
    "plenary_session_create": _("新增全体会议"),
    "special_committee_create": _("新增专门委员会"),
    "special_committee_update": _("修改专门委员会"),
    "member_group_create": _("新增委员小组"),
    "member_group_update": _("修改委员小组"),
    "handling_unit_create": _("新增承办单位"),
    "handling_unit_update": _("修改承办单位"),
}
