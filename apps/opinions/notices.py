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

from typing import Any

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import staff_holding
from apps.notifications.services import notify_each

from .models import Contributor, OpinionReport

KIND = "opinion"


def report_url(report_id: int) -> str:
    """The report's page (/opinions/<id>/)."""
    return f"/opinions/{report_id}/"


def office_users(committee_id: int) -> list[User]:
    """Active 社情民意信息处 staff of the committee."""
    return staff_holding(Role.OPINION_OFFICE, committee_id=committee_id)


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


def send(**notice: Any) -> int:
    """One notice per active recipient through the outbox (apps.notifications.services.
    notify_each with this app's kind); returns how many new notices were written."""
    notice.setdefault("kind", KIND)
    return notify_each(**notice)


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
