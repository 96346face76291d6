"""Roles. Back-office capabilities are Groups named by `Role` value, with permissions seeded by
`manage.py seed_roles`. Member, standing-committee member and leadership come from membership
rows (apps.members), not Groups, so they can never disagree with the roster.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("委员")
    STANDING = "standing", _("常委")
    LEADERSHIP = "leadership", _("主席会议成员")
    PROPOSAL_OFFICE = "proposal_office", _("提案委员会办公室")
    OPINION_OFFICE = "opinion_office", _("社情民意信息处")
    LIAISON_OFFICE = "liaison_office", _("委员联络处")
    GENERAL_OFFICE = "general_office", _("会务办公室")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    SYSADMIN = "sysadmin", _("系统管理员")


# Roles held through Groups (back-office capabilities).
GROUP_ROLES: tuple[Role, ...] = (
    Role.PROPOSAL_OFFICE,
    Role.OPINION_OFFICE,
    Role.LIAISON_OFFICE,
    Role.GENERAL_OFFICE,
    Role.HANDLING_UNIT,
    Role.SYSADMIN,
)
STAFF_ROLES: frozenset[Role] = frozenset(
    {Role.PROPOSAL_OFFICE, Role.OPINION_OFFICE, Role.LIAISON_OFFICE, Role.GENERAL_OFFICE}
)
# Two-factor sign-in is required for these; optional for members.
MFA_REQUIRED_ROLES: frozenset[Role] = STAFF_ROLES | {
    Role.LEADERSHIP,
    Role.HANDLING_UNIT,
    Role.SYSADMIN,
}

# Permission codenames ("app_label.codename") granted to each group role (seed_roles).
VIEW_STRUCTURE = "organisation.view_structure"
CHANGE_STRUCTURE = "organisation.change_structure"
CHANGE_ANY_STRUCTURE = "organisation.change_any_structure"

GROUP_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.PROPOSAL_OFFICE: ("members.view_roster", VIEW_STRUCTURE),
    Role.OPINION_OFFICE: ("members.view_roster", VIEW_STRUCTURE),
    Role.LIAISON_OFFICE: (
        "members.view_roster",
        "members.manage_roster",
        "members.unmask_member",
        "accounts.manage_accounts",
        VIEW_STRUCTURE,
        CHANGE_STRUCTURE,
    ),
    Role.GENERAL_OFFICE: ("members.view_roster", VIEW_STRUCTURE),
    Role.HANDLING_UNIT: (),
    Role.SYSADMIN: (
        "members.view_roster",
        "members.manage_roster",
        "members.unmask_member",
        "accounts.manage_accounts",
        "core.view_audit_log",
        "notifications.view_outboxmessage",
        "notifications.view_delivery",
        "notifications.change_delivery",
        VIEW_STRUCTURE,
        CHANGE_ANY_STRUCTURE,
    ),
}

# Permissions of the roles that are not Groups (they come from role sources, e.g. the roster):
# granted by apps.accounts.backends.RolePermissionBackend for as long as the role is held.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.LEADERSHIP: (VIEW_STRUCTURE,),
}
