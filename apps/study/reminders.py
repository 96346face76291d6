"""The study reminders, run daily by `run_study_reminders`:

- due date: invitees of an open request who have not submitted are reminded REMIND_DAYS days
  (default 3) before its due date and on any later day up to it if the job missed that day —
  once each: the key carries the due date, so running twice or two workers at once sends
  nothing twice, and a request whose due date moves reminds again for the new date;
- reading: members of an active reading group whose current book (read from its start to its
  end) has been read for at least READING_QUIET_DAYS days (default 7) and who have not checked
  in for it in that many days are reminded once per ISO week."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from apps.accounts.models import User
from apps.core import clock

from . import notices
from .models import (
    Invitee,
    ReadingBook,
    ReadingCheckin,
    ReadingGroupMember,
    RequestStatus,
    Submission,
    SubmissionStatus,
    TextRequest,
)

REMIND_DAYS = 3
READING_QUIET_DAYS = 7


def remind_days() -> int:
    return int(getattr(settings, "STUDY_REMIND_DAYS", REMIND_DAYS))


@transaction.atomic
def remind_request(*, request: TextRequest) -> int:
    """Remind the invitees of `request` who have not submitted."""
    submitted = Submission.objects.filter(
        request_id=OuterRef("request_id"),
        membership_id=OuterRef("membership_id"),
        status=SubmissionStatus.SUBMITTED,
    )
    users = list(
        User.objects.filter(
            is_active=True,
            member__memberships__in=Invitee.objects.filter(request=request)
            .exclude(Exists(submitted))
            .values("membership_id"),
        )
        .distinct()
        .order_by("id")
    )
    return notices.due_reminder(request=request, users=users)


def reminders_run(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or clock.today()
    window_end = today + dt.timedelta(days=remind_days())
    sent = 0
    for request in TextRequest.objects.filter(
        status=RequestStatus.OPEN, due_date__gte=today, due_date__lte=window_end
    ).select_related("committee"):
        sent += remind_request(request=request)
    return {"due": sent, "reading": reading_reminders_run(today=today)}


def reading_quiet_days() -> int:
    return int(getattr(settings, "STUDY_READING_QUIET_DAYS", READING_QUIET_DAYS))


@transaction.atomic
def remind_readers(*, book: ReadingBook, today: dt.date) -> int:
    """Remind the members of the book's group who have not checked in for it lately."""
    since = today - dt.timedelta(days=reading_quiet_days())
    recent = ReadingCheckin.objects.filter(
        book=book, membership_id=OuterRef("membership_id"), day__gt=since
    )
    quiet = ReadingGroupMember.objects.filter(group_id=book.group_id).exclude(Exists(recent))
    users = list(
        User.objects.filter(is_active=True, member__memberships__in=quiet.values("membership_id"))
        .distinct()
        .order_by("id")
    )
    year, week, _day = today.isocalendar()
    return notices.reading_reminder(book=book, users=users, week=f"{year}-{week:02d}")


def reading_reminders_run(*, today: dt.date) -> int:
    started_before = today - dt.timedelta(days=reading_quiet_days())
    sent = 0
    for book in ReadingBook.objects.filter(
        group__is_active=True, starts_on__lte=started_before, ends_on__gte=today
    ).select_related("group__committee"):
        sent += remind_readers(book=book, today=today)
    return sent
