"""Handling-unit API, mounted at /api/v1/proposals/unit: the unit's assigned proposals, one
assignment, and the unit's steps (签收, 申退, 联系提案人, 会办意见, 答复, 延期).

Thin: schema in → selector or one workflow/service call → schema out. Anything the caller may
not see answers 404; a reader who may not act (the office, leadership) 403; a step the state no
longer allows 409; invalid input (including a refused upload) 422 — all through the domain
errors, mapped in apps.core.api_errors.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from apps.accounts.auth import api_caller
from apps.accounts.models import User
from apps.core.api_schemas import ERRORS
from apps.core.errors import NotFound, PermissionDenied

from .. import services, workflow
from ..models import Assignment
from ..permissions import can_handle
from ..selectors.unit import (
    FILE_KINDS,
    AssignedFilter,
    Workspace,
    assignment_file_get,
    assignment_list_assigned,
    is_unit_user,
    unit_assignment_get,
    unit_workspace,
)
from ..workflow import assignment_actions_for
from ..workflow.guards import return_deadline
from .unit_schemas import (
    AssignedFilterIn,
    AssignmentDetailOut,
    AssignmentListOut,
    ContactIn,
    ContactOut,
    OpinionIn,
    OpinionOut,
    ReasonIn,
    ReplyIn,
    ReplyOut,
    deadline_out,
    proposal_brief,
)

router = Router(tags=["提案·承办单位"])


def _actor(request: HttpRequest, assignment_id: int) -> User:
    """The caller, if they may act on the assignment: 404 when they may not see it, 403 when
    they only read it (the office, leadership). The workflow checks again."""
    user = api_caller(request)
    assignment = unit_assignment_get(user=user, assignment_id=assignment_id)
    if not can_handle(user, assignment):
        raise PermissionDenied(_("只有承办该提案的单位可以执行此操作。"))
    return user


# ---------------------------------------------------------------------------------------------
# Output builders


def _file(assignment_id: int, kind: str, file_id: int, name: str) -> dict[str, Any]:
    url = reverse(
        "api:download_assignment_file",
        kwargs={"assignment_id": assignment_id, "kind": kind, "file_id": file_id},
    )
    return {"id": file_id, "name": name, "url": url}


def _contact(contact: Any) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "method": contact.method,
        "method_label": contact.get_method_display(),
        "contact_date": contact.contact_date,
        "note": contact.note,
        "recorded_by": contact.recorded_by.display_name,
    }


def _reply(reply: Any) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "round": reply.round,
        "text": reply.text,
        "result_class": reply.result_class,
        "result_class_label": reply.get_result_class_display(),
        "letter": (
            _file(reply.assignment_id, "letter", reply.pk, reply.letter_name or _("答复函"))
            if reply.letter
            else None
        ),
        "submitted_at": reply.submitted_at,
        "review_status": reply.review_status,
        "review_status_label": reply.get_review_status_display(),
        "review_reason": reply.review_reason,
    }


def _opinion(opinion: Any, viewer_assignment_id: int) -> dict[str, Any]:
    unit = opinion.assignment.handling_unit
    return {
        "id": opinion.pk,
        "unit": {"id": unit.pk, "name": unit.name},
        "round": opinion.round,
        "text": opinion.text,
        "file": (
            _file(
                viewer_assignment_id, "opinion", opinion.pk, opinion.original_name or _("会办意见")
            )
            if opinion.file
            else None
        ),
        "submitted_at": opinion.submitted_at,
    }


def _proposers(ws: Workspace) -> list[dict[str, Any]]:
    proposal = ws.proposal
    people: list[dict[str, Any]] = []
    if proposal.is_collective:
        name = proposal.collective_in_name_of or proposal.get_collective_sponsor_display()
        people.append({"name": name, "sector": None, "is_first": True})
    elif proposal.first_proposer is not None:
        first = proposal.first_proposer
        people.append({"name": first.member.name, "sector": first.sector.name, "is_first": True})
    for cosigner in ws.cosigners:
        membership = cosigner.membership
        people.append(
            {"name": membership.member.name, "sector": membership.sector.name, "is_first": False}
        )
    return people


def _detail(user: User, ws: Workspace) -> dict[str, Any]:
    a = ws.assignment
    p = ws.proposal
    return {
        "id": a.pk,
        "proposal": proposal_brief(p),
        "role": a.role,
        "role_label": a.get_role_display(),
        "status": a.status,
        "status_label": a.get_status_display(),
        "assigned_at": a.assigned_at,
        "deadline": deadline_out(ws.deadline),
        "extension_status": a.extension_status,
        "reply_rejected": ws.rejected_reply is not None,
        "unit": {"id": a.handling_unit.pk, "name": a.handling_unit.name},
        "proposal_detail": {
            **proposal_brief(p),
            "kind_label": p.get_kind_display(),
            "session_type_label": p.get_session_type_display() if p.session_type else "",
            "grounds": p.grounds,
            "suggestions": p.suggestions,
            "submitted_at": p.submitted_at,
            "proposers": _proposers(ws),
            "attachments": [
                _file(a.pk, "attachment", item.pk, item.original_name) for item in ws.attachments
            ],
        },
        "received_at": a.received_at,
        "contact_due": a.contact_due,
        "extension_reason": a.extension_reason,
        "return_reason": a.return_reason,
        "other_units": [
            {
                "unit": {"id": other.handling_unit.pk, "name": other.handling_unit.name},
                "role": other.role,
                "role_label": other.get_role_display(),
                "status": other.status,
                "status_label": other.get_status_display(),
            }
            for other in ws.other_assignments
        ],
        "contacts": [_contact(item) for item in ws.contacts],
        "replies": [_reply(item) for item in ws.replies],
        "own_opinions": [_opinion(item, a.pk) for item in ws.own_opinions],
        "co_unit_opinions": [_opinion(item, a.pk) for item in ws.co_unit_opinions],
        "earlier_evaluations": [
            {
                "round": item.round,
                "rater": item.membership.member.name
                if item.membership
                else item.rater.display_name,
                "is_first_proposer": item.is_first_proposer,
                "process_rating_label": item.get_process_rating_display(),
                "result_rating_label": item.get_result_rating_display(),
                "comment": item.comment,
                "timed_out": item.timed_out,
            }
            for item in ws.earlier_evaluations
        ],
        "return_last_day": return_deadline(a, ws.settings),
        "actions": assignment_actions_for(user, a).as_list(),
    }


def _detail_of(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    user = api_caller(request)
    return _detail(user, unit_workspace(user=user, assignment_id=assignment_id))


# ---------------------------------------------------------------------------------------------
# Operations


@router.get(
    "",
    response=list[AssignmentListOut],
    operation_id="list_assigned",
    url_name="list_assigned",
    summary="交办给本单位的提案",
    description=(
        "本单位的交办提案，按紧急程度排序（已逾期和临近期限的在前），可按分组、状态、"
        "办理方式、是否逾期等筛选，分页返回。仅承办单位账户可用，只能看到本单位的交办记录。"
    ),
)
@paginate
def list_assigned(request: HttpRequest, filters: Query[AssignedFilterIn]) -> QuerySet[Assignment]:
    user = api_caller(request)
    if not is_unit_user(user):
        raise PermissionDenied(_("只有承办单位的账户可以查看交办提案。"))
    return assignment_list_assigned(
        user=user,
        filters=AssignedFilter(
            tab=filters.tab,
            status=filters.status,
            role=filters.role,
            attention=filters.attention,
            q=filters.q,
        ),
    )


@router.get(
    "/{assignment_id}",
    response={200: AssignmentDetailOut, **ERRORS},
    operation_id="get_assignment",
    url_name="get_assignment",
    summary="交办详情",
    description=(
        "一条交办记录：提案内容（不含提案人联系方式）、附件、同一提案的其他承办单位、"
        "办理期限与延期、联系记录、答复及审核结果、会办意见（主办单位可见会办单位意见），"
        "以及当前可执行的操作。其他单位的交办记录返回 404。"
    ),
)
def get_assignment(request: HttpRequest, assignment_id: int) -> Any:
    return _detail_of(request, assignment_id)


@router.post(
    "/{assignment_id}/receive",
    response={200: AssignmentDetailOut, **ERRORS},
    operation_id="receive_assignment",
    url_name="receive_assignment",
    summary="签收",
    description="签收交办的提案（待签收 → 已签收）。重复签收不报错。",
)
def receive_assignment(request: HttpRequest, assignment_id: int) -> Any:
    workflow.assignment_receive(user=_actor(request, assignment_id), assignment_id=assignment_id)
    return _detail_of(request, assignment_id)


@router.post(
    "/{assignment_id}/return-request",
    response={200: AssignmentDetailOut, **ERRORS},
    operation_id="request_return",
    url_name="request_return",
    summary="申请退回（申退）",
    description=(
        "认为提案不属于本单位职责时，在交办后规定日数内（默认10日）申请退回并说明理由；"
        "超过期限返回 409。由提案委员会办公室决定是否同意。"
    ),
)
def request_return(request: HttpRequest, assignment_id: int, payload: ReasonIn) -> Any:
    workflow.assignment_request_return(
        user=_actor(request, assignment_id), assignment_id=assignment_id, reason=payload.reason
    )
    return _detail_of(request, assignment_id)


@router.post(
    "/{assignment_id}/contacts",
    response={201: ContactOut, **ERRORS},
    operation_id="add_contact_record",
    url_name="add_contact_record",
    summary="记录与提案人的联系",
    description=(
        "记录一次与提案人的联系（面谈、座谈、电话、邮件、书信），含日期和情况。须先签收；"
        "日期不能晚于今天、不能早于交办日期。"
    ),
)
def add_contact_record(request: HttpRequest, assignment_id: int, payload: ContactIn) -> Any:
    contact = services.contact_record_add(
        user=_actor(request, assignment_id),
        assignment_id=assignment_id,
        method=payload.method,
        contact_date=payload.contact_date,
        note=payload.note,
    )
    return Status(201, _contact(contact))


@router.post(
    "/{assignment_id}/reply",
    response={201: ReplyOut, **ERRORS},
    operation_id="submit_reply",
    url_name="submit_reply",
    summary="提交答复",
    description=(
        "单办、分办、主办单位提交答复（multipart/form-data）：答复内容、办理结果（A 已解决或"
        "基本解决；B 正在解决或已列入计划；C 因条件限制暂时难以解决或留作参考）和盖章的答复函"
        "文件 letter（默认必传，类型和大小按本政协设置）。提交后由提案委员会办公室审核；"
        "被驳回后可重新提交。"
    ),
)
def submit_reply(
    request: HttpRequest,
    assignment_id: int,
    payload: Form[ReplyIn],
    letter: File[UploadedFile | None] = None,
) -> Any:
    reply = workflow.assignment_submit_reply(
        user=_actor(request, assignment_id),
        assignment_id=assignment_id,
        text=payload.text,
        result_class=payload.result_class,
        letter=letter,
    )
    return Status(201, _reply(reply))


@router.post(
    "/{assignment_id}/opinion",
    response={201: OpinionOut, **ERRORS},
    operation_id="submit_opinion",
    url_name="submit_opinion",
    summary="提交会办意见",
    description=(
        "会办单位向主办单位提交会办意见（multipart/form-data）：意见文字和可选附件 file。"
        "会办意见只有主办单位和提案委员会办公室可见。"
    ),
)
def submit_opinion(
    request: HttpRequest,
    assignment_id: int,
    payload: Form[OpinionIn],
    file: File[UploadedFile | None] = None,
) -> Any:
    opinion = workflow.assignment_submit_opinion(
        user=_actor(request, assignment_id),
        assignment_id=assignment_id,
        text=payload.text,
        upload=file,
    )
    opinion = type(opinion).objects.select_related("assignment__handling_unit").get(pk=opinion.pk)
    return Status(201, _opinion(opinion, assignment_id))


@router.post(
    "/{assignment_id}/extension-request",
    response={200: AssignmentDetailOut, **ERRORS},
    operation_id="request_extension",
    url_name="request_extension",
    summary="申请延期",
    description="申请延长办理期限（每件提案默认一次、一个月），须说明理由，由提案委员会办公室审批。",
)
def request_extension(request: HttpRequest, assignment_id: int, payload: ReasonIn) -> Any:
    services.assignment_extension_request(
        user=_actor(request, assignment_id), assignment_id=assignment_id, reason=payload.reason
    )
    return _detail_of(request, assignment_id)


@router.get(
    "/{assignment_id}/files/{kind}/{file_id}",
    response={200: None, **ERRORS},
    operation_id="download_assignment_file",
    url_name="download_assignment_file",
    summary="下载文件",
    description=(
        "下载交办详情中列出的文件：kind 为 attachment（提案附件）、letter（本单位答复函）"
        "或 opinion（会办意见附件）。"
    ),
)
def download_assignment_file(
    request: HttpRequest, assignment_id: int, kind: str, file_id: int
) -> Any:
    if kind not in FILE_KINDS:
        raise NotFound(_("未找到该文件，或您无权查看。"))
    stored = assignment_file_get(
        user=api_caller(request), assignment_id=assignment_id, kind=kind, file_id=file_id
    )
    try:
        handle = stored.file.open("rb")
    except OSError as exc:
        raise NotFound(_("文件已不存在，请联系提案委员会办公室。")) from exc
    response = FileResponse(handle, as_attachment=True, filename=stored.name)
    response["Cache-Control"] = "private, no-store"
    return response
