"""The 会务办公室's settings page: the committee's numbers, its meeting rooms and its forms of
consultation."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.forms import StyledForm
from apps.core.pages import perform

from ..models import ConsultationSettings, FormKind, LeaveApprover
from ..permissions import can_schedule
from ..selectors import consultation_settings_for, meeting_form_list, venue_list
from ..services.config import (
    EDITABLE_SETTINGS,
    consultation_settings_update,
    meeting_form_save,
    venue_save,
)
from .common import render_page


class SettingsForm(django_forms.ModelForm, StyledForm):  # type: ignore[misc]
    class Meta:
        model = ConsultationSettings
        fields = sorted(EDITABLE_SETTINGS - {"reminder_days_before"})


class VenueForm(StyledForm):
    name = django_forms.CharField(label=gettext_lazy("会场名称"), max_length=60)
    address = django_forms.CharField(label=gettext_lazy("地址"), max_length=120, required=False)
    capacity = django_forms.IntegerField(
        label=gettext_lazy("容纳人数"), min_value=1, required=False
    )


class MeetingFormForm(StyledForm):
    name = django_forms.CharField(label=gettext_lazy("协商形式"), max_length=40)
    kind = django_forms.ChoiceField(label=gettext_lazy("类型"), choices=FormKind.choices)
    leave_approver = django_forms.ChoiceField(
        label=gettext_lazy("请假审批"), choices=LeaveApprover.choices
    )


def _committee(request: AuthenticatedRequest) -> int:
    committee_id = request.user.committee_id
    if committee_id is None or not can_schedule(request.user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以访问此页面。"))
    return committee_id


def _page(request: AuthenticatedRequest, committee_id: int, **bound: Any) -> HttpResponse:
    settings = consultation_settings_for(committee_id)
    return render_page(
        request,
        "consultations/office/settings.html",
        {
            "form": bound.get("form") or SettingsForm(instance=settings),
            "venue_form": bound.get("venue_form") or VenueForm(prefix="venue"),
            "form_form": bound.get("form_form") or MeetingFormForm(prefix="kind"),
            "venues": list(venue_list(committee=committee_id, include_inactive=True)),
            "meeting_forms": list(meeting_form_list(committee=committee_id, include_inactive=True)),
        },
    )


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = _committee(request)
    if request.method != "POST":
        return _page(request, committee_id)
    settings = consultation_settings_for(committee_id)
    form = SettingsForm(request.POST, instance=ConsultationSettings.objects.get(pk=settings.pk))
    return perform(
        request,
        lambda: consultation_settings_update(
            user=request.user,
            committee_id=committee_id,
            changes={name: form.cleaned_data[name] for name in form.Meta.fields},
        ),
        form=form,
        success=_("设置已保存。"),
        redirect_to=reverse("consultations:settings"),
        render=lambda: _page(request, committee_id, form=form),
    )


@login_required
@require_POST
def venue_add(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = _committee(request)
    form = VenueForm(request.POST, prefix="venue")
    return perform(
        request,
        lambda: venue_save(
            user=request.user,
            name=form.cleaned_data["name"],
            address=form.cleaned_data["address"],
            capacity=form.cleaned_data["capacity"],
        ),
        form=form,
        success=_("会场已添加。"),
        redirect_to=reverse("consultations:settings"),
        render=lambda: _page(request, committee_id, venue_form=form),
    )


@login_required
@require_POST
def form_add(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = _committee(request)
    form = MeetingFormForm(request.POST, prefix="kind")
    return perform(
        request,
        lambda: meeting_form_save(
            user=request.user,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            leave_approver=form.cleaned_data["leave_approver"],
        ),
        form=form,
        success=_("协商形式已添加。"),
        redirect_to=reverse("consultations:settings"),
        render=lambda: _page(request, committee_id, form_form=form),
    )
