from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = _("Applications for disclosure")

    def ready(self) -> None:
        from gongkai.applications.services import recompute_open_deadlines
        from gongkai.core.calendar import register_deadline_recomputer

        register_deadline_recomputer("applications.reply_due", recompute_open_deadlines)

        from gongkai.applications.selectors import stored_files
        from gongkai.core.backup import register_stored_files

        register_stored_files("applications", stored_files)

        from gongkai.applications.reminders import KINDS
        from gongkai.core.reminders import register_reminder_kinds

        register_reminder_kinds(*KINDS)
