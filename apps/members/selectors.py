"""Reads for members, memberships and contact duties, scoped by what the user may see."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Collate

from apps.accounts.models import User
from apps.accounts.permissions import RequestUser, user_request_cache
from apps.organisation.counts import StructureCounts
from apps.organisation.models import Committee, MemberGroup, SpecialCommittee, Term
from apps.organisation.selectors import committee_ids_visible_to
from apps.sectors.models import Sector

from .models import (
    COLLECTIVE_PARTIES,
    ContactDuty,
    ContactDutyKind,
    ConvenedBody,
    Convener,
    Member,
    Membership,
    MembershipStatus,
    Party,
)

# Chinese names sort by pinyin under the ICU collation PostgreSQL ships with.
_NAME_COLLATION = "zh-Hans-x-icu"
# The key of a user's current membership in their request cache.
_CURRENT = "current_membership"


def _current_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(
        term__is_current=True, status=MembershipStatus.ACTIVE
    ).select_related("member", "term", "sector", "group", "committee")


def membership_current_for_user(*, user: RequestUser) -> Membership | None:
    """The user's active membership in their committee's current term, if any (cached on the
    user for the request)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    cache = user_request_cache(user)
    if _CURRENT in cache:
        return cache[_CURRENT]
    membership = _current_memberships().filter(member__user=user).first()
    cache[_CURRENT] = membership
    return membership


def memberships_current_prefetch(*, users: Sequence[User]) -> None:
    """Load the current memberships of many users in one query, so that
    `membership_current_for_user` costs nothing for each of them."""
    wanted = [user for user in users if _CURRENT not in user_request_cache(user)]
    if not wanted:
        return
    found: dict[int, Membership] = {}
    for membership in (
        _current_memberships().filter(member__user__in=[user.pk for user in wanted]).order_by("pk")
    ):
        found.setdefault(membership.member.user_id or 0, membership)
    for user in wanted:
        user_request_cache(user)[_CURRENT] = found.get(user.pk)


def pinyin_collated(field: str) -> Any:
    """Order Chinese names by pinyin on PostgreSQL; plain ordering elsewhere (SQLite demo)."""
    if connection.vendor == "postgresql":
        return Collate(field, _NAME_COLLATION)
    return F(field)


def _name_ordering() -> Any:
    return pinyin_collated("member__name")


# ---------------------------------------------------------------------------------------------
# Terms


def term_list_visible_to(*, user: User) -> list[Term]:
    """Terms of every committee the user may see, own committee first, newest first."""
    ids = committee_ids_visible_to(user)
    terms = list(Term.objects.filter(committee_id__in=ids).select_related("committee"))
    own = getattr(user, "committee_id", None)
    terms.sort(key=lambda t: (t.committee_id != own, t.committee_id, -t.number))
    return terms


def term_default(*, user: User, terms: list[Term]) -> Term | None:
    """The current term of the user's own committee, else the first current one they see."""
    own = getattr(user, "committee_id", None)
    for term in terms:
        if term.is_current and term.committee_id == own:
            return term
    for term in terms:
        if term.is_current:
            return term
    return terms[0] if terms else None


# ---------------------------------------------------------------------------------------------
# Structure counts (the organisation page)


def structure_member_counts(*, committee: Committee, term: Term) -> StructureCounts:
    """Active members of `committee` in `term` per sector, special committee and member group,
    and in all: two aggregate queries whatever the size of the roster. Registered from
    MembersConfig.ready() as the organisation page's counter
    (apps.organisation.counts.register_structure_counter)."""
    by_sector: dict[int, int] = {}
    by_group: dict[int, int] = {}
    total = 0
    active = Membership.objects.filter(
        committee=committee, term=term, status=MembershipStatus.ACTIVE
    )
    for row in active.values("sector_id", "group_id").annotate(n=Count("id")).order_by():
        by_sector[row["sector_id"]] = by_sector.get(row["sector_id"], 0) + row["n"]
        if row["group_id"]:
            by_group[row["group_id"]] = by_group.get(row["group_id"], 0) + row["n"]
        total += row["n"]
    through = Membership.special_committees.through
    by_special = {
        row["specialcommittee_id"]: row["n"]
        for row in through.objects.filter(membership__in=active)
        .values("specialcommittee_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return StructureCounts(
        by_sector=by_sector, by_special_committee=by_special, by_group=by_group, total=total
    )


# ---------------------------------------------------------------------------------------------
# Roster


@dataclass(frozen=True)
class RosterFilters:
    """What the roster page, the export and the API filter by. Empty means "any"."""

    q: str = ""
    sector_id: int | None = None
    special_committee_id: int | None = None
    party: str = ""
    position: str = ""
    status: str = ""
    group_id: int | None = None
    account: str = ""  # "none": no sign-in account yet; "has": has one
    mobile: str = ""  # "missing": no mobile number on file

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for links and for the export form)."""
        pairs = {
            "q": self.q,
            "sector": self.sector_id,
            "special_committee": self.special_committee_id,
            "party": self.party,
            "position": self.position,
            "status": self.status,
            "group": self.group_id,
            "account": self.account,
            "mobile": self.mobile,
        }
        return {key: str(value) for key, value in pairs.items() if value not in (None, "")}

    def as_audit(self) -> dict[str, str]:
        return self.as_query()


def _with_roster_relations(queryset: QuerySet[Membership]) -> QuerySet[Membership]:
    return queryset.select_related(
        "member", "member__user", "term", "sector", "group", "committee"
    ).prefetch_related(
        Prefetch(
            "special_committees",
            queryset=SpecialCommittee.objects.order_by("sort_order", "id"),
        )
    )


def membership_filter(
    queryset: QuerySet[Membership], filters: RosterFilters
) -> QuerySet[Membership]:
    if filters.q:
        q = filters.q.strip()
        queryset = queryset.filter(
            Q(member__name__icontains=q)
            | Q(work_unit__icontains=q)
            | Q(nominated_by__icontains=q)
            | Q(expertise__icontains=q)
            | Q(focus_areas__icontains=q)
        )
    if filters.sector_id:
        queryset = queryset.filter(sector_id=filters.sector_id)
    if filters.special_committee_id:
        queryset = queryset.filter(special_committees__id=filters.special_committee_id)
    if filters.party:
        queryset = queryset.filter(party=filters.party)
    if filters.position:
        queryset = queryset.filter(position=filters.position)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.group_id:
        queryset = queryset.filter(group_id=filters.group_id)
    if filters.account == "none":
        queryset = queryset.filter(member__user__isnull=True)
    elif filters.account == "has":
        queryset = queryset.filter(member__user__isnull=False)
    if filters.mobile == "missing":
        queryset = queryset.filter(member__mobile="")
    return queryset


def membership_roster(
    *, user: User, term: Term, filters: RosterFilters = RosterFilters()
) -> QuerySet[Membership]:
    """One term's roster, filtered, sorted by sector then name (pinyin), related rows loaded.

    Empty when the term's committee is outside the user's scope.
    """
    queryset = Membership.objects.filter(term=term, committee_id__in=committee_ids_visible_to(user))
    queryset = membership_filter(queryset, filters)
    return _with_roster_relations(queryset).order_by(
        "sector__sort_order", "sector_id", _name_ordering(), "id"
    )


def membership_list_for_api(*, user: User, term_id: int | None = None) -> QuerySet[Membership]:
    """Memberships the user may see: the given term, or every visible committee's current term."""
    queryset = Membership.objects.filter(committee_id__in=committee_ids_visible_to(user))
    if term_id:
        queryset = queryset.filter(term_id=term_id)
    else:
        queryset = queryset.filter(term__is_current=True)
    return _with_roster_relations(queryset).order_by(
        "committee_id", "sector__sort_order", "sector_id", _name_ordering(), "id"
    )


def membership_get_visible(*, user: User, membership_id: int) -> Membership | None:
    """A membership inside the user's scope, with related rows loaded; None otherwise."""
    return (
        _with_roster_relations(
            Membership.objects.filter(committee_id__in=committee_ids_visible_to(user))
        )
        .filter(pk=membership_id)
        .first()
    )


def membership_history(*, member: Member) -> list[Membership]:
    """All of a member's terms, newest first."""
    return list(
        Membership.objects.filter(member=member)
        .select_related("term", "sector")
        .order_by("-term__number")
    )


def member_for_user(*, user: User) -> Member | None:
    """The roster entry linked to this account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user).select_related("committee").first()


def membership_latest(*, member: Member) -> Membership | None:
    """The member's current-term membership, else their most recent one."""
    return (
        _with_roster_relations(Membership.objects.filter(member=member))
        .order_by("-term__is_current", "-term__number")
        .first()
    )


def nominating_bodies_in_use(*, committee_id: int, limit: int = 200) -> list[str]:
    """The 推荐单位 already on a committee's roster (any term), most used first: the edit
    form offers them so a body is typed the same way each time."""
    rows = (
        Membership.objects.filter(committee_id=committee_id)
        .exclude(nominated_by="")
        .values("nominated_by")
        .annotate(uses=Count("id"))
        .order_by("-uses", pinyin_collated("nominated_by"))[:limit]
    )
    return [row["nominated_by"] for row in rows]


@dataclass(frozen=True)
class RosterChoices:
    """Filter and form options for one committee."""

    sectors: list[Sector]
    special_committees: list[SpecialCommittee]
    groups: list[MemberGroup]


def roster_choices(*, committee_id: int) -> RosterChoices:
    return RosterChoices(
        sectors=list(Sector.objects.filter(committee_id=committee_id, is_active=True)),
        special_committees=list(
            SpecialCommittee.objects.filter(committee_id=committee_id, is_active=True)
        ),
        groups=list(MemberGroup.objects.filter(committee_id=committee_id)),
    )


# ---------------------------------------------------------------------------------------------
# Contact duties


def _contact_duty_relations(queryset: QuerySet[ContactDuty]) -> QuerySet[ContactDuty]:
    return queryset.select_related(
        "contact__member", "contact__sector", "contacted__member", "contacted__sector"
    )


def contact_duty_list(*, term: Term) -> dict[str, list[ContactDuty]]:
    """A term's contact duties grouped by kind, in the order of ContactDutyKind."""
    grouped: dict[str, list[ContactDuty]] = {kind: [] for kind in ContactDutyKind.values}
    duties = _contact_duty_relations(ContactDuty.objects.filter(term=term)).order_by(
        "kind",
        pinyin_collated("contact__member__name"),
        pinyin_collated("contacted__member__name"),
        "id",
    )
    for duty in duties:
        grouped[duty.kind].append(duty)
    return grouped


def contact_duties_of(*, membership: Membership) -> tuple[list[ContactDuty], list[ContactDuty]]:
    """(duties where the member contacts others, duties where others contact the member)."""
    duties = list(
        _contact_duty_relations(
            ContactDuty.objects.filter(Q(contact=membership) | Q(contacted=membership))
        ).order_by("kind", "id")
    )
    made = [duty for duty in duties if duty.contact_id == membership.pk]
    received = [duty for duty in duties if duty.contacted_id == membership.pk]
    return made, received


def convener_list(*, term: Term) -> list[Convener]:
    """The conveners of a term, by body kind, then the body's name, then the member's name."""
    return sorted(
        Convener.objects.filter(term=term).select_related(
            "membership__member", "sector", "group", "special_committee"
        ),
        key=lambda c: (ConvenedBody.values.index(c.body), c.body_name, c.membership.member.name),
    )


def convened_bodies_of(*, membership: Membership | None) -> list[Convener]:
    """The bodies a membership convenes (empty for None), for the collective-proposal form."""
    if membership is None:
        return []
    return list(
        Convener.objects.filter(membership=membership).select_related(
            "sector", "group", "special_committee"
        )
    )


def convener_body_options(*, committee_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(value, label)]) for the convener picker: value is `<body>:<target>`."""
    parties = [
        (f"{ConvenedBody.PARTY}:{value}", str(label))
        for value, label in Party.choices
        if value in COLLECTIVE_PARTIES
    ]
    sectors = [
        (f"{ConvenedBody.SECTOR}:{s.pk}", s.name)
        for s in Sector.objects.filter(committee_id=committee_id, is_active=True)
    ]
    groups = [
        (f"{ConvenedBody.GROUP}:{g.pk}", g.name)
        for g in MemberGroup.objects.filter(committee_id=committee_id)
    ]
    specials = [
        (f"{ConvenedBody.SPECIAL_COMMITTEE}:{c.pk}", c.name)
        for c in SpecialCommittee.objects.filter(committee_id=committee_id, is_active=True)
    ]
    return [
        (str(ConvenedBody.PARTY.label), parties),
        (str(ConvenedBody.SECTOR.label), sectors),
        (str(ConvenedBody.GROUP.label), groups),
        (str(ConvenedBody.SPECIAL_COMMITTEE.label), specials),
        (
            str(ConvenedBody.ORGANISATION.label),
            [(f"{ConvenedBody.ORGANISATION}:", str(ConvenedBody.ORGANISATION.label))],
        ),
    ]


def membership_options_for_term(*, term: Term) -> list[Membership]:
    """Active members of a term, for the contact-duty pickers."""
    return list(
        Membership.objects.filter(term=term, status=MembershipStatus.ACTIVE)
        .select_related("member", "sector")
        .order_by(_name_ordering(), "id")
    )


# ---------------------------------------------------------------------------------------------
# Roster import


@dataclass(frozen=True)
class ExistingMember:
    member_id: int
    user_id: int | None
    has_membership: bool


@dataclass(frozen=True)
class RosterImportLookups:
    """What the import validation needs from the database, loaded in a few queries."""

    sectors: dict[str, int]
    special_committees: dict[str, int]
    groups: dict[str, int]
    # phone number → id of the account that holds it (as phone or as username)
    phone_owners: dict[str, int]
    # ID number → the member already on this committee's roster
    existing: dict[str, ExistingMember]


def roster_import_lookups(
    *, term: Term, id_numbers: Iterable[str], phones: Iterable[str]
) -> RosterImportLookups:
    committee_id = term.committee_id
    id_list = sorted({value for value in id_numbers if value})
    phone_list = sorted({value for value in phones if value})
    phone_owners: dict[str, int] = {}
    if phone_list:
        for user_id, phone, username in User.objects.filter(
            Q(phone__in=phone_list) | Q(username__in=phone_list)
        ).values_list("id", "phone", "username"):
            for value in (phone, username):
                if value in phone_list:
                    phone_owners.setdefault(value, user_id)
    existing: dict[str, ExistingMember] = {}
    if id_list:
        in_term = set(
            Membership.objects.filter(
                term=term, member__committee_id=committee_id, member__id_number__in=id_list
            ).values_list("member_id", flat=True)
        )
        for member_id, id_number, user_id in Member.objects.filter(
            committee_id=committee_id, id_number__in=id_list
        ).values_list("id", "id_number", "user_id"):
            existing[id_number] = ExistingMember(member_id, user_id, member_id in in_term)
    return RosterImportLookups(
        sectors=dict(
            Sector.objects.filter(committee_id=committee_id, is_active=True).values_list(
                "name", "id"
            )
        ),
        special_committees=dict(
            SpecialCommittee.objects.filter(committee_id=committee_id, is_active=True).values_list(
                "name", "id"
            )
        ),
        groups=dict(
            MemberGroup.objects.filter(committee_id=committee_id).values_list("name", "id")
        ),
        phone_owners=phone_owners,
        existing=existing,
    )
