"""The two small state machines of the app, on the shared skeleton (apps.core.workflow):

- a request: 征集中 → 已截止 (staff close it; also closed by nobody automatically — after the due
  date members can no longer write, whatever the status says);
- a text: 草稿 → 已提交 (its author, while the request is open and not past its due date, with a
  title and a body).

One public function per verb: lock the row, run the step (permission, no-op, table, guards,
save, audit, notices). `request_actions_for` / `submission_actions_for` say what a user may do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import Conflict, NotFound, ValidationFailed
from apps.core.workflow import Actions, Transition, Workflow, transition

from .models import RequestStatus, Submission, SubmissionStatus, TextRequest
from .permissions import MEMBER, OFFICE, is_author, may_manage_request
from .text_index import submission_text_index_refresh

REQUEST_TRANSITIONS: Mapping[str, Transition] = {
    "close": transition(gettext_lazy("截止征集"), {RequestStatus.OPEN}, RequestStatus.CLOSED),
}
SUBMISSION_TRANSITIONS: Mapping[str, Transition] = {
    "submit": transition(
        gettext_lazy("提交"), {SubmissionStatus.DRAFT}, SubmissionStatus.SUBMITTED
    ),
}

REQUEST: Workflow[TextRequest] = Workflow(
    name="study_request",
    noun=gettext_lazy("学习材料征集"),
    labels=dict(RequestStatus.choices),
    transitions=REQUEST_TRANSITIONS,
)
SUBMISSION: Workflow[Submission] = Workflow(
    name="study_submission",
    noun=gettext_lazy("学习材料"),
    labels=dict(SubmissionStatus.choices),
    transitions=SUBMISSION_TRANSITIONS,
)


def request_accepting(request: TextRequest) -> None:
    """Texts may still be written and submitted: open and not past the due date."""
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("该征集已截止，不能再提交或修改。"))
    day = request.due_date
    if clock.today() > day:
        raise Conflict(
            _("已过截止日期（%(day)s），不能再提交或修改。")
            % {"day": f"{day.year}年{day.month}月{day.day}日"}
        )


def _accepting(user: Any, submission: Submission) -> None:
    request_accepting(submission.request)


def _text_complete(user: Any, submission: Submission) -> None:
    if not submission.title.strip():
        raise ValidationFailed(
            _("请填写标题后再提交。"), extra={"errors": {"title": _("请填写标题。")}}
        )
    if not submission.body.strip():
        raise ValidationFailed(
            _("正文为空，请撰写后再提交。"), extra={"errors": {"body": _("请填写正文。")}}
        )


REQUEST.action(
    "close",
    transition="close",
    allowed=lambda user, request: may_manage_request(user, request),
)
SUBMISSION.action(
    "submit",
    transition="submit",
    allowed=lambda user, submission: is_author(user, submission),
    guards=(_accepting, _text_complete),
)
SUBMISSION.action(
    "write",
    label=gettext_lazy("撰写"),
    allowed=lambda user, submission: is_author(user, submission),
    states={SubmissionStatus.DRAFT},
    guards=(_accepting,),
)


def request_actions_for(user: Any, request: TextRequest) -> Actions:
    return REQUEST.actions_for(user, request)


def submission_actions_for(user: Any, submission: Submission) -> Actions:
    return SUBMISSION.actions_for(user, submission)


def lock_request(request_id: int) -> TextRequest:
    request = (
        TextRequest.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("未找到该学习材料征集，或您无权查看。"))
    return request


def lock_submission(submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("request", "committee", "membership__member")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise NotFound(_("未找到该学习材料，或您无权查看。"))
    return submission


@transaction.atomic
def request_close(*, user: User, request_id: int) -> TextRequest:
    """Close a request (征集中 → 已截止). Who: 委员联络处 of its committee. Members can no
    longer write or submit; drafts stay as they are."""
    request = lock_request(request_id)
    if not may_manage_request(user, request):
        raise NotFound(_("未找到该学习材料征集，或您无权查看。"))
    REQUEST.step(
        request, "close", actor=user, role=OFFICE, fields=lambda: {"closed_at": clock.now()}
    )
    return request


@transaction.atomic
def submission_submit(*, user: User, submission_id: int) -> Submission:
    """Submit a text (草稿 → 已提交). Who: its author, while the request is open and not past
    its due date; title and body must not be empty. Its keyword vector is stored for the
    editor's near-duplicate check."""
    submission = lock_submission(submission_id)
    if not is_author(user, submission):
        raise NotFound(_("未找到该学习材料，或您无权查看。"))
    SUBMISSION.step(
        submission,
        "submit",
        actor=user,
        role=MEMBER,
        fields=lambda: {"submitted_at": clock.now()},
        notify=lambda s: submission_text_index_refresh(submission=s),
    )
    return submission
