"""Reads of reports: one report for its page, the submitter's list, the office's queues and
their counts, the leader's sign-off list, the co-author picker. Scoped by `report_visible_q`;
lists load related rows up front (a fixed number of queries whatever the page size)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import NotFound
from apps.members.models import Membership, MembershipStatus

from ..models import (
    Adoption,
    Contributor,
    Instruction,
    OpinionReport,
    Referral,
    ReferralStatus,
    ReportAttachment,
    ReportStatus,
    ReportVersion,
)
from ..permissions import is_opinion_office
from .visibility import (
    contributors_prefetch,
    own_q,
    report_queryset_visible_to,
    with_list_relations,
)


def report_get_for_user(*, user: User, report_id: int) -> OpinionReport:
    """One report as its page shows it (credits, files, outcomes, versions' count loaded), or
    NotFound when the user may not read it."""
    report = (
        with_list_relations(report_queryset_visible_to(user).filter(pk=report_id))
        .select_related("merged_into", "term", "screened_by", "editor", "issue__committee")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=ReportAttachment.objects.order_by("id"),
                to_attr="all_attachments",
            ),
            Prefetch(
                "adoptions",
                queryset=Adoption.objects.select_related("level").order_by(
                    "level__sort_order", "adopted_on", "id"
                ),
                to_attr="all_adoptions",
            ),
            Prefetch(
                "instructions",
                queryset=Instruction.objects.order_by("instructed_on", "id"),
                to_attr="all_instructions",
            ),
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("handling_unit").order_by(
                    "referred_on", "id"
                ),
                to_attr="all_referrals",
            ),
        )
        .annotate(version_count=Count("versions", distinct=True))
        .first()
    )
    if report is None:
        raise NotFound(_("未找到该社情民意信息，或您无权查看。"))
    return report


def report_list_mine(*, user: User) -> QuerySet[OpinionReport]:
    """The user's own reports (filed by them or for their organisations, or credited on them),
    the most recently changed first."""
    return with_list_relations(
        OpinionReport.objects.filter(own_q(user)).filter(committee_id__in=_visible_committees(user))
    ).order_by("-updated_at", "-id")


def _visible_committees(user: User) -> list[int]:
    from apps.organisation.selectors import committee_ids_visible_to

    return sorted(committee_ids_visible_to(user))


def report_versions(*, report: OpinionReport) -> list[ReportVersion]:
    return list(
        ReportVersion.objects.filter(report=report).select_related("created_by").order_by("number")
    )


# The office's queues ---------------------------------------------------------------------------

QUEUES: dict[str, tuple[ReportStatus, ...]] = {
    "screen": (ReportStatus.SUBMITTED,),
    "edit": (ReportStatus.ACCEPTED,),
    "signoff": (ReportStatus.AWAITING_SIGNOFF,),
    "bulletin": (ReportStatus.SIGNED,),
    "returned": (ReportStatus.RETURNED,),
    "published": (ReportStatus.COMPILED, ReportStatus.REPORTED),
}


def office_queue(*, user: User, committee_id: int, queue: str) -> QuerySet[OpinionReport]:
    """The reports of one of the office's queues (待筛选, 编辑中, 待签发, 待编入期刊 …), urgent
    reports first, then the longest waiting."""
    statuses = QUEUES.get(queue)
    if statuses is None or not is_opinion_office(user, committee_id):
        return OpinionReport.objects.none()
    queryset = OpinionReport.objects.filter(committee_id=committee_id, status__in=statuses)
    if queue == "bulletin":
        queryset = queryset.filter(issue__isnull=True)
    order = (
        ("-reported_at", "-id") if queue == "published" else ("-is_urgent", "submitted_at", "id")
    )
    return with_list_relations(queryset).order_by(*order)


@dataclass(frozen=True)
class QueueCounts:
    screen: int
    edit: int
    signoff: int
    bulletin: int
    feedback: int
    urgent: int


# The states the office's counts look at: the work waiting, never the committee's history
# (published, declined, merged reports: nearly all of its rows after a few years).
OPEN_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.ACCEPTED,
    ReportStatus.AWAITING_SIGNOFF,
    ReportStatus.SIGNED,
)


def office_queue_counts(*, committee_id: int) -> QueueCounts:
    """How much waits in each queue of the office (two queries). The reports are read through
    the queue index (committee, status) for the open states only, so the cost follows the work
    waiting, not the number of reports the committee ever received."""
    counts = OpinionReport.objects.filter(
        committee_id=committee_id, status__in=OPEN_STATUSES
    ).aggregate(
        screen=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
        edit=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
        signoff=Count("id", filter=Q(status=ReportStatus.AWAITING_SIGNOFF)),
        bulletin=Count("id", filter=Q(status=ReportStatus.SIGNED, issue__isnull=True)),
        urgent=Count("id", filter=Q(status=ReportStatus.SUBMITTED, is_urgent=True)),
    )
    feedback = Referral.objects.filter(
        report__committee_id=committee_id, status=ReferralStatus.PENDING
    ).count()
    return QueueCounts(feedback=feedback, **counts)


def referrals_pending(*, committee_id: int) -> QuerySet[Referral]:
    """Transfers to departments still waiting for their reply letter, the oldest first."""
    return (
        Referral.objects.filter(report__committee_id=committee_id, status=ReferralStatus.PENDING)
        .select_related("report", "handling_unit")
        .order_by("referred_on", "id")
    )


def signoff_list_for(*, user: User) -> QuerySet[OpinionReport]:
    """Reports waiting for this leader's 签发, the longest waiting first."""
    return with_list_relations(
        OpinionReport.objects.filter(signer=user, status=ReportStatus.AWAITING_SIGNOFF)
    ).order_by("-is_urgent", "signoff_requested_at", "id")


def returned_count_for(*, user: User) -> int:
    """Reports returned for revision that the user should revise (one query)."""
    return OpinionReport.objects.filter(own_q(user), status=ReportStatus.RETURNED).count()


def coauthor_candidates(*, report: OpinionReport, q: str, limit: int = 20) -> list[Membership]:
    """Active members of the report's committee (current term) whose name contains `q`, not
    already credited on it. One query."""
    q = q.strip()
    if not q:
        return []
    taken = Contributor.objects.filter(report=report, membership=OuterRef("pk"))
    return list(
        Membership.objects.filter(
            committee_id=report.committee_id,
            term__is_current=True,
            status=MembershipStatus.ACTIVE,
            member__name__icontains=q,
        )
        .exclude(Exists(taken))
        .select_related("member", "sector")
        .order_by("member__name", "id")[:limit]
    )


def contributors_of(report: OpinionReport) -> list[Contributor]:
    """The report's credits in signing order (from the list prefetch when loaded)."""
    loaded = getattr(report, "all_contributors", None)
    if loaded is not None:
        return list(loaded)
    return list(
        Contributor.objects.filter(report=report)
        .select_related("membership__member", "membership__sector", "unit", "user", "merged_from")
        .order_by("sort_order", "id")
    )


def prefetch_contributors() -> Prefetch:
    return contributors_prefetch()


def leaders_of(*, committee_id: int) -> list[User]:
    """Active accounts of the committee's 主席会议成员 (current term): who may sign off."""
    from apps.members.models import LEADERSHIP_POSITIONS

    return list(
        User.objects.filter(
            is_active=True,
            member__memberships__committee_id=committee_id,
            member__memberships__term__is_current=True,
            member__memberships__status=MembershipStatus.ACTIVE,
            member__memberships__position__in=[p.value for p in LEADERSHIP_POSITIONS],
        )
        .distinct()
        .order_by("id")
    )
