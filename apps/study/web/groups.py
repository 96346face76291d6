"""读书群组 (书香政协): a member's groups, a group's page (today's book, 读书打卡, the latest
check-ins), the convener's and the office's 共读书目, and the 委员联络处's pages to start a
group, set its members and see who reads. Members of other groups and other committees are told
the group does not exist (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound
from apps.core.pages import perform

from .. import services
from ..forms import BookForm, CheckinForm, GroupForm, GroupMembersForm, SharingForm
from ..models import ReadingBook, ReadingGroup
from ..permissions import is_group_convener, is_group_member, is_study_office
from ..selectors import (
    book_current,
    group_books,
    group_checkins,
    group_get_for_reader,
    group_list_for_office,
    group_member_choices,
    group_member_days,
    group_member_ids,
    group_sharings,
    group_today_checkin,
    groups_for_member,
)
from .office import _committee


def _group(request: AuthenticatedRequest, pk: int) -> ReadingGroup:
    try:
        return group_get_for_reader(user=request.user, group_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
@require_GET
def mine(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "study/groups/mine.html", {"rows": groups_for_member(user=request.user)})


def _group_page(
    request: AuthenticatedRequest,
    group: ReadingGroup,
    checkin_form: CheckinForm | None = None,
    book_form: BookForm | None = None,
    sharing_form: SharingForm | None = None,
) -> HttpResponse:
    member = is_group_member(request.user, group)
    office = is_study_office(request.user, group.committee_id)
    manages = office or is_group_convener(request.user, group)
    today = group_today_checkin(user=request.user, group=group) if member else None
    books = group_books(group=group)
    current = book_current(books)
    if checkin_form is None and member:
        checkin_form = CheckinForm(
            initial={"progress": today.progress, "note": today.note} if today else None
        )
    context = {
        "group": group,
        "member": member,
        "manages": manages,
        "today": today,
        "book": current,
        "books": books,
        "checkins": group_checkins(group=group),
        "checkin_form": checkin_form,
        "book_form": (book_form or BookForm()) if manages else None,
        "sharings": group_sharings(group=group),
        "sharing_form": _sharing_form(current, group, sharing_form) if office else None,
    }
    return render(request, "study/groups/group.html", context)


def _sharing_form(
    book: ReadingBook | None, group: ReadingGroup, bound: SharingForm | None
) -> SharingForm:
    if bound is not None:
        return bound
    title = (
        _("《%(book)s》读书分享会") % {"book": book.title}
        if book
        else _("%(group)s读书分享会") % {"group": group.name}
    )
    return SharingForm(initial={"title": title})


@login_required
def group(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The group's page; POST is 读书打卡 (members)."""
    found = _group(request, pk)
    if request.method != "POST":
        return _group_page(request, found)
    form = CheckinForm(request.POST)
    return perform(
        request,
        lambda: services.reading_checkin(
            user=request.user,
            group_id=pk,
            progress=form.cleaned_data["progress"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success=_("今天的读书打卡已记录。"),
        redirect_to=reverse("study:group", args=[pk]) + "#checkins",
        render=lambda: _group_page(request, found, checkin_form=form),
    )


@login_required
@require_POST
def group_book(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _group(request, pk)
    form = BookForm(request.POST)
    return perform(
        request,
        lambda: services.reading_book_add(
            user=request.user,
            group_id=pk,
            title=form.cleaned_data["title"],
            author=form.cleaned_data["author"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        ),
        form=form,
        success=_("共读书目已设置。"),
        redirect_to=reverse("study:group", args=[pk]),
        render=lambda: _group_page(request, found, book_form=form),
    )


@login_required
@require_POST
def group_sharing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """安排读书分享会 (the 委员联络处)."""
    found = _group(request, pk)
    form = SharingForm(request.POST)
    return perform(
        request,
        lambda: services.reading_sharing_arrange(
            user=request.user,
            group_id=pk,
            title=form.cleaned_data["title"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            location_note=form.cleaned_data["location_note"],
            description=form.cleaned_data["description"],
        ),
        form=form,
        success=_("读书分享会已安排，群组成员已收到通知。"),
        redirect_to=reverse("study:group", args=[pk]) + "#sharings",
        render=lambda: _group_page(request, found, sharing_form=form),
    )


# The 委员联络处 ---------------------------------------------------------------------------------


@login_required
def office_groups(request: AuthenticatedRequest) -> HttpResponse:
    """The committee's groups; the new-group form (every member of the committee as a choice,
    twice) only when asked for (?new=1) or posted, so the list stays light."""
    committee_id = _committee(request)
    wants_form = request.method == "POST" or request.GET.get("new") == "1"
    form = (
        GroupForm(request.POST or None, members=group_member_choices(committee_id=committee_id))
        if wants_form
        else None
    )

    def page() -> HttpResponse:
        groups = list(group_list_for_office(committee_id=committee_id))
        return render(request, "study/groups/office.html", {"groups": groups, "form": form})

    if request.method != "POST" or form is None:
        return page()
    return perform(
        request,
        lambda: services.reading_group_create(
            user=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            convener_id=form.cleaned_data["convener"],
            membership_ids=form.cleaned_data["memberships"],
        ),
        form=form,
        success=_("读书群组已建立，成员已收到通知。"),
        redirect_to=lambda g: reverse("study:office_group", args=[g.pk]),
        render=page,
    )


@login_required
def office_group(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who reads (check-in days per member), the members to set."""
    committee_id = _committee(request)
    found = _group(request, pk)
    if found.committee_id != committee_id:
        raise Http404(_("未找到该读书群组，或您无权查看。"))
    members = group_member_choices(committee_id=committee_id)
    current = group_member_ids(group=found)
    form = GroupMembersForm(request.POST or None, members=members, initial={"memberships": current})

    def page() -> HttpResponse:
        context = {"group": found, "form": form, "rows": group_member_days(group=found)}
        return render(request, "study/groups/office_group.html", context)

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.reading_group_members_set(
            user=request.user, group_id=pk, membership_ids=form.cleaned_data["memberships"]
        ),
        form=form,
        success=_("成员已更新。"),
        redirect_to=reverse("study:office_group", args=[pk]),
        render=page,
    )
