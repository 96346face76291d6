"""Every write of the study app (requests, texts, compilations). Each service is
keyword-only, runs in one transaction, locks the row it changes, checks the permission
predicate, refuses control characters and over-long text with a Chinese message, saves only
changed fields and writes an audit event. The submit and close steps are in workflow.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters, refuse_too_long
from apps.core.registry import handoff
from apps.core.services import model_update
from apps.members.models import Membership, MembershipStatus
from apps.organisation.models import Term

from . import notices
from .models import (
    BODY_MAX,
    BOOK_TITLE_MAX,
    CHECKIN_NOTE_MAX,
    DESCRIPTION_MAX,
    GROUP_NAME_MAX,
    PREFACE_MAX,
    PROGRESS_MAX,
    REQUEST_TITLE_MAX,
    SHARING_NOTE_MAX,
    SHARING_TITLE_MAX,
    TITLE_MAX,
    Compilation,
    CompilationCounter,
    CompilationEntry,
    Invitee,
    InviteeScope,
    PlanForm,
    ReadingBook,
    ReadingCheckin,
    ReadingGroup,
    ReadingGroupMember,
    ReadingSharing,
    StudyPlanItem,
    Submission,
    SubmissionStatus,
    TextKind,
    TextRequest,
)
from .permissions import (
    MEMBER,
    OFFICE,
    group_membership_of,
    is_group_convener,
    is_group_member,
    is_study_office,
    office_committee_id,
)
from .text_index import submission_text_index_refresh
from .workflow import lock_submission, request_accepting


def _check_text(fields: dict[str, tuple[str, str | None, int]]) -> None:
    """No control characters, no text past its cap (ValidationFailed naming the field)."""
    refuse_control_characters({name: (label, value) for name, (label, value, _n) in fields.items()})
    refuse_too_long(fields)


# Requests --------------------------------------------------------------------------------------


def _invited_memberships(
    *, term: Term, scope: str, sector_id: int | None, membership_ids: Sequence[int]
) -> list[Membership]:
    base = Membership.objects.filter(term=term, status=MembershipStatus.ACTIVE).select_related(
        "member__user"
    )
    if scope == InviteeScope.SECTOR:
        if sector_id is None:
            raise ValidationFailed(
                _("请选择界别。"), extra={"errors": {"sector": _("请选择界别。")}}
            )
        base = base.filter(sector_id=sector_id)
    elif scope == InviteeScope.PICKED:
        base = base.filter(pk__in=list(membership_ids))
    elif scope != InviteeScope.ALL:
        raise ValidationFailed(_("请选择征集范围。"))
    found = list(base.order_by("id"))
    if scope == InviteeScope.PICKED and len(found) != len(set(membership_ids)):
        raise ValidationFailed(_("所选委员中有不属于本届在任委员的，请重新选择。"))
    if not found:
        raise ValidationFailed(_("征集范围内没有本届在任委员，请重新选择。"))
    return found


@transaction.atomic
def request_create(
    *,
    user: User,
    title: str,
    kind: str,
    due_date: dt.date,
    scope: str,
    description: str = "",
    sector_id: int | None = None,
    membership_ids: Sequence[int] = (),
    meeting_id: int | None = None,
) -> TextRequest:
    """Publish a request for texts to the invited memberships of the committee's current term
    and tell each of them (outbox). Who: 委员联络处 of the user's committee."""
    committee_id = office_committee_id(user)
    if committee_id is None:
        raise PermissionDenied(_("只有委员联络处可以发起学习材料征集。"))
    title = (title or "").strip()
    _check_text(
        {
            "title": (_("征集标题"), title, REQUEST_TITLE_MAX),
            "description": (_("征集说明"), description, DESCRIPTION_MAX),
        }
    )
    if not title:
        raise ValidationFailed(
            _("请填写征集标题。"), extra={"errors": {"title": _("请填写征集标题。")}}
        )
    if kind not in TextKind.values:
        raise ValidationFailed(
            _("请选择材料类型。"), extra={"errors": {"kind": _("请选择材料类型。")}}
        )
    if due_date < clock.today():
        message = _("截止日期不能早于今天。")
        raise ValidationFailed(message, extra={"errors": {"due_date": message}})
    term = Term.objects.filter(committee_id=committee_id, is_current=True).first()
    if term is None:
        raise Conflict(_("本政协尚未设置本届，不能发起征集。"))
    if meeting_id is not None:
        meeting_model = TextRequest._meta.get_field("meeting").related_model
        if not meeting_model._default_manager.filter(  # type: ignore[union-attr]
            pk=meeting_id, committee_id=committee_id
        ).exists():
            raise ValidationFailed(
                _("所选学习会议不存在。"), extra={"errors": {"meeting": _("所选学习会议不存在。")}}
            )
    memberships = _invited_memberships(
        term=term, scope=scope, sector_id=sector_id, membership_ids=membership_ids
    )
    request = TextRequest(
        committee_id=committee_id,
        term=term,
        title=title,
        kind=kind,
        description=description,
        due_date=due_date,
        meeting_id=meeting_id,
        scope=scope,
        sector_id=sector_id if scope == InviteeScope.SECTOR else None,
        created_by=user,
    )
    request.full_clean(exclude=["committee", "term", "created_by", "meeting", "sector"])
    request.save()
    Invitee.objects.bulk_create(Invitee(request=request, membership=m) for m in memberships)
    audit_record(
        verb="study_request_create",
        actor=user,
        obj=request,
        role=OFFICE,
        to_state=request.status,
        data={"invitees": len(memberships), "scope": scope},
    )
    users = [
        m.member.user for m in memberships if m.member.user is not None and m.member.user.is_active
    ]
    notices.request_published(request=request, users=users)
    return request


# Texts -----------------------------------------------------------------------------------------


@transaction.atomic
def submission_save_draft(*, user: User, request_id: int, title: str, body: str) -> Submission:
    """Save the member's text for a request as a draft (autosave and the 保存 button), creating
    it on first save. Who: an invitee, while the request is open and not past its due date; a
    submitted text is no longer changed."""
    # The request row is read, not locked: every invitee autosaves at once; the member's own
    # text row is what is locked below.
    request = TextRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("未找到该学习材料征集，或您无权查看。"))
    invitee = (
        Invitee.objects.filter(request=request, membership__member__user=user)
        .select_related("membership__member")
        .first()
    )
    if invitee is None or not user.is_active:
        raise NotFound(_("未找到该学习材料征集，或您无权查看。"))
    _check_text({"title": (_("标题"), title, TITLE_MAX), "body": (_("正文"), body, BODY_MAX)})
    request_accepting(request)
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("request", "membership__member")
        .filter(request=request, membership=invitee.membership)
        .first()
    )
    created = submission is None
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    request=request,
                    committee_id=request.committee_id,
                    membership=invitee.membership,
                )
        except IntegrityError:  # a second tab saved first
            submission = Submission.objects.select_for_update().get(
                request=request, membership=invitee.membership
            )
        submission = lock_submission(submission.pk)
    if submission.status != SubmissionStatus.DRAFT:
        raise Conflict(_("该材料已提交，不能再修改。"))
    changed = model_update(instance=submission, data={"title": title.strip(), "body": body})
    if changed or created:
        audit_record(
            verb="study_submission_save",
            actor=user,
            obj=submission,
            role=MEMBER,
            data={"fields": [f for f in changed if f != "updated_at"], "created": created},
        )
    return submission


def submission_submit_saved(*, user: User, request_id: int) -> Submission:
    """Submit the user's saved draft for a request (the API's 提交; one already submitted is
    left as it is). NotFound when nothing was saved yet."""
    from .selectors import member_request_get
    from .workflow import submission_submit

    _request, _invitee, text = member_request_get(user=user, request_id=request_id)
    if text is None:
        raise NotFound(_("还没有保存的草稿，请先撰写并保存。"))
    return submission_submit(user=user, submission_id=text.pk)


def submission_save_and_submit(*, user: User, request_id: int, title: str, body: str) -> Submission:
    """Save the text, then submit it (the 提交 button of the write page)."""
    from .workflow import submission_submit

    with transaction.atomic():
        submission = submission_save_draft(user=user, request_id=request_id, title=title, body=body)
        return submission_submit(user=user, submission_id=submission.pk)


def _office_submission(user: User, submission_id: int) -> Submission:
    submission = lock_submission(submission_id)
    if not is_study_office(user, submission.committee_id):
        raise NotFound(_("未找到该学习材料，或您无权查看。"))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise Conflict(_("只能编辑已提交的材料。"))
    return submission


@transaction.atomic
def submission_edit(
    *, user: User, submission_id: int, edited_title: str, edited_body: str
) -> Submission:
    """Keep the editor's version of a submitted text beside the original (the original is never
    changed). Who: 委员联络处 of its committee."""
    submission = _office_submission(user, submission_id)
    edited_title = edited_title.strip()
    _check_text(
        {
            "edited_title": (_("编辑后标题"), edited_title, TITLE_MAX),
            "edited_body": (_("编辑后正文"), edited_body, BODY_MAX),
        }
    )
    if not edited_title or not edited_body.strip():
        raise ValidationFailed(_("编辑后的标题和正文都不能为空。"))
    changed = model_update(
        instance=submission, data={"edited_title": edited_title, "edited_body": edited_body}
    )
    if not changed:
        return submission
    model_update(
        instance=submission, data={"edited_by": user, "edited_at": clock.now()}, validate=False
    )
    submission_text_index_refresh(submission=submission)
    audit_record(verb="study_submission_edit", actor=user, obj=submission, role=OFFICE)
    return submission


@transaction.atomic
def submission_set_adopted(*, user: User, submission_id: int, adopted: bool) -> Submission:
    """Mark a submitted text 采用 (or take the mark away). Who: 委员联络处 of its committee."""
    submission = _office_submission(user, submission_id)
    if model_update(instance=submission, data={"adopted": bool(adopted)}):
        audit_record(
            verb="study_submission_adopt" if adopted else "study_submission_unadopt",
            actor=user,
            obj=submission,
            role=OFFICE,
        )
    return submission


# Compilations ----------------------------------------------------------------------------------


def _next_number(committee_id: int, year: int) -> int:
    """The next 期号 of the year; the counter row stays locked until the caller commits, so two
    editors at once get consecutive numbers."""
    if not CompilationCounter.objects.filter(committee_id=committee_id, year=year).exists():
        try:
            with transaction.atomic():
                CompilationCounter.objects.create(committee_id=committee_id, year=year)
        except IntegrityError:
            pass
    counter = CompilationCounter.objects.select_for_update().get(
        committee_id=committee_id, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def compilation_create(
    *, user: User, title: str, preface: str = "", year: int | None = None
) -> Compilation:
    """Start a compilation of the user's committee, numbered 第N期 of its year. Who: 委员联络处."""
    committee_id = office_committee_id(user)
    if committee_id is None:
        raise PermissionDenied(_("只有委员联络处可以编辑学习材料汇编。"))
    title = (title or "").strip()
    _check_text(
        {
            "title": (_("汇编标题"), title, REQUEST_TITLE_MAX),
            "preface": (_("编者按"), preface, PREFACE_MAX),
        }
    )
    if not title:
        raise ValidationFailed(
            _("请填写汇编标题。"), extra={"errors": {"title": _("请填写汇编标题。")}}
        )
    year = year or clock.today().year
    compilation = Compilation.objects.create(
        committee_id=committee_id,
        year=year,
        number=_next_number(committee_id, year),
        title=title,
        preface=preface,
        created_by=user,
    )
    audit_record(
        verb="study_compilation_create",
        actor=user,
        obj=compilation,
        role=OFFICE,
        data={"year": year, "number": compilation.number},
    )
    return compilation


def _lock_compilation(user: User, compilation_id: int) -> Compilation:
    compilation = (
        Compilation.objects.select_for_update()
        .select_related("committee")
        .filter(pk=compilation_id)
        .first()
    )
    if compilation is None or not is_study_office(user, compilation.committee_id):
        raise NotFound(_("未找到该汇编，或您无权查看。"))
    return compilation


@transaction.atomic
def compilation_update(*, user: User, compilation_id: int, title: str, preface: str) -> Compilation:
    """Change a compilation's title and preface. Who: 委员联络处 of its committee."""
    compilation = _lock_compilation(user, compilation_id)
    title = (title or "").strip()
    _check_text(
        {
            "title": (_("汇编标题"), title, REQUEST_TITLE_MAX),
            "preface": (_("编者按"), preface, PREFACE_MAX),
        }
    )
    if not title:
        raise ValidationFailed(
            _("请填写汇编标题。"), extra={"errors": {"title": _("请填写汇编标题。")}}
        )
    changed = model_update(instance=compilation, data={"title": title, "preface": preface})
    if changed:
        audit_record(verb="study_compilation_update", actor=user, obj=compilation, role=OFFICE)
    return compilation


@transaction.atomic
def compilation_set_entries(
    *, user: User, compilation_id: int, submission_ids: Sequence[int]
) -> Compilation:
    """Set which texts the compilation holds and in what order (the list's order: 1, 2, …).
    Only submitted texts of the compilation's committee; each at most once. Who: 委员联络处."""
    compilation = _lock_compilation(user, compilation_id)
    wanted = [int(pk) for pk in submission_ids]
    if len(set(wanted)) != len(wanted):
        raise ValidationFailed(_("同一篇材料不能重复编入汇编。"))
    found = set(
        Submission.objects.filter(
            pk__in=wanted, committee_id=compilation.committee_id, status=SubmissionStatus.SUBMITTED
        ).values_list("pk", flat=True)
    )
    if found != set(wanted):
        raise ValidationFailed(_("只能编入本政协已提交的学习材料。"))
    current = list(
        CompilationEntry.objects.filter(compilation=compilation)
        .order_by("position")
        .values_list("submission_id", flat=True)
    )
    if current == wanted:
        return compilation
    CompilationEntry.objects.filter(compilation=compilation).delete()
    CompilationEntry.objects.bulk_create(
        CompilationEntry(compilation=compilation, submission_id=pk, position=index)
        for index, pk in enumerate(wanted, start=1)
    )
    audit_record(
        verb="study_compilation_order",
        actor=user,
        obj=compilation,
        role=OFFICE,
        data={"before": current, "after": wanted},
    )
    return compilation


@transaction.atomic
def compilation_export(*, user: User, compilation_id: int, fmt: str) -> tuple[bytes, str, str]:
    """The compilation as a .docx or PDF file: (content, file name, content type). Who:
    委员联络处 of its committee; each export is audited."""
    compilation = Compilation.objects.select_related("committee").filter(pk=compilation_id).first()
    if compilation is None or not is_study_office(user, compilation.committee_id):
        raise NotFound(_("未找到该汇编，或您无权查看。"))
    content, content_type = _compilation_file(compilation, fmt)
    audit_record(
        verb="study_compilation_export",
        actor=user,
        obj=compilation,
        role=OFFICE,
        data={"format": fmt},
    )
    return content, f"{compilation.title}.{fmt}", content_type


def _compilation_file(compilation: Compilation, fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the compilation as .docx or PDF (NotFound for another
    format)."""
    from . import documents
    from .selectors import compilation_entries

    if fmt not in ("docx", "pdf"):
        raise NotFound(_("不支持该导出格式。"))
    document = documents.compilation_document(
        compilation, compilation_entries(compilation=compilation)
    )
    if fmt == "docx":
        return documents.build_docx(document), documents.DOCX_CONTENT_TYPE
    return documents.build_pdf(document), "application/pdf"


# Reading (学习园地): compilations issued and 履职思考 articles -----------------------------------


def compilation_download_published(
    *, user: User, compilation_id: int, fmt: str
) -> tuple[bytes, str, str]:
    """An issued compilation as a file for a reader of its committee: (content, file name,
    content type). NotFound when it is not issued to them."""
    from .selectors import compilation_get_published

    compilation = compilation_get_published(user=user, compilation_id=compilation_id)
    content, content_type = _compilation_file(compilation, fmt)
    return content, f"{compilation.title}.{fmt}", content_type


@transaction.atomic
def compilation_publish(*, user: User, compilation_id: int, publish: bool = True) -> Compilation:
    """印发 a compilation to its committee's members — they read it on 学习园地 and download it —
    or withdraw it (`publish=False`). A compilation without texts cannot be issued; the authors
    are told when theirs is. Already in that state: nothing changes. Who: 委员联络处."""
    compilation = _lock_compilation(user, compilation_id)
    if publish == (compilation.published_at is not None):
        return compilation
    authors = list(
        User.objects.filter(
            member__memberships__in=Submission.objects.filter(
                entries__compilation=compilation
            ).values("membership_id")
        )
        .distinct()
        .order_by("id")
    )
    if publish and not compilation.entries.exists():
        raise ValidationFailed(_("汇编还没有编入材料，不能印发。请先编入篇目。"))
    model_update(
        instance=compilation,
        data={"published_at": clock.now() if publish else None},
        validate=False,
    )
    audit_record(
        verb="study_compilation_publish" if publish else "study_compilation_withdraw",
        actor=user,
        obj=compilation,
        role=OFFICE,
    )
    if publish:
        notices.compilation_published(compilation=compilation, users=authors)
    return compilation


@transaction.atomic
def article_publish(*, user: User, submission_id: int, publish: bool = True) -> Submission:
    """Publish a submitted text as a 履职思考 article (the edited version when there is one) for
    its committee's members to read, or take it down (`publish=False`). The author is told when
    it is published. Already in that state: nothing changes. Who: 委员联络处."""
    submission = _office_submission(user, submission_id)
    if publish == (submission.article_published_at is not None):
        return submission
    model_update(
        instance=submission,
        data={"article_published_at": clock.now() if publish else None},
        validate=False,
    )
    audit_record(
        verb="study_article_publish" if publish else "study_article_withdraw",
        actor=user,
        obj=submission,
        role=OFFICE,
    )
    if publish:
        notices.article_published(submission=submission)
    return submission


# Reading groups (书香政协) ----------------------------------------------------------------------


def _current_memberships(committee_id: int, ids: Sequence[int]) -> list[Membership]:
    wanted = {int(pk) for pk in ids}
    found = list(
        Membership.objects.filter(
            pk__in=wanted,
            committee_id=committee_id,
            term__is_current=True,
            status=MembershipStatus.ACTIVE,
        ).order_by("id")
    )
    if len(found) != len(wanted):
        raise ValidationFailed(
            _("所选委员中有不属于本届在任委员的，请重新选择。"),
            extra={"errors": {"memberships": _("请重新选择。")}},
        )
    return found


def _group_text(name: str, description: str) -> str:
    _check_text(  # the text as typed: a control character counts as whitespace to split()
        {
            "name": (_("群组名称"), name, GROUP_NAME_MAX),
            "description": (_("简介"), description, DESCRIPTION_MAX),
        }
    )
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(
            _("请填写群组名称。"), extra={"errors": {"name": _("请填写群组名称。")}}
        )
    return name


@transaction.atomic
def reading_group_create(
    *,
    user: User,
    name: str,
    convener_id: int,
    membership_ids: Sequence[int] = (),
    description: str = "",
) -> ReadingGroup:
    """Start a reading group of the user's committee with its convener (召集人, a member of the
    current term, who is a member of the group too) and members. Who: 委员联络处."""
    committee_id = office_committee_id(user)
    if committee_id is None:
        raise PermissionDenied(_("只有委员联络处可以建立读书群组。"))
    name = _group_text(name, description)
    members = _current_memberships(committee_id, [convener_id, *membership_ids])
    if ReadingGroup.objects.filter(committee_id=committee_id, name=name).exists():
        raise ValidationFailed(
            _("已有同名的读书群组。"), extra={"errors": {"name": _("已有同名的读书群组。")}}
        )
    group = ReadingGroup.objects.create(
        committee_id=committee_id,
        name=name,
        description=(description or "").strip(),
        convener_id=convener_id,
        created_by=user,
    )
    ReadingGroupMember.objects.bulk_create(
        ReadingGroupMember(group=group, membership=m) for m in members
    )
    audit_record(
        verb="study_group_create",
        actor=user,
        obj=group,
        role=OFFICE,
        data={"members": [m.pk for m in members]},
    )
    notices.group_joined(group=group, membership_ids=[m.pk for m in members])
    return group


def _lock_group(user: User, group_id: int, *, convener_too: bool = False) -> ReadingGroup:
    group = (
        ReadingGroup.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise NotFound(_("未找到该读书群组，或您无权查看。"))
    if is_study_office(user, group.committee_id):
        return group
    if convener_too and is_group_convener(user, group):
        return group
    if is_group_member(user, group):
        raise PermissionDenied(_("只有委员联络处或群组召集人可以进行此操作。"))
    raise NotFound(_("未找到该读书群组，或您无权查看。"))


@transaction.atomic
def reading_group_members_set(
    *, user: User, group_id: int, membership_ids: Sequence[int]
) -> ReadingGroup:
    """Set who is in the group (the convener always stays). Members who leave keep their
    check-ins. Who: 委员联络处 of its committee."""
    group = _lock_group(user, group_id)
    members = _current_memberships(group.committee_id, [group.convener_id, *membership_ids])
    wanted = {m.pk for m in members}
    current = set(
        ReadingGroupMember.objects.filter(group=group).values_list("membership_id", flat=True)
    )
    if wanted == current:
        return group
    ReadingGroupMember.objects.filter(group=group).exclude(membership_id__in=wanted).delete()
    ReadingGroupMember.objects.bulk_create(
        ReadingGroupMember(group=group, membership_id=pk) for pk in sorted(wanted - current)
    )
    audit_record(
        verb="study_group_members",
        actor=user,
        obj=group,
        role=OFFICE,
        data={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )
    notices.group_joined(group=group, membership_ids=sorted(wanted - current))
    return group


@transaction.atomic
def reading_book_add(
    *,
    user: User,
    group_id: int,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    author: str = "",
) -> ReadingBook:
    """Set the book the group reads over a period (共读书目). Periods of one group do not
    overlap. Who: 委员联络处 or the group's convener."""
    group = _lock_group(user, group_id, convener_too=True)
    _check_text(
        {"title": (_("书名"), title, BOOK_TITLE_MAX), "author": (_("作者"), author, GROUP_NAME_MAX)}
    )
    title = " ".join((title or "").split()).strip("《》")
    author = " ".join((author or "").split())
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("请填写书名。")
    if ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    elif ReadingBook.objects.filter(
        group=group, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists():
        errors["starts_on"] = _("这段时间已有共读书目，请调整日期。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    book = ReadingBook.objects.create(
        group=group, title=title, author=author, starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        verb="study_group_book",
        actor=user,
        obj=group,
        role=OFFICE if is_study_office(user, group.committee_id) else "convener",
        data={"book": title, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return book


@transaction.atomic
def reading_checkin(*, user: User, group_id: int, progress: str, note: str = "") -> ReadingCheckin:
    """读书打卡 for today: how far the member has read and a short note, counted for the book
    the group reads today (if any). A second check-in the same day updates the first. Who: a
    member of the group."""
    group = ReadingGroup.objects.select_related("committee").filter(pk=group_id).first()
    membership = group_membership_of(user, group) if group is not None else None
    if group is None or membership is None:
        raise NotFound(_("未找到该读书群组，或您无权查看。"))
    if not group.is_active:
        raise Conflict(_("该读书群组已停止活动，不能打卡。"))
    _check_text(
        {
            "progress": (_("读到哪里"), progress, PROGRESS_MAX),
            "note": (_("心得"), note, CHECKIN_NOTE_MAX),
        }
    )
    progress = " ".join((progress or "").split())
    note = (note or "").strip()
    if not progress:
        message = _("请填写读到哪里，例如“第三章”或“第120页”。")
        raise ValidationFailed(message, extra={"errors": {"progress": message}})
    today = clock.today()
    book = ReadingBook.objects.filter(group=group, starts_on__lte=today, ends_on__gte=today).first()
    checkin, created = ReadingCheckin.objects.select_for_update().get_or_create(
        group=group,
        membership=membership,
        day=today,
        defaults={"book": book, "progress": progress, "note": note},
    )
    if not created:
        model_update(instance=checkin, data={"book": book, "progress": progress, "note": note})
    audit_record(
        verb="study_checkin",
        actor=user,
        obj=checkin,
        role=MEMBER,
        data={"group": group.pk, "day": today.isoformat(), "updated": not created},
    )
    return checkin


@transaction.atomic
def reading_sharing_arrange(
    *,
    user: User,
    group_id: int,
    title: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    location_note: str = "",
    description: str = "",
) -> ReadingSharing:
    """Arrange a 读书分享会 for the group: the meetings app runs it (hand-off
    `study:reading_sharing`) as a course with the group's current members invited, published
    at once — they are told, may ask for leave and check in as at any meeting, and their
    attendance is a 学习培训 duty record. The group lists it. Who: the 委员联络处."""
    group = _lock_group(user, group_id)
    if not group.is_active:
        raise Conflict(_("该读书群组已停止活动，不能安排读书分享会。"))
    _check_text(
        {
            "title": (_("分享会名称"), title, SHARING_TITLE_MAX),
            "location_note": (_("地点"), location_note, SHARING_NOTE_MAX),
            "description": (_("分享安排"), description, DESCRIPTION_MAX),
        }
    )
    title = " ".join((title or "").split())
    if not title:
        message = _("请填写分享会名称。")
        raise ValidationFailed(message, extra={"errors": {"title": message}})
    today = (timezone.localtime(starts_at) if starts_at else clock.now()).date()
    book = (
        ReadingBook.objects.filter(group=group, starts_on__lte=today, ends_on__gte=today).first()
        or ReadingBook.objects.filter(group=group, starts_on__lte=today)
        .order_by("-ends_on")
        .first()
    )
    members = list(
        ReadingGroupMember.objects.filter(
            group=group,
            membership__status=MembershipStatus.ACTIVE,
            membership__term__is_current=True,
        )
        .order_by("membership_id")
        .values_list("membership_id", flat=True)
    )
    made = handoff(
        "study:reading_sharing",
        user=user,
        title=title,
        membership_ids=members,
        starts_at=starts_at,
        ends_at=ends_at,
        location_note=" ".join((location_note or "").split()),
        topics=f"《{book.title}》" if book else group.name,
        description=(description or "").strip(),
    )
    if made is None:
        raise Conflict(_("会议功能未启用，暂不能安排读书分享会。"))
    sharing = ReadingSharing.objects.create(
        group=group,
        book=book,
        course_id=made["course_id"],
        meeting_id=made["meeting_id"],
        created_by=user,
    )
    audit_record(
        verb="study_group_sharing",
        actor=user,
        obj=group,
        role=OFFICE,
        data={"course": made["course_id"], "title": title, "members": len(members)},
    )
    return sharing


# The yearly study plan (专题学习计划) ------------------------------------------------------------


def _plan_fields(topic: str, lead: str, result: str = "") -> tuple[str, str, str]:
    _check_text(
        {
            "topic": (_("学习专题"), topic, REQUEST_TITLE_MAX),
            "lead": (_("牵头部门"), lead, GROUP_NAME_MAX),
            "result": (_("完成情况"), result, DESCRIPTION_MAX),
        }
    )
    return " ".join((topic or "").split()), " ".join((lead or "").split()), (result or "").strip()


@transaction.atomic
def plan_item_add(
    *, user: User, year: int, month: int, topic: str, form: str, lead: str = ""
) -> StudyPlanItem:
    """Add an item to the committee's study plan of `year`. Who: 委员联络处."""
    committee_id = office_committee_id(user)
    if committee_id is None:
        raise PermissionDenied(_("只有委员联络处可以编制专题学习计划。"))
    topic, lead, _result = _plan_fields(topic, lead)
    errors: dict[str, str] = {}
    if not topic:
        errors["topic"] = _("请填写学习专题。")
    if form not in PlanForm.values:
        errors["form"] = _("请选择学习形式。")
    if not 1 <= int(month) <= 12:
        errors["month"] = _("请选择1至12月。")
    if not clock.today().year - 1 <= int(year) <= clock.today().year + 1:
        errors["year"] = _("只能编制上一年、本年或下一年的计划。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    item = StudyPlanItem.objects.create(
        committee_id=committee_id, year=year, month=month, topic=topic, form=form, lead=lead
    )
    audit_record(
        verb="study_plan_add",
        actor=user,
        obj=item,
        role=OFFICE,
        data={"year": year, "month": month, "topic": topic},
    )
    return item


def _office_plan_item(user: User, item_id: int) -> StudyPlanItem:
    item = StudyPlanItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None or not is_study_office(user, item.committee_id):
        raise NotFound(_("未找到该计划事项，或您无权查看。"))
    return item


@transaction.atomic
def plan_item_done(
    *, user: User, item_id: int, done_on: dt.date | None, result: str = ""
) -> StudyPlanItem:
    """Record an item held (the day and a short account), or not held after all (`done_on`
    None). Who: 委员联络处 of its committee."""
    item = _office_plan_item(user, item_id)
    _topic, _lead, result = _plan_fields("", "", result)
    if done_on is not None and done_on > clock.today():
        message = _("完成日期不能晚于今天。")
        raise ValidationFailed(message, extra={"errors": {"done_on": message}})
    changed = model_update(
        instance=item, data={"done_on": done_on, "result": result if done_on else ""}
    )
    if changed:
        audit_record(
            verb="study_plan_done" if done_on else "study_plan_undone",
            actor=user,
            obj=item,
            role=OFFICE,
            data={"done_on": done_on.isoformat() if done_on else None},
        )
    return item


@transaction.atomic
def plan_item_remove(*, user: User, item_id: int) -> None:
    """Take an item off the plan. Who: 委员联络处 of its committee."""
    item = _office_plan_item(user, item_id)
    audit_record(
        verb="study_plan_remove",
        actor=user,
        obj=item,
        role=OFFICE,
        data={"topic": item.topic, "year": item.year, "month": item.month},
    )
    item.delete()
