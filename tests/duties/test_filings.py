"""履职备案: the state machine against a table written here, every verb from every state, who
may do what (allowed cells prove the state changed and an audit event was written; denied cells
prove nothing changed), the flow (only verified filings count; a returned one is corrected and
refiled; the member is told), a closed year, and bad input refused in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from apps.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.duties import services
from apps.duties.models import ActivityFiling, DutyRecord, FilingStatus
from apps.duties.workflow import (
    TRANSITIONS,
    filing_reject,
    filing_verify,
    filing_withdraw,
)
from apps.notifications.models import OutboxMessage

from .conftest import membership_of, pdf, png, summary_of

pytestmark = pytest.mark.django_db

S = FilingStatus
# verb → {from state: to state}, written from the issue: staff verify or reject with a reason
# (a verification found wrong can be taken back), the member corrects and refiles a returned
# one, or withdraws one not verified.
ORACLE: dict[str, dict[str, str]] = {
    "verify": {S.SUBMITTED: S.VERIFIED},
    "reject": {S.SUBMITTED: S.REJECTED, S.VERIFIED: S.REJECTED},
    "resubmit": {S.REJECTED: S.SUBMITTED},
    "withdraw": {S.SUBMITTED: S.WITHDRAWN, S.REJECTED: S.WITHDRAWN},
}


def test_the_code_table_matches_the_oracle():
    for verb, moves in ORACLE.items():
        step = TRANSITIONS[verb]
        assert set(step.sources) == set(moves)
        assert {step.target} == set(moves.values())
    assert set(TRANSITIONS) == set(ORACLE)


class Filings:
    def __init__(self, member: Any, liaison: Any, city: Any, on_commit: Any):
        self.member = member
        self.liaison = liaison
        self.on_commit = on_commit
        self.types = {t.code: t for t in services.activity_types_for(city.pk)}

    def submitted(self, title: str = "参加“乡村振兴”专题调研", **changes: Any) -> ActivityFiling:
        values: dict[str, Any] = {
            "activity_type_id": self.types["research"].pk,
            "title": title,
            "happened_on": dt.date(2026, 5, 20),
            "place": "章丘区",
            "description": "随农业和农村委员会走访三个村。",
            "evidence": [pdf()],
        }
        values.update(changes)
        with self.on_commit():
            return services.filing_submit(user=self.member, **values)

    def in_state(self, state: str) -> ActivityFiling:
        filing = self.submitted()
        with self.on_commit():
            if state == S.VERIFIED:
                filing_verify(user=self.liaison, filing_id=filing.pk)
            elif state == S.REJECTED:
                filing_reject(user=self.liaison, filing_id=filing.pk, reason="请补充签到表。")
            elif state == S.WITHDRAWN:
                filing_withdraw(user=self.member, filing_id=filing.pk)
        filing.refresh_from_db()
        assert filing.status == state
        return filing

    def resubmit(self, user: Any, filing: ActivityFiling, **changes: Any) -> ActivityFiling:
        values: dict[str, Any] = {
            "activity_type_id": filing.activity_type_id,
            "title": filing.title,
            "happened_on": filing.happened_on,
            "place": filing.place,
            "description": filing.description + "已补充签到表。",
            "evidence": [png()],
        }
        values.update(changes)
        with self.on_commit():
            return services.filing_resubmit(user=user, filing_id=filing.pk, **values)


@pytest.fixture
def filings(member_user, liaison_user, city, on_commit) -> Filings:
    return Filings(member_user, liaison_user, city, on_commit)


def _runner(filings: Filings, verb: str, user: Any) -> Callable[[ActivityFiling], Any]:
    def run(filing: ActivityFiling) -> Any:
        with filings.on_commit():
            if verb == "verify":
                return filing_verify(user=user, filing_id=filing.pk)
            if verb == "reject":
                return filing_reject(user=user, filing_id=filing.pk, reason="材料不全。")
            if verb == "withdraw":
                return filing_withdraw(user=user, filing_id=filing.pk)
        return filings.resubmit(user, filing)

    return run


ACTOR_OF = {"verify": "liaison", "reject": "liaison", "resubmit": "member", "withdraw": "member"}


@pytest.mark.parametrize("state", [S.SUBMITTED, S.VERIFIED, S.REJECTED, S.WITHDRAWN])
@pytest.mark.parametrize("verb", list(ORACLE))
def test_every_verb_from_every_state(filings, verb, state):
    filing = filings.in_state(state)
    user = filings.liaison if ACTOR_OF[verb] == "liaison" else filings.member
    events = AuditEvent.objects.filter(verb=f"filing_{verb}").count()
    target = ORACLE[verb].get(state)
    if state == TRANSITIONS[verb].target and verb != "resubmit":
        # Repeating a step is a harmless no-op: no error, no change, no audit event (refiling
        # one that is waiting is refused instead: its corrections would be lost).
        _runner(filings, verb, user)(filing)
        filing.refresh_from_db()
        assert filing.status == state
        assert AuditEvent.objects.filter(verb=f"filing_{verb}").count() == events
    elif target is not None:
        _runner(filings, verb, user)(filing)
        filing.refresh_from_db()
        assert filing.status == target
        assert AuditEvent.objects.filter(verb=f"filing_{verb}").count() == events + 1
    else:
        with pytest.raises(Conflict):
            _runner(filings, verb, user)(filing)
        filing.refresh_from_db()
        assert filing.status == state
        assert AuditEvent.objects.filter(verb=f"filing_{verb}").count() == events


# (verb, the state it starts from, actor) → allowed?
MATRIX = [
    ("verify", S.SUBMITTED, "liaison", True),
    ("verify", S.SUBMITTED, "member", False),
    ("verify", S.SUBMITTED, "other_member", False),
    ("verify", S.SUBMITTED, "leader", False),
    ("verify", S.SUBMITTED, "district_liaison", False),
    ("reject", S.SUBMITTED, "liaison", True),
    ("reject", S.SUBMITTED, "member", False),
    ("reject", S.SUBMITTED, "leader", False),
    ("reject", S.SUBMITTED, "district_liaison", False),
    ("resubmit", S.REJECTED, "member", True),
    ("resubmit", S.REJECTED, "other_member", False),
    ("resubmit", S.REJECTED, "liaison", False),
    ("resubmit", S.REJECTED, "district_liaison", False),
    ("withdraw", S.SUBMITTED, "member", True),
    ("withdraw", S.SUBMITTED, "other_member", False),
    ("withdraw", S.SUBMITTED, "liaison", False),
    ("withdraw", S.SUBMITTED, "leader", False),
]


@pytest.mark.parametrize(("verb", "state", "actor", "allowed"), MATRIX)
def test_permission_matrix(
    request, filings, verb, state, actor, allowed, other_member_user, leader_user
):
    users = {
        "liaison": filings.liaison,
        "member": filings.member,
        "other_member": other_member_user,
        "leader": leader_user,
        "district_liaison": request.getfixturevalue("district_liaison"),
    }
    filing = filings.in_state(state)
    before = (filing.status, filing.revision, filing.title, filing.description)
    events = AuditEvent.objects.count()
    if allowed:
        _runner(filings, verb, users[actor])(filing)
        filing.refresh_from_db()
        assert filing.status == ORACLE[verb][state]
        assert AuditEvent.objects.filter(verb=f"filing_{verb}", actor=users[actor]).exists()
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            _runner(filings, verb, users[actor])(filing)
        filing.refresh_from_db()
        assert (filing.status, filing.revision, filing.title, filing.description) == before
        assert AuditEvent.objects.count() == events


def test_only_verified_filings_count_and_a_returned_one_is_refiled(
    filings, member_user, liaison_user, tongcheng_rules, year
):
    """桐城: 履职活动 2 points each (cap 10). Waiting: nothing; verified: 2; returned after
    verifying: back to 0 and the member told with the reason; corrected and verified: 2."""
    filing = filings.submitted()
    key = f"filing:{filing.pk}"
    mine = membership_of(member_user)
    assert not DutyRecord.objects.filter(membership=mine, source_key=key).exists()
    assert summary_of(member_user, year).score == 0

    with filings.on_commit():
        filing_verify(user=liaison_user, filing_id=filing.pk)
    assert DutyRecord.objects.get(membership=mine, source_key=key).level == "research"
    assert summary_of(member_user, year).score == 2

    with filings.on_commit():
        filing_reject(user=liaison_user, filing_id=filing.pk, reason="  请补充  签到表。 ")
    filing.refresh_from_db()
    assert filing.reject_reason == "请补充 签到表。"
    assert not DutyRecord.objects.filter(membership=mine, source_key=key).exists()
    assert summary_of(member_user, year).score == 0
    notice = OutboxMessage.objects.get(kind="duty_filing", recipient=member_user)
    assert notice.body == "请补充 签到表。"

    filings.resubmit(member_user, filing, title="参加“乡村振兴”专题调研（补充签到表）")
    filing.refresh_from_db()
    assert (filing.status, filing.revision, filing.reject_reason) == (S.SUBMITTED, 2, "")
    assert filing.evidence.count() == 2
    with filings.on_commit():
        filing_verify(user=liaison_user, filing_id=filing.pk)
    record = DutyRecord.objects.get(membership=mine, source_key=key)
    assert record.label == "参加“乡村振兴”专题调研（补充签到表）"
    assert summary_of(member_user, year).score == 2


def test_a_reject_without_reason_is_refused(filings, liaison_user):
    filing = filings.submitted()
    with pytest.raises(ValidationFailed) as caught:
        filing_reject(user=liaison_user, filing_id=filing.pk, reason="   ")
    assert "退回理由" in caught.value.extra["errors"]["reason"]
    filing.refresh_from_db()
    assert filing.status == S.SUBMITTED


def test_a_closed_year_takes_no_decision(filings, liaison_user, city, year):
    filing = filings.submitted()
    services.year_close(user=liaison_user, committee_id=city.pk, year=year)
    with pytest.raises(Conflict) as caught:
        filing_verify(user=liaison_user, filing_id=filing.pk)
    assert "已经结束" in caught.value.message
    filing.refresh_from_db()
    assert filing.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"place": ""}, "place"),
        ({"activity_type_id": None}, "activity_type"),
        ({"happened_on": None}, "happened_on"),
        ({"happened_on": dt.date(2026, 7, 1)}, "happened_on"),  # after today (15 June)
        ({"evidence": []}, "evidence"),
    ],
)
def test_bad_filings_are_refused_with_a_chinese_message(filings, changes, field):
    before = ActivityFiling.objects.count()
    with pytest.raises(DomainError) as caught:
        filings.submitted(**changes)
    errors = caught.value.extra.get("errors", {})
    assert field in errors, errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[field])
    assert ActivityFiling.objects.count() == before


def test_evidence_of_a_refused_type_is_refused(filings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    script = SimpleUploadedFile(
        "run.exe", b"MZ\x90\x00" * 10, content_type="application/x-msdownload"
    )
    with pytest.raises(ValidationFailed) as caught:
        filings.submitted(evidence=[script])
    assert "evidence" in caught.value.extra["errors"]
    assert not ActivityFiling.objects.exists()
