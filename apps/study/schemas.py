"""API shapes of the study API (/api/v1/study): a member's requests and texts, 学习园地, reading
groups and their check-ins."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from apps.core.api_schemas import Labelled as Labelled


class TextOut(Schema):
    id: int
    status: Labelled
    title: str = Field(description="委员撰写的标题（原稿）")
    body: str = Field(description="委员撰写的正文（原稿）")
    adopted: bool = Field(description="是否被委员联络处采用")
    submitted_at: dt.datetime | None
    compilations: list[str] = Field(description="已编入的汇编，如“……汇编（2026年第1期）”")


class RequestOut(Schema):
    id: int
    title: str
    kind: Labelled = Field(description="心得体会、研讨发言、交流发言或读书笔记")
    due_date: dt.date
    accepting: bool = Field(description="现在能否撰写和提交")
    closed_reason: str = Field(description="不能撰写时的原因（中文）")
    text: TextOut | None = Field(description="本人的材料；尚未撰写为空")


class TextIn(Schema):
    title: str = Field("", description="标题")
    body: str = Field("", description="正文")


class CompilationOut(Schema):
    id: int
    title: str
    year: int
    number: int
    texts: int = Field(description="篇数")
    published_at: dt.datetime
    docx_url: str
    pdf_url: str


class ArticleOut(Schema):
    id: int
    title: str = Field(description="标题（编辑稿）")
    author: str = Field(description="作者及职务，如“李红梅（市政协委员，民盟）”")
    kind: Labelled
    published_at: dt.datetime
    body: str | None = Field(None, description="正文（编辑稿）；列表中不返回")


class ReadingOut(Schema):
    compilations: list[CompilationOut]
    articles: list[ArticleOut]


class BookOut(Schema):
    title: str
    author: str
    starts_on: dt.date
    ends_on: dt.date


class GroupOut(Schema):
    id: int
    name: str
    convener: str = Field(description="召集人姓名")
    members: int = Field(description="成员人数")
    active: bool = Field(description="是否仍在活动（停止活动的群组不能打卡）")
    book: BookOut | None = Field(description="今天共读的书目；没有为空")
    my_days: int = Field(description="本人在本群组打卡的天数")
    checked_in_today: bool


class CheckinOut(Schema):
    day: dt.date
    progress: str = Field(description="读到哪里")
    note: str = Field(description="读书心得")
    book: str = Field(description="打卡时共读的书名；没有为空")


class SharingOut(Schema):
    title: str
    starts_at: dt.datetime | None
    location_note: str
    status: Labelled | None = Field(description="分享会（会议）的状态")
    course_id: int = Field(
        description="读书分享会（学习培训班）编号，见 /api/v1/consultations/courses"
    )
    meeting_id: int | None = Field(description="分享会议编号：请假、签到见 /api/v1/consultations")


class GroupDetailOut(GroupOut):
    my_checkins: list[CheckinOut] = Field(description="本人最近 30 次打卡")
    sharings: list[SharingOut] = Field(description="本群组的读书分享会，最近的在前")


class CheckinIn(Schema):
    progress: str = Field(description="读到哪里，如“第三章”“第120页”")
    note: str = Field("", description="读书心得（可不填）")
