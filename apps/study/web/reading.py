"""学习园地: what members of a committee read — the compilations the 委员联络处 issued (印发),
as a page with its table of contents and as Word / PDF, and the 履职思考 articles (members'
texts the office published). Readers are the committee's members of the current term and its
委员联络处; anyone else is told the page does not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import download_response
from apps.core.errors import NotFound
from apps.core.pages import error_response
from apps.core.pdf import PdfFontMissing

from .. import services
from ..documents import paragraphs
from ..selectors import (
    article_get_published,
    articles_published,
    author_line,
    compilation_entries,
    compilation_get_published,
    compilations_published,
)

PAGE_SIZE = 20


def _or_404(error: NotFound) -> Http404:
    return Http404(error.message)


@login_required
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    try:
        compilations = list(compilations_published(user=request.user)[:PAGE_SIZE])
        articles = Paginator(articles_published(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    except NotFound as error:
        raise _or_404(error) from error
    context = {
        "compilations": compilations,
        "page": articles,
        "articles": [(a, author_line(a.membership)) for a in articles],
    }
    return render(request, "study/reading/index.html", context)


@login_required
@require_GET
def compilation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        found = compilation_get_published(user=request.user, compilation_id=pk)
    except NotFound as error:
        raise _or_404(error) from error
    entries = [
        {
            "entry": entry,
            "author": author_line(entry.submission.membership),
            "paragraphs": paragraphs(entry.submission.final_body),
        }
        for entry in compilation_entries(compilation=found)
    ]
    return render(
        request,
        "study/reading/compilation.html",
        {"compilation": found, "entries": entries, "preface": paragraphs(found.preface)},
    )


@login_required
@require_GET
def compilation_download(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    try:
        content, filename, content_type = services.compilation_download_published(
            user=request.user, compilation_id=pk, fmt=fmt
        )
    except NotFound as error:
        raise _or_404(error) from error
    except PdfFontMissing as error:
        return error_response(request, 500, str(error))
    return download_response(content, filename, content_type)


@login_required
@require_GET
def article(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        found = article_get_published(user=request.user, submission_id=pk)
    except NotFound as error:
        raise _or_404(error) from error
    context = {
        "article": found,
        "author": author_line(found.membership),
        "paragraphs": paragraphs(found.final_body),
    }
    return render(request, "study/reading/article.html", context)
