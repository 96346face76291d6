"""The outcome services of a published report refuse typed text holding a control character
(U+000B, NUL) with a Chinese message naming the field, and change nothing: no adoption,
instruction or referral, no reply recorded, no audit event, no notice. The same call with clean
text goes through."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.opinions import services
from apps.opinions.models import (
    Adoption,
    Instruction,
    OpinionReport,
    OpinionStatsState,
    Referral,
    ReferralStatus,
)
from tests.proposals.conftest import db_snapshot

pytestmark = pytest.mark.django_db

WATCHED = (OpinionReport, Adoption, Instruction, Referral, OpinionStatsState, AuditEvent)
WATCHED += (OutboxMessage,)


def refused(label: str):
    """The refusal of a control character in the field labelled `label`."""
    return pytest.raises(ValidationFailed, match=f"“{label}”中含有不可见的控制字符")


def clean(value: str) -> str:
    return value.replace("\x0b", "").replace("\x00", "")


def attempt(call, field: str, label: str, value: str, **values):
    """`call` with `field` set to `value` is refused and changes nothing; with the character
    removed it goes through (returned)."""
    before = db_snapshot(*WATCHED)
    with refused(label) as caught:
        call(**{**values, field: value})
    assert caught.value.extra == {"errors": {field: caught.value.message}}
    assert db_snapshot(*WATCHED) == before
    return call(**{**values, field: clean(value)})


@pytest.fixture
def published(build):
    return build.compiled()


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [("publication", "刊发情况", "《山东政协信息》\x0b第8期"), ("note", "备注", "省政协\x00采用")],
    ids=["publication", "note"],
)
def test_adoption_record(published, editor, levels, field, label, value):
    adoption = attempt(
        services.adoption_record,
        field,
        label,
        value,
        user=editor,
        report_id=published.pk,
        level_id=levels["省政协采用"].pk,
        adopted_on=timezone.localdate(),
    )
    assert getattr(adoption, field) == clean(value)
    assert adoption.level.name == "省政协采用"


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [("leader", "批示领导", "张副\x0b省长"), ("text", "批示内容", "请省住建厅\x00研究。")],
    ids=["leader", "text"],
)
def test_instruction_record(published, editor, field, label, value):
    instruction = attempt(
        services.instruction_record,
        field,
        label,
        value,
        user=editor,
        report_id=published.pk,
        leader="张副省长",
        level="provincial",
        text="请省住建厅研究。",
        instructed_on=timezone.localdate(),
    )
    assert Instruction.objects.get(report=published).pk == instruction.pk
    assert getattr(instruction, field) == clean(value)


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [("department", "转办部门", "市住房和\x0b城乡建设局"), ("note", "备注", "请\x00研究办理")],
    ids=["department", "note"],
)
def test_referral_create(published, editor, field, label, value):
    referral = attempt(
        services.referral_create,
        field,
        label,
        value,
        user=editor,
        report_id=published.pk,
        referred_on=timezone.localdate(),
        department="市住房和城乡建设局",
    )
    assert Referral.objects.get(report=published).pk == referral.pk
    assert getattr(referral, field) == clean(value)


@pytest.mark.parametrize(
    "reply_text", ["已制定加装电梯\x0b管护办法。", "已制定\x00管护办法。"], ids=["VT", "NUL"]
)
def test_referral_reply(published, editor, reply_text):
    referral = services.referral_create(
        user=editor,
        report_id=published.pk,
        referred_on=timezone.localdate(),
        department="市住房和城乡建设局",
    )
    today = timezone.localdate()
    before = db_snapshot(*WATCHED)
    with refused("回函内容") as caught:
        services.referral_reply(
            user=editor, referral_id=referral.pk, reply_text=reply_text, replied_on=today
        )
    assert caught.value.extra == {"errors": {"reply_text": caught.value.message}}
    assert db_snapshot(*WATCHED) == before
    referral.refresh_from_db()
    assert (referral.status, referral.reply_text, referral.replied_on) == (
        ReferralStatus.PENDING,
        "",
        None,
    )

    services.referral_reply(
        user=editor, referral_id=referral.pk, reply_text=clean(reply_text), replied_on=today
    )
    referral.refresh_from_db()
    assert (referral.status, referral.reply_text) == (ReferralStatus.REPLIED, clean(reply_text))
