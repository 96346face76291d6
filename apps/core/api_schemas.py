"""What every API answers when it refuses a request, in one shape for all apps (written by
apps.core.api_errors): the schema each endpoint names for its refusals in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    """What every refused request answers (403 无权限, 404 未找到, 409 状态不允许, 422 内容有误,
    429 请求过于频繁)."""

    detail: str = Field(description="给人看的中文说明")
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="补充信息，如提交检查不通过时按字段列出的问题 errors、不能操作的原因 reason",
    )


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """The refusals an endpoint documents: `codes` (403, 404, 409 and 422 when none given)."""
    return dict.fromkeys(codes or (403, 404, 409, 422), ErrorOut)


ERRORS: dict[int, type[Schema]] = error_responses()


class Labelled(Schema):
    """A code with its Chinese label (a status, a kind …): the app shows `label`, logic uses
    `value`."""

    value: str
    label: str


def labelled(value: str, label: Any) -> dict[str, str]:
    """A Labelled answer from a code and its (lazy) label."""
    return {"value": value, "label": str(label)}


class ActionOut(Schema):
    """One thing the caller may do now, as the workflow decides it (the app shows a button for
    each enabled one, and a disabled one with its reason)."""

    name: str = Field(description="操作代码，如 submit、withdraw、rate、receive、submit_reply")
    label: str = Field(description="操作名称（中文）")
    enabled: bool = Field(description="现在可以执行")
    reason: str = Field(description="暂不能执行的原因（enabled 为 false 时）")
