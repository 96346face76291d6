"""Write helpers every app's services share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .inputs import refuse_control_characters


def model_update[ModelT: models.Model](
    *,
    instance: ModelT,
    data: Mapping[str, Any],
    fields: Iterable[str] | None = None,
    validate: bool = True,
) -> list[str]:
    """Set `data` on `instance` and save only the fields whose value changed (plus `updated_at`
    when the model has one). Returns the names of the changed fields (empty: nothing saved).

    `fields` limits which keys of `data` may be written (a caller passing form data names what
    it lets through); `data` may use attribute names (`category_id`) or field names. With
    `validate`, the changed fields are checked by their model validators first and a failure
    raises ValidationFailed with per-field messages in `extra["errors"]` — nothing is saved; text
    holding a control character is refused the same way.
    """
    allowed = set(fields) if fields is not None else None
    changed: list[str] = []
    for name, value in data.items():
        if allowed is not None and name not in allowed:
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    if not changed:
        return []
    if validate:
        _validate_changed(instance, changed)
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        changed.append("updated_at")
    instance.save(update_fields=changed)
    return changed


def _validate_changed(instance: models.Model, changed: list[str]) -> None:
    by_attname = {f.attname: f.name for f in instance._meta.concrete_fields}
    changed_fields = {by_attname.get(name, name) for name in changed}
    exclude = [f.name for f in instance._meta.concrete_fields if f.name not in changed_fields]
    texts = {
        f.name: (str(f.verbose_name), getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name in changed_fields and isinstance(f, models.CharField | models.TextField)
    }
    refuse_control_characters(texts)
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        first = next(iter(errors.values()))[0] if errors else _("提交的内容有误，请检查后重试。")
        raise ValidationFailed(first, extra={"errors": errors}) from error
