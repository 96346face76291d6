"""The state machines against an oracle written out here, and every verb's refusals: an
illegal or refused step raises a clear error and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.core.errors import Conflict, NotFound, ValidationFailed
from apps.core.models import AuditEvent
from apps.study import services, workflow
from apps.study.models import Submission, SubmissionStatus

from .conftest import DUE, NOW, at

pytestmark = pytest.mark.django_db

# (machine, state, verb) → the state after, or "conflict". Written independently of the table.
EXPECTED = [
    ("request", "open", "close", "closed"),
    ("request", "closed", "close", "closed"),  # already there: a harmless no-op
    ("submission", "draft", "submit", "submitted"),
    ("submission", "submitted", "submit", "submitted"),  # no-op
]


def test_transition_tables_match_the_oracle():
    rows = set()
    for machine, table in (
        ("request", workflow.REQUEST_TRANSITIONS),
        ("submission", workflow.SUBMISSION_TRANSITIONS),
    ):
        labels = workflow.REQUEST.labels if machine == "request" else workflow.SUBMISSION.labels
        for state in labels:
            for verb, step in table.items():
                if state == step.target:
                    rows.add((machine, state, verb, state))
                elif state in step.sources:
                    rows.add((machine, state, verb, step.target))
                else:
                    rows.add((machine, state, verb, "conflict"))
    assert rows == set(EXPECTED)


@pytest.mark.parametrize(("start", "expected"), [("open", "closed"), ("closed", "closed")])
def test_request_close(build, member_user, liaison_user, start, expected):
    request = build.request(member_user)
    if start == "closed":
        workflow.request_close(user=liaison_user, request_id=request.pk)
    events = AuditEvent.objects.filter(verb="study_request_close").count()
    workflow.request_close(user=liaison_user, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == expected
    assert AuditEvent.objects.filter(verb="study_request_close").count() == (
        1 if start == "open" else events
    )


@pytest.mark.parametrize(
    ("start", "expected"), [("draft", "submitted"), ("submitted", "submitted")]
)
def test_submission_submit(build, member_user, start, expected):
    request = build.request(member_user)
    submission = services.submission_save_draft(
        user=member_user, request_id=request.pk, title="标题", body="正文内容"
    )
    if start == "submitted":
        workflow.submission_submit(user=member_user, submission_id=submission.pk)
    first = Submission.objects.get(pk=submission.pk).submitted_at
    workflow.submission_submit(user=member_user, submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.status == expected
    if start == "submitted":
        assert submission.submitted_at == first
    assert submission.keyword_vector  # stored for the duplicate check


def test_submit_refused_after_the_due_date(build, member_user):
    request = build.request(member_user)
    submission = services.submission_save_draft(
        user=member_user, request_id=request.pk, title="标题", body="正文"
    )
    with at(NOW + (DUE - NOW.date()) + dt.timedelta(days=1)):
        with pytest.raises(Conflict, match="已过截止日期"):
            workflow.submission_submit(user=member_user, submission_id=submission.pk)
        with pytest.raises(Conflict, match="已过截止日期"):
            services.submission_save_draft(
                user=member_user, request_id=request.pk, title="改", body="改"
            )
    submission.refresh_from_db()
    assert (submission.status, submission.title) == (SubmissionStatus.DRAFT, "标题")


def test_submit_refused_when_closed(build, member_user, liaison_user):
    request = build.request(member_user)
    submission = services.submission_save_draft(
        user=member_user, request_id=request.pk, title="标题", body="正文"
    )
    workflow.request_close(user=liaison_user, request_id=request.pk)
    with pytest.raises(Conflict, match="已截止"):
        workflow.submission_submit(user=member_user, submission_id=submission.pk)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


@pytest.mark.parametrize(("title", "body"), [("", "正文"), ("标题", "  \n ")])
def test_empty_text_refused(build, member_user, title, body):
    request = build.request(member_user)
    submission = services.submission_save_draft(
        user=member_user, request_id=request.pk, title=title, body=body
    )
    with pytest.raises(ValidationFailed):
        workflow.submission_submit(user=member_user, submission_id=submission.pk)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


def test_submitted_text_no_longer_changes(build, member_user):
    request = build.request(member_user)
    build.submitted(request, member_user)
    with pytest.raises(Conflict):
        services.submission_save_draft(
            user=member_user, request_id=request.pk, title="改", body="改"
        )
    assert Submission.objects.get(request=request).body.startswith("通过参加")


def test_one_text_per_member_per_request(build, member_user):
    request = build.request(member_user)
    services.submission_save_draft(user=member_user, request_id=request.pk, title="一", body="一")
    services.submission_save_draft(user=member_user, request_id=request.pk, title="二", body="二")
    assert Submission.objects.filter(request=request).count() == 1
    assert Submission.objects.get(request=request).title == "二"


def test_only_the_author_submits(build, member_user, other_member_user):
    request = build.request(member_user, other_member_user)
    submission = services.submission_save_draft(
        user=member_user, request_id=request.pk, title="标题", body="正文"
    )
    with pytest.raises(NotFound):
        workflow.submission_submit(user=other_member_user, submission_id=submission.pk)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


def test_staff_edit_keeps_the_original(build, member_user, liaison_user):
    request = build.request(member_user)
    submission = build.submitted(request, member_user)
    services.submission_edit(
        user=liaison_user, submission_id=submission.pk, edited_title="新标题", edited_body="新正文"
    )
    submission.refresh_from_db()
    assert submission.title == "把握性质定位　提升履职本领"
    assert submission.body.startswith("通过参加")
    assert (submission.edited_title, submission.edited_body) == ("新标题", "新正文")
    assert submission.edited_by == liaison_user and submission.edited_at is not None
    assert AuditEvent.objects.filter(verb="study_submission_edit").count() == 1


def test_compilation_numbers_run_per_year(build, liaison_user):
    first = services.compilation_create(user=liaison_user, title="一")
    second = services.compilation_create(user=liaison_user, title="二")
    other_year = services.compilation_create(user=liaison_user, title="三", year=2025)
    assert (first.number, second.number, other_year.number) == (1, 2, 1)


def test_compilation_takes_only_submitted_texts_of_the_committee(
    build, member_user, other_member_user, liaison_user
):
    request = build.request(member_user, other_member_user)
    done = build.submitted(request, member_user)
    draft = services.submission_save_draft(
        user=other_member_user, request_id=request.pk, title="草稿", body="草稿"
    )
    compilation = services.compilation_create(user=liaison_user, title="汇编")
    with pytest.raises(ValidationFailed):
        services.compilation_set_entries(
            user=liaison_user, compilation_id=compilation.pk, submission_ids=[done.pk, draft.pk]
        )
    assert not compilation.entries.exists()
    with pytest.raises(ValidationFailed):
        services.compilation_set_entries(
            user=liaison_user, compilation_id=compilation.pk, submission_ids=[done.pk, done.pk]
        )
    services.compilation_set_entries(
        user=liaison_user, compilation_id=compilation.pk, submission_ids=[done.pk]
    )
    assert list(compilation.entries.values_list("submission_id", "position")) == [(done.pk, 1)]
