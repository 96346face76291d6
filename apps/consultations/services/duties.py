"""委员工作室 rotas: studios, duty slots, the member's swap request and the duty record
(出席 / 请假 / 缺席 with a note of what people raised). Who: 会务 staff, except the swap request
(the member on duty)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.services import model_update

from ..models import DutySlot, DutyStatus, Studio, StudioKind, SwapRequest, SwapStatus
from ..permissions import active, can_schedule
from .invitees import current_memberships

STAFF = "general_office"


def _require_staff(user: User, committee_id: int | None) -> int:
    if committee_id is None or not can_schedule(user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以安排值班。"))
    return committee_id


@transaction.atomic
def studio_save(
    *,
    user: User,
    name: str,
    kind: str = StudioKind.STUDIO,
    address: str = "",
    sector_id: int | None = None,
) -> Studio:
    """Add a 委员工作室 or 接待日 room."""
    committee_id = _require_staff(user, user.committee_id)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("请填写名称。"), extra={"errors": {"name": _("请填写。")}})
    if kind not in StudioKind.values:
        raise ValidationFailed(_("请选择类型。"), extra={"errors": {"kind": _("请选择。")}})
    try:
        with transaction.atomic():
            studio = Studio.objects.create(
                committee_id=committee_id,
                name=name[:60],
                kind=kind,
                address=(address or "").strip()[:120],
                sector_id=sector_id,
            )
    except IntegrityError:
        raise Conflict(_("“%(name)s”已存在。") % {"name": name}) from None
    audit_record(verb="studio_create", actor=user, obj=studio, role=STAFF)
    return studio


@transaction.atomic
def duty_schedule(
    *, user: User, studio_id: int, membership_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> DutySlot:
    """Put a member on the rota."""
    studio = Studio.objects.filter(pk=studio_id).first()
    if studio is None:
        raise NotFound(_("未找到该工作室。"))
    _require_staff(user, studio.committee_id)
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("结束时间必须晚于开始时间。"), extra={"errors": {"ends_at": _("时间有误。")}}
        )
    if not current_memberships(studio.committee_id).filter(pk=membership_id).exists():
        raise ValidationFailed(
            _("请选择本届在任的委员。"), extra={"errors": {"membership": _("请选择。")}}
        )
    try:
        with transaction.atomic():
            slot = DutySlot.objects.create(
                studio=studio,
                committee_id=studio.committee_id,
                membership_id=membership_id,
                starts_at=starts_at,
                ends_at=ends_at,
            )
    except IntegrityError:
        raise Conflict(_("该委员这一时段已排班。")) from None
    audit_record(verb="duty_schedule", actor=user, obj=studio, role=STAFF, data={"slot": slot.pk})
    return slot


@transaction.atomic
def duty_record(
    *, user: User, slot_id: int, status: str, note: str = "", visitors: int = 0
) -> DutySlot:
    """Record how a duty went (like attendance) with what people raised."""
    slot = DutySlot.objects.select_for_update().select_related("studio").filter(pk=slot_id).first()
    if slot is None:
        raise NotFound(_("未找到该值班安排。"))
    _require_staff(user, slot.committee_id)
    if status not in (DutyStatus.PRESENT, DutyStatus.LEAVE, DutyStatus.ABSENT):
        raise ValidationFailed(
            _("请选择出席、请假或缺席。"), extra={"errors": {"status": _("请选择。")}}
        )
    if slot.starts_at > clock.now():
        raise Conflict(_("值班尚未开始，不能记录。"))
    previous = slot.status
    model_update(
        instance=slot,
        data={
            "status": status,
            "note": (note or "").strip(),
            "visitors": max(int(visitors or 0), 0),
            "recorded_by_id": user.pk,
            "recorded_at": clock.now(),
        },
        validate=False,
    )
    audit_record(
        verb="duty_record",
        actor=user,
        obj=slot.studio,
        role=STAFF,
        from_state=previous,
        to_state=status,
        data={"slot": slot.pk},
    )
    return slot


@transaction.atomic
def swap_request(*, user: User, slot_id: int, other_slot_id: int, reason: str) -> SwapRequest:
    """The member on duty asks to exchange with another member's duty in the same room (both
    still ahead)."""
    slots = {
        s.pk: s
        for s in DutySlot.objects.select_related("membership__member").filter(
            pk__in=[slot_id, other_slot_id]
        )
    }
    slot, other = slots.get(slot_id), slots.get(other_slot_id)
    if slot is None or other is None:
        raise NotFound(_("未找到该值班安排。"))
    if not (active(user) and slot.membership.member.user_id == user.pk):
        raise PermissionDenied(_("只能为自己的值班申请调班。"))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("请填写调班原因。"), extra={"errors": {"reason": _("请填写。")}})
    if slot.studio_id != other.studio_id or slot.membership_id == other.membership_id:
        raise ValidationFailed(_("请选择同一工作室其他委员的值班。"))
    now = clock.now()
    if slot.starts_at <= now or other.starts_at <= now:
        raise Conflict(_("只能调换尚未开始的值班。"))
    if SwapRequest.objects.filter(slot=slot, status=SwapStatus.PENDING).exists():
        raise Conflict(_("这次值班已有待审批的调班申请。"))
    swap = SwapRequest.objects.create(
        committee_id=slot.committee_id,
        slot=slot,
        other_slot=other,
        reason=reason[:200],
        requested_by=user,
    )
    audit_record(
        verb="duty_swap_request",
        actor=user,
        obj=swap,
        committee=swap.committee,
        role="member",
        to_state=swap.status,
    )
    return swap
