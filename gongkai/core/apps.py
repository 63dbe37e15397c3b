from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """`migrate` alone sets up the database cache (rate limits live there; decision 0016):
    createcachetable does nothing when the table exists or the cache is not a database one."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="gongkai.core.create_cache_table")
        checks.register(check_personal_data_keys, checks.Tags.security)
        from gongkai.core import checks as _deploy_checks  # noqa: F401  registers the deploy checks


def check_personal_data_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
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
