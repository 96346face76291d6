"""Reminders of the opinions app, run by the periodic task `run_opinion_reminders`: an
organisation behind its monthly quota (default: at least one report a month), to its
information liaisons, from the committee's reminder day (default the 20th) on — once a month
each (the idempotency key names the organisation and the month), so running twice, or two
workers at once, sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import clock

from . import notices
from .models import InformationLiaison, ReportingUnit
from .selectors.config import opinion_settings_for
from .selectors.liaison import QuotaLine, quota_lines


@transaction.atomic
def remind_quota(*, line: QuotaLine, today: dt.date) -> int:
    """Tell the organisation's active liaisons how many reports are still missing this month."""
    liaisons = [
        liaison.user
        for liaison in InformationLiaison.objects.filter(
            unit=line.unit, is_active=True
        ).select_related("user")
    ]
    return notices.send(
        recipients=liaisons,
        key=f"opinion-quota:{line.unit.pk}:{today:%Y-%m}",
        title=_("%(unit)s本月社情民意信息报送任务尚未完成") % {"unit": line.unit.name},
        body=_("本月任务%(quota)d条，已报送%(done)d条，还差%(missing)d条。")
        % {"quota": line.quota, "done": line.reported, "missing": line.missing},
        url="/opinions/new/",
        committee=line.unit.committee,
    )


def reminders_run(*, today: dt.date | None = None) -> dict[str, int]:
    """Every committee's organisations behind their quota, from its reminder day on."""
    today = today or clock.today()
    sent = 0
    committee_ids = (
        ReportingUnit.objects.filter(is_active=True)
        .values_list("committee_id", flat=True)
        .distinct()
        .order_by("committee_id")
    )
    for committee_id in committee_ids:
        if today.day < opinion_settings_for(committee_id).quota_reminder_day:
            continue
        units = ReportingUnit.objects.filter(committee_id=committee_id, is_active=True)
        for line in quota_lines(units=units.select_related("committee"), day=today):
            if line.behind:
                sent += remind_quota(line=line, today=today)
    return {"quota": sent}
