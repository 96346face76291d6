"""API shapes of the study API (/api/v1/study): a member's requests and texts, 学习园地."""

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
