from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):  # type: ignore[type-arg]
    """{{ labels|get_item:event.verb }} — the value, or the key itself when missing."""
    return mapping.get(key, key)
