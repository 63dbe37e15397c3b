"""Write docs/workflows.md from the registered transition tables (gongkai.core.workflow).

``manage.py workflows_doc`` rewrites the file; ``--check`` exits 1 when it is stale (CI and
tests/core/test_workflows_doc.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.workflow import render_markdown


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "workflows.md"


class Command(BaseCommand):
    help = "Write docs/workflows.md from the registered transition tables."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Exit 1 when the file is stale.")

    def handle(self, *args, check: bool = False, **options):
        text = render_markdown()
        path = doc_path()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError("docs/workflows.md 已过期：请运行 manage.py workflows_doc 重新生成。")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path}")
