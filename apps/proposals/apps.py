from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    verbose_name = "提案"
