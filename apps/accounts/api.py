"""The signed-in person: `GET /api/v1/me` and personal API tokens (`/api/v1/me/tokens`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.security import django_auth

from . import selectors, services
from .auth import api_caller
from .models import User
from .schemas import ApiTokenCreatedOut, ApiTokenIn, ApiTokenOut, MeOut

router = Router(tags=["账户"])


@router.get("/me", response=MeOut, summary="当前用户", operation_id="get_me")
def get_me(request: HttpRequest) -> dict[str, Any]:
    """Profile, committee, roles, handling unit and current membership of the caller."""
    user = User.objects.select_related("committee", "handling_unit").get(pk=api_caller(request).pk)
    return selectors.me_profile(user=user)


@router.get(
    "/me/tokens", response=list[ApiTokenOut], summary="我的 API 令牌", operation_id="list_my_tokens"
)
def list_my_tokens(request: HttpRequest) -> Any:
    return list(selectors.api_token_list_for_user(user=api_caller(request)))


@router.post(
    "/me/tokens",
    response={201: ApiTokenCreatedOut},
    summary="创建 API 令牌",
    operation_id="create_my_token",
    auth=django_auth,
)
def create_my_token(request: HttpRequest, payload: ApiTokenIn) -> Status[dict[str, Any]]:
    """Only from a signed-in browser session (a token cannot mint more tokens). The token text
    is in the answer once and never again."""
    expires_at = (
        timezone.now() + dt.timedelta(days=payload.expires_in_days)
        if payload.expires_in_days
        else None
    )
    token, raw = services.api_token_create(
        user=api_caller(request), name=payload.name, expires_at=expires_at
    )
    data = ApiTokenOut.model_validate(token).model_dump()
    return Status(201, {**data, "token": raw})


@router.delete(
    "/me/tokens/{int:token_id}",
    response={204: None},
    summary="撤销 API 令牌",
    operation_id="revoke_my_token",
)
def revoke_my_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(user=api_caller(request), token_id=token_id)
    return Status(204, None)
