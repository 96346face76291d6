"""Who is told about filings. Notices go through the outbox (apps.notifications.services.notify)
in the caller's transaction; each key names one filing, one milestone and one recipient:

- ``duty-filing:<id>:returned:<revision>:u<user>``  a filing returned, to its member
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import ActivityFiling


def filing_returned(filing: ActivityFiling) -> None:
    from apps.notifications.services import notify

    user = filing.membership.member.user
    if user is None:
        return
    notify(
        recipient=user,
        key=f"duty-filing:{filing.pk}:returned:{filing.revision}:u{user.pk}",
        title=_("履职备案被退回：%(title)s") % {"title": filing.title},
        body=filing.reject_reason,
        url=reverse("duties:filing", args=[filing.pk]),
        kind="duty_filing",
        committee=filing.committee,
    )
