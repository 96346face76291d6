"""API shapes both sides of the proposals API share: the error answer and the actions open now."""

from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    """What every refused request answers (403 无权限, 404 未找到, 409 状态不允许, 422 内容有误)."""

    detail: str = Field(description="给人看的中文说明")
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="补充信息，如提交检查不通过时按字段列出的问题 errors",
    )


ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ActionOut(Schema):
    """One thing the caller may do now, as the workflow decides it (the app shows a button for
    each enabled one, and a disabled one with its reason)."""

    name: str = Field(description="操作代码，如 submit、withdraw、rate、receive、submit_reply")
    label: str = Field(description="操作名称（中文）")
    enabled: bool = Field(description="现在可以执行")
    reason: str = Field(description="暂不能执行的原因（enabled 为 false 时）")
