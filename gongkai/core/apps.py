from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using="default", **kwargs) -> None:
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
