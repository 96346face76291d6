"""Roster import (all or nothing) and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.organisation.models import Term

from ..models import Member, Membership
from ..permissions import can_export_roster, can_manage_roster, can_unmask
from ..selectors import RosterFilters
from ._shared import SENSITIVE_FIELDS, require_scope
from .members import MEMBERSHIP_TERM_FIELDS

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ..roster_import import ImportReport


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    accounts: int


def _assign_changed(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ on an in-memory row; True when any did. Only for rows written
    together by bulk_update (one row at a time goes through apps.core.services.model_update)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def roster_import_preview(
    *, actor: User, term: Term, upload: UploadedFile
) -> tuple[ImportReport, bytes]:
    """Read and check an uploaded roster file for a term without writing anything: the report
    (every problem with its row, or the rows to import) and the file's content.

    Who may call: holders of members.manage_roster within their scope. A file that cannot be
    read at all (wrong type, too big, damaged, wrong columns) raises ValidationFailed naming the
    `file` field.
    """
    from ..roster_import import ImportFileError, check_upload, roster_import_check

    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有导入委员名册的权限。"))
    require_scope(actor, term.committee_id)
    try:
        check_upload(filename=upload.name or "", size=upload.size or 0)
        content = upload.read()
        return roster_import_check(term=term, content=content), content
    except ImportFileError as exc:
        raise ValidationFailed(exc.message, extra={"errors": {"file": exc.message}}) from exc


def roster_import_apply(
    *, actor: User, term: Term, content: bytes, filename: str = ""
) -> ImportResult:
    """Import a roster file into a term, all or nothing.

    Who may call: holders of members.manage_roster within their scope. The file is read and
    validated again inside the transaction; any invalid row raises ValidationFailed with
    `extra={"errors": {"file": [one message per problem]}}` and nothing is written. Members are
    matched by ID number (update, not duplicate); accounts are created (user name = mobile,
    unusable password) for rows asking for one. Writes one `roster_import` event with the
    counts. A concurrent change to the same members raises Conflict.
    """
    if not can_manage_roster(actor):
        raise PermissionDenied(_("您没有导入委员名册的权限。"))
    require_scope(actor, term.committee_id)
    try:
        return _roster_import_write(actor=actor, term=term, content=content, filename=filename)
    except IntegrityError as exc:
        raise Conflict(_("导入期间名册被他人修改，未导入任何数据，请重新上传。")) from exc


@transaction.atomic
def _roster_import_write(*, actor: User, term: Term, content: bytes, filename: str) -> ImportResult:
    from apps.accounts.services import user_create

    from ..roster_import import ImportFileError, roster_import_check

    try:
        report = roster_import_check(term=term, content=content)
    except ImportFileError as exc:
        raise ValidationFailed(exc.message, extra={"errors": {"file": exc.message}}) from exc
    if report.errors:
        raise ValidationFailed(
            _("共有 %(count)d 行有误，未导入任何数据。") % {"count": report.error_row_count},
            extra={"errors": {"file": [str(error) for error in report.errors]}},
        )
    now = timezone.now()
    committee_id = term.committee_id
    rows = report.rows
    members = {
        m.id_number: m
        for m in Member.objects.select_for_update().filter(
            committee_id=committee_id, id_number__in=[row.id_number for row in rows]
        )
    }
    new_members: list[Member] = []
    changed_members: list[Member] = []
    phone_changes: list[Member] = []
    for row in rows:
        values: dict[str, Any] = {
            "name": row.name,
            "gender": row.gender,
            "ethnicity": row.ethnicity,
            "birth_date": row.birth_date,
            "mobile": row.mobile,
            "email": row.email,
        }
        member = members.get(row.id_number)
        if member is None:
            member = Member(committee_id=committee_id, id_number=row.id_number, **values)
            members[row.id_number] = member
            new_members.append(member)
        else:
            old_mobile = member.mobile
            if _assign_changed(member, values):
                member.updated_at = now
                changed_members.append(member)
            if member.mobile != old_mobile and member.user_id and row.mobile:
                phone_changes.append(member)
    Member.objects.bulk_create(new_members)
    Member.objects.bulk_update(
        changed_members,
        ["name", "gender", "ethnicity", "birth_date", "mobile", "email", "updated_at"],
        batch_size=500,
    )
    for member in phone_changes:
        User.objects.filter(pk=member.user_id or 0).update(phone=member.mobile)

    member_ids = [members[row.id_number].pk for row in rows]
    memberships = {
        ms.member_id: ms
        for ms in Membership.objects.select_for_update().filter(term=term, member_id__in=member_ids)
    }
    new_memberships: list[Membership] = []
    changed_memberships: list[Membership] = []
    for row in rows:
        member = members[row.id_number]
        values = {
            "sector_id": row.sector_id,
            "party": row.party,
            "position": row.position,
            "group_id": row.group_id,
            "work_unit": row.work_unit,
            "job_title": row.job_title,
            "expertise": row.expertise,
            "focus_areas": row.focus_areas,
        }
        if row.nominated_by is not None:  # a file without the column keeps the roster's value
            values["nominated_by"] = row.nominated_by
        membership = memberships.get(member.pk)
        if membership is None:
            membership = Membership(committee_id=committee_id, member=member, term=term, **values)
            memberships[member.pk] = membership
            new_memberships.append(membership)
        elif _assign_changed(membership, values):
            membership.updated_at = now
            changed_memberships.append(membership)
    Membership.objects.bulk_create(new_memberships)
    Membership.objects.bulk_update(
        changed_memberships, [*MEMBERSHIP_TERM_FIELDS, "updated_at"], batch_size=500
    )
    through = Membership.special_committees.through
    membership_ids = [memberships[members[row.id_number].pk].pk for row in rows]
    through.objects.filter(membership_id__in=membership_ids).delete()
    through.objects.bulk_create(
        [
            through(
                membership_id=memberships[members[row.id_number].pk].pk,
                specialcommittee_id=special_id,
            )
            for row in rows
            for special_id in row.special_committee_ids
        ]
    )

    accounts = 0
    for row in rows:
        member = members[row.id_number]
        if row.create_account and member.user_id is None:
            member.user = user_create(
                committee=term.committee,
                username=row.mobile,
                name=row.name,
                phone=row.mobile,
                email=row.email,
                created_by=actor,
            )
            Member.objects.filter(pk=member.pk).update(user=member.user)
            accounts += 1

    result = ImportResult(
        created=len(new_members), updated=len(rows) - len(new_members), accounts=accounts
    )
    audit_record(
        verb="roster_import",
        actor=actor,
        obj=term,
        committee=term.committee,
        data={
            "created": result.created,
            "updated": result.updated,
            "accounts": result.accounts,
            "rows": len(rows),
            "filename": filename[:200],
        },
    )
    return result


@transaction.atomic
def roster_export(
    *, actor: User, term: Term, filters: RosterFilters, full: bool = False
) -> tuple[bytes, int]:
    """Build the .xlsx of a term's roster with the given RosterFilters; returns (file, count).

    Who may call: roster viewers within scope. Phone and ID are masked unless `full`, which
    needs members.unmask_member. Writes `roster_export` (with `full`, the filters and the count).
    """
    from ..roster_export import build_roster_workbook
    from ..selectors import membership_roster

    if not can_export_roster(actor):
        raise PermissionDenied(_("您没有导出委员名册的权限。"))
    require_scope(actor, term.committee_id)
    if full and not can_unmask(actor):
        raise PermissionDenied(_("您没有导出完整手机号和身份证号的权限。"))
    memberships = membership_roster(user=actor, term=term, filters=filters)
    content, count = build_roster_workbook(memberships, term=term, full=full)
    audit_record(
        verb="roster_export",
        actor=actor,
        obj=term,
        committee=term.committee,
        data={
            "full": full,
            "fields": sorted(SENSITIVE_FIELDS) if full else [],
            "count": count,
            "filters": filters.as_audit(),
        },
    )
    return content, count
