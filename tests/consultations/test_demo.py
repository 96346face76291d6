"""The demo seeder: a year's plan, about 40 meetings in every state with attendance, leave and
outcomes, an online consultation with comments in every moderation state; a second run adds
nothing."""

from __future__ import annotations

import pytest

from apps.consultations.demo import seed
from apps.consultations.models import (
    AnnualPlan,
    Comment,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingStatus,
    Outcome,
)
from apps.core.demo import DemoRun
from apps.core.registry import registry

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_state_once():
    run = DemoRun()
    for seeder in registry.seeders():
        if seeder.name in ("organisation", "accounts", "members"):
            seeder.seed(run)
    seed(run)
    assert AnnualPlan.objects.get().status == "published"
    assert AnnualPlan.objects.get().topics.count() == 12
    states = set(Meeting.objects.values_list("status", flat=True))
    assert states == set(MeetingStatus.values)
    assert 35 <= Meeting.objects.count() <= 45
    assert Invitation.objects.exclude(attendance="").exists()
    assert set(Invitation.objects.exclude(attendance="").values_list("attendance", flat=True)) >= {
        "present",
        "absent",
        "late",
    }
    assert LeaveRequest.objects.filter(status="approved").exists()
    assert LeaveRequest.objects.filter(status="pending").exists()
    assert Outcome.objects.filter(follow_status="closed").exists()
    assert set(Comment.objects.values_list("status", flat=True)) == {
        "pending",
        "approved",
        "rejected",
        "hidden",
    }
    counts = (Meeting.objects.count(), Comment.objects.count(), Invitation.objects.count())
    seed(DemoRun())
    assert (Meeting.objects.count(), Comment.objects.count(), Invitation.objects.count()) == counts
