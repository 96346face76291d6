"""签发: the office sends an edited report to a leader; the leader signs it off (it may then go
into the bulletin) or sends it back to the editor with a note."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import ValidationFailed

from .. import notices
from ..models import OpinionReport
from ..permissions import is_leadership
from ..services.stats_marks import stats_mark_dirty
from .actions import REPORT
from .common import LEADER, OFFICE, lock_report

NOTE_MAX = 500


def _signer(report: OpinionReport, signer_id: int | None) -> User:
    signer = User.objects.filter(pk=signer_id, is_active=True).first() if signer_id else None
    if signer is None or not is_leadership(signer, report.committee_id):
        message = _("请选择本级主席会议成员作为签发领导。")
        raise ValidationFailed(message, extra={"errors": {"signer": message}})
    return signer


@transaction.atomic
def report_request_signoff(
    *, user: User, report_id: int, signer_id: int | None, note: str = ""
) -> OpinionReport:
    """送领导签发 (编辑中 → 待签发). Who: the 社情民意信息处. `signer_id` must be a 主席会议成员
    of the report's committee; they are told. The edited text must fit the limits."""
    report = lock_report(report_id)
    chosen: dict[str, User] = {}

    def check() -> None:
        chosen["signer"] = _signer(report, signer_id)

    REPORT.step(
        report,
        "request_signoff",
        actor=user,
        role=OFFICE,
        check=check,
        fields=lambda: {
            "signer_id": chosen["signer"].pk,
            "signoff_requested_at": clock.now(),
            "signoff_note": note.strip()[:NOTE_MAX],
        },
        data=lambda: {"signer": chosen["signer"].display_name},
        notify=lambda r: notices.send(
            recipients=[chosen["signer"]],
            key=f"opinion:{r.pk}:signoff:{int(clock.now().timestamp())}",
            title=_("社情民意信息待您签发：%(t)s") % {"t": r.title},
            body=r.signoff_note,
            url=notices.report_url(r.pk),
            committee=r.committee,
        ),
    )
    return report


@transaction.atomic
def report_sign(*, user: User, report_id: int, note: str = "") -> OpinionReport:
    """签发 (待签发 → 已签发). Who: the leader it was sent to. The submitters are told; the
    office may now put it into an issue of the bulletin."""
    report = lock_report(report_id)

    def signed(r: OpinionReport) -> None:
        stats_mark_dirty(report=r)
        notices.tell_credited(
            r, "signed", _("您报送的社情民意信息已经领导签发：%(t)s") % {"t": r.title}
        )

    REPORT.step(
        report,
        "sign",
        actor=user,
        role=LEADER,
        fields=lambda: {"signed_at": clock.now(), "signoff_note": note.strip()[:NOTE_MAX]},
        data={"note": note.strip()[:NOTE_MAX]},
        notify=signed,
    )
    return report


@transaction.atomic
def report_send_back(*, user: User, report_id: int, note: str) -> OpinionReport:
    """退回编辑 (待签发 → 编辑中) with what to change. Who: the leader it was sent to. The
    office is told."""
    report = lock_report(report_id)
    text = (note or "").strip()

    def check() -> None:
        if not text:
            message = _("请写明需要修改的地方。")
            raise ValidationFailed(message, extra={"errors": {"note": message}})

    REPORT.step(
        report,
        "send_back",
        actor=user,
        role=LEADER,
        check=check,
        fields=lambda: {"signoff_note": text[:NOTE_MAX]},
        data={"note": text[:NOTE_MAX]},
        notify=lambda r: notices.send(
            recipients=notices.office_users(r.committee_id),
            key=f"opinion:{r.pk}:sent-back:{int(clock.now().timestamp())}",
            title=_("领导退回编辑：%(t)s") % {"t": r.title},
            body=text,
            url=notices.report_url(r.pk),
            committee=r.committee,
        ),
    )
    return report
