"""Who may read which reports, always inside the committees the user may see
(apps.organisation.selectors.committee_ids_visible_to):

- the submitter sees their own reports, drafts included; the liaisons of an organisation see
  every report filed for it; co-authors and merged duplicates' submitters see the reports they
  are credited on;
- the 社情民意信息处 and leadership see every report past the draft stage;
- other members see nothing of anyone else's reports (social opinion is internal material).
List selectors load related rows up front: a fixed number of queries whatever the page size.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.members.models import Membership
from apps.organisation.selectors import committee_ids_visible_to

from ..models import Contributor, OpinionReport, ReportStatus
from ..permissions import liaison_unit_ids

# Past the draft stage and not refused: what statistics call "submitted".
FILED_STATUSES = tuple(s for s in ReportStatus.values if s != ReportStatus.DRAFT)
# Published in the committee's own bulletin (编发): what statistics call "used".
USED_STATUSES = (ReportStatus.COMPILED, ReportStatus.REPORTED)


def personal_report_ids(user: User) -> QuerySet[Any, int]:
    """Ids of the user's own reports — filed by them, credited on them (as an account or
    through any of their memberships), filed for the organisations they are a liaison of — as a
    UNION of indexed lookups (flat ids). An OR across the credit join would read every report
    of the committee (300 ms at 200,000 reports); the union reads only the user's rows."""
    memberships = Membership.objects.filter(member__user=user).values("pk")
    created = OpinionReport.objects.filter(created_by=user).order_by().values_list("pk", flat=True)
    parts: list[QuerySet[Any, int]] = [
        Contributor.objects.filter(user=user).order_by().values_list("report_id", flat=True),
        Contributor.objects.filter(membership__in=memberships)
        .order_by()
        .values_list("report_id", flat=True),
    ]
    units = liaison_unit_ids(user)
    if units:
        parts.append(
            OpinionReport.objects.filter(reporting_unit_id__in=sorted(units))
            .order_by()
            .values_list("pk", flat=True)
        )
    return created.union(*parts).order_by()


def own_q(user: User) -> Q:
    """The user's own reports: filed by them, filed for their organisations, credited (an
    `id IN (UNION …)` predicate, see personal_report_ids)."""
    return Q(pk__in=personal_report_ids(user))


def report_visible_q(user: User | AnonymousUser) -> Q:
    """The filter for reports `user` may read (see the module docstring)."""
    if not isinstance(user, User):
        return Q(pk__in=[])
    committees = committee_ids_visible_to(user)
    if not committees:
        return Q(pk__in=[])
    roles = user_roles(user)
    scope = own_q(user)
    if Role.OPINION_OFFICE in roles or Role.LEADERSHIP in roles:
        scope |= ~Q(status=ReportStatus.DRAFT)
    return Q(committee_id__in=committees) & scope


def report_queryset_visible_to(user: User | AnonymousUser) -> QuerySet[OpinionReport]:
    """Reports `user` may read, without related rows (for counting and sub-selects)."""
    return OpinionReport.objects.filter(report_visible_q(user))


def contributors_prefetch() -> Prefetch:
    return Prefetch(
        "contributors",
        queryset=Contributor.objects.select_related(
            "membership__member", "membership__sector", "unit", "user", "merged_from"
        ).order_by("sort_order", "id"),
        to_attr="all_contributors",
    )


def with_list_relations(queryset: QuerySet[OpinionReport]) -> QuerySet[OpinionReport]:
    return (
        queryset.select_related(
            "committee", "category", "created_by", "reporting_unit", "issue", "signer"
        )
        .prefetch_related(contributors_prefetch())
        .defer("search_vector", "keyword_vector")
    )
