"""Personal API tokens: created and revoked by their owner, stored as SHA-256 hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, ValidationFailed
from apps.core.services import model_update

from ..models import ApiToken, User

API_TOKEN_PREFIX = "zx_"
API_TOKEN_LIVE_LIMIT = 20
API_TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token for `user` (the signed-in person, for themself).

    Returns the row and the token text, which is shown once and never stored: only its SHA-256
    hash and a short prefix are kept. At most API_TOKEN_LIVE_LIMIT live tokens per person.
    """
    name = name.strip()
    if not name:
        message = _("请为令牌起一个名称。")
        raise ValidationFailed(message, extra={"errors": {"name": message}})
    if expires_at is not None and expires_at <= timezone.now():
        message = _("过期时间必须晚于现在。")
        raise ValidationFailed(message, extra={"errors": {"expires_at": message}})
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if live >= API_TOKEN_LIVE_LIMIT:
        raise Conflict(_("您已有 %(count)s 个有效令牌，请先撤销不用的令牌。") % {"count": live})
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:60],
        prefix=raw[:10],
        token_hash=_api_token_hash(raw),
        expires_at=expires_at,
    )
    audit_record(
        verb="token_create",
        actor=user,
        obj=token,
        committee=user.committee,
        data={
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens. Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("未找到该令牌。"))
    if token.revoked_at is not None:
        return token
    model_update(instance=token, data={"revoked_at": timezone.now()})
    audit_record(
        verb="token_revoke",
        actor=user,
        obj=token,
        committee=user.committee,
        data={"name": token.name, "prefix": token.prefix},
    )
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired, inactive).

    Records when the token was last used, at most once a minute (one conditional UPDATE).
    """
    if not raw or not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_api_token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - API_TOKEN_TOUCH_INTERVAL:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - API_TOKEN_TOUCH_INTERVAL)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token.user
