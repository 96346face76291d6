"""The sign-in lockout backend (django-axes) and the permission backend of the roles that are
not Groups.

LockoutBackend comes first in AUTHENTICATION_BACKENDS, so a locked (account, address) pair
cannot get in through any later backend (Django's, used by the admin sign-in, or allauth's).
Raising PermissionDenied makes django.contrib.auth.authenticate stop at once and send
`user_login_failed`.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from .models import User
from .roles import ROLE_PERMISSIONS

# Set on a request whose sign-in was refused because the pair is locked (the refusal is audited
# as such and not counted).
REFUSED_ATTRIBUTE = "zhengxie_lock_refused"


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked (account, address) pair whatever the password; signs nobody in.

    Password attempts only: a call without a password or without a request (nothing to count
    an address for) passes through to the next backend.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None or password is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, REFUSED_ATTRIBUTE, True)
            raise


class RolePermissionBackend(BaseBackend):
    """Permissions of the roles held through role sources, not Groups (主席会议成员 comes from
    the roster): `user.has_perm` answers from apps.accounts.roles.ROLE_PERMISSIONS for as long
    as the role is held, so a roster change takes effect without touching any Group. Signs
    nobody in (no `authenticate`)."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        from .permissions import user_roles

        if obj is not None or not isinstance(user_obj, User) or not user_obj.is_active:
            return set()
        roles = user_roles(user_obj)
        return {perm for role in roles for perm in ROLE_PERMISSIONS.get(role, ())}

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
