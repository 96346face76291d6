"""The one NinjaAPI at /api/v1/. Each app contributes a Router from its api.py."""

from ninja import NinjaAPI

from apps.accounts.api import router as accounts_router
from apps.accounts.auth import api_auth
from apps.core.api_errors import install_error_handlers
from apps.members.api import router as members_router
from apps.notifications.api import router as notifications_router
from apps.organisation.api import router as organisation_router
from apps.proposals.api import router as proposals_router

api = NinjaAPI(
    title="政协委员履职平台 API",
    version="1",
    description=(
        "委员、机关、承办单位共用的接口。浏览器使用会话登录，移动端使用个人 API 令牌（Bearer）。"
    ),
    auth=api_auth,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", organisation_router)
api.add_router("/members", members_router)
api.add_router("/notifications", notifications_router)
api.add_router("/proposals", proposals_router)
