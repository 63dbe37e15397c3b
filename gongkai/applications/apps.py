from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = _("Applications for disclosure")

    def ready(self) -> None:
        """What applications add to the platform's registries (the house: DEVELOPERS.md)."""
        from gongkai.applications import access, audit_events, panels
        from gongkai.applications.api import router
        from gongkai.applications.demo import load_demo
        from gongkai.applications.selectors import stored_files
        from gongkai.applications.services import recompute_open_deadlines
        from gongkai.applications.transitions import HANDLING
        from gongkai.core.access import register_url_access
        from gongkai.core.api import register_router
        from gongkai.core.audit_events import register_event_labels
        from gongkai.core.backup import register_stored_files
        from gongkai.core.calendar import register_deadline_recomputer
        from gongkai.core.demo import register_demo
        from gongkai.core.panels import register_dashboard_panel
        from gongkai.core.workflow import register_workflow

        register_url_access(access.URL_ACCESS)
        register_event_labels(audit_events.EVENT_LABELS)
        register_dashboard_panel(panels.DEADLINES)
        register_router("/", router)
        register_workflow(HANDLING)
        register_deadline_recomputer("applications.reply_due", recompute_open_deadlines)
        register_stored_files("applications", stored_files)
        register_demo("applications", load_demo, order=20)

        from gongkai.applications.reminders import KINDS
        from gongkai.core.reminders import register_reminder_kinds

        register_reminder_kinds(*KINDS)
