"""API shapes of the member and liaison side of social-opinion reports."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from apps.core.api_schemas import ActionOut as ActionOut
from apps.core.api_schemas import Labelled as Labelled

SourceValue = Literal["reception_day", "studio", "research", "inspection", "other"]


class DraftCreateIn(Schema):
    unit_id: int | None = Field(
        None, description="以单位名义报送时的报送单位 id（须为该单位的信息联络员）；不填为本人报送"
    )
    title: str = Field("", max_length=200, description="标题")
    situation: str = Field("", description="基本情况")
    analysis: str = Field("", description="问题分析（可不填）")
    suggestion: str = Field("", description="意见建议")
    category_id: int | None = Field(None, description="信息类别 id（见 /options）")
    is_urgent: bool = Field(False, description="是否急报")
    source: SourceValue = Field(
        "other",
        description="信息来源：reception_day 委员接待日、studio 委员工作室、research 调研、"
        "inspection 视察、other 其他",
    )


class DraftUpdateIn(Schema):
    """Only the fields sent are changed (autosave-friendly)."""

    title: str | None = Field(None, max_length=200)
    situation: str | None = None
    analysis: str | None = None
    suggestion: str | None = None
    category_id: int | None = None
    is_urgent: bool | None = None
    source: SourceValue | None = None


class NamedOut(Schema):
    id: int
    name: str


class ContributorOut(Schema):
    name: str
    kind: Labelled


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str


class AdoptionOut(Schema):
    level: str
    adopted_on: dt.date
    publication: str


class InstructionOut(Schema):
    leader: str
    level: Labelled
    text: str
    instructed_on: dt.date


class ReferralOut(Schema):
    department: str
    referred_on: dt.date
    status: Labelled
    reply_text: str
    replied_on: dt.date | None


class TimelineOut(Schema):
    occurred_at: dt.datetime
    label: str
    detail: str
    actor: str
    role_label: str
    is_outcome: bool


class LimitsOut(Schema):
    title_chars: int
    title_max: int
    body_chars: int
    body_max: int


class ReportOut(Schema):
    id: int
    title: str
    situation: str
    analysis: str
    suggestion: str
    category: NamedOut | None
    source: Labelled
    origin: Labelled
    is_urgent: bool
    status: Labelled
    reporting_unit: str | None
    contributors: list[ContributorOut]
    submitted_at: dt.datetime | None
    updated_at: dt.datetime
    screening_note: str = Field(description="退回修改或不予采用的理由")
    issue: str | None = Field(description="编入的期刊，如“2026年第12期”")
    merged_into_id: int | None
    origin_proposal_id: int | None
    attachments: list[AttachmentOut]
    adoptions: list[AdoptionOut]
    instructions: list[InstructionOut]
    referrals: list[ReferralOut]
    timeline: list[TimelineOut]
    actions: list[ActionOut] = Field(
        description="当前可执行的操作（enabled 为否时 reason 说明原因）"
    )
    limits: LimitsOut


class ReportSummaryOut(Schema):
    id: int
    title: str
    status: Labelled
    is_urgent: bool
    category: str | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_status(obj: Any) -> dict[str, str]:
        return {"value": obj.status, "label": obj.get_status_display()}

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.name if obj.category_id else None


class ReportFilterIn(Schema):
    status: str | None = Field(None, description="按状态筛选，如 returned")


class OptionsOut(Schema):
    categories: list[NamedOut]
    sources: list[Labelled]
    units: list[NamedOut] = Field(description="调用者担任信息联络员的报送单位")
    title_max: int
    body_max: int
