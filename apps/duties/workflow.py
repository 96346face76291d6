"""The 履职备案 state machine: a member files an activity (待核实); the 委员联络处 verifies it
(已核实: it counts) or returns it with a reason (已退回); the member corrects a returned one and
files it again, or withdraws it. A verification found wrong can be taken back (returned with
a reason) while the year is open.

    submit     (new)                 → submitted    the member (services.filings.filing_submit)
    verify     submitted             → verified     委员联络处
    reject     submitted, verified   → rejected     委员联络处, with a reason
    resubmit   rejected              → submitted    the member, with the corrections
    withdraw   submitted, rejected   → withdrawn    the member
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.errors import Conflict, NotFound, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.workflow import Actions, Workflow, transition

from .models import ActivityFiling, DutyYear, FilingStatus
from .permissions import can_manage, owns_membership

S = FilingStatus
TRANSITIONS = {
    "verify": transition(gettext_lazy("核实"), {S.SUBMITTED}, S.VERIFIED),
    "reject": transition(gettext_lazy("退回"), {S.SUBMITTED, S.VERIFIED}, S.REJECTED),
    "resubmit": transition(gettext_lazy("重新提交"), {S.REJECTED}, S.SUBMITTED),
    "withdraw": transition(gettext_lazy("撤回"), {S.SUBMITTED, S.REJECTED}, S.WITHDRAWN),
}
FILING = Workflow[ActivityFiling](
    name="filing",
    noun=gettext_lazy("履职备案"),
    labels=dict(FilingStatus.choices),
    transitions=TRANSITIONS,
)
OFFICE = Role.LIAISON_OFFICE.value
MEMBER = Role.MEMBER.value


def _is_staff(user: Any, filing: ActivityFiling) -> bool:
    return can_manage(user, filing.committee_id)


def _is_filer(user: Any, filing: ActivityFiling) -> bool:
    return owns_membership(user, filing.membership)


def _year_open(user: Any, filing: ActivityFiling) -> None:
    if DutyYear.objects.filter(
        committee_id=filing.committee_id, year=filing.happened_on.year, closed=True
    ).exists():
        raise Conflict(
            _("%(year)d年度的考评已经结束，该年度的备案不能再改动。")
            % {"year": filing.happened_on.year}
        )


FILING.action(
    "verify",
    transition="verify",
    allowed=_is_staff,
    guards=(_year_open,),
    denied=gettext_lazy("只有本级委员联络处可以核实履职备案。"),
)
FILING.action(
    "reject",
    transition="reject",
    allowed=_is_staff,
    guards=(_year_open,),
    denied=gettext_lazy("只有本级委员联络处可以退回履职备案。"),
)
FILING.action(
    "resubmit",
    transition="resubmit",
    allowed=_is_filer,
    guards=(_year_open,),
    denied=gettext_lazy("只有备案的委员本人可以修改后重新提交。"),
)
FILING.action(
    "withdraw",
    transition="withdraw",
    allowed=_is_filer,
    denied=gettext_lazy("只有备案的委员本人可以撤回。"),
)


def filing_actions_for(user: Any, filing: ActivityFiling) -> Actions:
    """What `user` may do with the filing now (pages and the API read this)."""
    return FILING.actions_for(user, filing)


def lock_filing(filing_id: int) -> ActivityFiling:
    filing = (
        ActivityFiling.objects.select_for_update(of=("self",))
        .select_related("membership__member", "activity_type", "committee")
        .filter(pk=filing_id)
        .first()
    )
    if filing is None:
        raise NotFound(_("未找到该履职备案。"))
    return filing


def _visible_or_404(user: Any, filing: ActivityFiling) -> None:
    """Outsiders learn nothing: a filing that is neither theirs nor their office's is not
    found."""
    if not (_is_staff(user, filing) or _is_filer(user, filing)):
        raise NotFound(_("未找到该履职备案。"))


@transaction.atomic
def filing_verify(*, user: User, filing_id: int) -> ActivityFiling:
    """Verify a filing: from now on it counts in the member's record. Who: the 委员联络处 of
    the filing's committee. Verifying a verified one changes nothing."""
    filing = lock_filing(filing_id)
    _visible_or_404(user, filing)
    FILING.step(
        filing,
        "verify",
        actor=user,
        role=OFFICE,
        fields={"decided_by_id": user.pk, "decided_at": clock.now(), "reject_reason": ""},
    )
    return filing


@transaction.atomic
def filing_reject(*, user: User, filing_id: int, reason: str) -> ActivityFiling:
    """Return a filing to the member with the reason (a verified one stops counting). Who: the
    委员联络处 of the filing's committee. The member is told."""
    filing = lock_filing(filing_id)
    _visible_or_404(user, filing)
    typed = reason
    reason = " ".join((reason or "").split())[:300]

    def check() -> None:  # after the office's permission
        refuse_control_characters({"reason": (_("退回理由"), typed)})
        if not reason:
            message = _("请填写退回理由，告诉委员需要补充或更正什么。")
            raise ValidationFailed(message, extra={"errors": {"reason": message}})

    def notify(row: ActivityFiling) -> None:
        from .notices import filing_returned

        filing_returned(row)

    FILING.step(
        filing,
        "reject",
        actor=user,
        role=OFFICE,
        check=check,
        fields={"decided_by_id": user.pk, "decided_at": clock.now(), "reject_reason": reason},
        data={"reason": reason},
        notify=notify,
    )
    return filing


@transaction.atomic
def filing_withdraw(*, user: User, filing_id: int) -> ActivityFiling:
    """Withdraw a filing not verified yet. Who: the member who filed it."""
    filing = lock_filing(filing_id)
    _visible_or_404(user, filing)
    FILING.step(filing, "withdraw", actor=user, role=MEMBER)
    return filing


def filing_resubmit_step(
    *, user: User, filing: ActivityFiling, changes: Mapping[str, Any], check: Any = None
) -> None:
    """The resubmit transition on a locked filing (services.filings.filing_resubmit checks and
    supplies the corrections)."""
    FILING.step(
        filing,
        "resubmit",
        actor=user,
        role=MEMBER,
        check=check,
        fields={
            **changes,
            "submitted_at": clock.now(),
            "revision": filing.revision + 1,
            "decided_by_id": None,
            "decided_at": None,
            "reject_reason": "",
        },
        data={"revision": filing.revision + 1},
    )
