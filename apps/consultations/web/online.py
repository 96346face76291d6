"""码上商量 pages: the organisers' list, the new-consultation form, the moderation queue with
statistics (chart, keywords), the export and the QR poster; and the public phone page (no
account, light: no framework CSS or script)."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.context import client_ip
from apps.core.downloads import download_response, xlsx_response
from apps.core.errors import NotFound
from apps.core.forms import StyledForm
from apps.core.pages import perform

from .. import documents
from ..models import Comment, CommentStatus
from ..permissions import can_schedule
from ..selectors.online import (
    approved_comments,
    moderation_queue,
    online_get_for_staff,
    online_get_public,
    online_list_for_staff,
    online_stats,
)
from ..services.online import (
    comment_post,
    comments_moderate,
    online_create,
    online_is_open,
    online_visit,
)
from .common import render_page
from .forms import _datetime


class OnlineForm(StyledForm):
    title = django_forms.CharField(label=gettext_lazy("标题"), max_length=150)
    introduction = django_forms.CharField(
        label=gettext_lazy("议题介绍"), widget=django_forms.Textarea(attrs={"rows": 4})
    )
    opens_at = _datetime(gettext_lazy("开始时间"))
    closes_at = _datetime(gettext_lazy("截止时间"))


class CommentForm(StyledForm):
    body = django_forms.CharField(
        label=gettext_lazy("您的意见建议"), widget=django_forms.Textarea(attrs={"rows": 5})
    )
    author_name = django_forms.CharField(
        label=gettext_lazy("署名（可选）"), max_length=40, required=False
    )
    # A field people never see: scripts fill it in.
    website = django_forms.CharField(required=False, label=gettext_lazy("网址"))


def _staff(request: AuthenticatedRequest) -> int:
    committee_id = request.user.committee_id
    if committee_id is None or not can_schedule(request.user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以管理网上协商。"))
    return committee_id


@login_required
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    _staff(request)
    return render_page(
        request,
        "consultations/online/list.html",
        {"items": list(online_list_for_staff(user=request.user)[:100]), "now": timezone.now()},
    )


@login_required
def staff_new(request: AuthenticatedRequest) -> HttpResponse:
    _staff(request)
    form = OnlineForm(request.POST or None)
    if request.method != "POST":
        return render_page(request, "consultations/online/new.html", {"form": form})
    return perform(
        request,
        lambda: online_create(user=request.user, data=form.cleaned_data),
        form=form,
        success=_("网上协商已创建，可以下载二维码海报张贴。"),
        redirect_to=lambda item: reverse("consultations:online_detail", args=[item.pk]),
        render=lambda: render_page(request, "consultations/online/new.html", {"form": form}),
    )


def _get(request: AuthenticatedRequest, pk: int):  # type: ignore[no-untyped-def]
    try:
        return online_get_for_staff(user=request.user, consultation_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _detail(request: AuthenticatedRequest, pk: int, status_code: int = 200) -> HttpResponse:
    consultation = _get(request, pk)
    status = request.GET.get("status", CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    page = Paginator(moderation_queue(consultation=consultation, status=status), 50).get_page(
        request.GET.get("page")
    )
    stats = online_stats(consultation=consultation)
    chart = {
        "trend": {
            "kind": "line",
            "categories": [f"{day:%m-%d}" for day in stats.days],
            "series": [
                {"name": str(_("访问")), "data": stats.visits},
                {"name": str(_("留言")), "data": stats.comments},
            ],
        }
    }
    return render_page(
        request,
        "consultations/online/detail.html",
        {
            "consultation": consultation,
            "page": page,
            "status": status,
            "statuses": CommentStatus.choices,
            "stats": stats,
            "chart": chart,
            "trend_rows": list(zip(stats.days, stats.visits, stats.comments, strict=True)),
            "public_url": request.build_absolute_uri(
                reverse("consultation_short", args=[consultation.public_key])
            ),
            "open": online_is_open(consultation),
        },
        partial="queue",
        status=status_code,
    )


@login_required
def staff_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@require_POST
def moderate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _get(request, pk)
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    action = request.POST.get("action", "")
    back = request.POST.get("next") or reverse("consultations:online_detail", args=[pk])
    if not back.startswith("/consultations/"):
        back = reverse("consultations:online_detail", args=[pk])
    return perform(
        request,
        lambda: comments_moderate(
            user=request.user,
            consultation_id=pk,
            comment_ids=ids,
            action=action,
            reason=request.POST.get("reason", ""),
        ),
        success=lambda count: _("已处理%(count)d条留言。") % {"count": count},
        redirect_to=back,
        render=lambda: _detail(request, pk),
    )


@login_required
def export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    rows = (
        Comment.objects.filter(consultation=consultation)
        .select_related("membership__member")
        .order_by("created_at", "id")
        .iterator(chunk_size=1000)
    )
    return xlsx_response(
        documents.comments_xlsx(consultation, rows), f"{consultation.title}-留言.xlsx"
    )


@login_required
def poster(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _get(request, pk)
    content = documents.poster_pdf(
        title=consultation.title,
        introduction=consultation.introduction,
        url=request.build_absolute_uri(
            reverse("consultation_short", args=[consultation.public_key])
        ),
        committee=consultation.committee.name,
        until=f"{timezone.localtime(consultation.closes_at):%Y年%m月%d日 %H:%M}",
    )
    return download_response(
        content, f"{consultation.title}-海报.pdf", "application/pdf", inline=True
    )


def _public_page(
    request: HttpRequest,
    consultation,
    form: CommentForm,
    status: int = 200,  # type: ignore[no-untyped-def]
) -> HttpResponse:
    page = Paginator(approved_comments(consultation=consultation), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/public/page.html",
        {
            "consultation": consultation,
            "page": page,
            "form": form,
            "open": online_is_open(consultation),
        },
        status=status,
    )


def public(request: HttpRequest, key: str) -> HttpResponse:
    """The public page: the topic, approved comments, the comment form (no account needed)."""
    try:
        consultation = online_get_public(key=key)
    except NotFound as error:
        raise Http404(error.message) from error
    form = CommentForm(request.POST or None)
    if request.method != "POST":
        if not request.GET.get("page"):
            online_visit(consultation=consultation)
        return _public_page(request, consultation, form)
    return perform(
        request,
        lambda: comment_post(
            consultation_id=consultation.pk,
            body=form.cleaned_data["body"],
            author_name=form.cleaned_data["author_name"],
            honeypot=form.cleaned_data["website"],
            ip=client_ip(request),
            user=request.user,
        ),
        form=form,
        success=_("感谢您的留言！留言经审核后公开显示。"),
        redirect_to=request.path,
        render=lambda: _public_page(request, consultation, form),
    )
