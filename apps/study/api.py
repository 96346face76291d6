"""Study API, mounted at /api/v1/study: the member's side for the mobile app — the requests
they are invited to with their own text, saving a draft, submitting it, 学习园地 (issued
compilations, 履职思考 articles), and their reading groups (today's book, 读书打卡, the groups'
读书分享会). Thin: schema in → service, workflow or selector → schema out;
domain errors become 403/404/409/422 in one place (apps.core.api_errors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from apps.accounts.auth import api_caller
from apps.accounts.models import User
from apps.core.api_schemas import ERRORS, labelled
from apps.core.errors import DomainError, NotFound

from . import services, workflow
from .models import Compilation, ReadingCheckin, Submission, TextRequest
from .schemas import (
    ArticleOut,
    CheckinIn,
    CheckinOut,
    GroupDetailOut,
    GroupOut,
    ReadingOut,
    RequestOut,
    TextIn,
)
from .selectors import (
    GroupRow,
    article_get_published,
    articles_published,
    author_line,
    compilations_published,
    group_sharings,
    groups_for_member,
    member_checkins,
    member_invitations,
    member_request_get,
    member_requests,
)

router = Router(tags=["学习培训（委员）"])
PAGE = 50


def _closed_reason(request: TextRequest) -> str:
    try:
        workflow.request_accepting(request)
    except DomainError as error:
        return error.message
    return ""


def _request(
    request: TextRequest, text: Submission | None, compilations: tuple[Compilation, ...] = ()
) -> dict[str, Any]:
    reason = _closed_reason(request)
    return {
        "id": request.pk,
        "title": request.title,
        "kind": labelled(request.kind, request.get_kind_display()),
        "due_date": request.due_date,
        "accepting": not reason,
        "closed_reason": reason,
        "text": None
        if text is None
        else {
            "id": text.pk,
            "status": labelled(text.status, text.get_status_display()),
            "title": text.title,
            "body": text.body,
            "adopted": text.adopted,
            "submitted_at": text.submitted_at,
            "compilations": [
                _("%(title)s（%(year)s年第%(number)s期）")
                % {"title": c.title, "year": c.year, "number": c.number}
                for c in compilations
            ],
        },
    }


def _detail(user: User, request_id: int) -> dict[str, Any]:
    text_request, _invitee, text = member_request_get(user=user, request_id=request_id)
    return _request(text_request, text)


@router.get(
    "/requests",
    response=list[RequestOut],
    summary="我的学习材料",
    description=(
        "向本人征集的学习心得、研讨发言等，截止日期晚的在前（最多 50 条），含本人材料的状态。"
    ),
    operation_id="list_my_study_requests",
)
def list_my_study_requests(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_caller(request)
    invitations = list(member_invitations(user=user)[:PAGE])
    return [
        _request(row.request, row.submission, row.compilations)
        for row in member_requests(user=user, invitations=invitations)
    ]


@router.get(
    "/requests/{int:request_id}",
    response={200: RequestOut, **ERRORS},
    summary="一项征集和本人的材料",
    description="只对受邀委员可见，其他人返回 404。",
    operation_id="get_my_study_request",
)
def get_my_study_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _detail(api_caller(request), request_id)


@router.put(
    "/requests/{int:request_id}/text",
    response={200: RequestOut, **ERRORS},
    summary="保存草稿",
    description="保存本人的标题和正文（适合自动保存）；已提交或征集已截止返回 409。",
    operation_id="save_my_study_text",
)
def save_my_study_text(request: HttpRequest, request_id: int, payload: TextIn) -> dict[str, Any]:
    user = api_caller(request)
    services.submission_save_draft(
        user=user, request_id=request_id, title=payload.title, body=payload.body
    )
    return _detail(user, request_id)


@router.post(
    "/requests/{int:request_id}/text/submit",
    response={200: RequestOut, **ERRORS},
    summary="提交材料",
    description="提交已保存的草稿；标题或正文为空返回 422，已截止返回 409，没有草稿返回 404。",
    operation_id="submit_my_study_text",
)
def submit_my_study_text(request: HttpRequest, request_id: int) -> dict[str, Any]:
    user = api_caller(request)
    services.submission_submit_saved(user=user, request_id=request_id)
    return _detail(user, request_id)


def _article(article: Submission, *, body: bool) -> dict[str, Any]:
    assert article.article_published_at is not None
    return {
        "id": article.pk,
        "title": article.final_title,
        "author": author_line(article.membership),
        "kind": labelled(article.request.kind, article.request.get_kind_display()),
        "published_at": article.article_published_at,
        "body": article.final_body if body else None,
    }


@router.get(
    "/reading",
    response={200: ReadingOut, **ERRORS},
    summary="学习园地",
    description="本政协印发的学习材料汇编和履职思考文章（各最近 50 篇）；非本政协委员返回 404。",
    operation_id="get_study_reading",
)
def get_study_reading(request: HttpRequest) -> dict[str, Any]:
    user = api_caller(request)
    compilations = [
        {
            "id": c.pk,
            "title": c.title,
            "year": c.year,
            "number": c.number,
            "texts": c.entry_count,  # type: ignore[attr-defined]
            "published_at": c.published_at,
            "docx_url": reverse("study:reading_compilation_download", args=[c.pk, "docx"]),
            "pdf_url": reverse("study:reading_compilation_download", args=[c.pk, "pdf"]),
        }
        for c in compilations_published(user=user)[:PAGE]
    ]
    articles = [_article(a, body=False) for a in articles_published(user=user)[:PAGE]]
    return {"compilations": compilations, "articles": articles}


@router.get(
    "/reading/articles/{int:article_id}",
    response={200: ArticleOut, **ERRORS},
    summary="一篇履职思考文章",
    description="正文为编辑稿；未发布、已撤下或其他政协的文章返回 404。",
    operation_id="get_study_article",
)
def get_study_article(request: HttpRequest, article_id: int) -> dict[str, Any]:
    user = api_caller(request)
    return _article(article_get_published(user=user, submission_id=article_id), body=True)


# 读书群组 (书香政协) --------------------------------------------------------------------------


def _group(row: GroupRow) -> dict[str, Any]:
    group, book = row.group, row.book
    return {
        "id": group.pk,
        "name": group.name,
        "convener": group.convener.member.name,
        "members": group.member_count,  # type: ignore[attr-defined]
        "active": group.is_active,
        "book": None
        if book is None
        else {
            "title": book.title,
            "author": book.author,
            "starts_on": book.starts_on,
            "ends_on": book.ends_on,
        },
        "my_days": row.my_days,
        "checked_in_today": row.checked_today,
    }


def _checkin(checkin: ReadingCheckin) -> dict[str, Any]:
    return {
        "day": checkin.day,
        "progress": checkin.progress,
        "note": checkin.note,
        "book": checkin.book.title if checkin.book else "",
    }


def _member_group(user: User, group_id: int) -> GroupRow:
    for row in groups_for_member(user=user):
        if row.group.pk == group_id:
            return row
    raise NotFound(_("未找到该读书群组，或您无权查看。"))


@router.get(
    "/groups",
    response={200: list[GroupOut], **ERRORS},
    summary="我的读书群组",
    description="本人所在的读书群组，含今天共读的书目和本人的打卡天数。",
    operation_id="list_study_groups",
)
def list_study_groups(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_caller(request)
    return [_group(row) for row in groups_for_member(user=user)]


@router.get(
    "/groups/{int:group_id}",
    response={200: GroupDetailOut, **ERRORS},
    summary="一个读书群组",
    description="本人最近的打卡和群组的读书分享会；不是该群组成员返回 404。",
    operation_id="get_study_group",
)
def get_study_group(request: HttpRequest, group_id: int) -> dict[str, Any]:
    user = api_caller(request)
    row = _member_group(user, group_id)
    sharings = [
        {
            "title": s.meeting.title if s.meeting else s.course.title,
            "starts_at": s.meeting.starts_at if s.meeting else None,
            "location_note": s.meeting.location_note if s.meeting else "",
            "status": labelled(s.meeting.status, s.meeting.get_status_display())
            if s.meeting
            else None,
            "course_id": s.course_id,
            "meeting_id": s.meeting_id,
        }
        for s in group_sharings(group=row.group)
    ]
    return {
        **_group(row),
        "my_checkins": [_checkin(c) for c in member_checkins(user=user, group=row.group)],
        "sharings": sharings,
    }


@router.post(
    "/groups/{int:group_id}/checkin",
    response={200: CheckinOut, **ERRORS},
    summary="读书打卡",
    description="记录今天读到哪里和心得；同一天再次打卡会更新当天的记录。停止活动的群组返回 409。",
    operation_id="post_study_group_checkin",
)
def post_study_group_checkin(
    request: HttpRequest, group_id: int, payload: CheckinIn
) -> dict[str, Any]:
    user = api_caller(request)
    checkin = services.reading_checkin(
        user=user, group_id=group_id, progress=payload.progress, note=payload.note
    )
    return _checkin(checkin)
