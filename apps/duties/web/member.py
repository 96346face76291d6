"""The member's pages: 我的履职档案 (a year's score with its explanation, records, filings and
warnings), the printable 履职档案 of a term, filing an activity, a filing's page (correct and
refile a returned one, withdraw), evidence downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import download_response
from apps.core.errors import NotFound
from apps.core.pages import perform

from ..models import ActivityFiling, FilingEvidence
from ..permissions import can_view_committee, current_membership, owns_membership
from ..selectors import (
    committee_years,
    filing_get_for_user,
    filings_of,
    member_year,
    membership_visible,
    records_for,
    term_archive,
    terms_of_member,
    warnings_of,
)
from ..services.filings import activity_types_for, duty_settings_for, filing_resubmit, filing_submit
from ..workflow import filing_actions_for, filing_withdraw
from .common import year_of, year_view
from .forms import FilingForm


def _membership_or_404(request: AuthenticatedRequest):  # type: ignore[no-untyped-def]
    membership = current_membership(request.user)
    if membership is None:
        raise Http404(_("尚未找到您本届的委员信息，请联系委员联络处。"))
    return membership


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """我的履职档案 for a year (this year unless ?year=). A fixed number of queries whatever
    the number of records: the year (summary, years on file, closed), its records, the filings
    and the warnings. (The member's terms are the archive's menu, not this page's.)"""
    membership = _membership_or_404(request)
    year = year_of(request)
    found = member_year(
        membership_id=membership.pk, committee_id=membership.committee_id, year=year
    )
    records = list(records_for(membership_id=membership.pk, year=year))
    context = year_view(year=year, summary=found.summary, records=records, closed=found.closed)
    years = sorted({year, *found.years}, reverse=True)
    filings = list(filings_of(membership_id=membership.pk)[:50])
    context.update(
        membership=membership,
        years=years,
        filings=[(filing, filing_actions_for(request.user, filing)) for filing in filings],
        warnings=list(warnings_of(membership_id=membership.pk)),
    )
    return render(request, "duties/member/mine.html", context)


@login_required
def archive(request: AuthenticatedRequest, membership_id: int | None = None) -> HttpResponse:
    """The printable 履职档案 of one term: the member's own (any of their terms), or — for the
    委员联络处 and leadership — any member of their committee. A fixed number of queries:
    the membership (none for the member's current one, already read for the request), the
    term's summaries, its records, its years' closed state and the member's terms."""
    if membership_id is None:
        membership = _membership_or_404(request)
    else:
        try:
            membership = membership_visible(user=request.user, membership_id=membership_id)
        except NotFound as error:
            raise Http404(error.message) from error
    years = term_archive(membership=membership)
    closed = committee_years(
        committee_id=membership.committee_id, years=[item.year for item in years]
    )
    own = owns_membership(request.user, membership)
    pages = []
    for item in years:
        records = [r for rows in item.records.values() for r in rows]
        duty_year = closed.get(item.year)
        context = year_view(
            year=item.year,
            summary=item.summary,
            records=records,
            closed=bool(duty_year and duty_year.closed),
        )
        pages.append(
            {
                "year": item.year,
                "summary": item.summary,
                "context": context,
                "groups": context["groups"],
            }
        )
    return render(
        request,
        "duties/member/archive.html",
        {
            "membership": membership,
            "years": pages,
            "own": own,
            "terms": terms_of_member(user=request.user) if own else [],
        },
    )


@login_required
def filing_new(request: AuthenticatedRequest) -> HttpResponse:
    membership = _membership_or_404(request)
    types = activity_types_for(membership.committee_id)
    form = FilingForm(request.POST or None, request.FILES or None, activity_types=types)
    settings = duty_settings_for(membership.committee_id)

    def page() -> HttpResponse:
        return render(
            request,
            "duties/member/filing_form.html",
            {"form": form, "settings": settings, "filing": None},
        )

    if request.method == "POST":
        return perform(
            request,
            lambda: filing_submit(
                user=request.user,
                activity_type_id=form.cleaned_data["activity_type"].pk,
                title=form.cleaned_data["title"],
                happened_on=form.cleaned_data["happened_on"],
                place=form.cleaned_data["place"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data["evidence"],
            ),
            form=form,
            render=page,
            success=_("已提交备案，委员联络处核实后计入履职档案。"),
            redirect_to=lambda filing: reverse("duties:filing", args=[filing.pk]),
        )
    return page()


def _filing(request: AuthenticatedRequest, pk: int) -> ActivityFiling:
    try:
        return filing_get_for_user(user=request.user, filing_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def filing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from .forms import RejectForm

    filing = _filing(request, pk)
    return render(
        request,
        "duties/member/filing.html",
        {
            "filing": filing,
            "actions": filing_actions_for(request.user, filing),
            "reject_form": RejectForm(),
            "is_staff_view": can_view_committee(request.user, filing.committee_id)
            and not owns_membership(request.user, filing.membership),
        },
    )


@login_required
def filing_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a returned filing and file it again."""
    filing = _filing(request, pk)
    actions = filing_actions_for(request.user, filing)
    if "resubmit" not in actions and "resubmit" not in actions.blocked:
        raise Http404(_("这份备案现在不能修改。"))
    types = activity_types_for(filing.committee_id)
    initial = {
        "activity_type": filing.activity_type_id,
        "title": filing.title,
        "happened_on": filing.happened_on,
        "place": filing.place,
        "description": filing.description,
    }
    form = FilingForm(
        request.POST or None, request.FILES or None, initial=initial, activity_types=types
    )
    settings = duty_settings_for(filing.committee_id)

    def page() -> HttpResponse:
        return render(
            request,
            "duties/member/filing_form.html",
            {"form": form, "settings": settings, "filing": filing},
        )

    if request.method == "POST":
        remove = [int(v) for v in request.POST.getlist("remove_evidence") if v.isdigit()]
        return perform(
            request,
            lambda: filing_resubmit(
                user=request.user,
                filing_id=filing.pk,
                activity_type_id=form.cleaned_data["activity_type"].pk,
                title=form.cleaned_data["title"],
                happened_on=form.cleaned_data["happened_on"],
                place=form.cleaned_data["place"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data["evidence"],
                remove_evidence=remove,
            ),
            form=form,
            render=page,
            success=_("已重新提交，请等待委员联络处核实。"),
            redirect_to=reverse("duties:filing", args=[filing.pk]),
        )
    return page()


@login_required
@require_POST
def filing_withdraw_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return perform(
        request,
        lambda: filing_withdraw(user=request.user, filing_id=pk),
        success=_("已撤回备案。"),
        redirect_to=reverse("duties:mine") + "#filings",
        back=reverse("duties:filing", args=[pk]),
    )


@login_required
def evidence_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evidence = FilingEvidence.objects.select_related("filing").filter(pk=pk).first()
    if evidence is None:
        raise Http404(_("未找到该佐证材料。"))
    _filing(request, evidence.filing_id)
    with evidence.file.open("rb") as handle:
        content = handle.read()
    inline = (
        evidence.content_type.startswith("image/") or evidence.content_type == "application/pdf"
    )
    return download_response(content, evidence.original_name, evidence.content_type, inline=inline)
