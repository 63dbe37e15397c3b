"""Write docs/workflows.md from the registered transition tables (core/workflow.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.workflow import render_markdown


def default_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "workflows.md"


class Command(BaseCommand):
    help = "Write docs/workflows.md from the registered workflows; with --check, only say whether it is stale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Exit 1 if the file differs; write nothing.")
        parser.add_argument("--output", default="", help="Where to write (default: docs/workflows.md).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"]) if options["output"] else default_path()
        text = render_markdown()
        if options["check"]:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                raise CommandError(_("%(path)s is out of date: run manage.py workflows_doc.") % {"path": path})
            self.stdout.write(_("%(path)s is up to date.") % {"path": path})
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(_("Wrote %(path)s.") % {"path": path})
