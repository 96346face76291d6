"""提案工作设置: the committee's ProposalSettings and its categories, edited by its proposal office
(or a system administrator) through proposal_settings_update and category_save."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.accounts.permissions import user_is_sysadmin
from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound, ValidationFailed
from apps.core.pages import perform
from apps.organisation.models import Committee
from apps.organisation.selectors import committee_for_user

from .... import services
from ....models import ProposalCategory
from ....selectors.config import category_list, proposal_settings_for
from ..forms import CategoryForm, SettingsForm
from ._common import office_committee_id, parse_int

PREFIX = re.compile(r"^(c\d+|new)$")


def _committee(request: AuthenticatedRequest) -> Committee | None:
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


def _page_url(committee: Committee, request: AuthenticatedRequest, anchor: str = "") -> str:
    url = reverse("proposals:office_settings")
    if office_committee_id(request.user) is None:
        url += f"?committee={committee.pk}"
    return url + anchor


def _settings_page(
    request: AuthenticatedRequest,
    committee: Committee,
    *,
    form: SettingsForm | None = None,
    category_form: CategoryForm | None = None,
) -> HttpResponse:
    """The settings and the categories; a refused form is shown again with its errors."""
    current = proposal_settings_for(committee.pk)
    categories = list(category_list(committee=committee.pk, include_inactive=True))
    next_order = max((c.sort_order for c in categories), default=-1) + 1
    rows = []
    for category in categories:
        prefix = f"c{category.pk}"
        if category_form is not None and category_form.prefix == prefix:
            rows.append((category, category_form))
            continue
        initial = {
            "name": category.name,
            "sort_order": category.sort_order,
            "is_active": category.is_active,
            "category_id": category.pk,
        }
        rows.append((category, CategoryForm(prefix=prefix, initial=initial)))
    new_category = (
        category_form
        if category_form is not None and category_form.prefix == "new"
        else CategoryForm(prefix="new", initial={"sort_order": next_order})
    )
    context: dict[str, Any] = {
        "committee": committee,
        "pick_committee": office_committee_id(request.user) is None,
        "form": form or SettingsForm(initial=SettingsForm.initial_for(current)),
        "category_rows": rows,
        "new_category": new_category,
    }
    return render(request, "proposals/office/settings.html", context)


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    committee = _committee(request)
    if committee is None:
        raise PermissionDenied(_("只有提案委员会办公室可以修改提案工作设置。"))
    if request.method != "POST":
        return _settings_page(request, committee)
    current = proposal_settings_for(committee.pk)
    form = SettingsForm(request.POST)
    back = _page_url(committee, request)
    if form.is_valid() and not form.changes(current):
        messages.info(request, _("设置没有变化。"))
        return redirect(back)

    def refused() -> HttpResponse:
        messages.error(request, _("设置未保存，请按红字提示修改。"))
        return _settings_page(request, committee, form=form)

    return perform(
        request,
        lambda: services.proposal_settings_update(
            user=request.user, committee_id=committee.pk, changes=form.changes(current)
        ),
        form=form,
        success=_("提案工作设置已保存。"),
        redirect_to=back,
        render=refused,
    )


def _category_save(
    *, user: User, committee: Committee, prefix: str, form: CategoryForm
) -> ProposalCategory:
    if not PREFIX.match(prefix):
        raise ValidationFailed(_("提交的内容有误，请重试。"))
    data = form.cleaned_data
    category_id = data["category_id"] if prefix != "new" else None
    if category_id is not None and not (
        category_list(committee=committee.pk, include_inactive=True).filter(pk=category_id).exists()
    ):
        raise NotFound(_("未找到该类别。"))
    return services.category_save(
        user=user,
        committee_id=committee.pk,
        name=data["name"],
        sort_order=data["sort_order"],
        is_active=data["is_active"],
        category_id=category_id,
    )


@login_required
@require_POST
def category_save(request: AuthenticatedRequest) -> HttpResponse:
    """Add a category, or rename / reorder / (de)activate one."""
    committee = _committee(request)
    if committee is None:
        raise PermissionDenied(_("只有提案委员会办公室可以修改提案类别。"))
    prefix = request.POST.get("prefix", "")
    form = CategoryForm(request.POST, prefix=prefix if PREFIX.match(prefix) else "new")
    return perform(
        request,
        lambda: _category_save(user=request.user, committee=committee, prefix=prefix, form=form),
        form=form,
        success=lambda category: (
            _("已添加类别“%(name)s”。") % {"name": category.name}
            if prefix == "new"
            else _("类别“%(name)s”已保存。") % {"name": category.name}
        ),
        redirect_to=_page_url(committee, request, "#categories"),
        render=lambda: _settings_page(request, committee, category_form=form),
    )
