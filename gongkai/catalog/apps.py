from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = _("Disclosure catalog")

    def ready(self) -> None:
        from gongkai.catalog.services import recompute_publish_deadlines
        from gongkai.core.calendar import register_deadline_recomputer

        register_deadline_recomputer("catalog.publish_due", recompute_publish_deadlines)

        from gongkai.catalog.selectors import stored_files
        from gongkai.core.backup import register_stored_files

        register_stored_files("catalog", stored_files)

        from gongkai.catalog.transitions import REVIEW
        from gongkai.core.workflow import register_workflow

        register_workflow(REVIEW)
