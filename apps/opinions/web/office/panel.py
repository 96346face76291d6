"""The office's and the leader's panel on the report page: one form per action the workflow
offers them now (apps.opinions.workflow.report_actions_for), or the bound form of a refused
action with its errors in its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apps.accounts.models import User
from apps.core.forms import StyledForm
from apps.core.workflow import Actions
from apps.organisation.selectors import handling_unit_list

from ...models import BulletinIssue, IssueStatus, OpinionReport, ReferralStatus
from ...selectors import adoption_level_list, category_list, opinion_settings_for
from ...selectors.reports import leaders_of
from . import forms


@dataclass
class Panel:
    actions: Actions
    forms: dict[str, StyledForm] = field(default_factory=dict)
    reply_forms: list[tuple[Any, StyledForm]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.forms or self.reply_forms)


def build_panel(
    user: User,
    report: OpinionReport,
    actions: Actions,
    *,
    bound: dict[str, StyledForm] | None = None,
) -> Panel:
    """The forms of the actions open to `user` now (`actions` from report_actions_for)."""
    panel = Panel(actions=actions)
    made = panel.forms
    if "accept" in actions:
        made["accept"] = forms.AcceptForm(
            categories=list(category_list(committee=report.committee_id)),
            initial={"category": report.category_id},
        )
    if "return" in actions:
        made["return"] = forms.ReasonForm(prefix="return")
    if "decline" in actions:
        made["decline"] = forms.ReasonForm(prefix="decline")
    if "request_signoff" in actions or "request_signoff" in actions.blocked:
        settings = opinion_settings_for(report.committee)
        made["request_signoff"] = forms.SignoffRequestForm(
            leaders=leaders_of(committee_id=report.committee_id),
            default=report.signer_id or settings.default_signer_id,
        )
    if "sign" in actions:
        made["sign"] = forms.NoteForm(prefix="sign")
    if "send_back" in actions:
        made["send_back"] = forms.NoteForm(prefix="send_back", required=True)
    if "add_to_issue" in actions:
        issues = list(
            BulletinIssue.objects.filter(
                committee_id=report.committee_id, status=IssueStatus.DRAFT
            ).order_by("id")
        )
        made["add_to_issue"] = forms.AddToIssueForm(issues=issues)
    if "record_outcome" in actions:
        made["adoption"] = forms.AdoptionForm(
            levels=adoption_level_list(committee=report.committee_id), prefix="adoption"
        )
        made["instruction"] = forms.InstructionForm(prefix="instruction")
        made["referral"] = forms.ReferralForm(
            units=list(handling_unit_list(committee_id=report.committee_id)), prefix="referral"
        )
        panel.reply_forms = [
            (referral, forms.ReferralReplyForm(prefix=f"reply{referral.pk}"))
            for referral in getattr(report, "all_referrals", [])
            if referral.status == ReferralStatus.PENDING
        ]
    for key, form in (bound or {}).items():
        if key in made:
            made[key] = form
        else:
            panel.reply_forms = [
                (referral, form if f"reply{referral.pk}" == key else existing)
                for referral, existing in panel.reply_forms
            ]
    return panel
