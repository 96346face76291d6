"""A proposal the proposer agreed to pass on as social opinion (提案转为社情民意信息) arrives here.

The proposals workflow hands it on with `apps.core.registry.handoff(
"proposal_transfer:social_opinion", proposal=p, actor=user)` inside its own transaction; this
receiver (registered in apps.py) creates the report from the proposal's fields — read off the
object handed over, the apps never import each other — submitted for screening, credited to the
first proposer and the confirmed co-signers, and linked both ways: the report stores the
proposal's id, and the proposal's page links back (apps.opinions.links).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record

from .. import notices
from ..models import (
    Contributor,
    ContributorKind,
    OpinionCategory,
    OpinionReport,
    ReportOrigin,
    ReportStatus,
    VersionKind,
)
from .drafts import DRAFT_TEXT_MAX, DRAFT_TITLE_MAX
from .stats_marks import stats_mark_dirty
from .text_index import report_corpus_file, report_text_index_refresh
from .versions import version_snapshot

CONFIRMED = "confirmed"  # the proposals app's co-signer status value


def _confirmed_cosigners(proposal: Any) -> list[Any]:
    manager = getattr(proposal, "cosigners", None)
    if manager is None:
        return []
    return list(
        manager.filter(status=CONFIRMED)
        .select_related("membership__member__user")
        .order_by("sort_order", "id")
    )


def _category_id(committee_id: int, proposal: Any) -> int | None:
    name = getattr(getattr(proposal, "category", None), "name", "")
    if not name:
        return None
    return (
        OpinionCategory.objects.filter(committee_id=committee_id, name=name, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


@transaction.atomic
def receive_proposal_transfer(*, proposal: Any, actor: User) -> OpinionReport:
    """Create the report for a consented proposal transfer (待筛选, origin 提案转来). Who calls:
    the proposals workflow, through the registry hand-off, when the first proposer consents.
    Receiving the same proposal again returns the report already made."""
    existing = OpinionReport.objects.filter(origin_proposal_id=proposal.pk).first()
    if existing is not None:
        return existing
    first = getattr(proposal, "first_proposer", None)
    filer = actor
    if first is not None and getattr(first.member, "user", None) is not None:
        filer = first.member.user
    now = clock.now()
    number = getattr(proposal, "number_label", "") or ""
    origin_label = _("提案 %(number)s") % {"number": number} if number else _("提案（未立案）")
    report = OpinionReport.objects.create(
        committee_id=proposal.committee_id,
        term_id=getattr(proposal, "term_id", None),
        origin=ReportOrigin.PROPOSAL,
        created_by=filer,
        title=(proposal.title or "")[:DRAFT_TITLE_MAX],
        situation=(getattr(proposal, "grounds", "") or "")[:DRAFT_TEXT_MAX],
        suggestion=(getattr(proposal, "suggestions", "") or "")[:DRAFT_TEXT_MAX],
        category_id=_category_id(proposal.committee_id, proposal),
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
        first_submitted_at=now,
        origin_proposal_id=proposal.pk,
        origin_label=origin_label[:120],
    )
    credits = [
        Contributor(
            report=report,
            kind=ContributorKind.FIRST,
            membership_id=getattr(proposal, "first_proposer_id", None),
            user=filer,
            sort_order=0,
        )
    ]
    for order, cosigner in enumerate(_confirmed_cosigners(proposal), start=1):
        credits.append(
            Contributor(
                report=report,
                kind=ContributorKind.CO,
                membership_id=cosigner.membership_id,
                user=cosigner.membership.member.user,
                sort_order=order,
            )
        )
    Contributor.objects.bulk_create(credits)
    report_text_index_refresh(report=report)
    report_corpus_file(report=report)  # it arrives submitted: counted for the duplicate panel
    version_snapshot(report=report, kind=VersionKind.SUBMITTED, user=filer, note=_("由提案转来"))
    audit_record(
        verb="opinion_transfer_receive",
        actor=actor,
        obj=report,
        role="member",
        to_state=ReportStatus.SUBMITTED,
        data={"proposal": proposal.pk, "number": number},
    )
    stats_mark_dirty(report=report)
    notices.tell_credited(
        report,
        "transferred",
        _("您的提案已转为社情民意信息：%(t)s") % {"t": report.title},
        _("社情民意信息处将进行筛选，结果会通知您。"),
    )
    return report
