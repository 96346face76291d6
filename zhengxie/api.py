"""The one NinjaAPI at /api/v1/. Each app registers its Router from its own apps.py
(apps.core.registry.register_api_router); they are mounted here in their order.

Every operation first passes the input guard (apps.core.inputs: no control characters, JSON
bodies are objects), every error answers JSON (apps.core.api_errors), and the OpenAPI document
lists the 4xx answers each operation can give."""

from typing import Any

from ninja import NinjaAPI

from apps.accounts.auth import api_auth
from apps.core.api_errors import (
    document_error_responses,
    install_error_handlers,
    unique_schema_names,
)
from apps.core.inputs import api_input_guard
from apps.core.registry import registry


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        with unique_schema_names():
            return document_error_responses(super().get_openapi_schema(**kwargs))


api = PortalAPI(
    title="政协委员履职平台 API",
    version="1",
    description=(
        "委员、机关、承办单位共用的接口。浏览器使用会话登录，移动端使用个人 API 令牌（Bearer）。"
        "出错时一律答复 JSON：detail 为中文说明。"
    ),
    auth=api_auth,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_decorator(api_input_guard, mode="view")
for entry in registry.routers():
    api.add_router(f"/{entry.prefix}" if entry.prefix else "/", entry.router)
