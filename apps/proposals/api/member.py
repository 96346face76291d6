"""Member side of the proposals API (/api/v1/proposals): drafts, submission, withdrawal, co-sign
answers, my proposals, one proposal, rating, similar proposals. Thin: schema in → service,
workflow or selector → schema out; domain errors become 403/404/409/422 in one place
(apps.core.api_errors)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.accounts.auth import api_caller
from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.api_schemas import ERRORS, labelled
from apps.core.errors import NotFound
from apps.core.inputs import PageNumberPagination

from .. import services, workflow
from ..models import CosignerStatus, Evaluation, Proposal, ProposalStatus
from ..selectors import (
    proposal_get_for_user,
    proposal_list_mine,
    proposal_queryset_visible_to,
    proposal_similar,
    released_replies,
)
from ..selectors.timeline import rating_state_for_user
from ..workflow import proposal_actions_for
from ..workflow.rating import FINAL_ROUND
from .member_schemas import (
    CosignAnswerIn,
    CosignAnswerOut,
    DraftCreateIn,
    DraftUpdateIn,
    ProposalFilterIn,
    ProposalOut,
    ProposalSummaryOut,
    RateIn,
    RateOut,
    SimilarOut,
)

router = Router(tags=["提案（委员）"])


def _require_visible(user: User, proposal_id: int) -> None:
    if not proposal_queryset_visible_to(user).filter(pk=proposal_id).exists():
        raise NotFound(_("未找到该提案，或您无权查看。"))


def _evaluation(evaluation: Evaluation | None) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    return {
        "round": evaluation.round,
        "process_rating": evaluation.process_rating,
        "result_rating": evaluation.result_rating,
        "comment": evaluation.comment,
        "timed_out": evaluation.timed_out,
        "rated_at": evaluation.rated_at,
    }


def _detail(user: User, proposal_id: int) -> dict[str, Any]:
    """A proposal as the caller may see it (the detail page's rules)."""
    proposal = proposal_get_for_user(user=user, proposal_id=proposal_id)
    roles = user_roles(user)
    staff = bool({Role.PROPOSAL_OFFICE, Role.LEADERSHIP, Role.SYSADMIN} & roles)
    unit_id = getattr(user, "handling_unit_id", None) if Role.HANDLING_UNIT in roles else None
    assignments = proposal.all_assignments  # type: ignore[attr-defined]
    if staff or unit_id:
        pairs = [(a.handling_unit.name, r) for a in assignments for r in a.visible_replies]
    else:
        pairs = [(r.assignment.handling_unit.name, r) for r in released_replies(proposal=proposal)]
    insider = (
        staff
        or any(
            c.membership.member.user_id == user.pk
            for c in proposal.all_cosigners  # type: ignore[attr-defined]
        )
        or proposal.created_by_id == user.pk
        or (
            proposal.first_proposer is not None
            and proposal.first_proposer.member.user_id == user.pk
        )
    )
    cosigners = [
        c
        for c in proposal.all_cosigners  # type: ignore[attr-defined]
        if insider or c.status == CosignerStatus.CONFIRMED
    ]
    state = rating_state_for_user(user=user, proposal=proposal, today=clock.today())
    return {
        "id": proposal.pk,
        "number_label": proposal.number_label,
        "title": proposal.title,
        "kind": labelled(proposal.kind, proposal.get_kind_display()),
        "status": labelled(proposal.status, proposal.get_status_display()),
        "session_type": proposal.session_type,
        "category": proposal.category.name if proposal.category else None,
        "term": str(proposal.term),
        "is_key": proposal.is_key,
        "is_excellent": proposal.excellent_status == "selected",
        "first_proposer": proposal.first_proposer.member.name if proposal.first_proposer else None,
        "updated_at": proposal.updated_at,
        "submitted_at": proposal.submitted_at,
        "grounds": proposal.grounds,
        "suggestions": proposal.suggestions,
        "collective_sponsor": proposal.collective_sponsor,
        "collective_in_name_of": proposal.collective_in_name_of,
        "cosigners": [
            {
                "name": c.membership.member.name,
                "status": c.status,
                "status_label": c.get_status_display(),
            }
            for c in cosigners
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "size": a.size,
                "content_type": a.content_type,
                "url": reverse("proposals:attachment", args=[a.pk]),
            }
            for a in proposal.attachments.all()
        ],
        "assignments": [
            {
                "unit": a.handling_unit.name,
                "role": labelled(a.role, a.get_role_display()),
                "status": labelled(a.status, a.get_status_display()),
                "deadline": a.deadline,
            }
            for a in assignments
        ],
        "replies": [
            {
                "id": r.pk,
                "unit": unit,
                "round": r.round,
                "result_class": labelled(r.result_class, r.get_result_class_display()),
                "text": r.text,
                "released": r.is_released,
                "letter_url": reverse("proposals:reply_letter", args=[r.pk]) if r.letter else None,
                "submitted_at": r.submitted_at,
            }
            for unit, r in pairs
        ],
        "review_note": proposal.review_note,
        "rejection_reason": proposal.rejection_reason,
        "transfer_to": proposal.transfer_to,
        "merged_into_id": proposal.merged_into_id,
        "rating_due": state.due,
        "rating": {
            "can_rate": state.can_rate,
            "due": state.due,
            "expired": state.expired,
            "round": state.round,
            "mine": _evaluation(state.evaluation),
        }
        if state.is_rater
        else None,
        "actions": proposal_actions_for(user, proposal).as_list(),
    }


@router.post(
    "/drafts",
    response={201: ProposalOut, **ERRORS},
    summary="新建提案草稿",
    description=(
        "本届在任委员新建个人或联名提案草稿（本人为第一提案人）；集体提案由召集人或提案委员会办公室填报。"
        "草稿可以不完整，提交时再检查。"
    ),
    operation_id="create_draft",
)
def create_draft(request: HttpRequest, payload: DraftCreateIn) -> Status[dict[str, Any]]:
    user = api_caller(request)
    proposal = services.proposal_draft_create(user=user, **payload.dict())
    return Status(201, _detail(user, proposal.pk))


@router.patch(
    "/{int:proposal_id}",
    response={200: ProposalOut, **ERRORS},
    summary="修改提案草稿",
    description=(
        "只修改提交的字段（适合自动保存）。只有提案人可以修改，"
        "且只能修改草稿；已提交的提案返回 409。"
    ),
    operation_id="update_draft",
)
def update_draft(request: HttpRequest, proposal_id: int, payload: DraftUpdateIn) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, proposal_id)
    services.proposal_draft_update(
        user=user, proposal_id=proposal_id, **payload.dict(exclude_unset=True)
    )
    return _detail(user, proposal_id)


@router.post(
    "/{int:proposal_id}/submit",
    response={200: ProposalOut, **ERRORS},
    summary="提交提案",
    description=(
        "提交草稿等待审查。内容不完整或超出字数返回 422（extra.errors 按字段列出问题）"
        "；联名提案还有未答复的附议邀请返回 409。"
    ),
    operation_id="submit_proposal",
)
def submit_proposal(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, proposal_id)
    workflow.proposal_submit(user=user, proposal_id=proposal_id)
    return _detail(user, proposal_id)


@router.post(
    "/{int:proposal_id}/withdraw",
    response={200: ProposalOut, **ERRORS},
    summary="撤回提案",
    description=("审查前撤回已提交的提案（之后可重新编辑再提交）。已审查的提案返回 409。"),
    operation_id="withdraw_proposal",
)
def withdraw_proposal(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, proposal_id)
    workflow.proposal_withdraw(user=user, proposal_id=proposal_id)
    return _detail(user, proposal_id)


@router.post(
    "/cosign/{int:cosigner_id}",
    response={200: CosignAnswerOut, **ERRORS},
    summary="答复联名邀请",
    description=(
        "被邀请的委员同意附议或谢绝。只有被邀请人本人可以答复；提案已提交或邀请已撤回返回 409。"
    ),
    operation_id="answer_cosign",
)
def answer_cosign(
    request: HttpRequest, cosigner_id: int, payload: CosignAnswerIn
) -> dict[str, Any]:
    user = api_caller(request)
    verb = services.cosigner_confirm if payload.answer == "confirm" else services.cosigner_decline
    cosigner = verb(user=user, cosigner_id=cosigner_id)
    return {
        "cosigner_id": cosigner.pk,
        "proposal_id": cosigner.proposal_id,
        "status": cosigner.status,
        "status_label": cosigner.get_status_display(),
    }


@router.get(
    "/mine",
    response=list[ProposalSummaryOut],
    summary="我的提案",
    description=(
        "本人提出（含草稿）或附议、受邀附议的提案，最近变动的在前；可按状态、届筛选，分页。"
    ),
    operation_id="list_my_proposals",
)
@paginate(PageNumberPagination, page_size=20)
def list_my_proposals(request: HttpRequest, filters: Query[ProposalFilterIn]) -> Any:
    queryset = proposal_list_mine(user=api_caller(request))
    if filters.status in ProposalStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.term_id:
        queryset = queryset.filter(term_id=filters.term_id)
    return queryset


@router.get(
    "/{int:proposal_id}",
    response={200: ProposalOut, **ERRORS},
    summary="提案详情",
    description=(
        "按查看者的权限返回：提案人只看到经审核公开的答复；会办意见只对提案委员会办公室和主办单位可见。"
        "无权查看返回 404。"
    ),
    operation_id="get_proposal",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    return _detail(api_caller(request), proposal_id)


@router.post(
    "/{int:proposal_id}/rating",
    response={200: RateOut, **ERRORS},
    summary="评价办理情况",
    description=(
        "第一提案人和附议人分别对办理过程和办理结果评价（满意、基本满意、不满意），须在评价期限内；"
        "第一提案人首轮评价不满意的，提案退回重新办理一次。"
    ),
    operation_id="rate_proposal",
)
def rate_proposal(request: HttpRequest, proposal_id: int, payload: RateIn) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, proposal_id)
    evaluation = workflow.proposal_rate(
        user=user,
        proposal_id=proposal_id,
        process_rating=payload.process_rating,
        result_rating=payload.result_rating,
        comment=payload.comment,
    )
    rehandling = (
        evaluation.is_first_proposer
        and evaluation.is_dissatisfied
        and evaluation.round < FINAL_ROUND
    )
    message = (
        _("评价已提交。由于您不满意，提案将退回承办单位重新办理一次。")
        if rehandling
        else _("评价已提交，感谢您的评价。")
    )
    return {"evaluation": _evaluation(evaluation), "rehandling": rehandling, "message": message}


@router.get(
    "/{int:proposal_id}/similar",
    response={200: list[SimilarOut], **ERRORS},
    summary="类似提案",
    description=(
        "按已保存的案由和正文，列出本届及往届文字相似的提案（相似度从高到低），附办理情况。"
    ),
    operation_id="list_similar_proposals",
)
def list_similar_proposals(request: HttpRequest, proposal_id: int, limit: int = 10) -> Any:
    user = api_caller(request)
    proposal: Proposal = proposal_get_for_user(user=user, proposal_id=proposal_id)
    items = proposal_similar(
        user=user, committee=proposal.committee, proposal=proposal, limit=max(1, min(limit, 30))
    )
    return [
        {
            "proposal_id": item.proposal_id,
            "score": item.score,
            "score_percent": item.score_percent,
            "number_label": item.number_label,
            "title": item.title,
            "status": item.status,
            "status_label": item.status_label,
            "term_label": item.term_label,
            "session_label": item.session_label,
            "handling_summary": item.handling_summary,
        }
        for item in items
    ]
