"""Helpers shared by the account pages."""

from __future__ import annotations

from django import forms

from apps.core.errors import DomainError


def form_error(form: forms.Form, exc: DomainError) -> None:
    """Show a domain error on the field it names, or above the form."""
    field = exc.extra.get("field")
    messages_list = exc.extra.get("messages")
    target = field if field in form.fields else None
    if messages_list and target:
        for message in messages_list:
            form.add_error(target, message)
    else:
        form.add_error(target, exc.message)
