"""The demo seeder: a year's plan, about 40 meetings in every state with attendance, leave and
outcomes, an online consultation with comments in every moderation state, the three study courses; a
second run adds nothing."""

from __future__ import annotations

import pytest

from apps.consultations.demo import seed
from apps.consultations.models import (
    AnnualPlan,
    Comment,
    Course,
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
    assert 35 <= Meeting.objects.filter(course_session__isnull=True).count() <= 45
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
    # The courses: the new members' course finished with four sessions held and attendance
    # settled, a reading course announced, a seminar still in preparation.
    courses = {c.title: c for c in Course.objects.all()}
    training = courses["本届新任委员履职能力培训班"]
    assert (training.status, training.kind, training.sessions.count()) == (
        "finished",
        "training",
        4,
    )
    held = Meeting.objects.filter(course_session__course=training)
    assert set(held.values_list("status", flat=True)) == {"ended"}
    assert set(held.values_list("form__kind", flat=True)) == {"study"}
    settled = Invitation.objects.filter(meeting__in=held).exclude(attendance="")
    assert {"present", "leave"} <= set(settled.values_list("attendance", flat=True))
    assert courses["学习贯彻全会精神专题读书班"].status == "published"
    assert set(
        Meeting.objects.filter(
            course_session__course=courses["学习贯彻全会精神专题读书班"]
        ).values_list("status", flat=True)
    ) == {"noticed"}
    assert courses["政协委员履职能力提升研讨班"].status == "draft"
    counts = (
        Meeting.objects.count(),
        Comment.objects.count(),
        Invitation.objects.count(),
        Course.objects.count(),
    )
    seed(DemoRun())
    assert (
        Meeting.objects.count(),
        Comment.objects.count(),
        Invitation.objects.count(),
        Course.objects.count(),
    ) == counts
