"""Member detail (with audited unmasking), staff edit and create, and the member's own profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.masking import mask_id_number, mask_phone
from apps.core.pages import perform

from ..forms import MemberCreateForm, MemberForm, MyProfileForm
from ..models import Member, Membership
from ..permissions import (
    can_edit_member,
    can_manage_roster,
    can_unmask_member,
    can_view_member,
    is_own_membership,
)
from ..selectors import (
    contact_duties_of,
    member_for_user,
    membership_history,
    membership_latest,
    nominating_bodies_in_use,
    roster_choices,
)
from ..services import (
    SENSITIVE_FIELDS,
    member_create,
    member_unmask,
    member_update,
    my_profile_update,
)
from ._common import membership_or_404, pick_term, require

_MASKS = {"mobile": mask_phone, "id_number": mask_id_number}


def _sensitive_item(
    member: Member, field: str, *, revealed: bool, can_reveal: bool
) -> dict[str, Any]:
    value = getattr(member, field)
    return {
        "field": field,
        "label": SENSITIVE_FIELDS[field],
        "value": value if revealed else _MASKS[field](value),
        "empty": not value,
        "revealed": revealed,
        "can_reveal": can_reveal and not revealed and bool(value),
    }


def account_status(member: Member) -> str:
    if member.user is None:
        return _("未开通账户")
    if member.user.has_usable_password():
        return _("已开通并激活")
    return _("已开通，尚未激活")


def _profile_context(
    request: AuthenticatedRequest, membership: Membership, *, reveal: str | None = None
) -> dict[str, Any]:
    user = request.user
    member = membership.member
    is_self = is_own_membership(user, membership)
    can_reveal = can_unmask_member(user, membership)
    made, received = contact_duties_of(membership=membership)
    return {
        "membership": membership,
        "member": member,
        "is_self": is_self,
        "sensitive": [
            _sensitive_item(
                member, field, revealed=is_self or field == reveal, can_reveal=can_reveal
            )
            for field in SENSITIVE_FIELDS
        ],
        "duties_made": made,
        "duties_received": received,
        "history": membership_history(member=member),
        "account_status": account_status(member),
        "can_edit": can_edit_member(user, membership),
    }


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A member's profile in one term: roster viewers in scope, or the member themself."""
    membership = membership_or_404(request, pk)
    require(can_view_member(request.user, membership))
    return render(request, "members/detail.html", _profile_context(request, membership))


@login_required
@require_POST
def unmask(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show one full field (手机号 or 身份证号); permission checked and audited in the service."""
    membership = membership_or_404(request, pk)
    field = request.POST.get("field", "")

    def shown(value: str) -> HttpResponse:
        if request.htmx:
            item = {
                "field": field,
                "label": SENSITIVE_FIELDS[field],
                "value": value,
                "revealed": True,
                "empty": not value,
            }
            return render(
                request,
                "members/_profile_cards.html#sensitive",
                {"item": item, "membership": membership, "is_self": False},
            )
        return render(
            request, "members/detail.html", _profile_context(request, membership, reveal=field)
        )

    return perform(
        request,
        lambda: member_unmask(actor=request.user, membership=membership, field=field),
        on_success=shown,
        back=reverse("members:detail", args=[membership.pk]),
    )


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Staff edit of a member and this term's membership (members.manage_roster)."""
    membership = membership_or_404(request, pk)
    require(can_edit_member(request.user, membership), _("您没有编辑委员信息的权限。"))
    choices = roster_choices(committee_id=membership.committee_id)
    member = membership.member
    if request.method == "POST":
        form = MemberForm(request.POST, choices=choices, masked=member)
    else:
        form = MemberForm(
            initial=MemberForm.initial_for(membership), choices=choices, masked=member
        )

    def page() -> HttpResponse:
        context = {
            "form": form,
            "membership": membership,
            "member": member,
            "nominating_bodies": nominating_bodies_in_use(committee_id=membership.committee_id),
        }
        return render(request, "members/edit.html", context)

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: member_update(
            actor=request.user,
            membership=membership,
            member_data=form.member_data(keep=member),
            membership_data=form.membership_data(),
        ),
        form=form,
        render=page,
        success=_("已保存 %(name)s 的信息。") % {"name": member.name},
        redirect_to=reverse("members:detail", args=[membership.pk]),
    )


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    """Add one member by hand, optionally with an account (members.manage_roster)."""
    require(can_manage_roster(request.user), _("您没有添加委员的权限。"))
    source = request.POST if request.method == "POST" else request.GET
    term, terms = pick_term(request, source.get("term"))
    if term is None:
        return _no_term(request)
    choices = roster_choices(committee_id=term.committee_id)
    if request.method == "POST":
        form = MemberCreateForm(request.POST, choices=choices, terms=terms)
    else:
        form = MemberCreateForm(initial={"term": term.pk}, choices=choices, terms=terms)

    def page() -> HttpResponse:
        context = {
            "form": form,
            "term": term,
            "nominating_bodies": nominating_bodies_in_use(committee_id=term.committee_id),
        }
        return render(request, "members/create.html", context)

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: member_create(
            actor=request.user,
            term=term,
            member_data=form.member_data(),
            membership_data=form.membership_data(),
            create_account=form.cleaned_data["create_account"],
        ),
        form=form,
        render=page,
        success=lambda membership: _("已添加委员 %(name)s。") % {"name": membership.member.name},
        redirect_to=lambda membership: reverse("members:detail", args=[membership.pk]),
    )


def _no_term(request: AuthenticatedRequest) -> HttpResponse:
    messages.error(request, _("尚未设置届次，无法添加委员。"))
    return redirect("members:roster")


@login_required
def my_profile(request: AuthenticatedRequest) -> HttpResponse:
    """我的资料: the signed-in member's own profile and contact details."""
    member = member_for_user(user=request.user)
    membership = membership_latest(member=member) if member is not None else None
    if member is None or membership is None:
        return render(request, "members/no_profile.html")
    if request.method == "POST":
        form = MyProfileForm(request.POST)
    else:
        form = MyProfileForm(
            initial={
                "mobile": member.mobile,
                "email": member.email,
                "office_phone": member.office_phone,
                "address": member.address,
            }
        )

    def page() -> HttpResponse:
        context = _profile_context(request, membership)
        context["form"] = form
        return render(request, "members/my_profile.html", context)

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: my_profile_update(user=request.user, member=member, **form.cleaned_data),
        form=form,
        render=page,
        success=_("您的联系方式已更新。"),
        redirect_to=reverse("members:my_profile"),
    )
