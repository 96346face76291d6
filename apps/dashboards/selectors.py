"""Reads for the home pages. Each home is built in a small, fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.members.models import (
    Gender,
    Membership,
    MembershipStatus,
    Party,
    Position,
)
from apps.notifications.selectors import notification_list_for_user
from apps.organisation.models import Committee, PlenarySession, SpecialCommittee, Term
from apps.organisation.selectors import committee_ids_visible_to

# Most specific first: a 常委 who is also staff opens on the office's work queue.
HOME_ORDER: tuple[Role, ...] = (
    Role.LEADERSHIP,
    Role.PROPOSAL_OFFICE,
    Role.OPINION_OFFICE,
    Role.LIAISON_OFFICE,
    Role.GENERAL_OFFICE,
    Role.HANDLING_UNIT,
    Role.MEMBER,
    Role.SYSADMIN,
)

AGGREGATE_CACHE_SECONDS = 300


def home_roles(user: Any) -> list[Role]:
    """The homes this user has, most specific first (常委 and 委员 share the member home)."""
    roles = user_roles(user)
    return [role for role in HOME_ORDER if role in roles]


# Shared facts -------------------------------------------------------------------------------


@dataclass
class UpcomingSession:
    session: PlenarySession
    days_to_deadline: int
    deadline_passed: bool
    in_session: bool


def upcoming_sessions(*, committee_id: int | None, limit: int = 2) -> list[UpcomingSession]:
    """The committee's next plenary sessions (current term, not yet closed), with countdowns."""
    if committee_id is None:
        return []
    now = timezone.now()
    today = timezone.localdate()
    sessions = (
        PlenarySession.objects.filter(
            committee_id=committee_id, term__is_current=True, end_date__gte=today
        )
        .select_related("term")
        .order_by("start_date")[:limit]
    )
    result = []
    for session in sessions:
        deadline_day = timezone.localtime(session.proposal_deadline).date()
        result.append(
            UpcomingSession(
                session=session,
                days_to_deadline=max((deadline_day - today).days, 0),
                deadline_passed=session.proposal_deadline <= now,
                in_session=session.start_date <= today,
            )
        )
    return result


@dataclass
class CommitteeFacts:
    committee: Committee | None
    term: Term | None
    member_count: int
    next_session: UpcomingSession | None


def committee_facts(
    *,
    committee_id: int | None,
    upcoming: list[UpcomingSession] | None = None,
    count_members: bool = True,
) -> CommitteeFacts:
    """Current term, active member count and next plenary session (three queries; two when
    the caller already read the upcoming sessions, one more less with count_members=False —
    the caller then sets member_count from what it read, e.g. membership_aggregates)."""
    if committee_id is None:
        return CommitteeFacts(None, None, 0, None)
    term = (
        Term.objects.filter(committee_id=committee_id, is_current=True)
        .select_related("committee")
        .first()
    )
    if term is None:
        return CommitteeFacts(Committee.objects.filter(pk=committee_id).first(), None, 0, None)
    count = (
        Membership.objects.filter(term=term, status=MembershipStatus.ACTIVE).count()
        if count_members
        else 0
    )
    sessions = upcoming if upcoming is not None else upcoming_sessions(committee_id=committee_id)
    return CommitteeFacts(term.committee, term, count, sessions[0] if sessions else None)


# Member home --------------------------------------------------------------------------------


@dataclass
class MemberHome:
    membership: Membership | None
    special_committees: list[SpecialCommittee]
    notifications: list[Any]
    upcoming: list[UpcomingSession]
    contacts_made: list[Any]
    contacts_received: list[Any]


def member_home(*, user: Any) -> MemberHome:
    """Member (委员/常委) home: upcoming plenary sessions, recent notices, profile and contact
    duties (the to-dos come from the registered providers). A fixed number of queries."""
    from apps.members.models import ContactDuty
    from apps.members.selectors import membership_current_for_user

    membership = membership_current_for_user(user=user)
    special: list[SpecialCommittee] = []
    made: list[Any] = []
    received: list[Any] = []
    if membership is not None:
        special = list(membership.special_committees.order_by("sort_order", "id"))
        duties = ContactDuty.objects.filter(
            Q(contact=membership) | Q(contacted=membership)
        ).select_related("contact__member", "contacted__member", "contacted__sector")
        for duty in duties.order_by("kind", "id"):
            (made if duty.contact_id == membership.pk else received).append(duty)
    committee_id = membership.committee_id if membership else user.committee_id
    return MemberHome(
        membership=membership,
        special_committees=special,
        notifications=list(notification_list_for_user(user=user)[:5]),
        upcoming=upcoming_sessions(committee_id=committee_id),
        contacts_made=made,
        contacts_received=received,
    )


# Leadership home ----------------------------------------------------------------------------

AGE_BANDS: tuple[tuple[Any, int, int], ...] = (
    (gettext_lazy("40岁及以下"), 0, 40),
    (gettext_lazy("41至50岁"), 41, 50),
    (gettext_lazy("51至60岁"), 51, 60),
    (gettext_lazy("61岁及以上"), 61, 200),
)
AGE_UNKNOWN = -1  # the band index of members without a birth date


def membership_aggregates(*, committee_id: int, term_id: int) -> dict[str, Any]:
    """Counts of a term's members by sector, party, gender, age band, position and status.

    Two queries (one GROUP BY over memberships, one for sector names), cached for five minutes
    per committee and term. Everything but the status counts covers active members only.
    Ages are counted from the birth year. Returns plain lists so the cache can pickle them.
    """
    key = f"dashboards:aggregates:{committee_id}:{term_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    from apps.sectors.models import Sector

    rows = (
        Membership.objects.filter(committee_id=committee_id, term_id=term_id)
        .values("sector_id", "party", "position", "status", "member__gender")
        .annotate(birth_year=ExtractYear("member__birth_date"), n=Count("id"))
        .order_by()
    )
    year = timezone.localdate().year
    sectors: Counter[int] = Counter()
    parties: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    positions: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    ages: Counter[int] = Counter()
    for row in rows:
        n = row["n"]
        statuses[row["status"]] += n
        if row["status"] != MembershipStatus.ACTIVE:
            continue
        sectors[row["sector_id"]] += n
        parties[row["party"]] += n
        genders[row["member__gender"]] += n
        positions[row["position"]] += n
        ages[_age_band(year - row["birth_year"] if row["birth_year"] else None)] += n
    sector_rows = Sector.objects.filter(committee_id=committee_id).order_by("sort_order", "id")
    result: dict[str, Any] = {
        "total": sum(parties.values()),
        "sectors": [
            {"name": sector.name, "value": sectors[sector.pk]}
            for sector in sector_rows
            if sectors[sector.pk]
        ],
        "parties": [
            {"name": str(label), "value": parties[value]}
            for value, label in Party.choices
            if parties[value]
        ],
        "genders": [
            {"name": str(label), "value": genders[value]} for value, label in Gender.choices
        ],
        "ages": [
            {"name": str(label), "value": ages[index]}
            for index, (label, _low, _high) in enumerate(AGE_BANDS)
        ]
        + ([{"name": str(_("未填写")), "value": ages[AGE_UNKNOWN]}] if ages[AGE_UNKNOWN] else []),
        "positions": [
            {"name": str(label), "value": positions[value]}
            for value, label in reversed(Position.choices)
        ],
        "statuses": [
            {"name": str(label), "value": statuses[value]}
            for value, label in MembershipStatus.choices
        ],
    }
    total = result["total"]
    result["summary"] = {
        "standing": sum(n for value, n in positions.items() if value != Position.MEMBER),
        "non_cpc_percent": _percent(total - parties[Party.CPC], total),
        "female_percent": _percent(genders[Gender.FEMALE], total),
    }
    cache.set(key, result, AGGREGATE_CACHE_SECONDS)
    return result


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def _age_band(age: int | None) -> int:
    if age is None:
        return AGE_UNKNOWN
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        if low <= age <= high:
            return index
    return AGE_UNKNOWN


# Handling unit home -------------------------------------------------------------------------


@dataclass
class UnitHome:
    unit: Any
    colleagues: list[Any] = field(default_factory=list)
    proposal_office: list[Any] = field(default_factory=list)


def unit_home(*, user: Any) -> UnitHome:
    """The handling unit's page: its details, its accounts and whom to ask at the proposal
    office (two queries besides the unit itself)."""
    from django.contrib.auth.models import Group

    from apps.accounts.models import User

    unit = user.handling_unit
    if unit is None:
        return UnitHome(unit=None)
    colleagues = list(
        User.objects.filter(handling_unit=unit, is_active=True)
        .order_by("id")
        .only("name", "username")
    )
    office = Group.objects.filter(name=Role.PROPOSAL_OFFICE.value)
    proposal_office = list(
        User.objects.filter(committee_id=unit.committee_id, groups__in=office, is_active=True)
        .order_by("id")
        .only("name", "username")
    )
    return UnitHome(unit=unit, colleagues=colleagues, proposal_office=proposal_office)


# Sysadmin home ------------------------------------------------------------------------------


@dataclass
class AdminHome:
    committee_count: int
    user_total: int
    users_active: int
    users_not_activated: int
    users_with_totp: int
    recent_events: list[AuditEvent]


def admin_home(*, user: Any) -> AdminHome:
    """Counts of users and committees in the admin's scope, and the latest audit events."""
    from allauth.mfa.models import Authenticator

    from apps.accounts.models import User

    visible = committee_ids_visible_to(user)
    users = User.objects.filter(committee_id__in=visible)
    totp_users = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    counts = users.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        not_activated=Count("id", filter=Q(is_active=True, password__startswith="!")),
        with_totp=Count("id", filter=Q(id__in=totp_users)),
    )
    events = list(
        AuditEvent.objects.filter(committee_id__in=visible)
        .select_related("committee")
        .order_by("-occurred_at", "-id")[:8]
    )
    return AdminHome(
        committee_count=len(visible),
        user_total=counts["total"],
        users_active=counts["active"],
        users_not_activated=counts["not_activated"],
        users_with_totp=counts["with_totp"],
        recent_events=events,
    )
