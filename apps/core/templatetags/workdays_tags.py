"""`{% calendar_notice_text as notice %}`: the working-day calendar's warning for staff
(apps.core.workdays.calendar_notice: next year's holidays not yet known), for the
organisation page through templates/core/_calendar_notice.html."""

from __future__ import annotations

from django import template

from apps.core import clock
from apps.core.workdays import calendar_notice

register = template.Library()


@register.simple_tag
def calendar_notice_text() -> str:
    return calendar_notice(clock.today())
