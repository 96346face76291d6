from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    verbose_name = "提案"

    def ready(self) -> None:
        # Chinese labels for this app's audit verbs on the audit log page.
        from apps.core.selectors import VERB_LABELS

        from .labels import AUDIT_VERB_LABELS

        VERB_LABELS.update(AUDIT_VERB_LABELS)
