from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        """What accounts adds to core's registries: the roles, who may reach its pages (and
        core's role-gated ones), how an agency slug resolves, its audit labels, who keeps the
        holiday calendar (the house: DEVELOPERS.md)."""
        from gongkai.accounts import access, audit_events, checks, signals  # noqa: F401  (deploy checks, login audit)
        from gongkai.accounts.choices import ADMIN_ROLES, Role
        from gongkai.accounts.selectors import calendar_keepers
        from gongkai.core.access import register_agency_resolver, register_roles, register_url_access
        from gongkai.core.audit_events import register_event_labels
        from gongkai.core.calendar import register_calendar_keepers

        register_roles({role.value: role.label for role in Role}, admin=ADMIN_ROLES)
        register_url_access(access.URL_ACCESS)
        register_agency_resolver(access.agency_id_of_slug)
        register_event_labels(audit_events.EVENT_LABELS)
        register_calendar_keepers(calendar_keepers)
