"""Writing the annual plan and its topics. Who: 会务 staff, while the plan is a draft."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.services import model_update
from apps.organisation.models import SpecialCommittee

from ..models import AnnualPlan, MeetingForm, PlanTopic
from ..permissions import can_schedule
from ..selectors.config import consultation_settings_for
from ..workflow.actions import PLAN
from ..workflow.common import lock_plan

STAFF = "general_office"
TOPIC_FIELDS = (
    "title",
    "form_id",
    "lead_special_committee_id",
    "planned_month",
    "departments",
    "invited_leaders",
    "description",
)


@transaction.atomic
def plan_create(*, user: User, year: int, title: str = "", introduction: str = "") -> AnnualPlan:
    """Start the committee's plan for a year (one per year)."""
    committee_id = user.committee_id
    if committee_id is None or not can_schedule(user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以编制年度协商计划。"))
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度有误。"), extra={"errors": {"year": _("年度有误。")}})
    title = " ".join((title or "").split()) or _("%(year)d年度协商计划") % {"year": year}
    try:
        with transaction.atomic():
            plan = AnnualPlan.objects.create(
                committee_id=committee_id,
                year=year,
                title=title[:120],
                introduction=(introduction or "").strip(),
            )
    except IntegrityError:
        raise Conflict(
            _("%(year)d年度的协商计划已经存在。") % {"year": year},
            extra={"errors": {"year": _("该年度的计划已存在。")}},
        ) from None
    audit_record(verb="plan_create", actor=user, obj=plan, role=STAFF, to_state=plan.status)
    return plan


def _clean_topic(plan: AnnualPlan, data: Mapping[str, Any]) -> dict[str, Any]:
    values = {key: data[key] for key in TOPIC_FIELDS if key in data}
    errors: dict[str, str] = {}
    title = " ".join(str(values.get("title") or "").split())
    if not title:
        errors["title"] = _("请填写议题。")
    values["title"] = title[:150]
    form_id = values.get("form_id")
    if (
        form_id is None
        or not MeetingForm.objects.filter(pk=form_id, committee_id=plan.committee_id).exists()
    ):
        errors["form"] = _("请选择本政协组织的协商形式。")
    special = values.get("lead_special_committee_id")
    if (
        special
        and not SpecialCommittee.objects.filter(pk=special, committee_id=plan.committee_id).exists()
    ):
        errors["lead_special_committee"] = _("所选专委会不属于本政协组织。")
    month = values.get("planned_month")
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors["planned_month"] = _("请选择1至12月。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    for name in ("departments", "invited_leaders", "description"):
        if name in values:
            values[name] = (values[name] or "").strip()
    return values


@transaction.atomic
def topic_save(
    *, user: User, plan_id: int, data: Mapping[str, Any], topic_id: int | None = None
) -> PlanTopic:
    """Add a topic to a draft plan (at most the committee's limit, default 15) or change one."""
    plan = lock_plan(plan_id)
    PLAN.check(user, plan, "edit")
    values = _clean_topic(plan, data)
    if topic_id is None:
        limit = consultation_settings_for(plan.committee).max_plan_topics
        if plan.topics.count() >= limit:
            raise Conflict(_("年度协商计划最多%(limit)d个议题。") % {"limit": limit})
        topic = PlanTopic.objects.create(
            plan=plan,
            committee_id=plan.committee_id,
            sort_order=plan.topics.count() + 1,
            **values,
        )
        verb = "plan_topic_add"
    else:
        found = PlanTopic.objects.filter(pk=topic_id, plan=plan).first()
        if found is None:
            raise NotFound(_("未找到该议题。"))
        topic = found
        model_update(instance=topic, data=values, validate=False)
        verb = "plan_topic_update"
    audit_record(verb=verb, actor=user, obj=plan, role=STAFF, data={"topic": topic.title})
    return topic


@transaction.atomic
def topic_delete(*, user: User, plan_id: int, topic_id: int) -> None:
    plan = lock_plan(plan_id)
    PLAN.check(user, plan, "edit")
    topic = PlanTopic.objects.filter(pk=topic_id, plan=plan).first()
    if topic is None:
        raise NotFound(_("未找到该议题。"))
    audit_record(
        verb="plan_topic_delete", actor=user, obj=plan, role=STAFF, data={"topic": topic.title}
    )
    topic.delete()
