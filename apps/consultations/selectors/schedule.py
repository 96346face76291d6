"""Scheduling checks shown before saving: the notice rules on the working-day calendar and
conflicts (venue booked, invitees or leaders already at an overlapping meeting). They warn;
staff decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.workdays import add_working_days, working_days_between

from ..models import CANCELLED_OR_DRAFT, Invitation, Meeting, MeetingStatus
from .config import consultation_settings_for


@dataclass(frozen=True)
class RuleWarning:
    """One broken notice rule: what, and the date that would comply."""

    code: str
    message: str
    compliant_date: dt.date | None = None


def notice_rule_warnings(
    *,
    committee_id: int,
    starts_at: dt.datetime,
    materials_release_at: dt.datetime | None = None,
    notice_on: dt.date | None = None,
) -> list[RuleWarning]:
    """Notice at least N working days before the start (default 15), materials at least M
    (default 10). `notice_on` is the day the notice goes out (default today). Each warning
    names the latest compliant notice/release day and, for a late notice, the earliest start
    day that would comply when noticed on `notice_on`."""
    settings = consultation_settings_for(committee_id)
    notice_on = notice_on or clock.today()
    start_day = timezone.localdate(starts_at)
    warnings: list[RuleWarning] = []
    ahead = working_days_between(notice_on, start_day)
    if ahead < settings.notice_working_days:
        latest = add_working_days(start_day, -settings.notice_working_days)
        earliest_start = add_working_days(notice_on, settings.notice_working_days)
        warnings.append(
            RuleWarning(
                "notice",
                _(
                    "按规定会议通知应提前%(days)d个工作日发出（即%(latest)s前）；"
                    "现在发出只提前%(ahead)d个工作日。如按期通知，会议最早可安排在%(start)s。"
                )
                % {
                    "days": settings.notice_working_days,
                    "latest": f"{latest:%Y年%m月%d日}",
                    "ahead": max(ahead, 0),
                    "start": f"{earliest_start:%Y年%m月%d日}",
                },
                earliest_start,
            )
        )
    latest_materials = add_working_days(start_day, -settings.materials_working_days)
    release_day = timezone.localdate(materials_release_at) if materials_release_at else None
    if release_day is not None and release_day > latest_materials:
        warnings.append(
            RuleWarning(
                "materials",
                _("按规定会议材料应提前%(days)d个工作日发给委员，请不晚于%(latest)s发布。")
                % {
                    "days": settings.materials_working_days,
                    "latest": f"{latest_materials:%Y年%m月%d日}",
                },
                latest_materials,
            )
        )
    return warnings


@dataclass
class Conflicts:
    """What overlaps the planned time: other meetings in the same venue, invitees and leaders
    already invited elsewhere."""

    venue: list[Meeting] = field(default_factory=list)
    invitees: dict[int, list[str]] = field(default_factory=dict)  # meeting id → names
    invitee_meetings: dict[int, Meeting] = field(default_factory=dict)
    leaders: dict[int, list[str]] = field(default_factory=dict)
    leader_meetings: dict[int, Meeting] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.venue or self.invitees or self.leaders)

    def messages(self) -> list[str]:
        lines = []
        for meeting in self.venue:
            lines.append(
                _("会场已被占用：%(title)s（%(when)s）")
                % {"title": meeting.title, "when": _span(meeting)}
            )
        for meeting_id, names in self.invitees.items():
            meeting = self.invitee_meetings[meeting_id]
            lines.append(
                _("%(count)d位委员同一时间已受邀参加“%(title)s”：%(names)s")
                % {"count": len(names), "title": meeting.title, "names": _names(names)}
            )
        for meeting_id, names in self.leaders.items():
            meeting = self.leader_meetings[meeting_id]
            lines.append(
                _("领导同一时间已安排出席“%(title)s”：%(names)s")
                % {"title": meeting.title, "names": _names(names)}
            )
        return lines


def _names(names: list[str]) -> str:
    shown = "、".join(names[:8])
    return shown + (_("等") if len(names) > 8 else "")


def _span(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{start:%m月%d日 %H:%M}至{end:%H:%M}"


def _overlapping(
    committee_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude_id: int | None,
    *,
    drafts: bool = False,
) -> Q:
    skipped = [MeetingStatus.CANCELLED] if drafts else list(CANCELLED_OR_DRAFT)
    condition = Q(committee_id=committee_id, starts_at__lt=ends_at, ends_at__gt=starts_at) & ~Q(
        status__in=skipped
    )
    if exclude_id:
        condition &= ~Q(pk=exclude_id)
    return condition


def meeting_conflicts(
    *,
    committee_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue_id: int | None = None,
    membership_ids: Iterable[int] = (),
    leader_ids: Iterable[int] = (),
    exclude_meeting_id: int | None = None,
) -> Conflicts:
    """Meetings overlapping [starts_at, ends_at) that share the venue (drafts included), an
    invitee or a leader (announced ones; three queries at most)."""
    overlap = _overlapping(committee_id, starts_at, ends_at, exclude_meeting_id)
    conflicts = Conflicts()
    if venue_id:
        # A draft already holds its room: two drafts in one room at one time clash too.
        booked = _overlapping(committee_id, starts_at, ends_at, exclude_meeting_id, drafts=True)
        conflicts.venue = list(
            Meeting.objects.filter(booked, venue_id=venue_id).order_by("starts_at")[:5]
        )
    membership_ids = list(membership_ids)
    if membership_ids:
        rows = (
            Invitation.objects.filter(
                membership_id__in=membership_ids,
                meeting__in=Meeting.objects.filter(overlap),
            )
            .select_related("meeting", "membership__member")
            .order_by("meeting__starts_at", "id")
        )
        for row in rows:
            conflicts.invitee_meetings.setdefault(row.meeting_id, row.meeting)
            conflicts.invitees.setdefault(row.meeting_id, []).append(row.membership.member.name)
    leader_ids = list(leader_ids)
    if leader_ids:
        through = Meeting.invited_leaders.through
        for link in through.objects.filter(
            user_id__in=leader_ids, meeting__in=Meeting.objects.filter(overlap)
        ).select_related("meeting", "user"):
            conflicts.leader_meetings.setdefault(link.meeting_id, link.meeting)
            name = link.user.display_name if link.user else ""
            conflicts.leaders.setdefault(link.meeting_id, []).append(name)
    return conflicts


__all__ = [
    "Conflicts",
    "MeetingStatus",
    "RuleWarning",
    "meeting_conflicts",
    "notice_rule_warnings",
]
