"""Writing audit events. Services call `audit_record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import current_request_meta
from .models import AuditEvent
from .registry import audit_observers


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "系统"
    return (getattr(actor, "name", "") or getattr(actor, "username", "") or str(actor))[:100]


def audit_record(
    *,
    verb: str,
    actor: Any = None,
    obj: models.Model | None = None,
    committee: Any = None,
    role: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. IP and request id come from the current request, if any.

    `committee` defaults to `obj.committee` when the object has one (or `obj` itself when it is
    a committee). The registered audit observers (apps.core.registry.register_audit_observer)
    see the event before this returns, inside the same transaction.
    """
    meta = current_request_meta()
    if committee is None and obj is not None:
        if obj._meta.label == "organisation.Committee":
            committee = obj
        else:
            committee = getattr(obj, "committee", None)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=_actor_label(actor_obj),
        role=role[:50],
        committee=committee,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        verb=verb,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        ip=meta.ip,
        request_id=meta.request_id,
        data=data or {},
    )
    for observer in audit_observers():
        observer(event)
    return event
