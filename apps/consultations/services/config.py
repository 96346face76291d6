"""Editing a committee's consultation settings, forms and venues. Who: its 会务办公室."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.services import model_update

from ..models import ConsultationSettings, MeetingForm, Venue
from ..permissions import can_schedule
from ..selectors.config import consultation_settings_for

EDITABLE_SETTINGS = frozenset(
    field.name
    for field in ConsultationSettings._meta.concrete_fields
    if field.name not in {"id", "committee", "created_at", "updated_at"}
)
STAFF = "general_office"


def _require(user: User, committee_id: int) -> None:
    if not can_schedule(user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以修改协商工作设置。"))


@transaction.atomic
def consultation_settings_update(
    *, user: User, committee_id: int, changes: Mapping[str, Any]
) -> ConsultationSettings:
    """Change some of the committee's numbers; validated by the fields and the constraints
    (nothing saved on an error), the changes audited with old and new values."""
    _require(user, committee_id)
    unknown = set(changes) - EDITABLE_SETTINGS
    if unknown:
        raise ValidationFailed(
            _("未知的设置项：%(names)s。") % {"names": "、".join(sorted(unknown))}
        )
    settings = ConsultationSettings.objects.select_for_update().get(
        pk=consultation_settings_for(committee_id).pk
    )
    before = {name: getattr(settings, name) for name in changes}
    candidate = copy.copy(settings)
    for name, value in changes.items():
        setattr(candidate, name, value)
    try:
        candidate.validate_constraints(
            exclude=[f.name for f in settings._meta.concrete_fields if f.name not in changes]
        )
    except ValidationError as error:
        raise ValidationFailed(_("设置值无效。"), extra={"errors": error.message_dict}) from error
    changed = [n for n in model_update(instance=settings, data=dict(changes)) if n in changes]
    if changed:
        audit_record(
            verb="consultation_settings_update",
            actor=user,
            obj=settings,
            committee=settings.committee,
            role=STAFF,
            data={name: [str(before[name]), str(getattr(settings, name))] for name in changed},
        )
    return settings


@transaction.atomic
def venue_save(
    *,
    user: User,
    name: str,
    address: str = "",
    capacity: int | None = None,
    is_active: bool = True,
    venue_id: int | None = None,
) -> Venue:
    """Add a meeting room to the committee's list, or change one."""
    committee_id = user.committee_id
    if committee_id is None:
        raise PermissionDenied(_("只有会务办公室可以修改协商工作设置。"))
    _require(user, committee_id)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("请填写会场名称。"), extra={"errors": {"name": _("请填写。")}})
    values = {
        "name": name[:60],
        "address": (address or "").strip()[:120],
        "capacity": capacity,
        "is_active": is_active,
    }
    try:
        with transaction.atomic():
            if venue_id is None:
                venue = Venue.objects.create(committee_id=committee_id, **values)
            else:
                found = Venue.objects.filter(pk=venue_id, committee_id=committee_id).first()
                if found is None:
                    raise NotFound(_("未找到该会场。"))
                venue = found
                model_update(instance=venue, data=values)
    except IntegrityError:
        raise Conflict(
            _("会场“%(name)s”已存在。") % {"name": name},
            extra={"errors": {"name": _("名称重复。")}},
        ) from None
    audit_record(verb="consultation_venue_save", actor=user, obj=venue, role=STAFF)
    return venue


@transaction.atomic
def meeting_form_save(
    *,
    user: User,
    name: str,
    kind: str,
    leave_approver: str,
    is_active: bool = True,
    form_id: int | None = None,
) -> MeetingForm:
    """Add a form of consultation to the committee's list, or change one."""
    committee_id = user.committee_id
    if committee_id is None:
        raise PermissionDenied(_("只有会务办公室可以修改协商工作设置。"))
    _require(user, committee_id)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("请填写协商形式名称。"), extra={"errors": {"name": _("请填写。")}})
    values = {
        "name": name[:40],
        "kind": kind,
        "leave_approver": leave_approver,
        "is_active": is_active,
    }
    try:
        with transaction.atomic():
            if form_id is None:
                form = MeetingForm.objects.create(
                    committee_id=committee_id,
                    sort_order=MeetingForm.objects.filter(committee_id=committee_id).count(),
                    **values,
                )
            else:
                found = MeetingForm.objects.filter(pk=form_id, committee_id=committee_id).first()
                if found is None:
                    raise NotFound(_("未找到该协商形式。"))
                form = found
                model_update(instance=form, data=values)
    except IntegrityError:
        raise Conflict(
            _("协商形式“%(name)s”已存在。") % {"name": name},
            extra={"errors": {"name": _("名称重复。")}},
        ) from None
    audit_record(verb="consultation_form_save", actor=user, obj=form, role=STAFF)
    return form
