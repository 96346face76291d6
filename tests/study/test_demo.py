"""The demo seeder on the real demo committee (organisation, account and member seeders first):
a closed request with eight submitted 心得体会 compiled into 第1期, an open request with texts
still due; a second run creates nothing."""

from __future__ import annotations

import pytest

from apps.consultations.models import Invitation
from apps.core.demo import DemoRun
from apps.core.registry import registry
from apps.study.models import (
    Compilation,
    CompilationEntry,
    ReadingBook,
    ReadingCheckin,
    ReadingGroup,
    ReadingSharing,
    RequestStatus,
    StudyPlanItem,
    Submission,
    TextRequest,
)
from apps.study.selectors import member_due_count

pytestmark = pytest.mark.django_db


def _run(*names: str) -> DemoRun:
    run = DemoRun()
    for name in names:
        registry.demo_seeders[name].seed(run)
    return run


def test_demo_requests_texts_and_compilation_seeded_once():
    from django.core.management import call_command

    from apps.accounts.models import User

    call_command("seed_roles", verbosity=0)
    _run("organisation", "accounts", "members")
    _run("study")  # how fast: bench/, not a timing assert here

    closed = TextRequest.objects.get(status=RequestStatus.CLOSED, title__contains="培训班")
    texts = Submission.objects.filter(request=closed, status="submitted")
    assert texts.count() == 8
    assert all(len(text.body) >= 200 for text in texts)
    seminar_request = TextRequest.objects.get(status=RequestStatus.CLOSED, kind="discussion")
    speeches = Submission.objects.filter(request=seminar_request, status="submitted")
    assert speeches.count() == 10 and len({s.membership_id for s in speeches}) == 10
    assert all(len(text.body) >= 180 for text in speeches)
    # Two volumes from about twenty texts: the seminar's speeches (第1期), then the course's
    # reflections (第2期), both issued to 学习园地.
    seminar, compilation = Compilation.objects.order_by("number")
    assert (seminar.number, compilation.number) == (1, 2)
    assert seminar.title == "学习贯彻全国两会精神专题研讨发言材料汇编"
    assert CompilationEntry.objects.filter(compilation=seminar).count() == 10
    assert seminar.published_at is not None and compilation.published_at is not None
    assert Submission.objects.filter(article_published_at__isnull=False).count() == 1
    assert CompilationEntry.objects.filter(compilation=compilation).count() == 8

    still_open = TextRequest.objects.get(status=RequestStatus.OPEN)
    assert Submission.objects.filter(request=still_open, status="submitted").count() == 2
    assert still_open.invitees.count() > 2
    persona = User.objects.get(username="weiyuan")
    assert member_due_count(user=persona)[0] == 1
    group = ReadingGroup.objects.get()
    assert group.convener.member.user == persona
    # A year of reading: a book a month (twelve), check-ins spread over the year.
    assert ReadingBook.objects.filter(group=group).count() == 12
    checkins = ReadingCheckin.objects.filter(group=group).count()
    assert checkins >= 200
    days = ReadingCheckin.objects.filter(group=group).values_list("day", flat=True)
    assert (max(days) - min(days)).days >= 330
    # The month's 读书分享会, run as a published course with the group's members invited.
    sharing = ReadingSharing.objects.get(group=group)
    assert sharing.course.status == "published" and sharing.course.kind == "sharing"
    invited = set(
        Invitation.objects.filter(meeting=sharing.meeting).values_list("membership_id", flat=True)
    )
    assert invited == set(group.members.values_list("membership_id", flat=True))

    _run("study")
    assert TextRequest.objects.count() == 3
    assert Submission.objects.count() == 20
    assert Compilation.objects.count() == 2
    assert ReadingGroup.objects.count() == 1
    assert ReadingCheckin.objects.count() == checkins
    assert ReadingSharing.objects.count() == 1
    assert StudyPlanItem.objects.count() == 5
