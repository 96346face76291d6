"""委员工作室 pages: the office's rooms and rotas (schedule, record each duty, decide swaps) and
the member's own duties with the swap request."""

from __future__ import annotations

import datetime as dt

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.forms import StyledForm
from apps.core.pages import perform
from apps.members.models import Membership

from ..models import DutySlot, DutyStatus, Studio, StudioKind, SwapRequest, SwapStatus
from ..permissions import can_schedule
from ..services.duties import duty_record, duty_schedule, studio_save, swap_request
from ..services.invitees import current_memberships
from ..workflow.duties import swap_actions_for, swap_approve, swap_refuse, swap_withdraw
from .common import render_page
from .forms import MembershipField, _datetime


class StudioForm(StyledForm):
    name = django_forms.CharField(label=gettext_lazy("名称"), max_length=60)
    kind = django_forms.ChoiceField(label=gettext_lazy("类型"), choices=StudioKind.choices)
    address = django_forms.CharField(label=gettext_lazy("地址"), max_length=120, required=False)


class SlotForm(StyledForm):
    membership = MembershipField(
        label=gettext_lazy("值班委员"),
        queryset=Membership.objects.none(),
        empty_label=gettext_lazy("请选择"),
    )
    starts_at = _datetime(gettext_lazy("开始时间"))
    ends_at = _datetime(gettext_lazy("结束时间"))

    def __init__(self, *args: object, committee_id: int, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["membership"]
        assert isinstance(field, MembershipField)
        field.queryset = current_memberships(committee_id).select_related("member", "sector")


class RecordForm(StyledForm):
    status = django_forms.ChoiceField(
        label=gettext_lazy("值班情况"),
        choices=[(v, label) for v, label in DutyStatus.choices if v != DutyStatus.SCHEDULED],
    )
    visitors = django_forms.IntegerField(
        label=gettext_lazy("接待人次"), min_value=0, required=False
    )
    note = django_forms.CharField(
        label=gettext_lazy("群众反映的问题"),
        required=False,
        widget=django_forms.Textarea(attrs={"rows": 2}),
    )


class SwapForm(StyledForm):
    other_slot = django_forms.TypedChoiceField(label=gettext_lazy("与谁调换"), coerce=int)
    reason = django_forms.CharField(label=gettext_lazy("调班原因"), max_length=200)


def _staff(request: AuthenticatedRequest) -> int:
    committee_id = request.user.committee_id
    if committee_id is None or not can_schedule(request.user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以访问此页面。"))
    return committee_id


def _studio(request: AuthenticatedRequest, pk: int) -> Studio:
    committee_id = _staff(request)
    studio = Studio.objects.filter(pk=pk, committee_id=committee_id).first()
    if studio is None:
        raise Http404(_("未找到该工作室。"))
    return studio


@login_required
def studio_list(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = _staff(request)
    form = StudioForm(request.POST or None)
    if request.method == "POST":
        return perform(
            request,
            lambda: studio_save(
                user=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                address=form.cleaned_data["address"],
            ),
            form=form,
            success=_("已添加。"),
            redirect_to=lambda studio: reverse("consultations:studio", args=[studio.pk]),
            back=reverse("consultations:studios"),
        )
    swaps = (
        SwapRequest.objects.filter(committee_id=committee_id, status=SwapStatus.PENDING)
        .select_related(
            "slot__studio", "slot__membership__member", "other_slot__membership__member"
        )
        .order_by("created_at")
    )
    return render_page(
        request,
        "consultations/duties/studios.html",
        {
            "studios": list(Studio.objects.filter(committee_id=committee_id)),
            "form": form,
            "swaps": [(swap, swap_actions_for(request.user, swap)) for swap in swaps],
        },
    )


@login_required
def studio_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    form = SlotForm(request.POST or None, committee_id=studio.committee_id)
    if request.method == "POST":
        return perform(
            request,
            lambda: duty_schedule(
                user=request.user,
                studio_id=pk,
                membership_id=form.cleaned_data["membership"].pk,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            ),
            form=form,
            success=_("已排班。"),
            redirect_to=reverse("consultations:studio", args=[pk]),
        )
    slots = list(
        DutySlot.objects.filter(studio=studio)
        .select_related("membership__member", "membership__sector")
        .order_by("-starts_at")[:100]
    )
    return render_page(
        request,
        "consultations/duties/studio.html",
        {
            "studio": studio,
            "slots": slots,
            "form": form,
            "record": RecordForm(),
            "now": clock.now(),
        },
    )


@login_required
@require_POST
def slot_record(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    form = RecordForm(request.POST)
    slot = DutySlot.objects.filter(pk=slot_id).first()
    if slot is None:
        raise Http404(_("未找到该值班安排。"))
    back = reverse("consultations:studio", args=[slot.studio_id])
    return perform(
        request,
        lambda: duty_record(
            user=request.user,
            slot_id=slot_id,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            visitors=form.cleaned_data["visitors"] or 0,
        ),
        form=form,
        success=_("值班情况已记录。"),
        redirect_to=back,
        back=back,
    )


@login_required
@require_POST
def swap_decide(request: AuthenticatedRequest, swap_id: int, decision: str) -> HttpResponse:
    verb = {"approve": swap_approve, "refuse": swap_refuse, "withdraw": swap_withdraw}.get(decision)
    if verb is None:
        raise Http404(_("没有这个操作。"))
    back = (
        reverse("consultations:my_duties")
        if decision == "withdraw"
        else reverse("consultations:studios")
    )
    return perform(
        request,
        lambda: verb(user=request.user, swap_id=swap_id),
        success=_("已处理调班申请。"),
        redirect_to=back,
        back=back,
    )


@login_required
def my_duties(request: AuthenticatedRequest) -> HttpResponse:
    """我的值班: my duties with the swap request, my pending swaps."""
    slots = list(
        DutySlot.objects.filter(membership__member__user=request.user)
        .select_related("studio")
        .order_by("-starts_at")[:50]
    )
    now = clock.now()
    options: dict[int, list[tuple[int, str]]] = {}
    upcoming = [s for s in slots if s.starts_at > now]
    if upcoming:
        others = (
            DutySlot.objects.filter(
                studio_id__in={s.studio_id for s in upcoming}, starts_at__gt=now
            )
            .exclude(membership__member__user=request.user)
            .select_related("membership__member")
            .order_by("starts_at")
        )
        for other in others:
            options.setdefault(other.studio_id, []).append(
                (other.pk, f"{other.membership.member.name} · {other.starts_at:%m月%d日 %H:%M}")
            )
    swaps = list(
        SwapRequest.objects.filter(requested_by=request.user)
        .select_related("slot__studio", "other_slot__membership__member")
        .order_by("-created_at")[:20]
    )
    return render_page(
        request,
        "consultations/duties/mine.html",
        {
            "slots": slots,
            "now": now,
            "options": options,
            "swaps": [(swap, swap_actions_for(request.user, swap)) for swap in swaps],
        },
    )


@login_required
@require_POST
def swap_ask(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    form = SwapForm(request.POST)
    other = request.POST.get("other_slot", "")
    form.fields["other_slot"].choices = [(other, other)]  # type: ignore[attr-defined]
    back = reverse("consultations:my_duties")
    return perform(
        request,
        lambda: swap_request(
            user=request.user,
            slot_id=slot_id,
            other_slot_id=form.cleaned_data["other_slot"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        success=_("调班申请已提交，待会务办公室审批。"),
        redirect_to=back,
        back=back,
    )


__all__ = ["dt"]
