"""Who gets told about report events, and the links they get. Notices go through the outbox
(apps.notifications.services.notify) inside the caller's transaction; each key names one report,
one milestone and one recipient, so a notice is written at most once however often the caller
runs.

Key scheme (``:u<user id>`` is appended for each recipient):
- ``opinion:<id>:accepted`` / ``:declined`` / ``:returned:<n>`` / ``:merged``   screening outcome
- ``opinion:<id>:signoff:<n>``            awaiting 签发, to the signing leader (n-th request)
- ``opinion:<id>:sent-back:<n>``          the leader sent it back, to the office
- ``opinion:<id>:signed`` / ``:published`` / ``:upward:<submission id>``   to the credited
- ``opinion:<id>:adoption:<id>`` / ``:instruction:<id>`` / ``:referral:<id>`` /
  ``:referral-reply:<id>``                 outcomes, to the credited
- ``opinion:<id>:transferred``            a proposal arrived as this report, to its proposer
- ``opinion:<id>:urgent:<n>``             an urgent report (急报) submitted, to the office
- ``opinion-quota:<unit id>:<yyyy-mm>``   a liaison's organisation is behind its quota
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.accounts.models import User
from apps.accounts.roles import Role

from .models import Contributor, OpinionReport

KIND = "opinion"


def report_url(report_id: int) -> str:
    """The report's page (/opinions/<id>/)."""
    return f"/opinions/{report_id}/"


def office_users(committee_id: int) -> list[User]:
    """Active 社情民意信息处 staff of the committee."""
    return list(
        User.objects.filter(
            committee_id=committee_id, is_active=True, groups__name=Role.OPINION_OFFICE.value
        )
        .distinct()
        .order_by("id")
    )


def credited_users(report: OpinionReport) -> list[User]:
    """Everyone a step of the report concerns: who filed it and everyone credited on it
    (co-authors, merged duplicates' submitters), each once. One query."""
    users: dict[int, User] = {report.created_by_id: report.created_by}
    for contributor in Contributor.objects.filter(report=report).select_related(
        "user", "membership__member__user"
    ):
        person = contributor.user
        if contributor.membership_id is not None and contributor.membership is not None:
            person = contributor.membership.member.user or person
        if person is not None:
            users.setdefault(person.pk, person)
    return list(users.values())


def send(
    *,
    recipients: Iterable[Any],
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    committee: Any = None,
) -> int:
    """Write one notice per active recipient (key + ``:u<id>``); returns how many NEW notices
    were written (keys already in the outbox are skipped, so a repeated run reports 0)."""
    from apps.notifications.models import OutboxMessage
    from apps.notifications.services import notify

    planned: dict[str, User] = {}
    for user in recipients:
        if user is None or not getattr(user, "is_active", False):
            continue
        planned.setdefault(f"{key}:u{user.pk}", user)
    if not planned:
        return 0
    sent = set(OutboxMessage.objects.filter(key__in=list(planned)).values_list("key", flat=True))
    count = 0
    for message_key, user in planned.items():
        if message_key in sent:
            continue
        notify(
            recipient=user,
            key=message_key,
            title=title,
            body=body,
            url=url,
            kind=KIND,
            committee=committee,
        )
        count += 1
    return count


def tell_credited(report: OpinionReport, milestone: str, title: str, body: str = "") -> int:
    """A step of the report, to everyone credited on it."""
    return send(
        recipients=credited_users(report),
        key=f"opinion:{report.pk}:{milestone}",
        title=title,
        body=body or report.title,
        url=report_url(report.pk),
        committee=report.committee,
    )
