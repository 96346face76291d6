"""System checks for the extension seams: a registered page that does not exist is an error at
start-up (`manage.py check`, runserver, the test suite), not a silently missing menu entry.
Deployment checks (`check --deploy`): production must have an SMS backend that reaches phones."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .registry import registry


def _unresolved(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return True
    return False


@register(Tags.urls)
def check_registered_urls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every navigation entry and every URL a home card links to must resolve."""
    errors: list[CheckMessage] = []
    for item in registry.nav:
        if _unresolved(item.url_name):
            errors.append(
                Error(
                    f"Navigation entry {str(item.label)!r} names the URL {item.url_name!r}, "
                    "which does not resolve.",
                    hint="Register the entry from the app that defines the URL, after adding "
                    "its urls to zhengxie/urls.py.",
                    obj=item.app or item.url_name,
                    id="core.E001",
                )
            )
    for card in registry.home_cards:
        for url_name in card.url_names:
            if _unresolved(url_name):
                errors.append(
                    Error(
                        f"Home card {card.key!r} links to the URL {url_name!r}, which does not "
                        "resolve.",
                        obj=card.app or card.key,
                        id="core.E002",
                    )
                )
    return errors


@register(Tags.security, deploy=True)
def check_sms_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Under production settings SMS must reach phones: the log and test backends are for
    development (`manage.py check --deploy`)."""
    from django.conf import settings

    from .sms import DEVELOPMENT_BACKENDS

    if not getattr(settings, "PRODUCTION", False):
        return []
    backend = settings.SMS_BACKEND
    if backend in DEVELOPMENT_BACKENDS:
        return [
            Warning(
                _(
                    "生产环境的短信后端是 %(backend)s：登录验证码、激活码和短信通知只写入日志"
                    "（或留在内存中），不会发到任何人的手机上。"
                )
                % {"backend": backend},
                hint=_(
                    "把 SMS_BACKEND 设为短信网关的后端类（例如 apps.core.sms.HttpGatewaySmsBackend "
                    "并设置 SMS_GATEWAY_URL，或自行编写带 send(phone, text) 方法的类），"
                    "见 README 的“Deploy”一节。"
                ),
                id="core.W010",
            )
        ]
    if backend == "apps.core.sms.HttpGatewaySmsBackend" and not settings.SMS_GATEWAY_URL:
        return [
            Warning(
                _("SMS_BACKEND 是 HttpGatewaySmsBackend，但没有设置 SMS_GATEWAY_URL。"),
                hint=_("设置 SMS_GATEWAY_URL（以及需要时的 SMS_GATEWAY_TOKEN）。"),
                id="core.W011",
            )
        ]
    return []
