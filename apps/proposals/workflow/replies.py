"""Replies (答复): the unit answers, the office approves (released to the proposers) or rejects;
the proposal is 已办复 once every answering unit's reply of the round is approved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.errors import Conflict, ValidationFailed
from apps.core.workdays import add_working_days

from .. import clock, notices
from ..files import check_upload
from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    ResultClass,
)
from ..permissions import can_handle, can_review
from ..selectors.config import proposal_settings_for
from ..selectors.proposals import proposal_raters
from .common import (
    assignment_step,
    lock_assignment,
    lock_proposal,
    lock_reply,
    record,
    require,
    save_changed,
)
from .table import assignment_transition_needed, proposal_transition_needed

OFFICE = Role.PROPOSAL_OFFICE.value
UNIT = Role.HANDLING_UNIT.value
SYSTEM = "system"

R = AssignmentRole


@transaction.atomic
def assignment_submit_reply(
    *,
    user: Any,
    assignment_id: int,
    text: str,
    result_class: str,
    letter: Any = None,
) -> Reply:
    """The unit's answer (答复) for the current round (已签收 → 已答复（待审核）): text, the signed
    reply letter as a file (required unless the committee turned that off) and the result class
    A / B / C. Who: users of a 单办, 分办 or 主办 unit. The office reviews it before the proposer
    sees it."""
    assignment = lock_assignment(assignment_id)
    require(can_handle(user, assignment))
    if assignment.role not in ANSWERING_ROLES:
        raise Conflict("会办单位不直接答复提案人，请向主办单位提交会办意见。")
    if not assignment_transition_needed("submit_reply", assignment.status):
        existing = assignment.replies.order_by("-id").first()
        assert existing is not None
        return existing
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "请填写答复内容。"
    if result_class not in ResultClass.values:
        errors["result_class"] = "请选择办理结果（A、B、C类）。"
    settings = proposal_settings_for(assignment.committee)
    if letter is None and settings.reply_letter_required:
        errors["letter"] = "请上传盖章的答复函。"
    if errors:
        raise ValidationFailed(
            "答复内容不完整：" + "；".join(errors.values()), extra={"errors": errors}
        )
    proposal = Proposal.objects.only("id", "handling_round", "number_label", "title").get(
        pk=assignment.proposal_id
    )
    reply = Reply(
        assignment=assignment,
        round=proposal.handling_round,
        text=text.strip(),
        result_class=result_class,
        submitted_by=user,
        submitted_at=clock.now(),
    )
    if letter is not None:
        checked = check_upload(letter, settings)
        reply.letter.save(checked.name, letter, save=False)
        reply.letter_name = checked.name
    reply.save()
    assignment_step(
        user=user,
        assignment=assignment,
        verb="submit_reply",
        role=UNIT,
        fields={"status": AssignmentStatus.REPLY_SUBMITTED},
        result_class=result_class,
        round=reply.round,
    )
    notices.send(
        recipients=notices.office_users(assignment.committee_id),
        key=f"reply:{reply.pk}:review",
        title=f"答复待审核：{proposal.number_label}（{assignment.handling_unit.name}）",
        url=notices.proposal_url(proposal.pk),
        committee=assignment.committee,
    )
    return reply


def _lock_for_reply(reply_id: int) -> tuple[Proposal, Assignment, Reply]:
    """Lock proposal, assignment and reply, always in that order (no deadlocks)."""
    ids = (
        Reply.objects.filter(pk=reply_id)
        .values_list("assignment_id", "assignment__proposal_id")
        .first()
    )
    if ids is None:
        lock_reply(reply_id)  # raises NotFound
        raise AssertionError
    assignment_id, proposal_id = ids
    proposal = lock_proposal(proposal_id)
    assignment = lock_assignment(assignment_id)
    return proposal, assignment, lock_reply(reply_id)


@transaction.atomic
def reply_approve(*, user: Any, reply_id: int) -> Reply:
    """通过: release a reply to the proposers (答复 待审核 → 已通过; the unit's part 已办复).
    Who: the proposal office. When every answering unit's reply of the round is approved the
    proposal becomes 已办复, the rating window opens and each rater is told."""
    proposal, assignment, reply = _lock_for_reply(reply_id)
    require(can_review(user, proposal))
    if reply.review_status == ReplyReview.APPROVED:
        return reply
    if reply.review_status == ReplyReview.REJECTED:
        raise Conflict("该答复已被驳回，请审核承办单位重新提交的答复。")
    if not assignment_transition_needed("approve_reply", assignment.status):
        return reply
    now = clock.now()
    save_changed(
        reply,
        {"review_status": ReplyReview.APPROVED, "reviewed_by_id": user.pk, "reviewed_at": now},
    )
    assignment_step(
        user=user,
        assignment=assignment,
        verb="approve_reply",
        role=OFFICE,
        fields={"status": AssignmentStatus.REPLIED, "completed_at": now},
        reply=reply.pk,
    )
    complete_handling_if_done(user=user, proposal=proposal)
    return reply


@transaction.atomic
def reply_reject(*, user: Any, reply_id: int, reason: str) -> Reply:
    """驳回: send a reply back to the unit with a reason (答复 → 已驳回; the unit's part back to
    已签收 to answer again). Who: the proposal office. The unit's users are told."""
    proposal, assignment, reply = _lock_for_reply(reply_id)
    require(can_review(user, proposal))
    if reply.review_status == ReplyReview.REJECTED:
        return reply
    if reply.review_status == ReplyReview.APPROVED:
        raise Conflict("该答复已审核通过并送达提案人，不能再驳回。")
    if not reason.strip():
        raise ValidationFailed("请填写驳回理由。")
    if not assignment_transition_needed("reject_reply", assignment.status):
        return reply
    save_changed(
        reply,
        {
            "review_status": ReplyReview.REJECTED,
            "review_reason": reason.strip()[:300],
            "reviewed_by_id": user.pk,
            "reviewed_at": clock.now(),
        },
    )
    assignment_step(
        user=user,
        assignment=assignment,
        verb="reject_reply",
        role=OFFICE,
        fields={"status": AssignmentStatus.RECEIVED},
        reason=reason.strip(),
    )
    notices.send(
        recipients=notices.unit_users(assignment.handling_unit_id),
        key=f"reply:{reply.pk}:rejected",
        title=f"答复被驳回，请修改后重新提交：{proposal.number_label}",
        body=reason.strip(),
        url=notices.assignment_url(assignment.pk),
        committee=proposal.committee,
    )
    return reply


def complete_handling_if_done(*, user: Any, proposal: Proposal) -> bool:
    """System step 办复 (已交办 / 重新办理 → 已办复) once every answering unit still on the
    proposal has an approved reply for the round. Opens the rating window (default 15 working
    days) and tells each rater. `proposal` must be locked by the caller. Returns True if moved."""
    statuses = list(
        Assignment.objects.filter(proposal=proposal, role__in=ANSWERING_ROLES)
        .exclude(status=AssignmentStatus.RETURNED)
        .values_list("status", flat=True)
    )
    if not statuses or any(status != AssignmentStatus.REPLIED for status in statuses):
        return False
    if proposal.status not in (ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING):
        return False
    proposal_transition_needed("complete_handling", proposal.status)
    settings = proposal_settings_for(proposal.committee)
    now = clock.now()
    previous = proposal.status
    save_changed(
        proposal,
        {
            "status": ProposalStatus.REPLIED,
            "replied_at": now,
            "rating_due": add_working_days(timezone.localdate(now), settings.rating_working_days),
        },
    )
    record(
        verb="proposal_complete_handling",
        actor=user,
        obj=proposal,
        role=SYSTEM,
        from_state=previous,
        to_state=proposal.status,
        round=proposal.handling_round,
    )
    notify_raters(proposal=proposal)
    return True


def notify_raters(*, proposal: Proposal) -> int:
    """Tell every rater who has not rated the current round yet that the reply is in and a
    rating is due (once per rater and round; safe to call again)."""
    from ..models import Evaluation

    rated = set(
        Evaluation.objects.filter(proposal=proposal, round=proposal.handling_round).values_list(
            "rater_id", flat=True
        )
    )
    from apps.accounts.models import User

    raters = [r for r in proposal_raters(proposal=proposal) if r.user_id not in rated]
    users = {u.pk: u for u in User.objects.filter(pk__in=[r.user_id for r in raters])}
    count = 0
    for rater in raters:
        user = users.get(rater.user_id)
        if user is None:
            continue
        due = f"{proposal.rating_due:%Y年%m月%d日}" if proposal.rating_due else ""
        count += notices.send(
            recipients=[user],
            key=f"proposal:{proposal.pk}:rating:{proposal.handling_round}:{user.pk}",
            title=f"提案已办复，请评价办理情况：{proposal.number_label}",
            body=f"{proposal.title}\n请于{due}前对办理过程和办理结果作出评价。",
            url=notices.proposal_url(rater.source_proposal_id),
            committee=proposal.committee,
            per_recipient=False,
        )
    return count
