"""Pages: 账户与安全 (the signed-in person), activation, and account management for staff.

Each view parses a form, calls one service and redirects or renders. Domain errors become form
messages in Chinese; nothing is changed when input is bad.
"""

from .activation import activate_code, activate_link, closed_notice, email_redirect
from .management import user_create, user_detail, user_list
from .me import settings_page

__all__ = [
    "activate_code",
    "activate_link",
    "closed_notice",
    "email_redirect",
    "settings_page",
    "user_create",
    "user_detail",
    "user_list",
]
