from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "账户与角色"

    def ready(self) -> None:
        from . import signals

        signals.connect()
