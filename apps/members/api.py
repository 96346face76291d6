"""Members API (mounted at /api/v1/members): scoped to the caller's committees, masked."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from apps.accounts.auth import api_caller
from apps.core.errors import NotFound, PermissionDenied

from .models import Membership
from .permissions import can_view_member, can_view_roster
from .schemas import MemberFilter, MemberOut
from .selectors import membership_get_visible, membership_list_for_api

router = Router(tags=["委员"])


@router.get("", response=list[MemberOut], url_name="list_members")
@paginate
def list_members(request: HttpRequest, filters: Query[MemberFilter]) -> QuerySet[Membership]:
    """委员名册 (roster viewers only): phone and ID number masked."""
    user = api_caller(request)
    if not can_view_roster(user):
        raise PermissionDenied(_("您没有查看委员名册的权限。"))
    queryset = membership_list_for_api(user=user, term_id=filters.term)
    return filters.filter(queryset)


@router.get("/{membership_id}", response=MemberOut, url_name="get_member")
def get_member(request: HttpRequest, membership_id: int) -> Membership:
    """One member in one term: roster viewers in scope, or the member themself."""
    user = api_caller(request)
    membership = membership_get_visible(user=user, membership_id=membership_id)
    if membership is None:
        raise NotFound(_("未找到该委员，或您无权查看。"))
    if not can_view_member(user, membership):
        raise PermissionDenied(_("您没有查看该委员信息的权限。"))
    return membership
