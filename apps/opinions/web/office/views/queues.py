"""The 社情民意信息处's workbench: how much waits in each queue, and each queue's list (待筛选,
编辑中, 待签发, 待编入期刊, 待录入反馈; also 退回修改中 and 已编发)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from apps.accounts.requests import AuthenticatedRequest

from ....selectors import office_queue, office_queue_counts, referrals_pending
from ...common import render_page, status_badge
from ._common import office_required

PAGE_SIZE = 20


@dataclass(frozen=True)
class Queue:
    name: str
    title: Promise
    description: Promise


QUEUE_LIST = (
    Queue(
        "screen",
        gettext_lazy("待筛选"),
        gettext_lazy("新报送和修改后重新提交的信息：接收、退回修改或不予采用；同类信息可合并。"),
    ),
    Queue("edit", gettext_lazy("编辑中"), gettext_lazy("已接收的信息：编辑加工后送领导签发。")),
    Queue("signoff", gettext_lazy("待签发"), gettext_lazy("已送领导签发、尚未签发的信息。")),
    Queue("bulletin", gettext_lazy("待编入期刊"), gettext_lazy("已签发、尚未编入期刊的信息。")),
    Queue(
        "returned",
        gettext_lazy("退回修改中"),
        gettext_lazy("已退回报送人修改、尚未重新提交的信息。"),
    ),
    Queue(
        "published",
        gettext_lazy("已编发"),
        gettext_lazy("已编入期刊的信息：登记采用、批示和转办。"),
    ),
)
QUEUES = {queue.name: queue for queue in QUEUE_LIST}


@office_required
@require_GET
def home(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """The workbench: the counts of every queue, linking to each."""
    return render(
        request,
        "opinions/office/home.html",
        {"counts": office_queue_counts(committee_id=committee_id), "queues": QUEUE_LIST},
    )


@office_required
@require_GET
def queue(request: AuthenticatedRequest, name: str, *, committee_id: int) -> HttpResponse:
    """One queue, urgent reports first, 20 a page (the list alone for htmx)."""
    if name == "feedback":
        pending = Paginator(referrals_pending(committee_id=committee_id), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render_page(request, "opinions/office/feedback.html", "results", {"page": pending})
    spec = QUEUES.get(name)
    if spec is None:
        raise Http404(_("没有这个工作队列。"))
    page = Paginator(
        office_queue(user=request.user, committee_id=committee_id, queue=name), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [{"report": report, "badge": status_badge(report.status)} for report in page.object_list]
    return render_page(
        request,
        "opinions/office/queue.html",
        "results",
        {"queue": spec, "page": page, "rows": rows, "queues": QUEUE_LIST},
    )
