from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from gongkai.core.access import register_url_access
        from gongkai.portal import access

        register_url_access(access.URL_ACCESS)
