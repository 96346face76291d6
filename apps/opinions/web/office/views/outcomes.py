"""Recording outcomes on the report page: adoption at a level, 批示, 转办 and its 回函."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.organisation.selectors import handling_unit_list

from .... import services
from ....models import Referral
from ....selectors import adoption_level_list
from ..forms import AdoptionForm, InstructionForm, ReferralForm, ReferralReplyForm
from ._common import act, office_required


@office_required
@require_POST
def adoption(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = AdoptionForm(
        request.POST, levels=adoption_level_list(committee=committee_id), prefix="adoption"
    )
    return act(
        request,
        pk,
        lambda: services.adoption_record(
            user=request.user,
            report_id=pk,
            level_id=form.cleaned_data["level"],
            adopted_on=form.cleaned_data["adopted_on"],
            publication=form.cleaned_data["publication"],
            note=form.cleaned_data["note"],
        ),
        success=lambda a: _("已登记：%(level)s。") % {"level": a.level.name},
        form=form,
        form_key="adoption",
    )


@office_required
@require_POST
def instruction(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = InstructionForm(request.POST, prefix="instruction")
    return act(
        request,
        pk,
        lambda: services.instruction_record(
            user=request.user,
            report_id=pk,
            leader=form.cleaned_data["leader"],
            level=form.cleaned_data["level"],
            text=form.cleaned_data["text"],
            instructed_on=form.cleaned_data["instructed_on"],
        ),
        success=_("已登记领导批示。"),
        form=form,
        form_key="instruction",
    )


@office_required
@require_POST
def referral(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = ReferralForm(
        request.POST, units=list(handling_unit_list(committee_id=committee_id)), prefix="referral"
    )
    return act(
        request,
        pk,
        lambda: services.referral_create(
            user=request.user,
            report_id=pk,
            handling_unit_id=form.cleaned_data["handling_unit"],
            department=form.cleaned_data["department"],
            referred_on=form.cleaned_data["referred_on"],
            note=form.cleaned_data["note"],
        ),
        success=_("已登记转办。"),
        form=form,
        form_key="referral",
    )


@office_required
@require_POST
def referral_reply(
    request: AuthenticatedRequest, referral_id: int, *, committee_id: int
) -> HttpResponse:
    report_id = Referral.objects.filter(pk=referral_id).values_list("report_id", flat=True).first()
    if report_id is None:
        raise Http404(_("未找到该转办记录。"))
    prefix = f"reply{referral_id}"
    form = ReferralReplyForm(request.POST, request.FILES, prefix=prefix)
    return act(
        request,
        report_id,
        lambda: services.referral_reply(
            user=request.user,
            referral_id=referral_id,
            reply_text=form.cleaned_data["reply_text"],
            replied_on=form.cleaned_data["replied_on"],
            letter=form.cleaned_data["letter"],
        ),
        success=_("已登记回函。"),
        form=form,
        form_key=prefix,
    )
