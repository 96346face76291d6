"""API shapes for the handling-unit side (/api/v1/proposals/unit). Proposers' private contact
details are never part of them."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from apps.core.api_schemas import ActionOut

from ..models import Assignment, Proposal
from ..selectors.unit import DeadlineInfo, deadline_info


class AssignedFilterIn(Schema):
    tab: str = Field(
        "all",
        description=(
            "分组：pending 待签收、active 办理中、review 已答复待审核、done 已办复、all 全部"
        ),
    )
    status: str = Field("", description="交办状态，如 pending、received、reply_submitted")
    role: str = Field("", description="办理方式：sole 单办、split 分办、lead 主办、co 会办")
    attention: str = Field(
        "", description="需要关注：overdue 已逾期、due_soon 14天内到期、rejected 答复被驳回"
    )
    q: str = Field("", max_length=50, description="提案号或案由中的文字")


class UnitRef(Schema):
    id: int
    name: str = Field(description="承办单位名称")


class ProposalBrief(Schema):
    id: int
    number_label: str = Field(description="提案号")
    title: str = Field(description="案由")
    category: str | None = Field(None, description="类别")
    is_key: bool = Field(description="是否重点提案")
    handling_round: int = Field(description="办理轮次（2 为重新办理）")


class DeadlineOut(Schema):
    deadline: dt.date = Field(description="办理期限（会办单位为会办意见期限）")
    days_left: int = Field(description="剩余天数；负数为已逾期天数")
    state: str = Field(
        description="overdue 已逾期、today 今天到期、soon 14天内到期、ok 未到期、closed 已完成"
    )


class AssignmentBase(Schema):
    id: int
    proposal: ProposalBrief
    role: str = Field(description="办理方式代码")
    role_label: str = Field(description="办理方式：单办、分办、主办、会办")
    status: str = Field(description="交办状态代码")
    status_label: str = Field(description="交办状态")
    assigned_at: dt.datetime = Field(description="交办时间")
    deadline: DeadlineOut
    extension_status: str = Field(description="延期：空、requested 申请中、approved、refused")
    reply_rejected: bool = Field(description="本轮答复被提案委员会办公室驳回、待重新提交")


class AssignmentListOut(AssignmentBase):
    """One row of the assigned list (built from an annotated Assignment)."""

    @staticmethod
    def resolve_proposal(obj: Assignment) -> dict[str, Any]:
        return proposal_brief(obj.proposal)

    @staticmethod
    def resolve_role_label(obj: Assignment) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_status_label(obj: Assignment) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_deadline(obj: Assignment) -> dict[str, Any]:
        return deadline_out(deadline_info(obj))

    @staticmethod
    def resolve_reply_rejected(obj: Assignment) -> bool:
        return bool(getattr(obj, "reply_rejected", False)) and obj.status == "received"


class FileOut(Schema):
    id: int
    name: str = Field(description="文件名")
    url: str = Field(description="下载地址")


class ProposerOut(Schema):
    name: str = Field(description="姓名或集体提案署名")
    sector: str | None = Field(None, description="界别")
    is_first: bool = Field(description="第一提案人（或集体提案署名）")


class ProposalDetailOut(ProposalBrief):
    kind_label: str = Field(description="提案类型")
    session_type_label: str = Field(description="大会提案或平时提案")
    grounds: str = Field(description="情况与分析")
    suggestions: str = Field(description="具体建议")
    submitted_at: dt.datetime | None = Field(None, description="提交时间")
    proposers: list[ProposerOut] = Field(description="提案人（不含联系方式）")
    attachments: list[FileOut]


class OtherUnitOut(Schema):
    unit: UnitRef
    role: str
    role_label: str
    status: str
    status_label: str


class ContactOut(Schema):
    id: int
    method: str = Field(description="方式代码：meeting、forum、phone、email、letter")
    method_label: str = Field(description="面谈、座谈、电话、邮件、书信")
    contact_date: dt.date
    note: str
    recorded_by: str = Field(description="记录人")


class OpinionOut(Schema):
    id: int
    unit: UnitRef
    round: int
    text: str
    file: FileOut | None = None
    submitted_at: dt.datetime


class ReplyOut(Schema):
    id: int
    round: int = Field(description="办理轮次")
    text: str = Field(description="答复内容")
    result_class: str = Field(description="A、B 或 C")
    result_class_label: str
    letter: FileOut | None = Field(None, description="答复函")
    submitted_at: dt.datetime
    review_status: str = Field(description="pending 待审核、approved 已通过、rejected 已驳回")
    review_status_label: str
    review_reason: str = Field(description="驳回理由")


class EvaluationOut(Schema):
    round: int
    rater: str
    is_first_proposer: bool
    process_rating_label: str = Field(description="办理过程评价")
    result_rating_label: str = Field(description="办理结果评价")
    comment: str
    timed_out: bool = Field(description="逾期未评价")


class AssignmentDetailOut(AssignmentBase):
    unit: UnitRef
    proposal_detail: ProposalDetailOut
    received_at: dt.datetime | None
    contact_due: dt.date | None = Field(description="联系提案人期限（15个工作日）")
    extension_reason: str
    return_reason: str
    other_units: list[OtherUnitOut] = Field(description="同一提案的其他承办单位")
    contacts: list[ContactOut]
    replies: list[ReplyOut] = Field(description="本单位各轮答复")
    own_opinions: list[OpinionOut] = Field(description="本单位提交的会办意见")
    co_unit_opinions: list[OpinionOut] = Field(description="会办单位提交给主办单位的意见")
    earlier_evaluations: list[EvaluationOut] = Field(description="重新办理时：上一轮评价")
    return_last_day: dt.date = Field(description="申退最后一天（交办后规定日数内）")
    actions: list[ActionOut] = Field(
        description=(
            "当前用户现在可以执行的操作（由办理流程决定）：receive 签收、request_return 申退、"
            "record_contact 记录联系、submit_opinion 会办意见、submit_reply 答复、"
            "request_extension 延期；暂不能执行的附原因"
        )
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=1000, description="理由")


class ContactIn(Schema):
    method: str = Field(
        description="方式：meeting 面谈、forum 座谈、phone 电话、email 邮件、letter 书信"
    )
    contact_date: dt.date = Field(description="联系日期（不晚于今天，不早于交办日期）")
    note: str = Field("", max_length=2000, description="联系情况")


class ReplyIn(Schema):
    text: str = Field(max_length=20000, description="答复内容")
    result_class: str = Field(
        description="办理结果：A 已解决或基本解决；B 正在解决或已列入计划；"
        "C 因条件限制暂时难以解决或留作参考"
    )


class OpinionIn(Schema):
    text: str = Field(max_length=10000, description="会办意见")


def proposal_brief(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "number_label": proposal.number_label,
        "title": proposal.title,
        "category": proposal.category.name if proposal.category else None,
        "is_key": proposal.is_key,
        "handling_round": proposal.handling_round,
    }


def deadline_out(info: DeadlineInfo) -> dict[str, Any]:
    return {"deadline": info.deadline, "days_left": info.days_left, "state": info.state}
