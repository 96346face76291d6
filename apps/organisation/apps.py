from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "apps.organisation"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from apps.core.registry import register_demo_seeder

        from .demo import seed as seed_demo

        register_demo_seeder("organisation", seed_demo, order=10, app=self.label)

        from apps.core.registry import register_api_router, register_audit_labels, register_nav

        from .api import router
        from .labels import AUDIT_VERB_LABELS
        from .permissions import can_view_organisation

        register_nav(
            _("组织机构"),
            "organisation:overview",
            check=can_view_organisation,
            order=70,
            app=self.label,
        )
        register_audit_labels(AUDIT_VERB_LABELS)
        register_api_router("", router, order=20, app=self.label)
