"""API shapes of the member side of proposals (draft, submit, withdraw, co-sign, list, detail,
rate, similar)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from apps.core.api_schemas import ActionOut
from apps.core.api_schemas import Labelled as Labelled

from ..models import Proposal


class DraftCreateIn(Schema):
    kind: Literal["individual", "joint", "collective"] = Field(
        "individual", description="提案类型：individual 个人、joint 联名、collective 集体"
    )
    title: str = Field("", max_length=200, description="案由（一般写作“关于……的建议”）")
    grounds: str = Field("", description="情况与分析")
    suggestions: str = Field("", description="具体建议")
    category_id: int | None = Field(None, description="提案类别 id")
    collective_sponsor: str = Field(
        "", description="集体提案单位类型：party、organisation、sector、group、special_committee"
    )
    collective_in_name_of: str = Field("", max_length=100, description="集体提案署名")


class DraftUpdateIn(Schema):
    """Only the fields sent are changed (autosave-friendly)."""

    title: str | None = Field(None, max_length=200, description="案由")
    grounds: str | None = Field(None, description="情况与分析")
    suggestions: str | None = Field(None, description="具体建议")
    category_id: int | None = Field(None, description="提案类别 id")
    kind: Literal["individual", "joint"] | None = Field(
        None, description="个人、联名之间转换（集体提案不能转换）"
    )
    collective_sponsor: str | None = Field(None, description="集体提案单位类型")
    collective_in_name_of: str | None = Field(None, max_length=100, description="集体提案署名")


class CosignAnswerIn(Schema):
    answer: Literal["confirm", "decline"] = Field(description="confirm 同意附议，decline 谢绝")


class RateIn(Schema):
    process_rating: Literal["satisfied", "basic", "dissatisfied"] = Field(
        description="对办理过程的评价：satisfied 满意、basic 基本满意、dissatisfied 不满意"
    )
    result_rating: Literal["satisfied", "basic", "dissatisfied"] = Field(
        description="对办理结果的评价"
    )
    comment: str = Field("", max_length=1000, description="意见和建议")


class PersonOut(Schema):
    name: str
    status: str = Field(description="附议状态：invited、confirmed、declined、withdrawn")
    status_label: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str = Field(description="下载地址（需登录，按提案可见范围校验）")


class AssignmentOut(Schema):
    unit: str
    role: Labelled
    status: Labelled
    deadline: dt.date


class ReplyOut(Schema):
    id: int
    unit: str
    round: int
    result_class: Labelled
    text: str
    released: bool = Field(description="是否已经提案委员会审核并送达提案人")
    letter_url: str | None
    submitted_at: dt.datetime


class EvaluationOut(Schema):
    round: int
    process_rating: str
    result_rating: str
    comment: str
    timed_out: bool
    rated_at: dt.datetime


class ProposalBase(Schema):
    id: int
    number_label: str = Field(description="提案号（立案后才有）")
    title: str
    kind: Labelled
    status: Labelled
    session_type: str = Field(description="plenary 大会提案、interim 平时提案；提交前为空")
    category: str | None
    term: str
    is_key: bool = Field(description="重点提案")
    is_excellent: bool = Field(description="优秀提案")
    first_proposer: str | None
    updated_at: dt.datetime
    submitted_at: dt.datetime | None


class ProposalSummaryOut(ProposalBase):
    """One row of 我的提案."""

    @staticmethod
    def resolve_kind(obj: Proposal) -> dict[str, str]:
        return {"value": obj.kind, "label": obj.get_kind_display()}

    @staticmethod
    def resolve_status(obj: Proposal) -> dict[str, str]:
        return {"value": obj.status, "label": obj.get_status_display()}

    @staticmethod
    def resolve_category(obj: Proposal) -> str | None:
        return obj.category.name if obj.category else None

    @staticmethod
    def resolve_term(obj: Proposal) -> str:
        return str(obj.term)

    @staticmethod
    def resolve_is_excellent(obj: Proposal) -> bool:
        return obj.excellent_status == "selected"

    @staticmethod
    def resolve_first_proposer(obj: Proposal) -> str | None:
        return obj.first_proposer.member.name if obj.first_proposer else None


class RatingOut(Schema):
    can_rate: bool
    due: dt.date | None = Field(description="评价截止日期")
    expired: bool = Field(description="逾期未评价")
    round: int
    mine: EvaluationOut | None = Field(description="我对本轮办理的评价")


class ProposalOut(ProposalBase):
    """A proposal as its viewer may see it."""

    grounds: str
    suggestions: str
    collective_sponsor: str
    collective_in_name_of: str
    cosigners: list[PersonOut]
    attachments: list[AttachmentOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]
    review_note: str
    rejection_reason: str
    transfer_to: str
    merged_into_id: int | None
    rating_due: dt.date | None
    rating: RatingOut | None = Field(None, description="查看者为提案人或附议人时的评价情况")
    actions: list[ActionOut] = Field(
        description="查看者现在可以执行的操作（由办理流程决定，如 edit、submit、withdraw、rate）"
    )


class SimilarOut(Schema):
    proposal_id: int
    score: float = Field(description="文字相似度，0 到 1")
    score_percent: int
    number_label: str
    title: str
    status: str
    status_label: str
    term_label: str
    session_label: str
    handling_summary: str = Field(description="如何办理：承办单位（办理方式）· 办理结果类别")


class ProposalFilterIn(Schema):
    status: str = Field("", description="按状态筛选，如 draft、submitted、assigned")
    term_id: int | None = Field(None, description="按届筛选")


class CosignAnswerOut(Schema):
    cosigner_id: int
    proposal_id: int
    status: str
    status_label: str


class RateOut(Schema):
    evaluation: EvaluationOut
    rehandling: bool = Field(description="第一提案人不满意，提案退回重新办理")
    message: str
