from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "gongkai.disputes"
    label = "disputes"
    verbose_name = _("Administrative disputes")

    def ready(self) -> None:
        """What disputes add to the platform's registries (the house: DEVELOPERS.md)."""
        from gongkai.core.access import register_url_access
        from gongkai.core.audit_events import register_event_labels
        from gongkai.core.calendar import register_deadline_recomputer
        from gongkai.core.demo import register_demo
        from gongkai.core.panels import register_dashboard_panel
        from gongkai.core.workflow import register_workflow
        from gongkai.disputes import access, audit_events, panels
        from gongkai.disputes.demo import load_demo
        from gongkai.disputes.services import recompute_open_deadlines
        from gongkai.disputes.transitions import DISPUTE

        register_url_access(access.URL_ACCESS)
        register_event_labels(audit_events.EVENT_LABELS)
        register_workflow(DISPUTE)
        register_dashboard_panel(panels.DISPUTES)
        register_deadline_recomputer("disputes.answer_due", recompute_open_deadlines)
        register_demo("disputes", load_demo, order=30)

        from gongkai.core.backup import register_stored_files
        from gongkai.disputes.selectors import stored_files

        register_stored_files("disputes", stored_files)

        from gongkai.core.reminders import register_reminder_kinds
        from gongkai.disputes.reminders import KINDS

        register_reminder_kinds(*KINDS)
