from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        checks.register(check_personal_data_keys, checks.Tags.security)


def check_personal_data_keys(app_configs=None, **kwargs):
    """The personal-data keys parse and the cipher is known (docs/decisions/0022): `manage.py
    check` fails before anything is encrypted with a broken configuration."""
    from django.core.exceptions import ImproperlyConfigured

    from gongkai.core import crypto

    try:
        crypto.key_ring()
        crypto.current_alg()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="gongkai.E001")]
    return []
