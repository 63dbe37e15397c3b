"""``python manage.py annual_report --agency maoshe --year 2026 --format json``: the annual
report's tables as JSON (docs/annual-report.md). Exits with status 1, listing the broken rules on
standard error, when a consistency rule fails."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.accounts.models import Agency
from gongkai.reports.annual import build

FIRST_YEAR = 2008  # the first year of 政府信息公开 reports (the 2007 条例 came into force on 2008-05-01)


class Command(BaseCommand):
    help = "Print an agency's annual disclosure report tables, computed from the records."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's short name (slug), e.g. maoshe")
        # Checked in handle(), so that a wrong value gets a Chinese message, not argparse's English.
        parser.add_argument("--year", required=True)
        parser.add_argument("--format", default="json", help="json, docx or xlsx (docx and xlsx need --output)")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, agency: str, year: str, output: str | None, **options):
        fmt = options["format"]
        if fmt not in ("json", "docx", "xlsx"):
            raise CommandError(_("The format must be json, docx or xlsx."))
        if fmt != "json" and not output:
            raise CommandError(_("A DOCX or XLSX file needs --output FILE."))
        if not str(year).isascii() or not str(year).isdigit():
            raise CommandError(_("The year must be a number such as 2026."))
        number = int(year)
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(_("There is no agency “%(slug)s”.") % {"slug": agency})
        if not FIRST_YEAR <= number <= 2999:
            raise CommandError(_("The year must be between %(first)d and 2999.") % {"first": FIRST_YEAR})
        if output and fmt != "json":
            self._write_file(found, number, fmt, output)
            return
        report = build(found, number)
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
        if not report.passes:
            for broken in report.broken:
                self.stderr.write(broken.message)
            sys.exit(1)

    def _write_file(self, agency: Agency, year: int, fmt: str, output: str) -> None:
        """The newest version of the report that is not superseded (a correction on its way before
        the published version it corrects), or the tables alone when none has been started."""
        from gongkai.reports.export import Content, content_of, docx_bytes, xlsx_bytes
        from gongkai.reports.models import Report
        from gongkai.reports.services import figures_json_now, figures_of

        report = (
            Report.objects.filter(agency=agency, year=year).exclude(status="superseded").order_by("-version").first()
        )
        if report is not None:
            content = content_of(report, figures_of(report))
        else:
            content = Content(agency.name, year, "", "", "", {}, figures_json_now(agency, year))
        data = docx_bytes(content) if fmt == "docx" else xlsx_bytes(content)
        with open(output, "wb") as handle:
            handle.write(data)
        self.stdout.write(_("Written: %(path)s") % {"path": output})
