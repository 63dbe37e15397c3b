from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = _("Annual reports")

    def ready(self) -> None:
        """What the annual report adds to the platform's registries (the house: DEVELOPERS.md)."""
        from gongkai.core.access import register_url_access
        from gongkai.core.audit_events import register_event_labels
        from gongkai.core.demo import register_demo
        from gongkai.core.reminders import register_reminder_kinds
        from gongkai.core.workflow import register_workflow
        from gongkai.reports import access, audit_events
        from gongkai.reports.demo import load_demo
        from gongkai.reports.reminders import KINDS
        from gongkai.reports.transitions import REPORT

        register_url_access(access.URL_ACCESS)
        register_event_labels(audit_events.EVENT_LABELS)
        register_workflow(REPORT)
        register_demo("reports", load_demo, order=40)
        register_reminder_kinds(*KINDS)

        from gongkai.core.api import register_router
        from gongkai.reports.api import router

        register_router("/reports", router)
