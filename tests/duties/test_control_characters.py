"""The 履职备案 services refuse typed text holding a control character (U+000B, NUL) with a
Chinese message naming the field, and change nothing: no filing or activity type, no status
moved, no audit event, no notice. The same call with clean text goes through."""

from __future__ import annotations

import pytest

from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.duties import services
from apps.duties.models import ActivityFiling, ActivityType, FilingEvidence, FilingStatus
from apps.duties.workflow import filing_reject
from apps.notifications.models import OutboxMessage
from tests.proposals.conftest import db_snapshot

from .test_filings import filings  # noqa: F401  (the filings builder of the filing tests)

pytestmark = pytest.mark.django_db

WATCHED = (ActivityFiling, FilingEvidence, ActivityType, AuditEvent, OutboxMessage)

FIELDS = [
    ("title", "活动名称", "参加\x0b专题调研"),
    ("place", "活动地点", "章丘\x00区"),
    ("description", "活动情况", "随农业和农村委员会\x0b走访三个村。"),
]


def refused(label: str):
    """The refusal of a control character in the field labelled `label`."""
    return pytest.raises(ValidationFailed, match=f"“{label}”中含有不可见的控制字符")


def clean(value: str) -> str:
    return value.replace("\x0b", "").replace("\x00", "")


@pytest.mark.parametrize(("field", "label", "value"), FIELDS, ids=[f[0] for f in FIELDS])
def test_filing_submit(filings, field, label, value):  # noqa: F811
    before = db_snapshot(*WATCHED)
    with refused(label) as caught:
        filings.submitted(**{field: value})
    assert caught.value.extra == {"errors": {field: caught.value.message}}
    assert db_snapshot(*WATCHED) == before

    filing = filings.submitted(**{field: clean(value)})
    assert getattr(filing, field) == clean(value)
    assert filing.status == FilingStatus.SUBMITTED


@pytest.mark.parametrize(("field", "label", "value"), FIELDS, ids=[f[0] for f in FIELDS])
def test_filing_resubmit(filings, member_user, field, label, value):  # noqa: F811
    filing = filings.in_state(FilingStatus.REJECTED)
    before = db_snapshot(*WATCHED)
    with refused(label) as caught:
        filings.resubmit(member_user, filing, **{field: value})
    assert caught.value.extra == {"errors": {field: caught.value.message}}
    assert db_snapshot(*WATCHED) == before
    filing.refresh_from_db()
    assert (filing.status, filing.revision) == (FilingStatus.REJECTED, 1)

    filings.resubmit(member_user, filing, **{field: clean(value)})
    filing.refresh_from_db()
    assert (filing.status, filing.revision) == (FilingStatus.SUBMITTED, 2)
    assert getattr(filing, field).startswith(clean(value))


@pytest.mark.parametrize("reason", ["请补充\x0b签到表。", "请补充签到表。\x00"], ids=["VT", "NUL"])
def test_filing_reject(filings, liaison_user, reason):  # noqa: F811
    filing = filings.submitted()
    before = db_snapshot(*WATCHED)
    with refused("退回理由") as caught, filings.on_commit():
        filing_reject(user=liaison_user, filing_id=filing.pk, reason=reason)
    assert caught.value.extra == {"errors": {"reason": caught.value.message}}
    assert db_snapshot(*WATCHED) == before
    filing.refresh_from_db()
    assert (filing.status, filing.reject_reason) == (FilingStatus.SUBMITTED, "")

    with filings.on_commit():
        filing_reject(user=liaison_user, filing_id=filing.pk, reason="请补充签到表。")
    filing.refresh_from_db()
    assert (filing.status, filing.reject_reason) == (FilingStatus.REJECTED, "请补充签到表。")


@pytest.mark.parametrize("name", ["界别\x0b活动", "界别活动\x00"], ids=["VT", "NUL"])
def test_activity_type_add(liaison_user, city, name):
    # Refused before the committee has any type: the defaults created on the way roll back too.
    before = db_snapshot(*WATCHED)
    assert before["duties.ActivityType"] == []
    with refused("活动类型名称") as caught:
        services.activity_type_add(user=liaison_user, committee_id=city.pk, name=name)
    assert caught.value.extra == {"errors": {"name": caught.value.message}}
    assert db_snapshot(*WATCHED) == before

    row = services.activity_type_add(user=liaison_user, committee_id=city.pk, name="界别活动")
    assert ActivityType.objects.get(pk=row.pk, committee=city).name == "界别活动"


def test_the_filer_is_refused_for_permission_before_the_reason_is_read(
    filings,  # noqa: F811
    member_user,
):
    from apps.core.errors import PermissionDenied

    filing = filings.submitted()
    before = db_snapshot(*WATCHED)
    with pytest.raises(PermissionDenied):
        filing_reject(user=member_user, filing_id=filing.pk, reason="退\x0b回")
    assert db_snapshot(*WATCHED) == before
