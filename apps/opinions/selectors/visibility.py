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

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.organisation.selectors import committee_ids_visible_to

from ..models import Contributor, OpinionReport, ReportStatus
from ..permissions import liaison_unit_ids

# Past the draft stage and not refused: what statistics call "submitted".
FILED_STATUSES = tuple(s for s in ReportStatus.values if s != ReportStatus.DRAFT)
# Published in the committee's own bulletin (编发): what statistics call "used".
USED_STATUSES = (ReportStatus.COMPILED, ReportStatus.REPORTED)


def credited_q(user: User) -> Q:
    """Reports on which `user` is credited (submitter, co-author, merged duplicate)."""
    return Q(
        Exists(
            Contributor.objects.filter(report=OuterRef("pk")).filter(
                Q(user=user) | Q(membership__member__user=user)
            )
        )
    )


def own_q(user: User) -> Q:
    """The user's own reports: filed by them, filed for their organisations, credited."""
    condition = Q(created_by=user) | credited_q(user)
    units = liaison_unit_ids(user)
    if units:
        condition |= Q(reporting_unit_id__in=sorted(units))
    return condition


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
