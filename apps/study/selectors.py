"""Reads of the study app, scoped to what the user may see; lists load their related rows
up front so a page costs a fixed number of queries whatever its length."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import NotFound
from apps.core.text.keywords import cosine
from apps.core.text.matters import passages
from apps.core.text.similar import find_similar
from apps.core.text.vectors import Idf, analyse, weigh
from apps.members.models import Membership, MembershipStatus, Party

from .models import (
    Compilation,
    CompilationEntry,
    Invitee,
    ReadingBook,
    ReadingCheckin,
    ReadingGroup,
    ReadingGroupMember,
    ReadingSharing,
    RequestStatus,
    StudyPlanItem,
    Submission,
    SubmissionStatus,
    TextRequest,
)
from .permissions import is_study_office, may_read_group, reading_committee_id


def author_line(membership: Membership) -> str:
    """张三（市政协委员，民盟）: the name with the position as a compilation prints it. The
    membership must come with its member and committee loaded."""
    committee_name = membership.committee.name
    short = committee_name[-3:] if committee_name.endswith("政协") else committee_name
    parts = [f"{short}{membership.get_position_display()}"]
    if membership.party not in (Party.MASSES, ""):
        parts.append(membership.get_party_display())
    return _("%(name)s（%(position)s）") % {
        "name": membership.member.name,
        "position": "，".join(parts),
    }


# Requests --------------------------------------------------------------------------------------


def _count(queryset: QuerySet[Invitee] | QuerySet[Submission]) -> Subquery:
    return Subquery(
        queryset.order_by().values("request_id").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField(),
    )


def request_list_for_office(*, committee_id: int) -> QuerySet[TextRequest]:
    """The committee's requests, newest due date first, with how many were invited and how
    many have submitted (one query)."""
    invited = _count(Invitee.objects.filter(request_id=OuterRef("pk")))
    submitted = _count(
        Submission.objects.filter(request_id=OuterRef("pk"), status=SubmissionStatus.SUBMITTED)
    )
    return (
        TextRequest.objects.filter(committee_id=committee_id)
        .select_related("meeting")
        .annotate(
            invited_count=Coalesce(invited, Value(0)),
            submitted_count=Coalesce(submitted, Value(0)),
        )
        .annotate(missing_count=F("invited_count") - F("submitted_count"))
        .order_by("-due_date", "-id")
    )


def request_get_for_office(*, user: User, request_id: int) -> TextRequest:
    request = (
        TextRequest.objects.select_related("committee", "sector", "meeting", "created_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not is_study_office(user, request.committee_id):
        raise NotFound(_("未找到该学习材料征集，或您无权查看。"))
    return request


@dataclass(frozen=True)
class InviteeRow:
    membership: Membership
    submission: Submission | None

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.status == SubmissionStatus.SUBMITTED


def invitee_rows(*, request: TextRequest) -> list[InviteeRow]:
    """Every invitee with their text, if any (two queries): who has and who has not submitted."""
    invitees = list(
        Invitee.objects.filter(request=request)
        .select_related("membership__member", "membership__sector")
        .order_by("membership__sector__sort_order", "membership__member__name", "id")
    )
    submissions = {
        s.membership_id: s
        for s in Submission.objects.filter(request=request).defer("search_vector", "keyword_vector")
    }
    return [InviteeRow(i.membership, submissions.get(i.membership_id)) for i in invitees]


@dataclass(frozen=True)
class MemberRequest:
    request: TextRequest
    submission: Submission | None
    compilations: tuple[Compilation, ...] = ()

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.status == SubmissionStatus.SUBMITTED

    @property
    def open(self) -> bool:
        return self.request.status == RequestStatus.OPEN and clock.today() <= self.request.due_date


def member_invitations(*, user: User) -> QuerySet[Invitee]:
    """The user's invitations, the request loaded, newest due date first."""
    return (
        Invitee.objects.filter(membership__member__user=user)
        .select_related("request", "request__meeting")
        .order_by("-request__due_date", "-request_id")
    )


def member_requests(*, user: User, invitations: list[Invitee]) -> list[MemberRequest]:
    """A page of the user's invitations with their own texts and the compilations those were
    printed in (two queries more)."""
    own = {
        s.request_id: s
        for s in Submission.objects.filter(
            request_id__in=[i.request_id for i in invitations],
            membership_id__in={i.membership_id for i in invitations},
        ).defer("search_vector", "keyword_vector")
    }
    compiled: dict[int, list[Compilation]] = {}
    for entry in (
        CompilationEntry.objects.filter(submission_id__in=[s.pk for s in own.values()])
        .select_related("compilation")
        .order_by("compilation__year", "compilation__number")
    ):
        compiled.setdefault(entry.submission_id, []).append(entry.compilation)
    return [
        MemberRequest(
            i.request,
            own.get(i.request_id),
            tuple(compiled.get(own[i.request_id].pk, [])) if i.request_id in own else (),
        )
        for i in invitations
    ]


def member_request_get(
    *, user: User, request_id: int
) -> tuple[TextRequest, Invitee, Submission | None]:
    """The request the user is invited to, their invitation and their text (NotFound when not
    invited: other people's requests are not revealed)."""
    invitee = (
        Invitee.objects.filter(request_id=request_id, membership__member__user=user)
        .select_related("request__committee", "request__meeting", "membership__member")
        .first()
    )
    if invitee is None or not user.is_active:
        raise NotFound(_("未找到该学习材料征集，或您无权查看。"))
    submission = (
        Submission.objects.filter(request_id=request_id, membership_id=invitee.membership_id)
        .select_related("membership__member", "request")
        .first()
    )
    return invitee.request, invitee, submission


def member_due_count(*, user: User) -> tuple[int, dt.date | None]:
    """How many open requests still wait for the user's text, and the nearest due date (one
    query)."""
    submitted = Submission.objects.filter(
        request_id=OuterRef("request_id"),
        membership_id=OuterRef("membership_id"),
        status=SubmissionStatus.SUBMITTED,
    )
    days = list(
        Invitee.objects.filter(
            membership__member__user=user,
            request__status=RequestStatus.OPEN,
            request__due_date__gte=clock.today(),
        )
        .exclude(Exists(submitted))
        .values_list("request__due_date", flat=True)
    )
    return len(days), (min(days) if days else None)


# Texts -----------------------------------------------------------------------------------------


def submission_get_for_office(*, user: User, submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_related(
            "request", "committee", "membership__member", "membership__committee", "edited_by"
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not is_study_office(user, submission.committee_id):
        raise NotFound(_("未找到该学习材料，或您无权查看。"))
    return submission


# Near duplicates: texts of the same committee most like this one (stored vectors, shared
# engine), then the passages they share, compared passage by passage.
SIMILAR_LIMIT = 5
SIMILAR_MIN_SCORE = 0.2
PASSAGE_MIN_CHARS = 20
PASSAGE_SAME = 0.85
_UNIFORM = Idf(documents=100)
_SPACE = re.compile(r"[\s　，。；：、！？,.;:!?“”\"'（）()]+")


@dataclass
class SharedText:
    other: Submission
    score: float
    passages: list[str] = field(default_factory=list)

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)


def _plain(text: str) -> str:
    return _SPACE.sub("", text)


def _shared_passages(text: str, other: str) -> list[str]:
    mine = [p for p in passages(text) if len(_plain(p)) >= PASSAGE_MIN_CHARS]
    theirs = [p for p in passages(other) if len(_plain(p)) >= PASSAGE_MIN_CHARS]
    if not mine or not theirs:
        return []
    their_plain = {_plain(p) for p in theirs}
    their_vectors = [weigh(analyse(body=p).features, _UNIFORM) for p in theirs]
    shared = []
    for passage in mine:
        if _plain(passage) in their_plain:
            shared.append(passage)
            continue
        vector = weigh(analyse(body=passage).features, _UNIFORM)
        if any(cosine(vector, v) >= PASSAGE_SAME for v in their_vectors):
            shared.append(passage)
    return shared


def submission_shared_texts(*, submission: Submission) -> list[SharedText]:
    """Other submitted texts of the committee that share long passages with this one, best
    first, with the shared passages (for the editor's near-duplicate flag)."""
    vector = dict(submission.keyword_vector or {})
    if not vector:
        return []
    base = Submission.objects.filter(
        committee_id=submission.committee_id, status=SubmissionStatus.SUBMITTED
    ).exclude(pk=submission.pk)
    matches = find_similar(base, vector, Idf(), limit=SIMILAR_LIMIT, min_score=SIMILAR_MIN_SCORE)
    if not matches:
        return []
    others = {
        s.pk: s
        for s in Submission.objects.filter(pk__in=[m.pk for m in matches])
        .select_related("membership__member", "request")
        .defer("search_vector", "keyword_vector")
    }
    result = []
    for match in matches:
        other = others[match.pk]
        shared = _shared_passages(submission.final_body, other.final_body)
        if shared:
            result.append(SharedText(other, round(match.score, 4), shared))
    return result


# Compilations ----------------------------------------------------------------------------------


def compilation_list(*, committee_id: int) -> QuerySet[Compilation]:
    return (
        Compilation.objects.filter(committee_id=committee_id)
        .annotate(entry_count=Count("entries"))
        .order_by("-year", "-number")
    )


def compilation_get_for_office(*, user: User, compilation_id: int) -> Compilation:
    compilation = Compilation.objects.select_related("committee").filter(pk=compilation_id).first()
    if compilation is None or not is_study_office(user, compilation.committee_id):
        raise NotFound(_("未找到该汇编，或您无权查看。"))
    return compilation


def compilation_entries(*, compilation: Compilation) -> list[CompilationEntry]:
    """The entries in order with each text's author and position loaded (one query)."""
    return list(
        CompilationEntry.objects.filter(compilation=compilation)
        .select_related(
            "submission__membership__member",
            "submission__membership__committee",
            "submission__request",
        )
        .defer("submission__search_vector", "submission__keyword_vector")
        .order_by("position")
    )


def compilation_candidates(*, compilation: Compilation) -> list[Submission]:
    """Submitted texts of the committee not yet in the compilation, adopted ones first."""
    return list(
        Submission.objects.filter(
            committee_id=compilation.committee_id, status=SubmissionStatus.SUBMITTED
        )
        .exclude(entries__compilation=compilation)
        .select_related("membership__member", "request")
        .defer("search_vector", "keyword_vector")
        .order_by("-adopted", "-request__due_date", "id")
    )


def office_open_count(*, committee_id: int) -> int:
    return TextRequest.objects.filter(committee_id=committee_id, status=RequestStatus.OPEN).count()


# Form choices ----------------------------------------------------------------------------------


def request_form_choices(
    *, committee_id: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], list[tuple[int, str]]]:
    """(meetings, sectors, current members) to choose from when making a request (3 queries).
    The meeting model is read through the request's foreign key, so this app imports nothing
    of the consultations app."""
    from apps.sectors.models import Sector

    meeting_model: Any = TextRequest._meta.get_field("meeting").related_model
    meetings = [
        (pk, title)
        for pk, title in meeting_model._default_manager.filter(committee_id=committee_id)
        .order_by("-starts_at")
        .values_list("pk", "title")[:50]
    ]
    sectors = list(
        Sector.objects.filter(committee_id=committee_id, is_active=True)
        .order_by("sort_order", "id")
        .values_list("pk", "name")
    )
    members = [
        (m.pk, f"{m.member.name}（{m.sector.name}）")
        for m in Membership.objects.filter(
            committee_id=committee_id, term__is_current=True, status=MembershipStatus.ACTIVE
        )
        .select_related("member", "sector")
        .order_by("sector__sort_order", "member__name", "id")
    ]
    return meetings, sectors, members


# Reading (学习园地) --------------------------------------------------------------------------


def _reader_committee(user: Any) -> int:
    committee_id = reading_committee_id(user)
    if committee_id is None:
        raise NotFound(_("学习园地只对本政协委员开放。"))
    return committee_id


def compilations_published(*, user: Any) -> QuerySet[Compilation]:
    """The compilations issued (印发) to the reader's committee, newest first, with their
    number of texts (NotFound for someone without a committee to read)."""
    return (
        Compilation.objects.filter(committee_id=_reader_committee(user), published_at__isnull=False)
        .annotate(entry_count=Count("entries"))
        .order_by("-published_at", "-id")
    )


def articles_published(*, user: Any) -> QuerySet[Submission]:
    """The 履职思考 articles of the reader's committee, newest first, authors loaded."""
    return (
        Submission.objects.filter(
            committee_id=_reader_committee(user),
            status=SubmissionStatus.SUBMITTED,
            article_published_at__isnull=False,
        )
        .select_related("membership__member", "membership__committee", "request")
        .defer("search_vector", "keyword_vector")
        .order_by("-article_published_at", "-id")
    )


def compilation_get_published(*, user: Any, compilation_id: int) -> Compilation:
    """An issued compilation of the reader's committee, or NotFound (not issued, withdrawn or
    another committee's look the same)."""
    found = compilations_published(user=user).select_related("committee").filter(pk=compilation_id)
    compilation = found.first()
    if compilation is None:
        raise NotFound(_("未找到该汇编，或它尚未印发。"))
    return compilation


def article_get_published(*, user: Any, submission_id: int) -> Submission:
    article = articles_published(user=user).filter(pk=submission_id).first()
    if article is None:
        raise NotFound(_("未找到该文章，或它尚未发布。"))
    return article


# Reading groups (书香政协) ----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    group: ReadingGroup
    book: ReadingBook | None  # read today
    my_days: int  # the reader's check-in days in the group
    checked_today: bool


def _book_today(group_ids: list[int]) -> dict[int, ReadingBook]:
    today = clock.today()
    return {
        book.group_id: book
        for book in ReadingBook.objects.filter(
            group_id__in=group_ids, starts_on__lte=today, ends_on__gte=today
        )
    }


def groups_for_member(*, user: User) -> list[GroupRow]:
    """The reading groups the user belongs to, with today's book and their own check-in days
    (three queries whatever the number of groups)."""
    groups = list(
        ReadingGroup.objects.filter(
            pk__in=ReadingGroupMember.objects.filter(membership__member__user=user).values(
                "group_id"
            )
        )
        .select_related("convener__member")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("-is_active", "name", "id")
    )
    ids = [g.pk for g in groups]
    books = _book_today(ids)
    mine = (
        ReadingCheckin.objects.filter(group_id__in=ids, membership__member__user=user)
        .values("group_id")
        .annotate(days=Count("id"), today=Count("id", filter=Q(day=clock.today())))
    )
    counts: dict[int, tuple[int, int]] = {
        row["group_id"]: (row["days"], row["today"]) for row in mine
    }
    return [
        GroupRow(g, books.get(g.pk), counts.get(g.pk, (0, 0))[0], bool(counts.get(g.pk, (0, 0))[1]))
        for g in groups
    ]


def group_list_for_office(*, committee_id: int) -> QuerySet[ReadingGroup]:
    return (
        ReadingGroup.objects.filter(committee_id=committee_id)
        .select_related("convener__member")
        .annotate(
            member_count=Count("members", distinct=True),
            checkin_count=Count("checkins", distinct=True),
        )
        .order_by("-is_active", "name", "id")
    )


def group_get_for_reader(*, user: User, group_id: int) -> ReadingGroup:
    """A group its member or its committee's 委员联络处 may open (NotFound otherwise)."""
    group = (
        ReadingGroup.objects.select_related("committee", "convener__member")
        .filter(pk=group_id)
        .first()
    )
    if group is None or not may_read_group(user, group):
        raise NotFound(_("未找到该读书群组，或您无权查看。"))
    return group


def group_books(*, group: ReadingGroup) -> list[ReadingBook]:
    return list(
        ReadingBook.objects.filter(group=group)
        .annotate(checkin_count=Count("checkins"))
        .order_by("-starts_on", "-id")
    )


def member_checkins(*, user: User, group: ReadingGroup, limit: int = 30) -> list[ReadingCheckin]:
    """The user's own latest check-ins in the group, with their book (one query)."""
    return list(
        ReadingCheckin.objects.filter(group=group, membership__member__user=user)
        .select_related("book")
        .order_by("-day", "-id")[:limit]
    )


def group_sharings(*, group: ReadingGroup) -> list[ReadingSharing]:
    """The group's 读书分享会, the latest first, each with its session meeting (one query)."""
    return list(
        ReadingSharing.objects.filter(group=group)
        .select_related("meeting", "book", "course")
        .order_by("-meeting__starts_at", "-id")
    )


def book_current(books: list[ReadingBook]) -> ReadingBook | None:
    """Of a group's books, the one read today (periods do not overlap)."""
    today = clock.today()
    return next((book for book in books if book.starts_on <= today <= book.ends_on), None)


def group_member_ids(*, group: ReadingGroup) -> list[int]:
    return list(
        ReadingGroupMember.objects.filter(group=group).values_list("membership_id", flat=True)
    )


def group_checkins(*, group: ReadingGroup, limit: int = 30) -> list[ReadingCheckin]:
    """The latest check-ins of the group with who wrote them and for which book (one query)."""
    return list(
        ReadingCheckin.objects.filter(group=group)
        .select_related("membership__member", "book")
        .order_by("-day", "-updated_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class MemberDays:
    membership: Membership
    days: int
    last_day: dt.date | None


def group_member_days(*, group: ReadingGroup) -> list[MemberDays]:
    """Each member with their check-in days and last check-in, most days first (two queries):
    who reads and who has not started."""
    members = list(
        Membership.objects.filter(
            pk__in=ReadingGroupMember.objects.filter(group=group).values("membership_id")
        )
        .select_related("member", "sector")
        .order_by("member__name", "id")
    )
    stats: dict[int, tuple[int, dt.date | None]] = {
        row["membership_id"]: (row["days"], row["last"])
        for row in ReadingCheckin.objects.filter(group=group)
        .values("membership_id")
        .annotate(days=Count("id"), last=Max("day"))
    }
    rows = [MemberDays(m, *stats.get(m.pk, (0, None))) for m in members]
    return sorted(rows, key=lambda row: -row.days)


def group_today_checkin(*, user: User, group: ReadingGroup) -> ReadingCheckin | None:
    return ReadingCheckin.objects.filter(
        group=group, membership__member__user=user, day=clock.today()
    ).first()


def group_member_choices(*, committee_id: int) -> list[tuple[int, str]]:
    """The committee's current members to pick a group's convener and members from."""
    return [
        (m.pk, f"{m.member.name}（{m.sector.name}）")
        for m in Membership.objects.filter(
            committee_id=committee_id, term__is_current=True, status=MembershipStatus.ACTIVE
        )
        .select_related("member", "sector")
        .order_by("sector__sort_order", "member__name", "id")
    ]


# The yearly study plan (专题学习计划) ------------------------------------------------------------


@dataclass(frozen=True)
class PlanView:
    """A committee's plan of a year with its progress (items held of all items)."""

    year: int
    items: list[StudyPlanItem]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done_on is not None)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def overdue(self) -> int:
        """Items of a month already past that were not held."""
        today = clock.today()
        return sum(
            1
            for item in self.items
            if item.done_on is None and (item.year, item.month) < (today.year, today.month)
        )


def study_plan(*, committee_id: int, year: int) -> PlanView:
    """The plan of `year` in month order (one query)."""
    items = list(
        StudyPlanItem.objects.filter(committee_id=committee_id, year=year).order_by("month", "id")
    )
    return PlanView(year, items)


def study_plan_for_reader(*, user: Any, year: int) -> PlanView:
    """The plan of the reader's committee (members and its 委员联络处; NotFound otherwise)."""
    return study_plan(committee_id=_reader_committee(user), year=year)
