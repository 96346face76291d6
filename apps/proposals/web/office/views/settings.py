"""提案工作设置: the committee's ProposalSettings and its categories, edited by its proposal office
(or a system administrator) through proposal_settings_update and category_save."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import user_is_sysadmin
from apps.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.organisation.models import Committee
from apps.organisation.selectors import committee_for_user

from .... import services
from ....selectors.config import category_list, proposal_settings_for
from ..forms import CategoryForm, SettingsForm
from ._common import forbidden, office_committee_id, parse_int

PREFIX = re.compile(r"^(c\d+|new)$")


def _committee(request: HttpRequest) -> Committee | None:
    """The proposal office's own committee; a system administrator may pick (`committee`)."""
    user = request.user
    own = office_committee_id(user)
    if own is not None:
        return Committee.objects.get(pk=own)
    if not user_is_sysadmin(user):
        return None
    wanted = parse_int(request.POST.get("committee") or request.GET.get("committee"))
    try:
        return committee_for_user(user=user, committee_id=wanted)
    except NotFound as error:
        raise Http404(error.message) from error


def _page_url(committee: Committee, request: HttpRequest, anchor: str = "") -> str:
    url = reverse("proposals:office_settings")
    if office_committee_id(request.user) is None:
        url += f"?committee={committee.pk}"
    return url + anchor


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    if committee is None:
        return forbidden(request, _("只有提案委员会办公室可以修改提案工作设置。"))
    current = proposal_settings_for(committee.pk)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            changes = form.changes(current)
            if not changes:
                messages.info(request, _("设置没有变化。"))
                return redirect(_page_url(committee, request))
            try:
                services.proposal_settings_update(
                    user=request.user, committee_id=committee.pk, changes=changes
                )
            except ValidationFailed as error:
                form.add_service_errors(error.extra.get("errors", {}))
                messages.error(request, error.message)
            except PermissionDenied as error:
                return forbidden(request, error.message)
            else:
                messages.success(request, _("提案工作设置已保存。"))
                return redirect(_page_url(committee, request))
        else:
            messages.error(request, _("设置未保存，请按红字提示修改。"))
    else:
        form = SettingsForm(initial=SettingsForm.initial_for(current))
    categories = list(category_list(committee=committee.pk, include_inactive=True))
    next_order = max((c.sort_order for c in categories), default=-1) + 1
    context: dict[str, Any] = {
        "committee": committee,
        "pick_committee": office_committee_id(request.user) is None,
        "form": form,
        "category_rows": [
            (
                category,
                CategoryForm(
                    prefix=f"c{category.pk}",
                    initial={
                        "name": category.name,
                        "sort_order": category.sort_order,
                        "is_active": category.is_active,
                        "category_id": category.pk,
                    },
                ),
            )
            for category in categories
        ],
        "new_category": CategoryForm(prefix="new", initial={"sort_order": next_order}),
    }
    return render(request, "proposals/office/settings.html", context, status=200)


@login_required
@require_POST
def category_save(request: HttpRequest) -> HttpResponse:
    """Add a category, or rename / reorder / (de)activate one."""
    committee = _committee(request)
    if committee is None:
        return forbidden(request, _("只有提案委员会办公室可以修改提案类别。"))
    back = _page_url(committee, request, "#categories")
    prefix = request.POST.get("prefix", "")
    if not PREFIX.match(prefix):
        messages.error(request, _("提交的内容有误，请重试。"))
        return redirect(back)
    form = CategoryForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _("类别未保存：%(errors)s") % {"errors": form.error_text()})
        return redirect(back)
    data = form.cleaned_data
    category_id = data["category_id"] if prefix != "new" else None
    if category_id is not None and not (
        category_list(committee=committee.pk, include_inactive=True).filter(pk=category_id).exists()
    ):
        raise Http404(_("未找到该类别。"))
    try:
        services.category_save(
            user=request.user,
            committee_id=committee.pk,
            name=data["name"],
            sort_order=data["sort_order"],
            is_active=data["is_active"],
            category_id=category_id,
        )
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("已添加类别“%(name)s”。") % {"name": data["name"]}
        if category_id is None
        else _("类别“%(name)s”已保存。") % {"name": data["name"]},
    )
    return redirect(back)
