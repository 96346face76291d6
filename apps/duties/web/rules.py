"""The rule pages: each year's rule sets (install a preset, copy, put in effect, retire), the
rule editor (validated when saved; the preset's reading of open points shown), the year's
recomputation progress (polled while it runs), closing and reopening a year, the committee's
activity types."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import DomainError
from apps.core.pages import is_htmx, perform

from ..models import RecomputeStatus, RuleSetKind, ScoringRuleSet
from ..permissions import can_manage
from ..rules.items import SPLIT_ITEMS, is_adoption_level, is_role_item
from ..rules.library import preset_get, presets
from ..rules.schema import definition_from_dict
from ..rules.validate import grade_range, reachable_maximum
from ..selectors import committee_years, duty_year_get, rule_sets_of, years_with_rules
from ..services.filings import activity_type_add, activity_types_for
from ..services.rules import (
    committee_labels,
    rule_set_activate,
    rule_set_copy,
    rule_set_install,
    rule_set_retire,
    rule_set_save,
)
from ..services.years import year_close, year_refresh_request, year_reopen
from .common import staff_committee, year_of
from .display import points
from .forms import (
    ActivityTypeForm,
    CategoryFormSet,
    CopyForm,
    GeneralForm,
    GradeFormSet,
    InstallForm,
    ItemFormSet,
    MinimumFormSet,
    build_definition,
    initial_from,
)


def _preset_choices() -> list[tuple[str, str]]:
    return [(preset.key, preset.name) for preset in presets()]


@login_required
def rule_sets(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = staff_committee(request)
    manage = can_manage(request.user, committee_id)
    year = year_of(request)
    install = InstallForm(request.POST or None, presets=_preset_choices(), initial={"year": year})
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("只有本级委员联络处可以修改考评细则。"))
        return perform(
            request,
            lambda: rule_set_install(
                user=request.user,
                committee_id=committee_id,
                year=install.cleaned_data["year"],
                preset_key=install.cleaned_data["preset"],
            ),
            form=install,
            success=_("已安装预置细则（草稿）。请检查并调整后启用。"),
            redirect_to=lambda rule_set: reverse("duties:rule_set", args=[rule_set.pk]),
            back=reverse("duties:rules"),
        )
    sets = list(rule_sets_of(committee_id=committee_id))
    years = sorted({*years_with_rules(committee_id=committee_id), year}, reverse=True)
    states = committee_years(committee_id=committee_id, years=years)
    by_year = [
        {
            "year": y,
            "sets": [s for s in sets if s.year == y],
            "state": states.get(y),
        }
        for y in years
    ]
    return render(
        request,
        "duties/rules/list.html",
        {
            "by_year": by_year,
            "install": install,
            "manage": manage,
            "presets": presets(),
            "types": activity_types_for(committee_id, include_inactive=True) if manage else [],
            "type_form": ActivityTypeForm(),
        },
    )


def _rule_set(request: AuthenticatedRequest, pk: int) -> tuple[ScoringRuleSet, bool]:
    committee_id = staff_committee(request)
    rule_set = ScoringRuleSet.objects.filter(pk=pk, committee_id=committee_id).first()
    if rule_set is None:
        raise Http404(_("未找到该考评细则。"))
    return rule_set, can_manage(request.user, committee_id)


def _item_choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


def _forms(rule_set: ScoringRuleSet, data: Any = None) -> dict[str, Any]:
    labels = committee_labels(rule_set.committee_id)
    definition = definition_from_dict(rule_set.definition)
    initial = initial_from(definition, rule_set.name)
    items = _item_choices(labels)
    categories = [(c["key"], c["name"] or c["key"]) for c in initial["category"]]
    if data is not None:
        # Categories added on the page (keys given by the page's script) can hold items too.
        total = (
            int(data.get("category-TOTAL_FORMS") or 0)
            if str(data.get("category-TOTAL_FORMS", "")).isdigit()
            else 0
        )
        known = {key for key, _label in categories}
        for index in range(min(total, 50)):
            key = (data.get(f"category-{index}-key") or "").strip()
            if key and key not in known:
                categories.append((key, data.get(f"category-{index}-name") or key))
                known.add(key)
    return {
        "general": GeneralForm(data, initial=initial["general"], prefix="general"),
        "category": CategoryFormSet(data, initial=initial["category"], prefix="category"),
        "item": ItemFormSet(
            data,
            initial=initial["item"],
            prefix="item",
            form_kwargs={"categories": categories, "items": items},
        ),
        "minimum": MinimumFormSet(
            data, initial=initial["minimum"], prefix="minimum", form_kwargs={"items": items}
        ),
        "grade": GradeFormSet(data, initial=initial["grade"], prefix="grade"),
        "labels": labels,
        "definition": definition,
    }


def _editor_context(
    request: AuthenticatedRequest,
    rule_set: ScoringRuleSet,
    manage: bool,
    forms: dict[str, Any],
    problems: list[str] | None = None,
) -> dict[str, Any]:
    definition = forms["definition"]
    preset = preset_get(rule_set.preset) if rule_set.preset else None
    duty_year = duty_year_get(committee_id=rule_set.committee_id, year=rule_set.year)
    top = reachable_maximum(definition) if rule_set.kind == RuleSetKind.SCORING else None
    return {
        "rule_set": rule_set,
        "manage": manage,
        "closed": bool(duty_year and duty_year.closed),
        "duty_year": duty_year,
        "forms": forms,
        "checklist": rule_set.kind == RuleSetKind.CHECKLIST,
        "readings": definition.readings,
        "preset": preset,
        "problems": problems or [],
        "grades": [{"label": g.label, "range": grade_range(g)} for g in definition.grades],
        "top": points(top) if top is not None else "",
        "role_items": sorted(code for code in forms["labels"] if is_role_item(code)),
        "adoption_levels": [
            label for code, label in forms["labels"].items() if is_adoption_level(code)
        ],
        "split_items": sorted(SPLIT_ITEMS),
        "copy_form": CopyForm(initial={"year": rule_set.year + 1}),
        "labels": forms["labels"],
    }


def _apply_errors(forms: dict[str, Any], built: Any, error: DomainError) -> list[str]:
    """Put a service's rule problems on the editor's fields; return every message."""
    errors: dict[str, str] = error.extra.get("errors") or {}
    for key, message in errors.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] in built.rows and parts[1].isdigit():
            part, index, field = parts[0], int(parts[1]), parts[2]
            rows = built.rows[part]
            formset = forms[part]
            if index < len(rows) and rows[index] < len(formset.forms):
                form = formset.forms[rows[index]]
                form.add_error(field if field in form.fields else None, message)
                continue
        general = forms["general"]
        general.add_error(key if key in general.fields else None, message)
    return list(error.extra.get("problems") or [error.message])


@login_required
def rule_set_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The rule editor (read only for leadership, or when the year is closed)."""
    rule_set, manage = _rule_set(request, pk)
    if request.method != "POST":
        forms = _forms(rule_set)
        return render(
            request, "duties/rules/detail.html", _editor_context(request, rule_set, manage, forms)
        )
    if not manage:
        raise PermissionDenied(_("只有本级委员联络处可以修改考评细则。"))
    forms = _forms(rule_set, request.POST)
    parts = [forms["general"], forms["category"], forms["item"], forms["minimum"], forms["grade"]]
    valid = all(part.is_valid() for part in parts)

    def page(problems: list[str] | None = None, status: int = 422) -> HttpResponse:
        return render(
            request,
            "duties/rules/detail.html",
            _editor_context(request, rule_set, manage, forms, problems),
            status=status,
        )

    if not valid:
        return page([_("请按提示修改标红的内容。")])
    built = build_definition(
        forms["general"].cleaned_data,
        forms["category"],
        forms["item"],
        forms["minimum"],
        forms["grade"],
    )
    if built.orphans:
        for index in built.orphans:
            forms["item"].forms[index].add_error("category", _("请选择所属类别。"))
        return page([_("有计分项目没有选择所属类别。")])
    try:
        rule_set_save(
            user=request.user,
            rule_set_id=rule_set.pk,
            name=forms["general"].cleaned_data["name"],
            definition=built.as_dict(),
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise PermissionDenied(error.message) from error
        return _with(page(_apply_errors(forms, built, error)), error.status)
    from django.contrib import messages

    rule_set.refresh_from_db()
    messages.success(
        request,
        _("细则已保存。正在按新细则重新计算%(year)d年度全体委员的得分。") % {"year": rule_set.year}
        if rule_set.status == "active"
        else _("细则已保存。"),
    )
    from django.shortcuts import redirect

    return redirect(reverse("duties:rule_set", args=[rule_set.pk]))


def _with(response: HttpResponse, status: int) -> HttpResponse:
    response.status_code = status
    return response


@login_required
@require_POST
def rule_set_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    rule_set, _manage = _rule_set(request, pk)
    back = reverse("duties:rule_set", args=[pk])
    if action == "activate":
        return perform(
            request,
            lambda: rule_set_activate(user=request.user, rule_set_id=pk),
            success=_("已启用。正在重新计算%(year)d年度全体委员的得分。") % {"year": rule_set.year},
            redirect_to=back,
        )
    if action == "retire":
        return perform(
            request,
            lambda: rule_set_retire(user=request.user, rule_set_id=pk),
            success=_("已停用。"),
            redirect_to=back,
        )
    if action == "copy":
        form = CopyForm(request.POST)
        return perform(
            request,
            lambda: rule_set_copy(
                user=request.user, rule_set_id=pk, year=form.cleaned_data["year"]
            ),
            form=form,
            success=_("已复制为新的草稿，可调整后启用。"),
            redirect_to=lambda copy: reverse("duties:rule_set", args=[copy.pk]),
            back=back,
        )
    raise Http404(_("没有这个操作。"))


@login_required
def year_progress(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The recomputation's progress (the rule page polls this fragment while it runs)."""
    committee_id = staff_committee(request)
    duty_year = duty_year_get(committee_id=committee_id, year=year)
    response = render(
        request,
        "duties/rules/_progress.html",
        {"duty_year": duty_year, "year": year, "standalone": True},
    )
    if (
        duty_year is not None
        and duty_year.recompute_status != RecomputeStatus.RUNNING
        and is_htmx(request)
    ):
        response["HX-Trigger"] = "duties-recomputed"
    return response


@login_required
@require_POST
def year_action(request: AuthenticatedRequest, year: int, action: str) -> HttpResponse:
    committee_id = staff_committee(request)
    back = request.POST.get("next") or reverse("duties:rules")
    if not back.startswith("/duties/"):
        back = reverse("duties:rules")
    verbs = {
        "close": (year_close, _("%(year)d年度考评已结束，结果已冻结。")),
        "reopen": (year_reopen, _("%(year)d年度考评已重新开放，正在重新计算。")),
        "refresh": (year_refresh_request, _("正在重新汇总%(year)d年度的履职记录并计算得分。")),
    }
    if action not in verbs:
        raise Http404(_("没有这个操作。"))
    verb, message = verbs[action]
    return perform(
        request,
        lambda: verb(user=request.user, committee_id=committee_id, year=year),
        success=message % {"year": year},
        redirect_to=back,
    )


@login_required
@require_POST
def activity_type_new(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = staff_committee(request)
    form = ActivityTypeForm(request.POST)
    return perform(
        request,
        lambda: activity_type_add(
            user=request.user, committee_id=committee_id, name=form.cleaned_data["name"]
        ),
        form=form,
        success=_("已增加活动类型，可在考评细则中为它设置分值。"),
        redirect_to=reverse("duties:rules"),
    )
