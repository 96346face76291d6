"""Editing a committee's proposal settings and categories. Who: its proposal office (or a
system administrator)."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.audit import audit_record
from apps.core.errors import NotFound, PermissionDenied, ValidationFailed
from apps.core.services import model_update

from ..models import ProposalCategory, ProposalSettings
from ..permissions import is_proposal_office
from ..selectors.config import category_list, proposal_settings_for

EDITABLE_SETTINGS = frozenset(
    field.name
    for field in ProposalSettings._meta.concrete_fields
    if field.name not in {"id", "committee", "created_at", "updated_at"}
)
CATEGORY_NAME_MAX = 30


def _require_editor(user: User, committee_id: int) -> None:
    if not (is_proposal_office(user, committee_id) or Role.SYSADMIN in user_roles(user)):
        raise PermissionDenied(_("只有提案委员会办公室可以修改提案工作设置。"))


def _check_constraints(settings: ProposalSettings, changes: dict[str, Any]) -> None:
    """The table's check constraints (e.g. the weekday 1 to 7) on the new values, before saving,
    so a bad value is a message and not a database error."""
    candidate = copy.copy(settings)
    for name, value in changes.items():
        setattr(candidate, name, value)
    unchanged = [f.name for f in settings._meta.concrete_fields if f.name not in changes]
    try:
        candidate.validate_constraints(exclude=unchanged)
    except ValidationError as error:
        raise ValidationFailed(_("设置值无效。"), extra={"errors": error.message_dict}) from error


@transaction.atomic
def proposal_settings_update(
    *, user: User, committee_id: int, changes: dict[str, Any]
) -> ProposalSettings:
    """Change some of the committee's proposal settings (names as on ProposalSettings). Values
    are validated by the model's field rules and constraints (ValidationFailed with per-field
    messages in extra["errors"], nothing saved); the changed ones are saved and audited with
    old and new values. Values equal to the current ones change nothing."""
    _require_editor(user, committee_id)
    unknown = set(changes) - EDITABLE_SETTINGS
    if unknown:
        raise ValidationFailed(
            _("未知的设置项：%(names)s。") % {"names": "、".join(sorted(unknown))}
        )
    settings = proposal_settings_for(committee_id)
    settings = ProposalSettings.objects.select_for_update().get(pk=settings.pk)
    before = {name: getattr(settings, name) for name in changes}
    _check_constraints(settings, changes)
    try:
        changed = model_update(
            instance=settings, data=changes, fields=EDITABLE_SETTINGS, validate=True
        )
    except ValidationFailed as error:
        raise ValidationFailed(_("设置值无效。"), extra=error.extra) from error
    changed_names = [name for name in changed if name in changes]
    if changed_names:
        audit_record(
            verb="proposal_settings_update",
            actor=user,
            obj=settings,
            committee=settings.committee,
            data={
                "before": {name: str(before[name]) for name in changed_names},
                "after": {name: str(changes[name]) for name in changed_names},
            },
        )
    return settings


@transaction.atomic
def category_save(
    *,
    user: User,
    committee_id: int,
    name: str,
    sort_order: int = 0,
    is_active: bool = True,
    category_id: int | None = None,
) -> ProposalCategory:
    """Create a category, or rename / reorder / (de)activate one (`category_id`; one of another
    committee is NotFound). Categories in use are never deleted, only deactivated. Audited when
    something changed."""
    _require_editor(user, committee_id)
    category_list(committee=committee_id)  # the defaults first, so a new one never replaces them
    name = name.strip()
    if not name or len(name) > CATEGORY_NAME_MAX:
        raise ValidationFailed(
            _("类别名称不能为空，且不超过%(limit)d字。") % {"limit": CATEGORY_NAME_MAX}
        )
    duplicate = ProposalCategory.objects.filter(committee_id=committee_id, name=name)
    if category_id is not None:
        duplicate = duplicate.exclude(pk=category_id)
    if duplicate.exists():
        raise ValidationFailed(_("类别“%(name)s”已存在。") % {"name": name})
    if category_id is None:
        category = ProposalCategory.objects.create(
            committee_id=committee_id, name=name, sort_order=sort_order, is_active=is_active
        )
        changed = True
    else:
        existing = (
            ProposalCategory.objects.select_for_update()
            .filter(pk=category_id, committee_id=committee_id)
            .first()
        )
        if existing is None:
            raise NotFound(_("未找到该类别。"))
        category = existing
        changed = bool(
            model_update(
                instance=category,
                data={"name": name, "sort_order": sort_order, "is_active": is_active},
                validate=True,
            )
        )
    if changed:
        audit_record(
            verb="proposal_category_save",
            actor=user,
            obj=category,
            committee=category.committee,
            data={"name": name, "active": is_active},
        )
    return category
