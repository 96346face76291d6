"""The review verbs (立案, 不立案, 建议转交, 并案) refuse a 审查意见 holding a control character
(U+000B, NUL), and 办结 a 办结说明 holding one, with a Chinese message naming the field; nothing
changes: no status moved, no number drawn, no audit event, no notice. The same call with a clean
note goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.proposals import workflow
from apps.proposals.models import Proposal, ProposalNumberSeries, ProposalStatus

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db

S = ProposalStatus
WATCHED = (Proposal, ProposalNumberSeries, AuditEvent, OutboxMessage)


def _merge(build: Any) -> tuple[Proposal, Callable[..., Proposal]]:
    proposal = build.submitted()
    lead = build.accepted(title="关于发展普惠托育的建议")

    def merge(note: str) -> Proposal:
        return workflow.proposal_merge(
            user=build.office, proposal_id=proposal.pk, into_id=lead.pk, note=note
        )

    return proposal, merge


def _verb(name: str, state: str, **arguments: Any) -> Callable[[Any], tuple[Proposal, Any]]:
    """A case: the proposal built in `state` and the verb to call on it with a note."""

    def make(build: Any) -> tuple[Proposal, Callable[..., Proposal]]:
        proposal = getattr(build, state)()

        def call(note: str) -> Proposal:
            verb = getattr(workflow, f"proposal_{name}")
            return verb(user=build.office, proposal_id=proposal.pk, note=note, **arguments)

        return proposal, call

    return make


# verb → (the case, the label of its note, the status before, the status after)
CASES = {
    "accept": (_verb("accept", "submitted"), "审查意见", S.SUBMITTED, S.ACCEPTED),
    "reject": (_verb("reject", "submitted", reason="empty"), "审查意见", S.SUBMITTED, S.REJECTED),
    "propose_transfer": (
        _verb("propose_transfer", "submitted", target="suggestion", reason="empty"),
        "审查意见",
        S.SUBMITTED,
        S.TRANSFER_PENDING,
    ),
    "merge": (_merge, "审查意见", S.SUBMITTED, S.MERGED),
    "close": (_verb("close", "evaluated"), "办结说明", S.EVALUATED, S.CLOSED),
}


@pytest.mark.parametrize(
    "note", ["建议\x0b与同类提案一并研究", "建议与同类提案\x00一并研究"], ids=["VT", "NUL"]
)
@pytest.mark.parametrize("verb", list(CASES))
def test_a_note_with_a_control_character_is_refused(build, verb, note):
    make, label, before_status, after_status = CASES[verb]
    proposal, call = make(build)
    assert proposal.status == before_status
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match=f"“{label}”中含有不可见的控制字符") as caught:
        call(note)
    assert caught.value.extra == {"errors": {"note": caught.value.message}}
    assert db_snapshot(*WATCHED) == before
    proposal.refresh_from_db()
    assert proposal.status == before_status

    clean = note.replace("\x0b", "").replace("\x00", "")
    call(clean)
    proposal.refresh_from_db()
    assert proposal.status == after_status
    event = AuditEvent.objects.filter(verb=f"proposal_{verb}", object_id=str(proposal.pk)).get()
    if verb == "close":
        assert event.data["note"] == clean
    else:
        assert proposal.review_note == clean


def test_permission_and_existence_are_decided_before_the_note_is_read(build, member_user):
    from apps.core.errors import NotFound, PermissionDenied

    proposal = build.evaluated()
    before = db_snapshot(*WATCHED)
    with pytest.raises(PermissionDenied):
        workflow.proposal_close(user=member_user, proposal_id=proposal.pk, note="办\x0b结")
    with pytest.raises(NotFound):
        workflow.proposal_close(user=build.office, proposal_id=proposal.pk + 10_000, note="\x0b")
    assert db_snapshot(*WATCHED) == before
