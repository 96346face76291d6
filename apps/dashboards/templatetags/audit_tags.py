"""Chinese names on the audit pages: roles and the states an event moved between."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core.workflow import audit_state_label

register = template.Library()


@register.filter
def role_label(role: str) -> str:
    """{{ event.role|role_label }}: "提案委员会办公室" for "proposal_office"; "系统" for system."""
    if not role:
        return ""
    if role == "system":
        return _("系统")
    try:
        return str(Role(role).label)
    except ValueError:
        return role


@register.filter
def audit_state(state: str, verb: str) -> str:
    """{{ event.from_state|audit_state:event.verb }}: the state's Chinese name."""
    return audit_state_label(verb, state)
