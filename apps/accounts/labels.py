"""Chinese labels for the audit verbs the accounts app writes (the audit log page)."""

from django.utils.translation import gettext_lazy as _

AUDIT_VERB_LABELS = {
    "account_create": _("创建账户"),
    "account_update": _("修改账户信息"),
    "account_deactivate": _("停用账户"),
    "account_reactivate": _("启用账户"),
    "role_change": _("角色变更"),
    "login": _("登录"),
    "login_failed": _("登录失败"),
    "login_locked": _("登录锁定"),
    "logout": _("退出登录"),
    "activation_issue": _("签发激活凭证"),
    "activation_complete": _("完成激活"),
    "activation_failed": _("激活码错误"),
    "token_create": _("创建 API 令牌"),
    "token_revoke": _("撤销 API 令牌"),
    "mfa_activate": _("开启两步验证"),
    "mfa_deactivate": _("关闭两步验证"),
    "mfa_recovery_codes": _("生成恢复码"),
    "password_change": _("修改密码"),
}
