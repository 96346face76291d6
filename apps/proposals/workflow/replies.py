"""Replies (答复): the unit answers, the office approves (released to the proposers) or rejects;
the proposal is 已办复 once every answering unit's reply of the round is approved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.errors import Conflict, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update
from apps.core.uploads import check_attachment
from apps.core.workdays import add_working_days

from .. import notices
from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentStatus,
    Evaluation,
    Proposal,
    Reply,
    ReplyReview,
    ResultClass,
)
from ..selectors.config import proposal_settings_for
from ..selectors.proposals import proposal_raters
from .actions import ASSIGNMENT, PROPOSAL
from .common import lock_assignment, lock_proposal, lock_reply

OFFICE = Role.PROPOSAL_OFFICE.value
UNIT = Role.HANDLING_UNIT.value


@transaction.atomic
def assignment_submit_reply(
    *,
    user: User,
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
    settings = proposal_settings_for(assignment.committee)
    proposal = Proposal.objects.only("id", "handling_round", "number_label", "title").get(
        pk=assignment.proposal_id
    )
    created: list[Reply] = []

    def check() -> None:
        refuse_control_characters({"text": (_("答复内容"), text)})
        errors: dict[str, str] = {}
        if not text.strip():
            errors["text"] = _("请填写答复内容。")
        if result_class not in ResultClass.values:
            errors["result_class"] = _("请选择办理结果（A、B、C类）。")
        if letter is None and settings.reply_letter_required:
            errors["letter"] = _("请上传盖章的答复函。")
        if errors:
            raise ValidationFailed(
                _("答复内容不完整：%(problems)s") % {"problems": "；".join(errors.values())},
                extra={"errors": errors},
            )

    def fields() -> dict[str, Any]:
        reply = Reply(
            assignment=assignment,
            round=proposal.handling_round,
            text=text.strip(),
            result_class=result_class,
            submitted_by=user,
            submitted_at=clock.now(),
        )
        if letter is not None:
            checked = check_attachment(letter, settings)
            reply.letter.save(checked.name, letter, save=False)
            reply.letter_name = checked.name
        reply.save()
        created.append(reply)
        return {}

    moved = ASSIGNMENT.step(
        assignment,
        "submit_reply",
        actor=user,
        role=UNIT,
        check=check,
        fields=fields,
        data=lambda: {"result_class": result_class, "round": created[0].round},
        notify=lambda a: notices.send(
            recipients=notices.office_users(a.committee_id),
            key=f"reply:{created[0].pk}:review",
            title=_("答复待审核：%(number)s（%(unit)s）")
            % {"number": proposal.number_label, "unit": a.handling_unit.name},
            url=notices.proposal_url(proposal.pk),
            committee=a.committee,
        ),
    )
    if not moved:
        existing = assignment.replies.order_by("-id").first()
        assert existing is not None
        return existing
    return created[0]


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


def _review(reply: Reply, user: User, status: str, **extra: Any) -> None:
    model_update(
        instance=reply,
        data={
            "review_status": status,
            "reviewed_by_id": user.pk,
            "reviewed_at": clock.now(),
            **extra,
        },
        validate=False,
    )


@transaction.atomic
def reply_approve(*, user: User, reply_id: int) -> Reply:
    """通过: release a reply to the proposers (答复 待审核 → 已通过; the unit's part 已办复).
    Who: the proposal office. When every answering unit's reply of the round is approved the
    proposal becomes 已办复, the rating window opens and each rater is told."""
    proposal, assignment, reply = _lock_for_reply(reply_id)
    ASSIGNMENT.require(user, assignment, "approve_reply")  # the office of its committee
    if reply.review_status == ReplyReview.APPROVED:
        return reply
    if reply.review_status == ReplyReview.REJECTED:
        raise Conflict(_("该答复已被驳回，请审核承办单位重新提交的答复。"))
    moved = ASSIGNMENT.step(
        assignment,
        "approve_reply",
        actor=user,
        role=OFFICE,
        fields=lambda: {"completed_at": clock.now()},
        data={"reply": reply.pk},
    )
    if moved:
        _review(reply, user, ReplyReview.APPROVED)
        complete_handling_if_done(user=user, proposal=proposal)
    return reply


@transaction.atomic
def reply_reject(*, user: User, reply_id: int, reason: str) -> Reply:
    """驳回: send a reply back to the unit with a reason (答复 → 已驳回; the unit's part back to
    已签收 to answer again). Who: the proposal office. The unit's users are told."""
    proposal, assignment, reply = _lock_for_reply(reply_id)
    ASSIGNMENT.require(user, assignment, "reject_reply")
    if reply.review_status == ReplyReview.REJECTED:
        return reply
    if reply.review_status == ReplyReview.APPROVED:
        raise Conflict(_("该答复已审核通过并送达提案人，不能再驳回。"))

    def check() -> None:
        if not reason.strip():
            message = _("请填写驳回理由。")
            raise ValidationFailed(message, extra={"errors": {"reason": message}})

    moved = ASSIGNMENT.step(
        assignment,
        "reject_reply",
        actor=user,
        role=OFFICE,
        check=check,
        data={"reason": reason.strip()},
        notify=lambda a: notices.send(
            recipients=notices.unit_users(a.handling_unit_id),
            key=f"reply:{reply.pk}:rejected",
            title=_("答复被驳回，请修改后重新提交：%(number)s") % {"number": proposal.number_label},
            body=reason.strip(),
            url=notices.assignment_url(a.pk),
            committee=proposal.committee,
        ),
    )
    if moved:
        _review(reply, user, ReplyReview.REJECTED, review_reason=reason.strip()[:300])
    return reply


def complete_handling_if_done(*, user: User | None, proposal: Proposal) -> bool:
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
    if proposal.status not in PROPOSAL.transitions["complete_handling"].sources:
        return False

    def fields() -> dict[str, Any]:
        settings = proposal_settings_for(proposal.committee)
        now = clock.now()
        return {
            "replied_at": now,
            "rating_due": add_working_days(timezone.localdate(now), settings.rating_working_days),
        }

    return PROPOSAL.system_step(
        proposal,
        "complete_handling",
        actor=user,
        fields=fields,
        data=lambda: {"round": proposal.handling_round},
        notify=lambda p: notify_raters(proposal=p),
    )


def notify_raters(*, proposal: Proposal) -> int:
    """Tell every rater who has not rated the current round yet that the reply is in and a
    rating is due (once per rater and round; safe to call again)."""
    rated = set(
        Evaluation.objects.filter(proposal=proposal, round=proposal.handling_round).values_list(
            "rater_id", flat=True
        )
    )
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
            title=_("提案已办复，请评价办理情况：%(number)s") % {"number": proposal.number_label},
            body=_("%(title)s\n请于%(due)s前对办理过程和办理结果作出评价。")
            % {"title": proposal.title, "due": due},
            url=notices.proposal_url(rater.source_proposal_id),
            committee=proposal.committee,
            per_recipient=False,
        )
    return count
