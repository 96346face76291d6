"""Roster import: template download, upload → validation report or preview → confirm."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import xlsx_response
from apps.core.errors import Conflict, ValidationFailed
from apps.core.masking import mask_id_number, mask_phone
from apps.core.pages import perform
from apps.organisation.models import Term

from ..forms import ImportUploadForm
from ..permissions import can_manage_roster
from ..roster_import import MAX_FILE_BYTES, MAX_ROWS, ImportReport
from ..roster_template import build_template
from ..selectors import roster_choices
from ..services import ImportResult, roster_import_apply, roster_import_preview
from ._common import pick_term, require

# A validated upload waits here between preview and confirmation.
STASH_SECONDS = 30 * 60
PREVIEW_ROWS = 20
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _stash_key(user_id: Any, token: str) -> str:
    return f"members:roster-import:{user_id}:{token}"


def _page(
    request: AuthenticatedRequest,
    form: ImportUploadForm,
    *,
    term: Term,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    context = {
        "form": form,
        "term": term,
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
        **extra,
    }
    return render(request, "members/import.html", context, status=status)


def _no_term(request: AuthenticatedRequest) -> HttpResponse:
    messages.error(request, _("尚未设置届次，无法导入名册。"))
    return redirect("members:roster")


@login_required
def roster_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a roster file; show every problem (422), or a preview to confirm. Nothing is
    written here."""
    require(can_manage_roster(request.user), _("您没有导入委员名册的权限。"))
    source = request.POST if request.method == "POST" else request.GET
    term, terms = pick_term(request, source.get("term"))
    if term is None:
        return _no_term(request)
    if request.method != "POST":
        return _page(request, ImportUploadForm(initial={"term": term.pk}, terms=terms), term=term)
    form = ImportUploadForm(request.POST, request.FILES, terms=terms)

    def checked(result: tuple[ImportReport, bytes]) -> HttpResponse:
        report, content = result
        if report.errors:
            return _page(request, form, term=term, report=report, status=422)
        filename = form.cleaned_data["file"].name
        return _preview(request, term=term, report=report, content=content, filename=filename)

    return perform(
        request,
        lambda: roster_import_preview(
            actor=request.user, term=term, upload=form.cleaned_data["file"]
        ),
        form=form,
        render=lambda: _page(request, form, term=term),
        on_success=checked,
    )


def _preview(
    request: AuthenticatedRequest,
    *,
    term: Term,
    report: ImportReport,
    content: bytes,
    filename: str | None,
) -> HttpResponse:
    token = secrets.token_urlsafe(24)
    cache.set(
        _stash_key(request.user.pk, token),
        {"term_id": term.pk, "content": content, "filename": filename or ""},
        STASH_SECONDS,
    )
    preview_rows = [
        {
            "row_number": row.row_number,
            "name": row.name,
            "id_masked": mask_id_number(row.id_number),
            "mobile_masked": mask_phone(row.mobile),
            "nominated_by": row.nominated_by,
            "is_new": row.existing is None,
            "account": row.needs_account,
        }
        for row in report.rows[:PREVIEW_ROWS]
    ]
    return render(
        request,
        "members/import_preview.html",
        {
            "report": report,
            "term": term,
            "token": token,
            "filename": filename,
            "preview_rows": preview_rows,
        },
    )


@login_required
@require_POST
def roster_import_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Write the previewed file in one transaction (validated again there). A stale or foreign
    preview is a conflict (409): nothing is imported."""
    require(can_manage_roster(request.user), _("您没有导入委员名册的权限。"))
    token = request.POST.get("token", "")
    key = _stash_key(request.user.pk, token)
    stash = cache.get(key) if _TOKEN.match(token) else None
    term, terms = pick_term(request, stash["term_id"] if stash else None)
    if term is None:
        return _no_term(request)
    failure: dict[str, list[str]] = {}

    def apply() -> ImportResult:
        if stash is None or term.pk != stash["term_id"]:
            raise Conflict(_("导入预览已过期或无效，未导入任何数据。请重新上传文件。"))
        try:
            return roster_import_apply(
                actor=request.user, term=term, content=stash["content"], filename=stash["filename"]
            )
        except ValidationFailed as exc:
            cache.delete(key)
            problems = exc.extra.get("errors", {}).get("file", [])
            failure["errors"] = problems if isinstance(problems, list) else [problems]
            raise

    def imported(result: ImportResult) -> HttpResponse:
        cache.delete(key)
        return redirect(f"{reverse('members:roster')}?term={term.pk}")

    return perform(
        request,
        apply,
        render=lambda: _page(
            request,
            ImportUploadForm(initial={"term": term.pk}, terms=terms),
            term=term,
            failure_errors=failure.get("errors", []),
        ),
        success=lambda result: (
            _("导入完成：新增 %(created)d 人，更新 %(updated)d 人，创建账户 %(accounts)d 个。")
            % {"created": result.created, "updated": result.updated, "accounts": result.accounts}
        ),
        on_success=imported,
    )


@login_required
def roster_import_template(request: AuthenticatedRequest) -> HttpResponse:
    """The .xlsx template with this committee's sectors, committees and groups as choices."""
    require(can_manage_roster(request.user), _("您没有导入委员名册的权限。"))
    term, _terms = pick_term(request, request.GET.get("term"))
    if term is None:
        messages.error(request, _("尚未设置届次。"))
        return redirect("members:roster")
    choices = roster_choices(committee_id=term.committee_id)
    content = build_template(
        committee_name=term.committee.name,
        sector_names=[s.name for s in choices.sectors],
        special_committee_names=[s.name for s in choices.special_committees],
        group_names=[g.name for g in choices.groups],
    )
    return xlsx_response(content, _("委员名册导入模板.xlsx"))
