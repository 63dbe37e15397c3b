"""Rebuild the catalog's full-text index from the published items, showing progress."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.catalog import search


class Command(BaseCommand):
    help = "Rebuild the catalog search index from the published catalog (progress shown)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=500)

    def handle(self, *args, chunk, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = int(width * done / total) if total else width
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            self.stdout.flush()

        count = search.rebuild(progress=progress, chunk=chunk)
        self.stdout.write("")
        self.stdout.write(
            _("Search index rebuilt: %(n)d published items in %(s).1f s.")
            % {"n": count, "s": time.monotonic() - started}
        )
