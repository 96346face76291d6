"""Helpers shared by the members pages: permission gate, scoped lookup, term choice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.organisation.models import Term

from ..models import Membership
from ..selectors import membership_get_visible, term_default, term_list_visible_to


def require(allowed: bool, message: str | None = None) -> None:
    """The portal's 403 page (apps.core.views.permission_denied) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(
            message or _("您没有权限查看此页面。如有需要，请联系政协机关委员联络处。")
        )


def membership_or_404(request: AuthenticatedRequest, pk: int) -> Membership:
    """The membership if it is inside the user's scope; 404 (not 403) otherwise."""
    membership = membership_get_visible(user=request.user, membership_id=pk)
    if membership is None:
        raise Http404(_("未找到该委员，或您无权查看。"))
    return membership


def parse_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def pick_term(request: AuthenticatedRequest, raw: Any) -> tuple[Term | None, list[Term]]:
    """The term asked for (if the user may see it), else the default; plus all visible terms."""
    terms = term_list_visible_to(user=request.user)
    wanted = parse_int(raw)
    if wanted is not None:
        for term in terms:
            if term.pk == wanted:
                return term, terms
        messages.warning(request, _("未找到所选的届，已显示默认届。"))
    elif raw not in (None, ""):
        messages.warning(request, _("届的参数无效，已显示默认届。"))
    return term_default(user=request.user, terms=terms), terms
