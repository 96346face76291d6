"""Guards: the conditions, beyond permission and state, under which an action is possible now.

Each takes (user, object) and raises a DomainError with the reason when the action cannot be
taken at the moment. The verbs run them (through apps.core.workflow.Workflow) and
`proposal_actions_for` / `assignment_actions_for` run the same functions to show a button as
available, or blocked with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.errors import Conflict, ValidationFailed
from apps.core.text import count_chars

from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentRole,
    Cosigner,
    CosignerStatus,
    ExcellentStatus,
    ExtensionStatus,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalSettings,
    ProposalStatus,
)
from ..selectors.config import proposal_settings_for

# Proposals --------------------------------------------------------------------------------


def submission_complete(user: Any, proposal: Proposal) -> None:
    """The text is complete and within the committee's limits: a title, both body parts, an
    active category, the collective signature for a collective proposal. ValidationFailed
    names each problem in extra["errors"]."""
    settings = proposal_settings_for(proposal.committee)
    errors: dict[str, str] = {}
    title_chars = count_chars(proposal.title)
    if title_chars == 0:
        errors["title"] = _("请填写案由。")
    elif title_chars > settings.title_max_chars:
        errors["title"] = _("案由不能超过%(limit)d字（现为%(count)d字）。") % {
            "limit": settings.title_max_chars,
            "count": title_chars,
        }
    if not proposal.grounds.strip():
        errors["grounds"] = _("请填写情况与分析。")
    if not proposal.suggestions.strip():
        errors["suggestions"] = _("请填写具体建议。")
    body_chars = count_chars(proposal.grounds) + count_chars(proposal.suggestions)
    if body_chars > settings.body_max_chars:
        errors["body"] = _(
            "正文（情况与分析、具体建议合计）不能超过%(limit)d字，现为%(count)d字；"
            "更多材料请作为附件上传。"
        ) % {"limit": settings.body_max_chars, "count": body_chars}
    if proposal.category_id is None:
        errors["category"] = _("请选择提案类别。")
    elif not ProposalCategory.objects.filter(
        pk=proposal.category_id, committee_id=proposal.committee_id, is_active=True
    ).exists():
        errors["category"] = _("所选类别已停用，请重新选择。")
    if proposal.kind == ProposalKind.COLLECTIVE and not (
        proposal.collective_sponsor and proposal.collective_in_name_of.strip()
    ):
        errors["collective_in_name_of"] = _(
            "集体提案须注明以哪个党派、团体、界别或专委会名义提出。"
        )
    if errors:
        raise ValidationFailed(
            _("提案内容不完整或超出字数限制：%(problems)s")
            % {"problems": "；".join(errors.values())},
            extra={"errors": errors, "body_chars": body_chars},
        )


def cosigners_answered(user: Any, proposal: Proposal) -> None:
    """A joint proposal is submitted once every invitation is answered (or withdrawn) and at
    least one co-signer confirmed."""
    if proposal.kind != ProposalKind.JOINT:
        return
    statuses = set(Cosigner.objects.filter(proposal=proposal).values_list("status", flat=True))
    if CosignerStatus.INVITED in statuses:
        raise Conflict(_("还有附议邀请未答复：请等待答复，或撤回未答复的邀请后再提交。"))
    if CosignerStatus.CONFIRMED not in statuses:
        raise Conflict(_("联名提案至少需要一位委员确认附议；也可改为个人提案后提交。"))


def not_collective(user: Any, proposal: Proposal) -> None:
    if proposal.kind == ProposalKind.COLLECTIVE:
        raise Conflict(_("集体提案不邀请个人附议。"))


def not_leading_a_merge(user: Any, proposal: Proposal) -> None:
    """A proposal others were merged into cannot itself be merged into another."""
    if Proposal.objects.filter(merged_into_id=proposal.pk).exists():
        raise Conflict(_("该提案已有其他提案并入，不能再并入别的提案。"))


def not_excellent_yet(user: Any, proposal: Proposal) -> None:
    if proposal.excellent_status == ExcellentStatus.SELECTED:
        raise Conflict(_("该提案已评为优秀提案。"))
    if proposal.excellent_status == ExcellentStatus.NOMINATED:
        raise Conflict(_("该提案已推荐为优秀提案，等待主席会议评选。"))


def nominated(user: Any, proposal: Proposal) -> None:
    if proposal.excellent_status != ExcellentStatus.NOMINATED:
        raise Conflict(_("只能评选已推荐的提案。"))


def is_key(user: Any, proposal: Proposal) -> None:
    if not proposal.is_key:
        raise Conflict(_("该提案不是重点提案。"))


def rating_open(user: Any, proposal: Proposal) -> None:
    """The rater has not rated the current round and the window is open (for a merged
    proposal: the one it was merged into)."""
    state = rating_state(user, proposal)
    handled = state.handled
    if state.evaluation is not None:
        raise Conflict(_("您已对本轮办理作出评价。"))
    if handled.status != ProposalStatus.REPLIED:
        raise Conflict(
            _("提案当前状态为“%(state)s”，不在评价期内。")
            % {"state": handled.get_status_display()},
            extra={"status": handled.status},
        )
    if state.expired and handled.rating_due:
        raise Conflict(
            _("评价期限已于%(day)s截止。") % {"day": f"{handled.rating_due:%Y年%m月%d日}"}
        )


def rating_state(user: Any, proposal: Proposal) -> Any:
    """The user's RatingState for the proposal, computed once per object and user (three
    queries) and shared by the rate action's predicate and guard."""
    from ..selectors.timeline import rating_state_for_user

    cache: dict[int, Any] = proposal.__dict__.setdefault("_rating_states", {})
    key = getattr(user, "pk", None) or 0
    if key not in cache:
        cache[key] = rating_state_for_user(user=user, proposal=proposal, today=clock.today())
    return cache[key]


def is_rater(user: Any, proposal: Proposal) -> bool:
    """The first proposer or a confirmed co-signer of the proposal (or of one merged into it)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return bool(rating_state(user, proposal).is_rater)


# Assignments ------------------------------------------------------------------------------


def return_deadline(assignment: Assignment, settings: ProposalSettings) -> dt.date:
    """The last day a unit may ask to return the assignment (交办 + N days, default 10)."""
    return timezone.localdate(assignment.assigned_at) + dt.timedelta(
        days=settings.return_window_days
    )


def within_return_window(user: Any, assignment: Assignment) -> None:
    settings = proposal_settings_for(assignment.committee)
    last_day = return_deadline(assignment, settings)
    if clock.today() > last_day:
        raise Conflict(
            _(
                "已超过申退期限（交办后%(days)d日内，即%(day)s前），"
                "请按期办理或与提案委员会办公室联系。"
            )
            % {"days": settings.return_window_days, "day": f"{last_day:%Y年%m月%d日}"}
        )


def is_co_unit(user: Any, assignment: Assignment) -> None:
    if assignment.role != AssignmentRole.CO:
        raise Conflict(_("只有会办单位需要提交会办意见；主办、单办、分办单位请提交答复。"))


def is_answering_unit(user: Any, assignment: Assignment) -> None:
    if assignment.role not in ANSWERING_ROLES:
        raise Conflict(_("会办单位不直接答复提案人，请向主办单位提交会办意见。"))


def extension_possible(user: Any, assignment: Assignment) -> None:
    """One extension per assignment by default (a refused request uses it up)."""
    if assignment.extension_status == ExtensionStatus.REQUESTED:
        raise Conflict(_("延期申请已提交，正在等待提案委员会办公室审批。"))
    settings = proposal_settings_for(assignment.committee)
    if assignment.extension_status == ExtensionStatus.REFUSED or (
        assignment.extension_count >= settings.max_extensions
    ):
        raise Conflict(_("每件提案只能申请延期%(count)d次。") % {"count": settings.max_extensions})


def extension_requested(user: Any, assignment: Assignment) -> None:
    if assignment.extension_status != ExtensionStatus.REQUESTED:
        raise Conflict(_("该交办事项没有待审批的延期申请。"))
