"""API shapes of the duties API (/api/v1/duties)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from apps.core.api_schemas import ActionOut as ActionOut
from apps.core.api_schemas import Labelled as Labelled


class RecordOut(Schema):
    id: int
    year: int
    kind: Labelled
    date: dt.date
    label: str
    note: str = Field(description="身份、出勤、立案、编发等简要说明")
    source_url: str = Field(description="产生这条记录的原始记录页面")


class ScoreLineOut(Schema):
    kind: str = Field(
        description=(
            "item 计分项；split 联名拆分；exempt 不计分；average 平均；cap 上限；"
            "base 基础分；bonus_cap 加分上限；floor 最低0分"
        )
    )
    label: str
    points: str
    note: str = ""
    record: str = ""
    source_key: str = ""
    url: str = ""
    date: str = ""
    code: str = ""


class ScoreCategoryOut(Schema):
    key: str
    name: str
    section: str
    cap: str | None = None
    mode: str
    subtotal: str
    lines: list[ScoreLineOut]


class MinimumOut(Schema):
    key: str
    label: str
    required: int
    done: int
    met: bool
    records: list[dict[str, str]] = Field(default_factory=list)


class ScoreOut(Schema):
    year: int
    score: str | None = Field(description="得分；本年度尚未启用考评细则时为 null")
    grade: str
    passed: bool | None
    rank: str = Field(description="排名区间，如“位列本级委员前30%”；不含他人姓名")
    rule_set: str
    computed_at: dt.datetime | None
    categories: list[ScoreCategoryOut]
    general: list[ScoreLineOut]
    minimums: list[MinimumOut]
    checklist: list[MinimumOut]


class EvidenceOut(Schema):
    id: int
    name: str
    size: int


class FilingIn(Schema):
    activity_type_id: int
    title: str
    happened_on: dt.date
    place: str
    description: str


class FilingOut(Schema):
    id: int
    activity_type: str
    title: str
    happened_on: dt.date
    place: str
    description: str
    status: Labelled
    reject_reason: str
    submitted_at: dt.datetime
    evidence: list[EvidenceOut]
    actions: list[ActionOut]


class WarningOut(Schema):
    id: int
    rule: str
    summary: str
    period: str
    raised_at: dt.datetime
    records: list[dict[str, Any]]
