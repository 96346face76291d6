"""Co-authors (联名): members of the report's committee credited beside its submitter. The
submitter names them while drafting or revising; they are credited at once (social-opinion
reports need no co-signing)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, ValidationFailed
from apps.members.models import Membership, MembershipStatus

from ..models import Contributor, ContributorKind
from ..workflow.actions import REPORT
from ..workflow.common import lock_report, submitter_role

MAX_COAUTHORS = 10


@transaction.atomic
def coauthor_add(*, user: User, report_id: int, membership_id: int) -> Contributor:
    """Credit a member of the committee's current term as co-author. Who: the submitter, while
    the report is a draft or returned for revision. At most 10; each member once."""
    report = lock_report(report_id)
    REPORT.check(user, report, "manage_coauthors")
    membership = (
        Membership.objects.filter(
            pk=membership_id,
            committee_id=report.committee_id,
            term__is_current=True,
            status=MembershipStatus.ACTIVE,
        )
        .select_related("member")
        .first()
    )
    if membership is None:
        raise NotFound(_("未找到这位委员，或其不是本届在任委员。"))
    credits = list(Contributor.objects.filter(report=report))
    if any(c.membership_id == membership.pk for c in credits):
        raise Conflict(_("%(name)s已在署名中。") % {"name": membership.member.name})
    if sum(1 for c in credits if c.kind == ContributorKind.CO) >= MAX_COAUTHORS:
        raise ValidationFailed(_("联名报送人最多%(n)d位。") % {"n": MAX_COAUTHORS})
    order = Contributor.objects.filter(report=report).aggregate(n=Max("sort_order"))["n"] or 0
    contributor = Contributor.objects.create(
        report=report,
        kind=ContributorKind.CO,
        membership=membership,
        user=membership.member.user,
        sort_order=order + 1,
    )
    audit_record(
        verb="opinion_coauthor_add",
        actor=user,
        obj=report,
        role=submitter_role(user, report),
        data={"name": membership.member.name},
    )
    return contributor


@transaction.atomic
def coauthor_remove(*, user: User, report_id: int, contributor_id: int) -> None:
    """Take a co-author off the report. Who: the submitter, while drafting or revising."""
    report = lock_report(report_id)
    REPORT.check(user, report, "manage_coauthors")
    contributor = (
        Contributor.objects.filter(pk=contributor_id, report=report, kind=ContributorKind.CO)
        .select_related("membership__member")
        .first()
    )
    if contributor is None:
        raise NotFound(_("未找到该联名报送人。"))
    name = contributor.membership.member.name if contributor.membership else ""
    contributor.delete()
    audit_record(
        verb="opinion_coauthor_remove",
        actor=user,
        obj=report,
        role=submitter_role(user, report),
        data={"name": name},
    )
