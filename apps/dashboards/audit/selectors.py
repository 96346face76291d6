"""Reads for the audit log page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.organisation.selectors import committee_ids_visible_to


@dataclass(frozen=True)
class AuditFilter:
    q: str = ""
    verb: str = ""
    committee_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ip: str = ""


def audit_event_list_visible_to(*, user: User, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events of committees the user may see. Events without a committee (e.g. a failed
    sign-in for an unknown name) are visible to superusers only."""
    visible = committee_ids_visible_to(user)
    scope = Q(committee_id__in=visible)
    if user.is_superuser:
        scope |= Q(committee__isnull=True)
    queryset = AuditEvent.objects.filter(scope).select_related("committee", "content_type")
    if filters.q:
        queryset = queryset.filter(
            Q(actor_label__icontains=filters.q) | Q(object_repr__icontains=filters.q)
        )
    if filters.verb:
        queryset = queryset.filter(verb=filters.verb)
    if filters.committee_id:
        queryset = queryset.filter(committee_id=filters.committee_id)
    if filters.date_from:
        queryset = queryset.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(occurred_at__date__lte=filters.date_to)
    if filters.ip:
        queryset = queryset.filter(ip=filters.ip)
    return queryset.order_by("-occurred_at", "-id")
