"""The annual plan: drafted by 会务 staff (topics within the committee's limit), submitted for
approval, approved (or returned) by leadership, published to members."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import ValidationFailed

from .. import notices
from ..models import AnnualPlan
from .actions import PLAN
from .common import lock_plan

STAFF = "general_office"


@transaction.atomic
def plan_submit(*, user: User, plan_id: int) -> AnnualPlan:
    """草稿 → 已报批. Who: 会务 staff. Needs topics within the limit (default 15). Leadership
    is told."""
    plan = lock_plan(plan_id)
    if PLAN.step(
        plan, "submit", actor=user, role=STAFF, fields=lambda: {"submitted_at": clock.now()}
    ):
        from apps.accounts.models import User as Account
        from apps.members.models import LEADERSHIP_POSITIONS, MembershipStatus

        leaders = Account.objects.filter(
            is_active=True,
            member__memberships__committee_id=plan.committee_id,
            member__memberships__term__is_current=True,
            member__memberships__status=MembershipStatus.ACTIVE,
            member__memberships__position__in=[p.value for p in LEADERSHIP_POSITIONS],
        ).distinct()
        notices.send(
            recipients=list(leaders),
            key=f"plan:{plan.pk}:submitted:{int(clock.now().timestamp())}",
            title=_("年度协商计划待审批：%(title)s") % {"title": plan.title},
            url=f"/consultations/plans/{plan.pk}/",
            committee=plan.committee,
        )
    return plan


@transaction.atomic
def plan_approve(*, user: User, plan_id: int) -> AnnualPlan:
    """已报批 → 已批准. Who: leadership (主席会议成员)."""
    plan = lock_plan(plan_id)
    PLAN.step(
        plan,
        "approve",
        actor=user,
        role="leadership",
        fields=lambda: {"approved_at": clock.now(), "approved_by_id": user.pk, "return_note": ""},
    )
    return plan


@transaction.atomic
def plan_return(*, user: User, plan_id: int, note: str) -> AnnualPlan:
    """已报批 → 草稿 with the leadership's note. Who: leadership."""
    plan = lock_plan(plan_id)
    note = " ".join((note or "").split())

    def check() -> None:
        if not note:
            raise ValidationFailed(
                _("请填写退回意见。"), extra={"errors": {"note": _("请填写退回意见。")}}
            )

    PLAN.step(
        plan,
        "return",
        actor=user,
        role="leadership",
        check=check,
        fields={"return_note": note[:300]},
        data={"note": note},
    )
    return plan


@transaction.atomic
def plan_publish(*, user: User, plan_id: int) -> AnnualPlan:
    """已批准 → 已发布 (members see it). Who: 会务 staff."""
    plan = lock_plan(plan_id)
    PLAN.step(plan, "publish", actor=user, role=STAFF, fields=lambda: {"published_at": clock.now()})
    return plan
