"""Who may open one assignment's workspace (its unit's users; the proposal office and
leadership of its committee, to read) and the files shown there, for download.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.errors import NotFound
from apps.organisation.selectors import committee_ids_visible_to

from ...models import Assignment, AssignmentRole, Attachment, CoUnitOpinion, Reply
from .lists import _unit_id

# ---------------------------------------------------------------------------------------------
# One assignment: visibility, workspace, actions, files


def _is_staff_reader(user: User, assignment: Assignment) -> bool:
    roles = user_roles(user)
    return bool({Role.PROPOSAL_OFFICE, Role.LEADERSHIP} & roles) and (
        assignment.committee_id in committee_ids_visible_to(user)
    )


def _is_own_unit(user: User, assignment: Assignment) -> bool:
    unit_id = _unit_id(user)
    return unit_id is not None and unit_id == assignment.handling_unit_id


def _check_readable(user: User, assignment: Assignment | None) -> Assignment:
    if assignment is None or not (
        _is_own_unit(user, assignment) or _is_staff_reader(user, assignment)
    ):
        raise NotFound(_("未找到该交办记录，或您无权查看。"))
    return assignment


def unit_assignment_get(*, user: User, assignment_id: int) -> Assignment:
    """The assignment if the user may open its workspace: a user of its unit, or the proposal
    office / leadership of its committee. Else NotFound (other units too). One or two queries."""
    assignment = (
        Assignment.objects.select_related("handling_unit", "committee")
        .filter(pk=assignment_id)
        .first()
    )
    return _check_readable(user, assignment)


FILE_KINDS = ("attachment", "letter", "opinion")


@dataclass(frozen=True)
class StoredFile:
    file: FieldFile
    name: str


def assignment_file_get(*, user: User, assignment_id: int, kind: str, file_id: int) -> StoredFile:
    """A file shown on a workspace, for download: the proposal's attachments, the unit's reply
    letters, the unit's own 会办 views, or — for the lead unit and the office — the views its
    co-units sent. NotFound for anything else."""
    assignment = unit_assignment_get(user=user, assignment_id=assignment_id)
    missing = NotFound(_("未找到该文件，或您无权查看。"))
    if kind == "attachment":
        attachment = Attachment.objects.filter(
            pk=file_id, proposal_id=assignment.proposal_id
        ).first()
        if attachment is None:
            raise missing
        return StoredFile(attachment.file, attachment.original_name)
    if kind == "letter":
        reply = Reply.objects.filter(pk=file_id, assignment_id=assignment.pk).first()
        if reply is None or not reply.letter:
            raise missing
        return StoredFile(reply.letter, reply.letter_name or _("答复函"))
    if kind == "opinion":
        opinion = (
            CoUnitOpinion.objects.select_related("assignment")
            .filter(pk=file_id, assignment__proposal_id=assignment.proposal_id)
            .first()
        )
        if opinion is None or not opinion.file:
            raise missing
        own = opinion.assignment_id == assignment.pk
        to_lead = opinion.assignment.role == AssignmentRole.CO and (
            assignment.role == AssignmentRole.LEAD or _is_staff_reader(user, assignment)
        )
        if not (own or to_lead):
            raise missing
        return StoredFile(opinion.file, opinion.original_name or _("会办意见"))
    raise missing
