from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectorsConfig(AppConfig):
    name = "apps.sectors"
    verbose_name = "界别"

    def ready(self) -> None:
        from apps.core.registry import register_audit_labels

        register_audit_labels(
            {
                "sector_create": _("新增界别"),
                "sector_update": _("修改界别"),
                "sector_reorder": _("调整界别顺序"),
            }
        )
