"""Reminders and escalations, run by the periodic task `run_proposal_reminders`.

`reminders_run` scans with indexed queries and calls one small service per item, each in its own
transaction, so one bad row never blocks the rest. Every notice carries an idempotency key (see
apps.proposals.notices), so running twice — or two workers at once — sends nothing twice.

- co-sign invitations unanswered for N days (default 3) → the invitee;
- deadlines 14 and 3 days ahead (settings) → the unit's users;
- overdue → the proposal office and, for a 重点提案, its supervising leader (once per deadline);
- rating pending → each rater who has not rated (once per round);
- rating window passed → 逾期未评价 recorded and the evaluation finished;
- weekly summary of overdue and key proposals → leadership, on the configured weekday (or the
  first run after it in that ISO week).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import clock
from apps.organisation.models import Committee

from . import notices
from .models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    Cosigner,
    CosignerStatus,
    Proposal,
    ProposalSettings,
    ProposalStatus,
)
from .selectors.config import proposal_settings_for
from .workflow.rating import proposal_rating_expire
from .workflow.replies import notify_raters

logger = logging.getLogger(__name__)

HANDLING_STATUSES = (ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING)


class _Settings:
    """Per-run cache of committee settings."""

    def __init__(self) -> None:
        self._cache: dict[int, ProposalSettings] = {}

    def __call__(self, committee_id: int) -> ProposalSettings:
        if committee_id not in self._cache:
            self._cache[committee_id] = proposal_settings_for(committee_id)
        return self._cache[committee_id]


def _suffix(assignment: Assignment, round_: int) -> str:
    """Key suffix so a new deadline (re-handling round, extension) gets its own reminders."""
    parts = []
    if round_ > 1:
        parts.append(f"r{round_}")
    if assignment.extension_count:
        parts.append(f"x{assignment.extension_count}")
    return "".join(f":{part}" for part in parts)


def _deadline_body(proposal: Proposal, assignment: Assignment) -> str:
    deadline = _("办理期限：%(day)s") % {"day": f"{assignment.deadline:%Y年%m月%d日}"}
    return f"{proposal.title}\n{deadline}"


@transaction.atomic
def remind_cosign_pending(*, cosigner_id: int, now: dt.datetime | None = None) -> int:
    """Remind an invitee who has not answered after the committee's delay."""
    now = now or clock.now()
    cosigner = (
        Cosigner.objects.select_related(
            "proposal__committee", "proposal__first_proposer__member", "membership__member__user"
        )
        .filter(
            pk=cosigner_id, status=CosignerStatus.INVITED, proposal__status=ProposalStatus.DRAFT
        )
        .first()
    )
    if cosigner is None:
        return 0
    settings = proposal_settings_for(cosigner.proposal.committee)
    if cosigner.invited_at > now - dt.timedelta(days=settings.cosign_reminder_days):
        return 0
    user = cosigner.membership.member.user
    proposal = cosigner.proposal
    inviter = proposal.first_proposer.member.name if proposal.first_proposer else ""
    return notices.send(
        recipients=[user] if user else [],
        key=f"proposal:{proposal.pk}:cosign:{cosigner.pk}:reminder",
        title=_("附议邀请待您答复：%(name)s委员的提案") % {"name": inviter},
        body=proposal.title,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )


@transaction.atomic
def remind_deadline(*, assignment_id: int, today: dt.date | None = None) -> int:
    """Deadline approaching: the nearest offset (14 / 3 days) whose day has come, to the unit."""
    today = today or clock.today()
    assignment = (
        Assignment.objects.select_related("committee", "handling_unit", "proposal")
        .filter(pk=assignment_id, status__in=OPEN_ASSIGNMENT_STATUSES)
        .first()
    )
    if assignment is None or assignment.deadline < today:
        return 0
    days_left = (assignment.deadline - today).days
    offsets = [
        n for n in proposal_settings_for(assignment.committee).reminder_offsets if n >= days_left
    ]
    if not offsets:
        return 0
    offset = min(offsets)  # e.g. 2 days left: the T3 reminder (T14 is no longer worth sending)
    proposal = assignment.proposal
    return notices.send(
        recipients=notices.unit_users(assignment.handling_unit_id),
        key=(
            f"assignment:{assignment.pk}:deadline-T{offset}"
            f"{_suffix(assignment, proposal.handling_round)}"
        ),
        title=_("提案办理将于%(days)d天后到期：%(number)s")
        % {"days": days_left, "number": proposal.number_label},
        body=_deadline_body(proposal, assignment),
        url=notices.assignment_url(assignment.pk),
        committee=assignment.committee,
    )


@transaction.atomic
def escalate_overdue(*, assignment_id: int, today: dt.date | None = None) -> int:
    """Overdue: tell the proposal office and, for a 重点提案, the supervising leader; mark the
    assignment so later scans skip it."""
    today = today or clock.today()
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("committee", "handling_unit", "proposal__supervising_leader")
        .filter(
            pk=assignment_id,
            status__in=OPEN_ASSIGNMENT_STATUSES,
            deadline__lt=today,
            overdue_escalated_at__isnull=True,
        )
        .first()
    )
    if assignment is None:
        return 0
    proposal = assignment.proposal
    recipients: list[Any] = notices.office_users(assignment.committee_id)
    if proposal.is_key and proposal.supervising_leader is not None:
        recipients.append(proposal.supervising_leader)
    days = (today - assignment.deadline).days
    sent = notices.send(
        recipients=recipients,
        key=f"assignment:{assignment.pk}:overdue{_suffix(assignment, proposal.handling_round)}",
        title=_("提案办理已逾期%(days)d天：%(number)s（%(unit)s）")
        % {
            "days": days,
            "number": proposal.number_label,
            "unit": assignment.handling_unit.name,
        },
        body=_deadline_body(proposal, assignment),
        url=notices.proposal_url(proposal.pk),
        committee=assignment.committee,
    )
    Assignment.objects.filter(pk=assignment.pk).update(overdue_escalated_at=clock.now())
    return sent


@transaction.atomic
def remind_rating(*, proposal_id: int) -> int:
    """Rating pending: each rater who has not rated this round (once per round)."""
    proposal = (
        Proposal.objects.select_related("committee")
        .filter(pk=proposal_id, status=ProposalStatus.REPLIED)
        .first()
    )
    if proposal is None:
        return 0
    return notify_raters(proposal=proposal)


@transaction.atomic
def send_weekly_summary(*, committee_id: int, today: dt.date | None = None) -> int:
    """The weekly leadership summary of overdue and key proposals, once per ISO week."""
    today = today or clock.today()
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None:
        return 0
    settings = proposal_settings_for(committee)
    if today.isoweekday() < settings.weekly_summary_weekday:
        return 0
    overdue = Assignment.objects.filter(
        committee_id=committee_id, status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=today
    )
    overdue_count = overdue.count()
    overdue_units = list(
        overdue.values_list("handling_unit__name").annotate(n=Count("id")).order_by("-n")[:5]
    )
    key_counts = dict(
        Proposal.objects.filter(committee_id=committee_id, is_key=True)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    key_total = sum(key_counts.values())
    if not overdue_count and not key_total:
        return 0
    status_labels = dict(ProposalStatus.choices)
    lines = [_("逾期未办复：%(count)d件") % {"count": overdue_count}]
    if overdue_units:
        units = "、".join(
            _("%(unit)s（%(count)d件）") % {"unit": name, "count": count}
            for name, count in overdue_units
        )
        lines.append(_("逾期较多的承办单位：%(units)s") % {"units": units})
    if key_total:
        by_status = "、".join(
            _("%(state)s%(count)d件") % {"state": status_labels[state], "count": count}
            for state, count in sorted(key_counts.items())
        )
        lines.append(
            _("重点提案：%(count)d件（%(by_status)s）")
            % {"count": key_total, "by_status": by_status}
        )
    year, week, _weekday = today.isocalendar()
    return notices.send(
        recipients=notices.leadership_users(committee_id),
        key=f"committee:{committee_id}:weekly:{year}-W{week:02d}",
        title=_("提案办理周报（%(year)d年第%(week)d周）") % {"year": year, "week": week},
        body="\n".join(lines),
        url=notices.office_queue_url(),
        committee=committee,
        kind="proposal_weekly",
    )


def _each(label: str, ids: list[int], step: Callable[[int], int]) -> int:
    total = 0
    for pk in ids:
        try:
            total += step(pk)
        except Exception:  # one bad row must not stop the others; it is retried next run
            logger.exception("proposal reminder %s failed for %s", label, pk)
    return total


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass over every committee. Returns counts of notices (or rows) per kind."""
    now = now or clock.now()
    today = timezone.localdate(now)
    settings = _Settings()
    result: dict[str, int] = {}

    # Unanswered invitations: at least one day old (the per-committee delay is checked per row).
    cosigner_ids = list(
        Cosigner.objects.filter(
            status=CosignerStatus.INVITED,
            proposal__status=ProposalStatus.DRAFT,
            invited_at__lte=now - dt.timedelta(days=1),
        ).values_list("id", flat=True)
    )
    result["cosign"] = _each(
        "cosign", cosigner_ids, lambda pk: remind_cosign_pending(cosigner_id=pk, now=now)
    )

    # Deadlines within the largest offset any committee uses (default 14 days).
    horizon = max([14, *(max(s.reminder_offsets or [0]) for s in ProposalSettings.objects.all())])
    due_ids = list(
        Assignment.objects.filter(
            status__in=OPEN_ASSIGNMENT_STATUSES,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(days=horizon),
        ).values_list("id", flat=True)
    )
    result["deadline"] = _each(
        "deadline", due_ids, lambda pk: remind_deadline(assignment_id=pk, today=today)
    )

    overdue_ids = list(
        Assignment.objects.filter(
            status__in=OPEN_ASSIGNMENT_STATUSES,
            deadline__lt=today,
            overdue_escalated_at__isnull=True,
        ).values_list("id", flat=True)
    )
    result["overdue"] = _each(
        "overdue", overdue_ids, lambda pk: escalate_overdue(assignment_id=pk, today=today)
    )

    replied = Proposal.objects.filter(status=ProposalStatus.REPLIED)
    expired_ids = list(replied.filter(rating_due__lt=today).values_list("id", flat=True))
    result["rating_expired"] = _each(
        "rating_expired",
        expired_ids,
        lambda pk: proposal_rating_expire(proposal_id=pk, today=today),
    )
    pending_ids = list(
        replied.filter(Q(rating_due__gte=today) | Q(rating_due__isnull=True)).values_list(
            "id", flat=True
        )
    )
    result["rating"] = _each("rating", pending_ids, lambda pk: remind_rating(proposal_id=pk))

    committee_ids = list(
        Committee.objects.filter(is_active=True).values_list("id", flat=True).order_by("id")
    )
    committee_ids = [
        pk for pk in committee_ids if today.isoweekday() >= settings(pk).weekly_summary_weekday
    ]
    result["weekly"] = _each(
        "weekly", committee_ids, lambda pk: send_weekly_summary(committee_id=pk, today=today)
    )
    return result
