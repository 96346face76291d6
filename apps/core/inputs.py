"""What the portal accepts as text, in one place: the control-character rule every text field
follows (forms through StyledForm, the API through `api_input_guard`, services through
`refuse_control_characters` and `model_update`), the services' hard length caps
(`refuse_too_long`), and the bounds of the API's pagination parameters.

Text may hold any printable character, tabs and line breaks. Anything else — NUL (which
PostgreSQL cannot store), the other C0 and C1 control characters, DEL, lone surrogates and the
two non-characters U+FFFE/U+FFFF — is refused with a Chinese message instead of failing deeper
down (a 500 from the database, an export that cannot be written).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja import pagination as ninja_pagination

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# The largest offset / page the API serves: far past any real list (~1,000,000 duty records at
# province scale), far below what PostgreSQL's bigint OFFSET would overflow on.
MAX_OFFSET = 1_000_000
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
# settings.NINJA_PAGINATION_MAX_LIMIT bounds `limit`; without it, the page-size bound does.
MAX_LIMIT = (
    int(ninja_pagination.settings.PAGINATION_MAX_LIMIT)
    if math.isfinite(ninja_pagination.settings.PAGINATION_MAX_LIMIT)
    else MAX_PAGE_SIZE
)


def control_character_in(text: str) -> str | None:
    """The first forbidden character of `text` (None when it has none)."""
    found = CONTROL_CHARACTERS.search(text)
    return found.group() if found else None


def describe_character(character: str) -> str:
    """U+000B for a message: the person cannot see the character itself."""
    return f"U+{ord(character):04X}"


def control_character_message(label: str | None = None) -> str:
    if label:
        return _(
            "“%(label)s”中含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新提交。"
        ) % {"label": label}
    return _("提交的内容中含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新提交。")


def refuse_control_characters(fields: dict[str, tuple[str, str | None]]) -> None:
    """The services' own check of typed text (forms and the API check first; this guards every
    other caller): `fields` maps a field name to (its Chinese label, the value or None). Raises
    ValidationFailed naming each field that holds a control character; changes nothing."""
    from .errors import ValidationFailed

    errors = {
        name: control_character_message(label)
        for name, (label, value) in fields.items()
        if isinstance(value, str) and control_character_in(value)
    }
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})


def too_long_message(label: str, limit: int, length: int) -> str:
    return _("“%(label)s”不能超过%(limit)d个字（现为%(n)d个字）。") % {
        "label": label,
        "limit": limit,
        "n": length,
    }


def refuse_too_long(fields: dict[str, tuple[str, str | None, int]]) -> None:
    """The services' hard caps of typed text: `fields` maps a field name to (its Chinese label,
    the value or None, the most characters it may hold). Raises ValidationFailed naming each
    field past its cap, with its length; changes nothing."""
    from .errors import ValidationFailed

    errors = {
        name: too_long_message(label, limit, len(value))
        for name, (label, value, limit) in fields.items()
        if isinstance(value, str) and len(value) > limit
    }
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})


class ControlCharacterValidator:
    """A form-field validator: refuses text holding a control character (StyledForm adds one
    to every text field, with the field's label in the message)."""

    code = "control_character"

    def __init__(self, label: str | None = None) -> None:
        self.label = label

    def __call__(self, value: Any) -> None:
        for text in _texts(value):
            character = control_character_in(text)
            if character is not None:
                raise ValidationError(
                    control_character_message(self.label),
                    code=self.code,
                    params={"character": describe_character(character)},
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.label == self.label

    def __hash__(self) -> int:
        return hash((type(self), self.label))


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, str):
                yield item


# ---------------------------------------------------------------------------------------------
# The API guard


def _first_bad_string(value: Any, location: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Where in a parsed JSON value (keys included) the first forbidden character sits."""
    if isinstance(value, str):
        return location if control_character_in(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and control_character_in(key):
                return (*location, key)
            found = _first_bad_string(item, (*location, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_bad_string(item, (*location, index))
            if found is not None:
                return found
    return None


def refusal(status: int, detail: str, *, loc: tuple[str | int, ...] = ()) -> JsonResponse:
    """The API's answer to input it refuses before any endpoint runs, in the shape of its
    other 422s: `detail` for people, `errors` with where (`loc`) and the Chinese `message`."""
    errors = [{"type": "value_error", "loc": list(loc), "msg": detail, "message": detail}]
    return JsonResponse(
        {"detail": detail, "errors": errors},
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def check_api_input(request: HttpRequest, path_params: dict[str, Any]) -> HttpResponse | None:
    """Refuse what no endpoint should see: control characters in the path, the query string,
    form fields or a JSON body (keys too), a body that is not valid JSON, and a JSON body that is
    not an object (`null`, `"hello"`, `[1]`). Returns the refusal, or None to go on."""
    for name, value in path_params.items():
        if isinstance(value, str) and control_character_in(value):
            return refusal(422, control_character_message(), loc=("path", name))
    for source, data in (("query", request.GET), ("form", request.POST)):
        for key, values in data.lists():
            if control_character_in(key):
                return refusal(422, control_character_message(), loc=(source, key))
            for value in values:
                if control_character_in(value):
                    return refusal(422, control_character_message(), loc=(source, key))
    authorization = request.headers.get("Authorization", "")
    if control_character_in(authorization):
        return refusal(422, control_character_message(), loc=("header", "Authorization"))
    content_type = (request.content_type or "").lower()
    if request.method in {"GET", "HEAD", "OPTIONS"} or content_type.startswith(
        ("multipart/", "application/x-www-form-urlencoded")
    ):
        return None
    body = request.body
    if not body:
        return None
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return refusal(400, _("请求体不是有效的 JSON，请检查格式后重试。"), loc=("body",))
    if not isinstance(payload, dict):
        return refusal(422, _('请求体须为 JSON 对象（形如 {"字段": 值}）。'), loc=("body",))
    found = _first_bad_string(payload, ("body",))
    if found is not None:
        return refusal(422, control_character_message(), loc=found)
    return None


def api_input_guard(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A ninja view-mode decorator (NinjaAPI.add_decorator(..., mode="view")): runs
    `check_api_input` before the operation parses anything."""

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = check_api_input(request, kwargs)
        if refused is not None:
            return refused
        return run(request, *args, **kwargs)

    return guarded


# ---------------------------------------------------------------------------------------------
# Bounded pagination (settings.NINJA_PAGINATION_CLASS names the limit/offset one)


class LimitOffsetPagination(ninja_pagination.LimitOffsetPagination):
    """ninja's limit/offset pagination with `limit` (settings.NINJA_PAGINATION_MAX_LIMIT) and
    `offset` bounded: 422 beyond, never a bigint overflow or the whole roster in one call."""

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs: Any) -> None:
        super().__init__(max_limit=max_limit, **kwargs)

    class Input(Schema):
        limit: int = Field(
            ninja_pagination.settings.PAGINATION_PER_PAGE,
            ge=1,
            le=MAX_LIMIT,
            description="每页条数",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class PageNumberPagination(ninja_pagination.PageNumberPagination):
    """ninja's page-number pagination with `page` and `page_size` bounded: 422 beyond."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数")
