"""Duty swaps (调班): a member asks to exchange a duty with another member's; 会务 staff
approve (the two slots exchange their members) or refuse; the asker may withdraw."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import NotFound
from apps.core.workflow import Actions, Workflow

from .. import notices
from ..models import DutySlot, SwapRequest, SwapStatus
from ..permissions import active, can_schedule
from .table import SWAP_TRANSITIONS

SWAP: Workflow[SwapRequest] = Workflow(
    name="duty_swap",
    noun=gettext_lazy("调班申请"),
    labels=dict(SwapStatus.choices),
    transitions=SWAP_TRANSITIONS,
)


def _staff(user: Any, swap: SwapRequest) -> bool:
    return can_schedule(user, swap.committee_id)


def _asker(user: Any, swap: SwapRequest) -> bool:
    return active(user) and swap.requested_by_id == user.pk


_STAFF_ONLY = gettext_lazy("只有会务办公室可以审批调班。")
SWAP.action("approve", transition="approve", allowed=_staff, denied=_STAFF_ONLY)
SWAP.action("refuse", transition="refuse", allowed=_staff, denied=_STAFF_ONLY)
SWAP.action(
    "withdraw",
    transition="withdraw",
    allowed=_asker,
    denied=gettext_lazy("只有申请人可以撤回。"),
)


def swap_actions_for(user: Any, swap: SwapRequest) -> Actions:
    return SWAP.actions_for(user, swap)


def _lock(swap_id: int) -> SwapRequest:
    swap = (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("slot__membership__member__user", "other_slot__membership__member__user")
        .filter(pk=swap_id)
        .first()
    )
    if swap is None:
        raise NotFound(_("未找到该调班申请。"))
    return swap


def _tell(swap: SwapRequest, approved: bool) -> None:
    users = [
        swap.slot.membership.member.user,
        swap.other_slot.membership.member.user,
    ]
    notices.send(
        recipients=users,
        key=f"duty-swap:{swap.pk}:decided",
        title=_("调班申请已同意") if approved else _("调班申请未获同意"),
        body=f"{swap.slot} ⇄ {swap.other_slot}",
        url="/consultations/duties/",
        committee=swap.committee,
    )


@transaction.atomic
def swap_approve(*, user: User, swap_id: int) -> SwapRequest:
    """待审批 → 已同意: the two slots exchange their members (both told). Who: 会务 staff."""
    swap = _lock(swap_id)
    slots = {
        s.pk: s
        for s in DutySlot.objects.select_for_update().filter(
            pk__in=[swap.slot_id, swap.other_slot_id]
        )
    }

    def exchange(row: SwapRequest) -> None:
        first, second = slots[row.slot_id], slots[row.other_slot_id]
        a, b = first.membership_id, second.membership_id
        DutySlot.objects.filter(pk=first.pk).update(membership_id=b)
        DutySlot.objects.filter(pk=second.pk).update(membership_id=a)
        _tell(row, approved=True)

    SWAP.step(
        swap,
        "approve",
        actor=user,
        role="general_office",
        fields=lambda: {"decided_by_id": user.pk, "decided_at": clock.now()},
        notify=exchange,
    )
    return swap


@transaction.atomic
def swap_refuse(*, user: User, swap_id: int) -> SwapRequest:
    swap = _lock(swap_id)
    SWAP.step(
        swap,
        "refuse",
        actor=user,
        role="general_office",
        fields=lambda: {"decided_by_id": user.pk, "decided_at": clock.now()},
        notify=lambda row: _tell(row, approved=False),
    )
    return swap


@transaction.atomic
def swap_withdraw(*, user: User, swap_id: int) -> SwapRequest:
    swap = _lock(swap_id)
    SWAP.step(swap, "withdraw", actor=user, role="member")
    return swap


__all__ = ["SWAP", "swap_actions_for", "swap_approve", "swap_refuse", "swap_withdraw"]
