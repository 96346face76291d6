"""What the leadership dashboard adds to the leadership home (apps.core.registry)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models.fields.json import KT
from django.urls import reverse

from apps.core import clock

from ..models import LeadershipSnapshot, SliceKind
from .permissions import home_committee
from .selectors import json_object


def leadership_card(request: Any, role: str) -> Mapping[str, Any]:
    """The headline of this year's dashboard of the leader's committee (one query: the
    snapshot's headline and refresh time, not its whole figures; the membership is the
    request's cached one)."""
    committee_id = home_committee(request.user)
    if committee_id is None:
        return {"lead_card": None}
    year = clock.today().year
    head = (
        LeadershipSnapshot.objects.filter(
            committee_id=committee_id, year=year, slice_kind=SliceKind.ALL
        )
        .annotate(headline=KT("figures__headline"))
        .values_list("headline", "refreshed_at")
        .first()
    )
    return {
        "lead_card": {
            "year": year,
            "headline": json_object(head[0]) if head else None,
            "refreshed_at": head[1] if head else None,
            "url": reverse("leadership:dashboard"),
            "screen_url": reverse("leadership:screen"),
        }
    }
