"""Writes for accounts. Views, API, import and commands call these; never `.save()` directly."""

from .activation import (
    ActivationIssued,
    activation_check_link,
    activation_complete,
    activation_issue,
)
from .mfa import mfa_totp_enrol, recovery_codes_ensure
from .signin import security_event_record, signin_record, signout_record
from .tokens import (
    API_TOKEN_LIVE_LIMIT,
    API_TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from .users import user_create, user_profile_update, user_roles_set, user_set_active

__all__ = [
    "API_TOKEN_LIVE_LIMIT",
    "API_TOKEN_PREFIX",
    "ActivationIssued",
    "activation_check_link",
    "activation_complete",
    "activation_issue",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "mfa_totp_enrol",
    "recovery_codes_ensure",
    "security_event_record",
    "signin_record",
    "signout_record",
    "user_create",
    "user_profile_update",
    "user_roles_set",
    "user_set_active",
]
