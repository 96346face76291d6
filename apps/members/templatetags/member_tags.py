"""Template filters for masked display of phone and ID numbers."""

from __future__ import annotations

from django import template

from apps.core.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter(name="mask_phone")
def mask_phone_filter(value: str | None) -> str:
    return mask_phone(value or "")


@register.filter(name="mask_id")
def mask_id_filter(value: str | None) -> str:
    return mask_id_number(value or "")
