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
