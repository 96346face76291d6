"""Reminders of the duties app, run daily by the periodic task `run_duty_reminders`, each at
most once per period (the outbox key names the period), so running twice, or two workers at
once, sends nothing twice. Both are set per committee (DutySettings; 0 turns one off):

- filings waiting for verification longer than `queue_reminder_days`: the committee's 委员联络处,
  once a week (key: committee and ISO week);
- this year's minimums still open, from `minimums_reminder_month` on: each member concerned,
  once a month (key: membership and month), naming what is still open. Closed years are quiet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock

from .models import ActivityFiling, DutySettings, DutySummary, DutyYear, FilingStatus


def _settings_by_committee(committee_ids: set[int]) -> dict[int, DutySettings]:
    from .services.filings import duty_settings_for

    return {committee_id: duty_settings_for(committee_id) for committee_id in committee_ids}


@transaction.atomic
def remind_waiting_filings(*, today: dt.date) -> int:
    """Tell each committee's 委员联络处 how many filings have waited longer than its limit."""
    from apps.notifications.services import notify

    waiting = list(
        ActivityFiling.objects.filter(status=FilingStatus.SUBMITTED)
        .values_list("committee_id", "submitted_at")
        .order_by()
    )
    committees = {committee_id for committee_id, _at in waiting}
    settings = _settings_by_committee(committees)
    overdue: dict[int, int] = defaultdict(int)
    for committee_id, submitted_at in waiting:
        days = settings[committee_id].queue_reminder_days
        if days and (today - timezone.localdate(submitted_at)).days > days:
            overdue[committee_id] += 1
    if not overdue:
        return 0
    year, week, _weekday = today.isocalendar()
    sent = 0
    staff = User.objects.filter(
        committee_id__in=list(overdue), is_active=True, groups__name=Role.LIAISON_OFFICE.value
    ).distinct()
    for user in staff:
        assert user.committee_id is not None
        count = overdue[user.committee_id]
        notify(
            recipient=user,
            key=f"duty-queue:{user.committee_id}:{year}-W{week:02d}:u{user.pk}",
            title=_("有%(n)d份履职备案等待核实超过%(days)d天")
            % {"n": count, "days": settings[user.committee_id].queue_reminder_days},
            body=_("请及时核实或退回，核实后才计入委员的履职档案。"),
            url=reverse("duties:queue"),
            kind="duty_queue",
            committee=user.committee,
        )
        sent += 1
    return sent


@transaction.atomic
def remind_open_minimums(*, today: dt.date) -> int:
    """Tell members whose yearly minimums are still open, from the committee's month on."""
    from apps.notifications.services import notify

    year = today.year
    rows = list(
        DutySummary.objects.filter(
            year=year, minimums_met=False, membership__member__user__is_active=True
        )
        .select_related("membership__member__user", "committee")
        .only(
            "id",
            "committee",
            "breakdown",
            "membership__id",
            "membership__member__user",
            "membership__member__name",
        )
    )
    committees = {row.committee_id for row in rows}
    closed = set(
        DutyYear.objects.filter(committee_id__in=committees, year=year, closed=True).values_list(
            "committee_id", flat=True
        )
    )
    settings = _settings_by_committee(committees)
    sent = 0
    for row in rows:
        month = settings[row.committee_id].minimums_reminder_month
        user = row.membership.member.user
        if row.committee_id in closed or not month or today.month < month or user is None:
            continue
        open_items = [
            str(m.get("label", ""))
            for m in (row.breakdown or {}).get("minimums", [])
            if not m.get("met")
        ]
        if not open_items:
            continue
        notify(
            recipient=user,
            key=f"duty-minimums:{row.membership_id}:{today:%Y-%m}",
            title=_("%(year)d年度还有%(n)d项履职最低要求未完成")
            % {"year": year, "n": len(open_items)},
            body=_("尚未完成：%(items)s。") % {"items": "、".join(open_items)},
            url=reverse("duties:mine"),
            kind="duty_minimums",
            committee=row.committee,
        )
        sent += 1
    return sent


def reminders_run(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or clock.today()
    return {
        "queue": remind_waiting_filings(today=today),
        "minimums": remind_open_minimums(today=today),
    }
