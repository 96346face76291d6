"""The one form base of the portal and how a domain error lands on a form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .inputs import ControlCharacterValidator

_CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
_SELECT_WIDGETS = (forms.Select, forms.SelectMultiple)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget and Chinese messages that name the field
    ("请填写“案由”。", "请选择“界别”。"); every text field refuses control characters
    (apps.core.inputs). Labels and errors are drawn by the field template.

    `domain_error_fields` maps the field names a service puts in a DomainError's
    `extra["errors"]` to this form's fields, when they differ (e.g. {"file": "letter"})."""

    domain_error_fields: Mapping[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, _CHECK_WIDGETS):
                css = "form-check-input"
            elif isinstance(widget, _SELECT_WIDGETS):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])
            if field.label:
                # Only Django's English default: a form's own Chinese message stays.
                if (
                    field.error_messages.get("required")
                    is forms.Field.default_error_messages["required"]
                ):
                    field.error_messages["required"] = _required_message(field)
                if isinstance(field, forms.CharField):
                    field.error_messages["max_length"] = _(
                        "“%(label)s”不能超过%%(limit_value)d个字（现为%%(show_value)d个字）。"
                    ) % {"label": field.label}
            if isinstance(field, forms.CharField):
                _refuse_control_characters(field)

    def error_text(self) -> str:
        """Every error in one line, for a message: "理由：请选择……；说明：……"."""
        parts = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            label = f"{field.label}：" if field is not None and field.label else ""
            parts.append(label + "".join(str(error) for error in errors))
        return "；".join(parts)

    def first_error(self) -> str:
        for errors in self.errors.values():
            if errors:
                return str(errors[0])
        return str(_("提交的内容有误，请检查后重试。"))


def _refuse_control_characters(field: forms.CharField) -> None:
    """Every text field refuses control characters (apps.core.inputs) with a Chinese message
    naming it; Django's own English NUL check gives way to it."""
    validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, ProhibitNullCharactersValidator | ControlCharacterValidator)
    ]
    label = str(field.label) if field.label else None
    field.validators = [*validators, ControlCharacterValidator(label)]


def _required_message(field: forms.Field) -> str:
    if isinstance(field, forms.FileField):
        template = _("请上传“%(label)s”。")
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
        template = _("请选择“%(label)s”。")
    else:
        template = _("请填写“%(label)s”。")
    return template % {"label": field.label}


def add_domain_error(
    form: forms.Form, error: DomainError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's error on the form: on each field it names in `extra["errors"]`
    ({field: message or [messages]}), mapped through the form's `domain_error_fields` and
    `fields`; anything else, and an error that names no field, above the form."""
    mapping = {**getattr(form, "domain_error_fields", {}), **(fields or {})}
    named = error.extra.get("errors") or {}
    for name, messages in named.items():
        target = mapping.get(name, name)
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(target if target in form.fields else None, message)
    if not named:
        form.add_error(None, error.message)
