"""API shapes of the consultations API (/api/v1/consultations)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from apps.core.api_schemas import ActionOut as ActionOut
from apps.core.api_schemas import Labelled as Labelled
from apps.core.api_schemas import error_responses

ERRORS: dict[int, type[Schema]] = error_responses(403, 404, 409, 422, 429)


class MaterialOut(Schema):
    id: int
    title: str
    name: str
    size: int
    url: str


class MeetingSummaryOut(Schema):
    id: int
    title: str
    form: str
    status: Labelled
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    answer: Labelled | None = None
    attendance: Labelled | None = None
    checked_in_at: dt.datetime | None = None
    leave: Labelled | None = None


class MeetingOut(MeetingSummaryOut):
    agenda: list[str]
    description: str
    online_url: str
    materials: list[MaterialOut]
    actions: list[ActionOut] = Field(description="该用户现在可做的操作（及不可做的原因）")


class AnswerIn(Schema):
    answer: str = Field(description="attend（出席）或 decline（不出席）")
    note: str = ""


class LeaveIn(Schema):
    reason: str = Field(max_length=300)


class LeaveOut(Schema):
    id: int
    status: Labelled
    reason: str
    requested_at: dt.datetime


class CheckInIn(Schema):
    code: str = Field(
        description="扫描到的签到二维码内容（完整地址或其中的签到码），或大屏上的6位数字签到码"
    )


class CheckInOut(Schema):
    meeting_id: int
    title: str
    checked_in_at: dt.datetime


class CalendarEventOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: Labelled


class CommentIn(Schema):
    body: str = Field(max_length=4000)
    author_name: str = ""
    website: str = Field("", description="留空（防机器人字段）")


class CommentOut(Schema):
    accepted: bool
    message: str


class CourseSessionOut(MeetingSummaryOut):
    kind: Labelled
    teacher: str
    teacher_title: str


class CourseOut(Schema):
    id: int
    title: str
    kind: Labelled
    status: Labelled
    topics: str
    description: str
    attended: int = Field(description="已出席（含迟到、早退）的课程次数")
    required: int = Field(description="完成学习需出席的次数（尚无举办过的课程时为0）")
    signup_required: bool = Field(description="是否自愿报名（POST /courses/{id}/signup 报名）")
    signup_cap: int | None = Field(description="每次课程的报名人数上限；不限为空")
    sessions: list[CourseSessionOut]


class CourseSignUpOut(Schema):
    signed: list[int] = Field(description="本次报名成功的课程（会议编号）")
    full: list[int] = Field(description="名额已满、未能报名的课程（会议编号）")
