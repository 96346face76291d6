"""Schemas of the dashboards API (/api/v1/leadership)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from apps.core.api_schemas import error_responses

ERRORS: dict[int, type[Schema]] = error_responses(403, 404, 422)


class SliceOut(Schema):
    kind: str = Field(description="all / sector / special / party")
    key: str = Field(description="界别、专门委员会编号或党派代码；全体委员为空")
    label: str


class CommitteeOut(Schema):
    id: int
    name: str


class ComparisonOut(Schema):
    committee: CommitteeOut
    headline: dict[str, Any] | None


class LeadershipSummaryOut(Schema):
    committee: CommitteeOut
    year: int
    slice: SliceOut
    refreshed_at: dt.datetime | None = Field(description="统计数据的更新时间；为空表示尚未生成")
    slices: list[SliceOut] = Field(description="本年度可选的范围")
    committees: list[CommitteeOut] = Field(description="可查看的政协组织（本级及下级）")
    figures: dict[str, Any] | None = Field(description="与履职看板相同的统计数据")
    comparison: list[ComparisonOut] = Field(description="下级政协组织的主要指标")
