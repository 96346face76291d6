from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "apps.members"
    verbose_name = "委员"
