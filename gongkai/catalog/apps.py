from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = _("Disclosure catalog")

    def ready(self) -> None:
        """What the catalog adds to the platform's registries (the house: DEVELOPERS.md)."""
        from gongkai.catalog import access, audit_events, panels
        from gongkai.catalog.api import router
        from gongkai.catalog.deadlines import recompute_publish_deadlines
        from gongkai.catalog.demo import load_demo_catalog
        from gongkai.catalog.selectors import stored_files
        from gongkai.catalog.transitions import REVIEW
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
        register_dashboard_panel(panels.WORK)
        register_router("/catalog", router)
        register_workflow(REVIEW)
        register_deadline_recomputer("catalog.publish_due", recompute_publish_deadlines)
        register_stored_files("catalog", stored_files)
        register_demo("catalog", load_demo_catalog, order=30)

        from gongkai.catalog.services import publish_finished_document
        from gongkai.core.publication import register_publisher

        register_publisher(publish_finished_document)

        from gongkai.catalog.reminders import KINDS
        from gongkai.core.reminders import register_reminder_kinds

        register_reminder_kinds(*KINDS)
