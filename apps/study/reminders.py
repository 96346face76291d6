"""The due-date reminder, run daily by `run_study_reminders`: invitees of an open request who
have not submitted are reminded REMIND_DAYS days (default 3) before its due date and on any later
day up to it if the job missed that day — once each: the key carries the due date, so running
twice or two workers at once sends nothing twice, and a request whose due date moves reminds
again for the new date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from apps.accounts.models import User
from apps.core import clock

from . import notices
from .models import Invitee, RequestStatus, Submission, SubmissionStatus, TextRequest

REMIND_DAYS = 3


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
    return {"due": sent}
