"""What e-mails and SMS say: single notices and the daily digest. Links are absolute
(settings.PORTAL_BASE_URL) because they are read outside the portal."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutboxMessage


def _absolute(url: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url else ""


def _email_footer() -> str:
    return _(
        "—— %(portal)s\n此邮件由系统自动发送，请勿直接回复。如不希望接收邮件通知，"
        "请登录平台在“通知设置”中修改。"
    ) % {"portal": settings.PORTAL_NAME}


def email_text(message: OutboxMessage) -> str:
    parts = [message.title]
    if message.body:
        parts.append(message.body)
    if message.url:
        parts.append(_("查看详情：%(link)s") % {"link": _absolute(message.url)})
    parts.append(_email_footer())
    return "\n\n".join(parts)


def sms_text(message: OutboxMessage) -> str:
    if message.url:
        return _("%(title)s。详情：%(link)s") % {
            "title": message.title,
            "link": _absolute(message.url),
        }
    return _("%(title)s。请登录%(portal)s查看。") % {
        "title": message.title,
        "portal": settings.PORTAL_NAME,
    }


def digest_email(messages: Sequence[OutboxMessage]) -> tuple[str, str]:
    subject = _("每日消息汇总：共 %(count)s 条") % {"count": len(messages)}
    lines = [subject, ""]
    for number, message in enumerate(messages, start=1):
        local = timezone.localtime(message.created_at)
        lines.append(f"{number}. {message.title}（{local:%m-%d %H:%M}）")
        if message.body:
            lines.append(f"   {message.body}")
        if message.url:
            lines.append(f"   {_absolute(message.url)}")
    lines += ["", _email_footer()]
    return subject, "\n".join(lines)


def digest_sms(messages: Sequence[OutboxMessage]) -> str:
    titles = "；".join(message.title for message in messages[:3])
    more = _("等") if len(messages) > 3 else ""
    return _("您有 %(count)s 条新消息：%(titles)s%(more)s。请登录%(portal)s查看。") % {
        "count": len(messages),
        "titles": titles,
        "more": more,
        "portal": settings.PORTAL_NAME,
    }
