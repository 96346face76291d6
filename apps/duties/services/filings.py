"""履职备案 writes: the committee's activity types and settings, filing an activity with its
evidence, correcting and refiling a returned one. Verify / return / withdraw are workflow verbs
(apps.duties.workflow)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update
from apps.core.uploads import check_upload

from ..models import (
    DEFAULT_ACTIVITY_TYPES,
    ActivityFiling,
    ActivityType,
    DutySettings,
    DutyYear,
    FilingEvidence,
    FilingStatus,
)
from ..permissions import can_manage, current_membership
from ..workflow import FILING, filing_resubmit_step, lock_filing

TITLE_MAX = 150
PLACE_MAX = 150
DESCRIPTION_MAX = 3000


def activity_types_for(committee_id: int, *, include_inactive: bool = False) -> list[ActivityType]:
    """The committee's activity types, the defaults created on first use."""
    types = ActivityType.objects.filter(committee_id=committee_id)
    if not types.exists():
        ActivityType.objects.bulk_create(
            [
                ActivityType(
                    committee_id=committee_id,
                    code=code,
                    name=name,
                    sort_order=index,
                    is_builtin=True,
                )
                for index, (code, name) in enumerate(DEFAULT_ACTIVITY_TYPES)
            ],
            ignore_conflicts=True,
        )
    if not include_inactive:
        types = types.filter(is_active=True)
    return list(types.order_by("sort_order", "id"))


def duty_settings_for(committee_id: int) -> DutySettings:
    row, _created = DutySettings.objects.get_or_create(committee_id=committee_id)
    return row


@transaction.atomic
def activity_type_add(*, user: User, committee_id: int, name: str) -> ActivityType:
    """Add a committee-defined activity type (its scoring item is ``activity.<code>``). Who:
    the 委员联络处."""
    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以增加活动类型。"))
    activity_types_for(committee_id)
    refuse_control_characters({"name": (_("活动类型名称"), name)})
    name = " ".join((name or "").split())
    if not name or len(name) > 30:
        message = _("请填写活动类型名称（不超过30个字）。")
        raise ValidationFailed(message, extra={"errors": {"name": message}})
    if ActivityType.objects.filter(committee_id=committee_id, name=name).exists():
        message = _("活动类型“%(name)s”已存在。") % {"name": name}
        raise ValidationFailed(message, extra={"errors": {"name": message}})
    count = ActivityType.objects.filter(committee_id=committee_id).count()
    row = ActivityType.objects.create(
        committee_id=committee_id,
        code=f"custom{count + 1}",
        name=name,
        sort_order=count,
    )
    audit_record(verb="duty_activity_type_add", actor=user, obj=row, role=Role.LIAISON_OFFICE.value)
    return row


def _errors(errors: dict[str, str]) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(first, extra={"errors": errors})


def _clean(
    *,
    committee_id: int,
    activity_type_id: int | None,
    title: str,
    happened_on: dt.date | None,
    place: str,
    description: str,
) -> dict[str, Any]:
    """The filing's fields checked (every problem at once, on its field)."""
    refuse_control_characters(
        {
            "title": (_("活动名称"), title),
            "place": (_("活动地点"), place),
            "description": (_("活动情况"), description),
        }
    )
    title = " ".join((title or "").split())
    place = " ".join((place or "").split())
    description = (description or "").strip()
    errors: dict[str, str] = {}
    activity_type = (
        ActivityType.objects.filter(
            pk=activity_type_id, committee_id=committee_id, is_active=True
        ).first()
        if activity_type_id
        else None
    )
    if activity_type is None:
        errors["activity_type"] = _("请选择活动类型。")
    if not title:
        errors["title"] = _("请填写活动名称。")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("活动名称不能超过%(limit)d个字。") % {"limit": TITLE_MAX}
    settings = duty_settings_for(committee_id)
    today = clock.today()
    if happened_on is None:
        errors["happened_on"] = _("请填写活动日期。")
    elif happened_on > today:
        errors["happened_on"] = _("活动日期不能晚于今天；活动结束后再来备案。")
    elif (today - happened_on).days > settings.filing_max_days:
        errors["happened_on"] = _("只受理%(days)d天内的活动备案，这次活动已超过期限。") % {
            "days": settings.filing_max_days
        }
    elif DutyYear.objects.filter(
        committee_id=committee_id, year=happened_on.year, closed=True
    ).exists():
        errors["happened_on"] = _("%(year)d年度的考评已经结束，不再受理该年度的备案。") % {
            "year": happened_on.year
        }
    if not place:
        errors["place"] = _("请填写活动地点。")
    elif len(place) > PLACE_MAX:
        errors["place"] = _("地点不能超过%(limit)d个字。") % {"limit": PLACE_MAX}
    if not description:
        errors["description"] = _("请写明活动情况：做了什么、和谁一起、有什么成果。")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("活动情况不能超过%(limit)d个字。") % {"limit": DESCRIPTION_MAX}
    _errors(errors)
    assert activity_type is not None
    return {
        "activity_type": activity_type,
        "title": title,
        "happened_on": happened_on,
        "place": place,
        "description": description,
    }


def _checked_files(
    committee_id: int, uploads: Sequence[Any], keeping: int
) -> list[tuple[Any, Any]]:
    settings = duty_settings_for(committee_id)
    if keeping + len(uploads) > settings.evidence_max_files:
        message = _("佐证材料最多%(limit)d个。") % {"limit": settings.evidence_max_files}
        raise ValidationFailed(message, extra={"errors": {"evidence": message}})
    checked = []
    for upload in uploads:
        try:
            checked.append(
                (
                    upload,
                    check_upload(
                        upload,
                        allowed_extensions=settings.allowed_extensions,
                        max_bytes=settings.attachment_max_bytes,
                    ),
                )
            )
        except ValidationFailed as error:
            raise ValidationFailed(
                error.message, extra={"errors": {"evidence": error.message}}
            ) from error
    if keeping + len(checked) == 0:
        message = _("请上传至少一份佐证材料（照片、签到表、通知或活动报道）。")
        raise ValidationFailed(message, extra={"errors": {"evidence": message}})
    return checked


def _store(filing: ActivityFiling, checked: list[tuple[Any, Any]]) -> None:
    for upload, info in checked:
        upload.seek(0)
        FilingEvidence.objects.create(
            filing=filing,
            file=upload,
            original_name=info.name,
            size=info.size,
            content_type=info.content_type,
        )


@transaction.atomic
def filing_submit(
    *,
    user: User,
    activity_type_id: int | None,
    title: str,
    happened_on: dt.date | None,
    place: str,
    description: str,
    evidence: Sequence[Any] = (),
) -> ActivityFiling:
    """File an activity done outside the portal with its evidence; it waits for the 委员联络处
    to verify it. Who: a member of the current term (for their own record). Bad input is
    refused with every problem on its field and nothing stored."""
    membership = current_membership(user)
    if membership is None:
        raise PermissionDenied(_("只有本届在任委员可以备案履职活动。"))
    activity_types_for(membership.committee_id)
    fields = _clean(
        committee_id=membership.committee_id,
        activity_type_id=activity_type_id,
        title=title,
        happened_on=happened_on,
        place=place,
        description=description,
    )
    checked = _checked_files(membership.committee_id, list(evidence), 0)
    filing = ActivityFiling.objects.create(
        committee_id=membership.committee_id,
        membership=membership,
        submitted_at=clock.now(),
        created_by=user,
        status=FilingStatus.SUBMITTED,
        **fields,
    )
    _store(filing, checked)
    audit_record(
        verb="filing_submit",
        actor=user,
        obj=filing,
        role=Role.MEMBER.value,
        to_state=FilingStatus.SUBMITTED,
        data={"type": fields["activity_type"].name, "files": len(checked)},
    )
    return filing


@transaction.atomic
def filing_resubmit(
    *,
    user: User,
    filing_id: int,
    activity_type_id: int | None,
    title: str,
    happened_on: dt.date | None,
    place: str,
    description: str,
    evidence: Sequence[Any] = (),
    remove_evidence: Sequence[int] = (),
) -> ActivityFiling:
    """Correct a returned filing and file it again (new evidence added, chosen files removed).
    Who: the member who filed it, while it is returned."""
    filing = lock_filing(filing_id)
    if not (
        FILING.specs["resubmit"].allowed(user, filing) or can_manage(user, filing.committee_id)
    ):
        raise NotFound(_("未找到该履职备案。"))
    FILING.check(user, filing, "resubmit")
    if filing.status != FilingStatus.REJECTED:
        raise Conflict(_("只有被退回的备案可以修改后重新提交。"))
    fields = _clean(
        committee_id=filing.committee_id,
        activity_type_id=activity_type_id,
        title=title,
        happened_on=happened_on,
        place=place,
        description=description,
    )
    removing = set(
        FilingEvidence.objects.filter(filing=filing, pk__in=list(remove_evidence)).values_list(
            "pk", flat=True
        )
    )
    keeping = FilingEvidence.objects.filter(filing=filing).exclude(pk__in=removing).count()
    checked = _checked_files(filing.committee_id, list(evidence), keeping)
    files = [row.file for row in FilingEvidence.objects.filter(pk__in=removing)]
    FilingEvidence.objects.filter(pk__in=removing).delete()
    _store(filing, checked)
    filing_resubmit_step(
        user=user,
        filing=filing,
        changes={
            "activity_type_id": fields["activity_type"].pk,
            "title": fields["title"],
            "happened_on": fields["happened_on"],
            "place": fields["place"],
            "description": fields["description"],
        },
    )

    def remove_files() -> None:
        for stored in files:
            stored.delete(save=False)

    transaction.on_commit(remove_files)
    return filing


def filing_settings_update(*, user: User, committee_id: int, data: dict[str, Any]) -> DutySettings:
    """Change the committee's filing numbers. Who: the 委员联络处."""
    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以修改备案设置。"))
    row = duty_settings_for(committee_id)
    if model_update(instance=row, data=data, validate=True):
        audit_record(
            verb="duty_settings_update", actor=user, obj=row, role=Role.LIAISON_OFFICE.value
        )
    return row
