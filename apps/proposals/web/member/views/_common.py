"""Lookups shared by the member pages: what the viewer may not read is a 404 (its existence is
not revealed), what they may read but not change a 403 — both the portal's Chinese pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound

from ....models import Proposal
from ....selectors import proposal_get_for_user, proposal_queryset_visible_to
from ..display import status_badge  # noqa: F401  (re-exported for the views)


def require_visible(request: AuthenticatedRequest, proposal_id: int) -> None:
    """404 unless the user may read the proposal (so actions on proposals one cannot see
    answer 404, not 403, and reveal nothing)."""
    if not proposal_queryset_visible_to(request.user).filter(pk=proposal_id).exists():
        raise Http404(_("未找到该提案，或您无权查看。"))


def visible_proposal(request: AuthenticatedRequest, proposal_id: int) -> Proposal:
    """The proposal with everything the detail page shows, or 404."""
    try:
        return proposal_get_for_user(user=request.user, proposal_id=proposal_id)
    except NotFound as error:
        raise Http404(error.message) from error
