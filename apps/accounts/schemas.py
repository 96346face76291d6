"""API schemas for the signed-in person (`/me`) and their API tokens."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class CommitteeBriefOut(Schema):
    id: int
    name: str
    level: str
    level_label: str


class RoleOut(Schema):
    code: str
    label: str


class HandlingUnitBriefOut(Schema):
    id: int
    name: str


class MembershipSummaryOut(Schema):
    term: str = Field(description="届，例如“第十四届”")
    term_id: int
    sector: str
    position: str
    position_label: str
    party: str
    party_label: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    phone_masked: str = Field(description="手机号（脱敏），例如 138****5678")
    committee: CommitteeBriefOut | None
    roles: list[RoleOut]
    handling_unit: HandlingUnitBriefOut | None
    membership: MembershipSummaryOut | None = Field(
        default=None, description="本届委员信息（由委员名册提供；非委员为空）"
    )
    mfa_enabled: bool
    mfa_required: bool


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiTokenIn(Schema):
    name: str = Field(min_length=1, max_length=60, description="令牌名称，例如“我的手机”")
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3650, description="有效天数；不填表示撤销前一直有效"
    )


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="令牌全文，只在创建时返回一次，请妥善保存")
