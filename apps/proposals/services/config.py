"""Editing a committee's proposal settings and categories. Who: its proposal office (or a
system administrator)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.audit import audit_record
from apps.core.errors import NotFound, PermissionDenied, ValidationFailed

from ..models import ProposalCategory, ProposalSettings
from ..permissions import is_proposal_office
from ..selectors.config import category_list, proposal_settings_for

EDITABLE_SETTINGS = frozenset(
    field.name
    for field in ProposalSettings._meta.concrete_fields
    if field.name not in {"id", "committee", "created_at", "updated_at"}
)


def _require_editor(user: Any, committee_id: int) -> None:
    if not (is_proposal_office(user, committee_id) or Role.SYSADMIN in user_roles(user)):
        raise PermissionDenied("只有提案委员会办公室可以修改提案工作设置。")


@transaction.atomic
def proposal_settings_update(
    *, user: Any, committee_id: int, changes: dict[str, Any]
) -> ProposalSettings:
    """Change some of the committee's proposal settings (names as on ProposalSettings).
    Values are validated by the model's field rules; audited with old and new values."""
    _require_editor(user, committee_id)
    unknown = set(changes) - EDITABLE_SETTINGS
    if unknown:
        raise ValidationFailed(f"未知的设置项：{'、'.join(sorted(unknown))}。")
    settings = proposal_settings_for(committee_id)
    settings = ProposalSettings.objects.select_for_update().get(pk=settings.pk)
    before = {name: getattr(settings, name) for name in changes}
    for name, value in changes.items():
        setattr(settings, name, value)
    from django.core.exceptions import ValidationError

    try:
        settings.full_clean(exclude=["committee"])
    except ValidationError as error:
        raise ValidationFailed("设置值无效。", extra={"errors": error.message_dict}) from error
    settings.save(update_fields=[*changes, "updated_at"])
    audit_record(
        verb="proposal_settings_update",
        actor=user,
        obj=settings,
        committee=settings.committee,
        data={
            "before": {k: str(v) for k, v in before.items()},
            "after": {k: str(v) for k, v in changes.items()},
        },
    )
    return settings


@transaction.atomic
def category_save(
    *,
    user: Any,
    committee_id: int,
    name: str,
    sort_order: int = 0,
    is_active: bool = True,
    category_id: int | None = None,
) -> ProposalCategory:
    """Create a category, or rename / reorder / (de)activate one (`category_id`). Categories in
    use are never deleted, only deactivated."""
    _require_editor(user, committee_id)
    category_list(committee=committee_id)  # the defaults first, so a new one never replaces them
    name = name.strip()
    if not name or len(name) > 30:
        raise ValidationFailed("类别名称不能为空，且不超过30字。")
    duplicate = ProposalCategory.objects.filter(committee_id=committee_id, name=name)
    if category_id is not None:
        duplicate = duplicate.exclude(pk=category_id)
    if duplicate.exists():
        raise ValidationFailed(f"类别“{name}”已存在。")
    if category_id is None:
        category = ProposalCategory.objects.create(
            committee_id=committee_id, name=name, sort_order=sort_order, is_active=is_active
        )
    else:
        existing = (
            ProposalCategory.objects.select_for_update()
            .filter(pk=category_id, committee_id=committee_id)
            .first()
        )
        if existing is None:
            raise NotFound("未找到该类别。")
        category = existing
        category.name, category.sort_order, category.is_active = name, sort_order, is_active
        category.save(update_fields=["name", "sort_order", "is_active", "updated_at"])
    audit_record(
        verb="proposal_category_save",
        actor=user,
        obj=category,
        committee=category.committee,
        data={"name": name, "active": is_active},
    )
    return category
