from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "apps.members"
    verbose_name = "委员"

    def ready(self) -> None:
        from apps.core.registry import register_demo_seeder

        from .demo import seed as seed_demo

        register_demo_seeder("members", seed_demo, order=30, app=self.label)

        from apps.accounts.roles import Role
        from apps.core.registry import register_api_router, register_audit_labels, register_nav

        from .api import router
        from .labels import AUDIT_VERB_LABELS
        from .permissions import can_view_roster

        register_nav(
            _("委员名册"), "members:roster", check=can_view_roster, order=60, app=self.label
        )
        register_nav(
            _("我的资料"), "members:my_profile", roles=[Role.MEMBER], order=95, app=self.label
        )
        register_audit_labels(AUDIT_VERB_LABELS)
        register_api_router("members", router, order=30, app=self.label)

        from apps.accounts.permissions import register_role_source
        from apps.accounts.selectors import register_profile_provider

        from .roles import (
            membership_profile,
            membership_role_holders,
            membership_roles,
            membership_roles_prefetch,
        )

        register_role_source(
            membership_roles, prefetch=membership_roles_prefetch, holders=membership_role_holders
        )
        register_profile_provider(membership_profile)

        from apps.organisation.counts import register_structure_counter

        from .selectors import structure_member_counts

        register_structure_counter(structure_member_counts)

        from apps.core.registry import register_home_card, register_todo_provider

        from . import todos

        register_todo_provider(
            "members-profile",
            roles=[Role.MEMBER],
            items=todos.member_todos,
            order=10,
            app=self.label,
        )
        register_todo_provider(
            "members-liaison",
            roles=[Role.LIAISON_OFFICE],
            items=todos.liaison_todos,
            order=10,
            app=self.label,
        )
        register_home_card(
            "members-roster-changes",
            roles=[Role.LIAISON_OFFICE],
            template="members/home/_roster_changes.html",
            context=todos.roster_changes_card,
            order=20,
            url_names=["audit:list"],
            app=self.label,
        )
