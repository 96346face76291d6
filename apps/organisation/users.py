"""How this app types the people it serves without importing apps.accounts (a higher layer).

The project's User (apps.accounts.models.User) is a Django `AbstractUser`; pages hand over
`request.user`, which may also be the AnonymousUser.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser, AnonymousUser

# Someone whose permissions and committee scope are asked about.
type Viewer = AbstractUser | AnonymousUser
# Whoever performs a write, for the audit event (None: a command or the system).
type Actor = AbstractBaseUser | AnonymousUser | None
