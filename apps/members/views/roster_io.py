"""Roster import: template download, upload → validation report or preview → confirm."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.downloads import xlsx_response
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from ..forms import ImportUploadForm
from ..idcard import mask_id_number, mask_phone
from ..permissions import can_manage_roster
from ..roster_import import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    check_upload,
    roster_import_check,
)
from ..roster_template import build_template
from ..selectors import roster_choices
from ..services import roster_import_apply
from ._common import forbidden, pick_term

# A validated upload waits here between preview and confirmation.
STASH_SECONDS = 30 * 60
PREVIEW_ROWS = 20
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _stash_key(user_id: Any, token: str) -> str:
    return f"members:roster-import:{user_id}:{token}"


def _page(request: HttpRequest, form: ImportUploadForm, **extra: object) -> HttpResponse:
    context = {
        "form": form,
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
        **extra,
    }
    return render(request, "members/import.html", context)


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload a roster file; show every problem, or a preview to confirm. Nothing is written."""
    if not can_manage_roster(request.user):
        return forbidden(request, _("您没有导入委员名册的权限。"))
    source = request.POST if request.method == "POST" else request.GET
    term, terms = pick_term(request, source.get("term"))
    if term is None:
        messages.error(request, _("尚未设置届次，无法导入名册。"))
        return redirect("members:roster")
    if request.method != "POST":
        return _page(request, ImportUploadForm(initial={"term": term.pk}, terms=terms), term=term)
    form = ImportUploadForm(request.POST, request.FILES, terms=terms)
    if not form.is_valid():
        return _page(request, form, term=term)
    upload = form.cleaned_data["file"]
    try:
        check_upload(filename=upload.name or "", size=upload.size or 0)
        content = upload.read()
        report = roster_import_check(term=term, content=content)
    except ImportFileError as exc:
        form.add_error("file", exc.message)
        return _page(request, form, term=term)
    if report.errors:
        return _page(request, form, term=term, report=report)
    token = secrets.token_urlsafe(24)
    cache.set(
        _stash_key(request.user.pk, token),
        {"term_id": term.pk, "content": content, "filename": upload.name},
        STASH_SECONDS,
    )
    preview_rows = [
        {
            "row_number": row.row_number,
            "name": row.name,
            "id_masked": mask_id_number(row.id_number),
            "mobile_masked": mask_phone(row.mobile),
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
            "filename": upload.name,
            "preview_rows": preview_rows,
        },
    )


@login_required
@require_POST
def roster_import_confirm(request: HttpRequest) -> HttpResponse:
    """Write the previewed file in one transaction (validated again there)."""
    if not can_manage_roster(request.user):
        return forbidden(request, _("您没有导入委员名册的权限。"))
    token = request.POST.get("token", "")
    key = _stash_key(request.user.pk, token)
    stash = cache.get(key) if _TOKEN.match(token) else None
    term, terms = pick_term(request, stash["term_id"] if stash else None)
    if stash is None or term is None or term.pk != stash["term_id"]:
        messages.error(request, _("导入预览已过期或无效，未导入任何数据。请重新上传文件。"))
        return redirect("members:import")
    try:
        result = roster_import_apply(
            actor=request.user, term=term, content=stash["content"], filename=stash["filename"]
        )
    except ValidationFailed as exc:
        cache.delete(key)
        form = ImportUploadForm(initial={"term": term.pk}, terms=terms)
        return _page(
            request,
            form,
            term=term,
            failure=exc.message,
            failure_errors=exc.extra.get("errors", []),
        )
    except (Conflict, NotFound, PermissionDenied) as exc:
        messages.error(request, exc.message)
        return redirect("members:import")
    cache.delete(key)
    messages.success(
        request,
        _("导入完成：新增 %(created)d 人，更新 %(updated)d 人，创建账户 %(accounts)d 个。")
        % {"created": result.created, "updated": result.updated, "accounts": result.accounts},
    )
    return redirect(f"{reverse('members:roster')}?term={term.pk}")


@login_required
def roster_import_template(request: HttpRequest) -> HttpResponse:
    """The .xlsx template with this committee's sectors, committees and groups as choices."""
    if not can_manage_roster(request.user):
        return forbidden(request, _("您没有导入委员名册的权限。"))
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
    return xlsx_response(content, "委员名册导入模板.xlsx")
