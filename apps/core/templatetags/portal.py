from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):  # type: ignore[type-arg]
    """{{ hints|get_item:key }} — the value, or the key itself when missing."""
    return mapping.get(key, key)


@register.filter
def audit_label(verb: str) -> str:
    """{{ event.verb|audit_label }} — the Chinese label an app registered for the verb."""
    from apps.core.registry import audit_label as label

    return label(verb)
