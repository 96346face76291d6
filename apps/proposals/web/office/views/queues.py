"""The office home (its work queues as cards) and one page per queue: a full, paginated,
filterable list. Every queue reads a scoped selector of apps.proposals.selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.accounts.requests import AuthenticatedRequest

from ....selectors.config import category_list
from ....selectors.office import (
    handling_units_grouped,
    office_queue_counts,
    proposal_assign_queue,
)
from ....selectors.queues import (
    assignment_extension_queue,
    assignment_overdue_list,
    assignment_return_queue,
    proposal_key_list,
    proposal_review_queue,
    proposal_transfer_pending_list,
    reply_review_queue,
)
from ...common import render_page
from ..forms import QueueFilterForm
from ._common import office_required

PAGE_SIZE = 50
PREVIEW_SIZE = 5

# How each kind of queue row reaches its proposal (for the text and category filters) and its
# handling unit (for the unit filter).
PROPOSAL_PATH = {"proposal": "", "assignment": "proposal__", "reply": "assignment__proposal__"}
UNIT_FIELD = {"assignment": "handling_unit_id", "reply": "assignment__handling_unit_id"}


@dataclass(frozen=True)
class Queue:
    name: str  # also the URL name: proposals:office_<name>
    title: Promise
    description: Promise
    kind: str  # "proposal", "assignment" or "reply"
    selector: Callable[..., QuerySet[Any]]
    empty: Promise

    @property
    def url_name(self) -> str:
        return f"proposals:office_{self.name}"


QUEUES: dict[str, Queue] = {
    queue.name: queue
    for queue in (
        Queue(
            "review",
            _("待审查"),
            _("委员已提交、等待审查立案的提案，先交先审。"),
            "proposal",
            proposal_review_queue,
            _("没有待审查的提案。"),
        ),
        Queue(
            "transfers",
            _("待转交确认"),
            _("已建议转为社情民意信息或意见建议、正在等待提案人同意的提案。"),
            "proposal",
            proposal_transfer_pending_list,
            _("没有等待提案人确认转交的提案。"),
        ),
        Queue(
            "assign",
            _("待交办"),
            _("已立案、尚未交办的提案。"),
            "proposal",
            proposal_assign_queue,
            _("没有待交办的提案。"),
        ),
        Queue(
            "returns",
            _("申退待处理"),
            _("承办单位认为不属于本单位职责、申请退回的交办事项。"),
            "assignment",
            assignment_return_queue,
            _("没有待处理的申退。"),
        ),
        Queue(
            "extensions",
            _("延期申请"),
            _("承办单位申请延长办理期限，等待审批。"),
            "assignment",
            assignment_extension_queue,
            _("没有待审批的延期申请。"),
        ),
        Queue(
            "replies",
            _("答复待审核"),
            _("承办单位已提交答复，审核通过后送达提案人。"),
            "reply",
            reply_review_queue,
            _("没有待审核的答复。"),
        ),
        Queue(
            "overdue",
            _("逾期未办复"),
            _("已超过办理期限仍未答复的交办事项，逾期最久的在前。"),
            "assignment",
            assignment_overdue_list,
            _("没有逾期未办复的交办事项。"),
        ),
    )
}


def _filtered(queryset: QuerySet[Any], kind: str, values: dict[str, Any]) -> QuerySet[Any]:
    path = PROPOSAL_PATH[kind]
    if values["q"]:
        queryset = queryset.filter(
            Q(**{f"{path}number_label__icontains": values["q"]})
            | Q(**{f"{path}title__icontains": values["q"]})
        )
    if values["category"]:
        queryset = queryset.filter(**{f"{path}category_id": values["category"]})
    if values.get("unit") and kind in UNIT_FIELD:
        queryset = queryset.filter(**{UNIT_FIELD[kind]: values["unit"]})
    return queryset


@office_required
def queue(request: AuthenticatedRequest, *, name: str, committee_id: int) -> HttpResponse:
    """One work queue in full: filter by text, category and (for units' requests) unit."""
    spec = QUEUES[name]
    categories = list(category_list(committee=committee_id))
    groups = handling_units_grouped(committee_id=committee_id) if spec.kind in UNIT_FIELD else []
    filters = QueueFilterForm(request.GET, categories=categories, unit_groups=groups)
    values = filters.values()
    queryset = _filtered(
        spec.selector(user=request.user, committee_id=committee_id), spec.kind, values
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "queue": spec,
        "filters": filters,
        "show_unit_filter": bool(groups),
        "filtered": any(values.values()),
        "page": page,
        "items": list(page.object_list),
        "today": timezone.localdate(),
        "here": request.get_full_path(),
    }
    return render_page(request, "proposals/office/queue.html", "results", context)


@office_required
def office_home(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """提案办理 home: each queue as a card with its count and first few items."""
    user = request.user
    today = timezone.localdate()
    counts = office_queue_counts(user=user, committee_id=committee_id, today=today)
    cards = []
    for spec in QUEUES.values():
        count = getattr(counts, spec.name)
        selector_kwargs: dict[str, Any] = {"user": user, "committee_id": committee_id}
        if spec.name == "overdue":
            selector_kwargs["today"] = today
        items = list(spec.selector(**selector_kwargs)[:PREVIEW_SIZE]) if count else []
        cards.append({"queue": spec, "count": count, "items": items, "url": reverse(spec.url_name)})
    key_items = (
        list(proposal_key_list(user=user, committee_id=committee_id)[:PREVIEW_SIZE])
        if counts.key
        else []
    )
    context = {
        "counts": counts,
        "cards": cards,
        "key_items": key_items,
        "today": today,
    }
    return render(request, "proposals/office/home.html", context)
