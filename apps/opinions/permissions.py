"""Who may do what with a social-opinion report. Pure predicates over roles and domain rows; the
workflow and services call them before changing anything, pages call them to show or hide
actions.

People in play:
- the submitter: the person who filed the report (a member for themself, a liaison for their
  organisation, a staff member); the liaisons of the organisation a report was filed for act
  as its submitter too;
- co-authors (联名) and the submitters of duplicates merged into it: credited, may read it;
- the 社情民意信息处 (Role.OPINION_OFFICE, a Group) of the report's committee: screens, edits,
  sends for sign-off, compiles the bulletin, records outcomes;
- the signing leader: the 主席会议成员 the office sent the report to for 签发;
- leadership (主席会议成员) of the committee: reads every report past the draft stage.
State is not checked here (the workflow's transition table does that), so a permitted person
asking for an impossible step gets a Conflict, and anyone else a PermissionDenied.
"""

from __future__ import annotations

from typing import Any

from apps.accounts.permissions import user_active as _active
from apps.accounts.permissions import user_is_office_of, user_roles
from apps.accounts.roles import Role

# The shared predicates, re-exported for this app's modules.
from apps.members.permissions import current_membership as current_membership
from apps.members.permissions import is_leadership as is_leadership

from .models import Contributor, InformationLiaison, OpinionReport

_LIAISON_CACHE = "_opinion_liaison_unit_ids"


def is_opinion_office(user: Any, committee_id: int) -> bool:
    """Staff of the 社情民意信息处 of that committee (their own committee only: scope grants let
    officers see other committees' data, not act on it)."""
    return user_is_office_of(user, Role.OPINION_OFFICE, committee_id)


def liaison_unit_ids(user: Any) -> frozenset[int]:
    """The organisations the user files for as an active liaison (cached on the user)."""
    if not _active(user):
        return frozenset()
    cached: frozenset[int] | None = user.__dict__.get(_LIAISON_CACHE)
    if cached is None:
        cached = frozenset(
            InformationLiaison.objects.filter(
                user_id=user.pk, is_active=True, unit__is_active=True
            ).values_list("unit_id", flat=True)
        )
        user.__dict__[_LIAISON_CACHE] = cached
    return cached


def is_liaison(user: Any) -> bool:
    return bool(liaison_unit_ids(user))


def may_report(user: Any) -> bool:
    """May file reports at all: a member, a liaison, or the 社情民意信息处 (the menu entry)."""
    if not _active(user):
        return False
    roles = user_roles(user)
    return Role.MEMBER in roles or Role.OPINION_OFFICE in roles or is_liaison(user)


def is_submitter(user: Any, report: OpinionReport) -> bool:
    """Filed the report, or is a liaison of the organisation it was filed for."""
    if not _active(user):
        return False
    if report.created_by_id == user.pk:
        return True
    return report.reporting_unit_id is not None and report.reporting_unit_id in liaison_unit_ids(
        user
    )


def is_credited(user: Any, report: OpinionReport) -> bool:
    """A co-author or a merged duplicate's submitter (one query)."""
    if not _active(user):
        return False
    return (
        Contributor.objects.filter(report=report).filter(user_id=user.pk).exists()
        or Contributor.objects.filter(report=report, membership__member__user=user).exists()
    )


# Verb-level predicates (one name per capability, used by workflow, services and pages).


def can_edit_draft(user: Any, report: OpinionReport) -> bool:
    """Write the text, attach files, name co-authors, submit and resubmit."""
    return is_submitter(user, report)


def can_screen(user: Any, report: OpinionReport) -> bool:
    """Screen (接收 / 退回修改 / 不予采用), merge, edit, send for sign-off, compile the bulletin,
    record outcomes."""
    return is_opinion_office(user, report.committee_id)


def is_signer(user: Any, report: OpinionReport) -> bool:
    """The leader the report was sent to for 签发 (still a leader of its committee)."""
    return (
        _active(user) and report.signer_id == user.pk and is_leadership(user, report.committee_id)
    )


def reports_as_member_or_liaison(user: Any) -> bool:
    """The 我的社情民意 menu entry: members of a current term and information liaisons."""
    return _active(user) and (Role.MEMBER in user_roles(user) or is_liaison(user))
