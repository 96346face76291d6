"""Masked display of sensitive numbers: phones and ID numbers are shown masked by default
(DESIGN.md, "Sensitive data"); unmasking is a service of the app that owns the data, and is
audited there."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """138****5678: the first 3 and the last 4 digits."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(id_number: str | None) -> str:
    """110***********1234: the first 3 and the last 4 characters."""
    value = id_number or ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
