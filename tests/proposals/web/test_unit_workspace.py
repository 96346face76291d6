"""The assignment workspace: receipt, 申退 window, contact records, co-unit views, the reply with
its letter and the office's review, the extension request and re-handling."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.accounts.roles import Role
from apps.proposals import workflow
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactRecord,
    CoUnitOpinion,
    ExtensionStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    Satisfaction,
)
from tests.conftest import _staff_user
from tests.factories import HandlingUnitFactory

from ..conftest import PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def _url(name: str, assignment: Assignment) -> str:
    return reverse(f"proposals:{name}", args=[assignment.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _sole(build) -> Assignment:
    return build.assigned().assignments.get()


@pytest.fixture
def pending(build):
    """A proposal assigned 单办 to 市教育局, not yet signed for."""
    return _sole(build)


@pytest.fixture
def received(pending, unit_user):
    workflow.assignment_receive(user=unit_user, assignment_id=pending.pk)
    return Assignment.objects.get(pk=pending.pk)


def _reply_data(**overrides):
    data = {
        "reply-text": "经研究，我局将普惠托育纳入明年民生实事项目，并落实建设补贴。",
        "reply-result_class": "B",
        "reply-letter": upload("答复函.pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ------------------------------------------------------------------------------- receipt


def test_pending_workspace_offers_receipt_with_confirmation(client, unit_user, pending):
    client.force_login(unit_user)
    html = client.get(_url("assignment", pending)).content.decode()
    assert "尚未签收" in html
    assert _url("unit_receive", pending) in html
    assert "data-confirm=" in html
    # nothing else to do before signing for it, except 申退 and an extension
    assert _url("unit_submit_reply", pending) not in html
    assert _url("unit_add_contact", pending) not in html
    assert _url("unit_request_return", pending) in html


def test_unit_signs_for_receipt(client, unit_user, pending):
    client.force_login(unit_user)
    response = client.post(_url("unit_receive", pending))
    assert response.status_code == 302
    assigned = Assignment.objects.get(pk=pending.pk)
    assert assigned.status == AssignmentStatus.RECEIVED
    assert assigned.received_by == unit_user
    (message,) = _messages(response)
    assert message.startswith("已签收")
    html = client.get(_url("assignment", pending)).content.decode()
    assert "尚未签收" not in html
    assert _url("unit_receive", pending) not in html
    assert _url("unit_submit_reply", pending) in html


def test_receipt_twice_is_harmless(client, unit_user, received):
    client.force_login(unit_user)
    response = client.post(_url("unit_receive", received))
    assert response.status_code == 302
    assert Assignment.objects.get(pk=received.pk).status == AssignmentStatus.RECEIVED


def test_receipt_in_a_state_that_does_not_allow_it_is_a_message(client, unit_user, received):
    client.force_login(unit_user)
    client.post(_url("unit_submit_reply", received), _reply_data())
    response = client.post(_url("unit_receive", received))
    assert response.status_code == 409  # the workspace again, with the reason
    html = response.content.decode()
    assert "不能签收" in html and "已答复（待审核）" in html
    assert Assignment.objects.get(pk=received.pk).status == AssignmentStatus.REPLY_SUBMITTED


# ------------------------------------------------------------------------------- 申退


def test_return_within_window_shows_last_day_and_is_accepted(client, build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        assignment = _sole(build)
    with time_machine.travel(MONDAY + dt.timedelta(days=10), tick=False):
        client.force_login(unit_user)
        html = client.get(_url("assignment", assignment)).content.decode()
        assert "2026年3月12日" in html  # the last day: 交办 + 10 days
        assert _url("unit_request_return", assignment) in html
        response = client.post(
            _url("unit_request_return", assignment), {"return-reason": "属于市人社局职责。"}
        )
    assert response.status_code == 302
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert fresh.status == AssignmentStatus.RETURN_REQUESTED
    assert fresh.return_reason == "属于市人社局职责。"
    assert any("申退申请已提交" in m for m in _messages(response))


def test_return_needs_a_reason(client, unit_user, pending):
    client.force_login(unit_user)
    response = client.post(_url("unit_request_return", pending), {"return-reason": "  "})
    assert response.status_code == 422
    assert "请填写理由" in response.content.decode()
    assert Assignment.objects.get(pk=pending.pk).status == AssignmentStatus.PENDING


def test_return_after_window_is_explained_and_refused(client, build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        assignment = _sole(build)
    with time_machine.travel(MONDAY + dt.timedelta(days=11), tick=False):
        client.force_login(unit_user)
        html = client.get(_url("assignment", assignment)).content.decode()
        assert _url("unit_request_return", assignment) not in html
        assert "已于 2026年3月12日 截止" in html
        response = client.post(
            _url("unit_request_return", assignment), {"return-reason": "不是我们的事。"}
        )
    assert response.status_code == 409
    assert "已超过申退期限" in response.content.decode()
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert fresh.status == AssignmentStatus.PENDING
    assert fresh.return_reason == ""


def test_return_requested_blocks_reply_until_the_office_decides(
    client, unit_user, proposal_staff_user, received
):
    client.force_login(unit_user)
    client.post(_url("unit_request_return", received), {"return-reason": "非本单位职责。"})
    html = client.get(_url("assignment", received)).content.decode()
    assert "等待提案委员会办公室处理" in html
    assert _url("unit_submit_reply", received) not in html
    workflow.assignment_refuse_return(
        user=proposal_staff_user, assignment_id=received.pk, note="请继续办理。"
    )
    html = client.get(_url("assignment", received)).content.decode()
    assert "未同意退回" in html
    assert "请继续办理。" in html
    assert _url("unit_submit_reply", received) in html


# ------------------------------------------------------------------------------- contacts


def test_contact_record_with_target_date(client, build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        assignment = _sole(build)
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
        client.force_login(unit_user)
        html = client.get(_url("assignment", assignment)).content.decode()
        # 15 working days after Monday 2 March 2026
        assert "2026年3月23日" in html
        assert "尚无联系记录" in html
        response = client.post(
            _url("unit_add_contact", assignment),
            {
                "contact-method": "meeting",
                "contact-contact_date": "2026-03-04",
                "contact-note": "与李红梅委员面谈，介绍办理思路。",
            },
        )
        assert response.status_code == 302
        assert "已记录与提案人的联系。" in _messages(response)
        html = client.get(_url("assignment", assignment)).content.decode()
    contact = ContactRecord.objects.get()
    assert (contact.method, contact.contact_date) == ("meeting", dt.date(2026, 3, 4))
    assert "与李红梅委员面谈" in html
    assert "已联系 1 次" in html


def test_contact_overdue_is_flagged(client, build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        assignment = _sole(build)
        workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    with time_machine.travel(MONDAY + dt.timedelta(days=30), tick=False):
        client.force_login(unit_user)
        html = client.get(_url("assignment", assignment)).content.decode()
    assert "已超过联系期限，尚未联系" in html


def test_contact_in_the_future_is_refused_in_chinese(client, unit_user, received):
    from django.utils import timezone

    client.force_login(unit_user)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        _url("unit_add_contact", received),
        {"contact-method": "phone", "contact-contact_date": tomorrow.isoformat()},
    )
    assert response.status_code == 422
    assert "联系日期不能晚于今天" in response.content.decode()
    assert not ContactRecord.objects.exists()


def test_contact_by_htmx_returns_the_section(client, unit_user, received):
    from django.utils import timezone

    client.force_login(unit_user)
    response = client.post(
        _url("unit_add_contact", received),
        {
            "contact-method": "letter",
            "contact-contact_date": timezone.localdate().isoformat(),
            "contact-note": "寄送书面征询函。",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="contacts"')
    assert "已记录与提案人的联系。" in html
    assert "寄送书面征询函。" in html
    assert "<html" not in html
    # the success was shown in place, not queued for the next page
    assert not _messages(response)

    bad = client.post(
        _url("unit_add_contact", received),
        {"contact-method": "", "contact-contact_date": ""},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422  # the section with the form's errors, swapped in place
    assert bad.content.decode().lstrip().startswith('<section id="contacts"')
    assert "请选择联系方式。" in bad.content.decode()
    assert ContactRecord.objects.count() == 1


def test_contact_before_receipt_is_refused(client, unit_user, pending):
    from django.utils import timezone

    client.force_login(unit_user)
    response = client.post(
        _url("unit_add_contact", pending),
        {"contact-method": "phone", "contact-contact_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 409
    assert "请先签收" in response.content.decode()
    assert not ContactRecord.objects.exists()


# ------------------------------------------------------------------------------- co-units


@pytest.fixture
def third_unit_user(city, roles_seeded):
    unit = HandlingUnitFactory(committee=city, name="市财政局")
    return _staff_user(
        city, Role.HANDLING_UNIT, username="caizhengju", name="市财政局联络员", handling_unit=unit
    )


def test_co_unit_opinion_reaches_the_lead_only(
    client, build, unit_user, other_unit_user, third_unit_user
):
    """市卫健委 leads; 市教育局 and 市财政局 are co-units. 教育局's views reach the lead, not
    the other co-unit."""
    proposal = build.assigned(
        plan=[
            (other_unit_user.handling_unit_id, AssignmentRole.LEAD),
            (unit_user.handling_unit_id, AssignmentRole.CO),
            (third_unit_user.handling_unit_id, AssignmentRole.CO),
        ]
    )
    co = proposal.assignments.get(handling_unit_id=unit_user.handling_unit_id)
    lead = proposal.assignments.get(role=AssignmentRole.LEAD)
    third = proposal.assignments.get(handling_unit_id=third_unit_user.handling_unit_id)
    workflow.assignment_receive(user=unit_user, assignment_id=co.pk)

    client.force_login(unit_user)
    html = client.get(_url("assignment", co)).content.decode()
    assert _url("unit_submit_opinion", co) in html
    assert _url("unit_submit_reply", co) not in html  # a co-unit does not answer
    assert "市卫生健康委员会（主办）" in html
    response = client.post(
        _url("unit_submit_opinion", co),
        {
            "opinion-text": "建议将托育机构纳入学前教育统筹规划。",
            "opinion-file": upload("会办意见.pdf"),
        },
    )
    assert response.status_code == 302
    assert "会办意见已提交给主办单位。" in _messages(response)
    opinion = CoUnitOpinion.objects.get()
    assert Assignment.objects.get(pk=co.pk).status == AssignmentStatus.OPINION_SUBMITTED

    client.force_login(other_unit_user)
    html = client.get(_url("assignment", lead)).content.decode()
    assert "建议将托育机构纳入学前教育统筹规划。" in html
    assert "会办意见.pdf" in html
    download = client.get(reverse("proposals:unit_file", args=[lead.pk, "opinion", opinion.pk]))
    assert download.status_code == 200

    client.force_login(third_unit_user)
    html = client.get(_url("assignment", third)).content.decode()
    assert "建议将托育机构纳入学前教育统筹规划。" not in html
    download = client.get(reverse("proposals:unit_file", args=[third.pk, "opinion", opinion.pk]))
    assert download.status_code == 404
    # nor may a co-unit open the lead's or another co-unit's workspace
    assert client.get(_url("assignment", lead)).status_code == 404
    assert client.get(_url("assignment", co)).status_code == 404


# ------------------------------------------------------------------------------- reply


def test_reply_form_explains_result_classes(client, unit_user, received):
    client.force_login(unit_user)
    html = client.get(_url("assignment", received)).content.decode()
    for label in (
        "A类（已解决或基本解决）",
        "B类（正在解决或已列入计划）",
        "C类（因条件限制暂时难以解决或留作参考）",
    ):
        assert label in html
    assert "已列入工作计划" in html
    assert 'enctype="multipart/form-data"' in html
    assert "盖章的答复函" in html


def test_reply_with_letter_waits_for_office_review(client, unit_user, received):
    client.force_login(unit_user)
    response = client.post(_url("unit_submit_reply", received), _reply_data())
    assert response.status_code == 302
    assert any("等待提案委员会办公室审核" in m for m in _messages(response))
    reply = Reply.objects.get()
    assert reply.review_status == ReplyReview.PENDING
    assert reply.result_class == "B"
    assert reply.letter_name == "答复函.pdf"
    assert Assignment.objects.get(pk=received.pk).status == AssignmentStatus.REPLY_SUBMITTED
    html = client.get(_url("assignment", received)).content.decode()
    assert "待审核" in html
    assert _url("unit_submit_reply", received) not in html
    letter = client.get(reverse("proposals:unit_file", args=[received.pk, "letter", reply.pk]))
    assert b"".join(letter.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reply-letter": None}, "请上传盖章的答复函。"),
        ({"reply-text": ""}, "请填写答复内容。"),
        ({"reply-result_class": ""}, "请选择办理结果"),
        ({"reply-letter": upload("答复函.pdf", PNG_BYTES)}, "内容与扩展名 .pdf 不符"),
        ({"reply-letter": upload("答复函.exe", b"MZ\x90\x00")}, "不支持“答复函.exe”的文件类型"),
    ],
)
def test_invalid_reply_changes_nothing(client, unit_user, received, overrides, message):
    client.force_login(unit_user)
    response = client.post(_url("unit_submit_reply", received), _reply_data(**overrides))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    # the text typed so far is kept
    if overrides.get("reply-text") != "":
        assert "纳入明年民生实事项目" in html
    assert not Reply.objects.exists()
    assert Assignment.objects.get(pk=received.pk).status == AssignmentStatus.RECEIVED


def test_letter_optional_when_the_committee_says_so(client, city, unit_user, received):
    from apps.proposals.selectors import proposal_settings_for

    settings = proposal_settings_for(city.pk)
    settings.reply_letter_required = False
    settings.save()
    client.force_login(unit_user)
    html = client.get(_url("assignment", received)).content.decode()
    assert "盖章的答复函（可选）" in html
    response = client.post(
        _url("unit_submit_reply", received), _reply_data(**{"reply-letter": None})
    )
    assert response.status_code == 302
    assert Reply.objects.get().letter_name == ""


def test_rejected_reply_shows_reason_and_can_be_resubmitted(
    client, unit_user, proposal_staff_user, received
):
    client.force_login(unit_user)
    client.post(_url("unit_submit_reply", received), _reply_data())
    first = Reply.objects.get()
    workflow.reply_reject(
        user=proposal_staff_user, reply_id=first.pk, reason="答复函未加盖公章，请补充具体措施。"
    )
    html = client.get(_url("assignment", received)).content.decode()
    assert "答复被提案委员会办公室驳回" in html
    assert "答复函未加盖公章，请补充具体措施。" in html
    assert "重新提交答复" in html
    assert _url("unit_submit_reply", received) in html

    response = client.post(
        _url("unit_submit_reply", received),
        _reply_data(**{"reply-text": "补充措施：明年新增学位2000个。", "reply-result_class": "A"}),
    )
    assert response.status_code == 302
    second = Reply.objects.exclude(pk=first.pk).get()
    assert second.review_status == ReplyReview.PENDING
    assert Assignment.objects.get(pk=received.pk).status == AssignmentStatus.REPLY_SUBMITTED
    html = client.get(_url("assignment", received)).content.decode()
    assert "答复被提案委员会办公室驳回" not in html  # no longer the last word

    workflow.reply_approve(user=proposal_staff_user, reply_id=second.pk)
    html = client.get(_url("assignment", received)).content.decode()
    assert "已通过，已送达提案人" in html
    assert Proposal.objects.get(pk=received.proposal_id).status == ProposalStatus.REPLIED


# ------------------------------------------------------------------------------- extension


def test_extension_can_be_requested_once(client, unit_user, proposal_staff_user, received):
    client.force_login(unit_user)
    response = client.post(
        _url("unit_request_extension", received), {"extension-reason": "涉及跨部门协调。"}
    )
    assert response.status_code == 302
    assert any("延期申请已提交" in m for m in _messages(response))
    html = client.get(_url("assignment", received)).content.decode()
    assert "等待提案委员会办公室审批" in html
    assert _url("unit_request_extension", received) not in html

    old_deadline = Assignment.objects.get(pk=received.pk).deadline
    from apps.proposals import services

    services.assignment_extension_approve(user=proposal_staff_user, assignment_id=received.pk)
    fresh = Assignment.objects.get(pk=received.pk)
    assert fresh.deadline > old_deadline
    html = client.get(_url("assignment", received)).content.decode()
    assert "延期申请已批准" in html
    assert f"{fresh.deadline.year}年{fresh.deadline.month}月{fresh.deadline.day}日" in html
    assert _url("unit_request_extension", received) not in html

    again = client.post(
        _url("unit_request_extension", received), {"extension-reason": "还需要时间。"}
    )
    assert again.status_code == 409
    assert "只能申请延期1次" in again.content.decode()
    assert Assignment.objects.get(pk=received.pk).extension_status == ExtensionStatus.APPROVED


def test_extension_needs_a_reason(client, unit_user, received):
    client.force_login(unit_user)
    response = client.post(_url("unit_request_extension", received), {"extension-reason": ""})
    assert response.status_code == 422
    assert "请填写理由" in response.content.decode()
    assert Assignment.objects.get(pk=received.pk).extension_status == ""


# ------------------------------------------------------------------------------- round 2


def test_rehandling_shows_first_answer_evaluation_and_finality(
    client, build, member_user, unit_user
):
    proposal = build.replied()
    workflow.proposal_rate(
        user=member_user,
        proposal_id=proposal.pk,
        process_rating=Satisfaction.BASIC,
        result_rating=Satisfaction.DISSATISFIED,
        comment="补贴标准过低，未回应师资问题。",
    )
    assignment = Assignment.objects.get(proposal=proposal)
    assert assignment.status == AssignmentStatus.RECEIVED
    client.force_login(unit_user)
    html = client.get(_url("assignment", assignment)).content.decode()
    assert "重新办理（第二轮）" in html
    assert "经研究，我局已将普惠托育纳入明年民生实事项目。" in html  # the first answer
    assert "补贴标准过低，未回应师资问题。" in html
    assert "不满意" in html
    assert "本轮答复为最终答复" in html
    assert _url("unit_submit_reply", assignment) in html

    response = client.post(_url("unit_submit_reply", assignment), _reply_data())
    assert response.status_code == 302
    assert Reply.objects.filter(assignment=assignment, round=2).exists()


def test_returned_assignment_is_read_only(client, unit_user, proposal_staff_user, pending):
    client.force_login(unit_user)
    client.post(_url("unit_request_return", pending), {"return-reason": "非本单位职责。"})
    workflow.assignment_approve_return(user=proposal_staff_user, assignment_id=pending.pk)
    html = client.get(_url("assignment", pending)).content.decode()
    assert "已同意退回" in html
    for name in ("unit_receive", "unit_add_contact", "unit_submit_reply", "unit_request_return"):
        assert _url(name, pending) not in html
