"""Hand-offs the notifications app takes over (apps.core.registry.register_handoff)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from apps.accounts.models import User
from apps.accounts.roles import Role

from .services import notify


@transaction.atomic
def notify_administrators(*, key: str, title: str, body: str = "", url: str = "") -> int:
    """`notify_administrators`: a system notice (e.g. the SMS code budget used up) to every
    active superuser and 系统管理员, in-app and by e-mail, once per `key` and person. Returns
    how many were written to the outbox."""
    admins = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.SYSADMIN.value))
        .distinct()
        .order_by("pk")
    )
    count = 0
    for admin in admins:
        notify(
            recipient=admin,
            key=f"{key}:{admin.pk}",
            title=title,
            body=body,
            url=url,
            kind="system",
            channels=["email"],
        )
        count += 1
    return count
