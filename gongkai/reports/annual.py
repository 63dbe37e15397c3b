"""The annual report (政府信息公开工作年度报告, 条例 art. 49–50) computed from the records.

This module builds table 三 — applications received and handled — for one agency and year, and
checks the consistency rules the national format implies (勾稽关系, regulations.md §2.2). Every
figure comes from the applications' own dates and outcomes through ``applications.selectors``;
nothing is typed in, so a report cannot disagree with the records it summarises.

The totals are counted independently of the cells they should equal (the 总计 column from all
applicants whatever their type, the （七）总计 row from every application closed in the year
whatever its outcome), so a rule fails when a record has no place in the table instead of
passing by construction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Agency
from gongkai.applications.selectors import YearCounts, annual_report_counts
from gongkai.disputes.selectors import annual_dispute_counts
from gongkai.reports.tables import (
    APPLICANT_COLUMNS,
    COLUMNS,
    DISPUTE_COLUMNS,
    DISPUTE_GROUPS,
    DISPUTE_RESULTS,
    RESULT_ROWS,
    ROW_LABELS,
    ROWS,
)

Table = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Broken:
    """A consistency rule the figures break: a stable key and what to tell the office, in Chinese."""

    rule: str
    message: str


@dataclass
class AnnualReport:
    agency: Agency
    year: int
    section_3: Table
    section_4: Table
    year_ended: bool
    broken: list[Broken] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not self.broken

    def as_json(self) -> dict[str, Any]:
        """The stable JSON of docs/annual-report.md."""
        return {
            "agency": {"slug": self.agency.slug, "name": self.agency.name},
            "year": self.year,
            "as_of": date(self.year, 12, 31).isoformat(),
            "year_ended": self.year_ended,
            "section_3": {
                "columns": [key for key, _label in COLUMNS],
                "rows": {key: dict(self.section_3[key]) for key, _label in ROWS},
            },
            "section_4": {
                "columns": [key for key, _label in DISPUTE_COLUMNS],
                "groups": {key: dict(self.section_4[key]) for key, _label in DISPUTE_GROUPS},
            },
            "rules": {
                "passed": self.passes,
                "broken": [{"rule": b.rule, "message": b.message} for b in self.broken],
            },
        }


def _row(cells: dict[str, int]) -> dict[str, int]:
    """One table row: the six applicant columns, and 总计 over every applicant in ``cells`` (a
    type the form has no column for still counts there, and then breaks the column rule)."""
    row = {key: cells.get(key, 0) for key in APPLICANT_COLUMNS}
    row["total"] = sum(cells.values())
    return row


def section_three(counts: YearCounts) -> Table:
    table: Table = {
        "new": _row(counts.new),
        "carried_over": _row(counts.carried_over),
        "results_total": _row(counts.closed),
        "carried_forward": _row(counts.carried_forward),
    }
    for key in RESULT_ROWS:
        table[key] = _row(counts.results.get(key, {}))
    return table


def check_section_three(table: Table) -> list[Broken]:
    """The rules of table 三, each cell by cell (regulations.md §2.2, rules 1–3)."""
    broken = []
    columns = [key for key, _label in COLUMNS]
    for column in columns:
        label = dict(COLUMNS)[column]
        left = table["new"][column] + table["carried_over"][column]
        right = table["results_total"][column] + table["carried_forward"][column]
        if left != right:
            broken.append(
                Broken(
                    "section_3.balance",
                    _(
                        "Table 3, column “%(column)s”: received this year plus carried over (%(left)d) "
                        "does not equal the total handled plus carried forward (%(right)d)."
                    )
                    % {"column": label, "left": left, "right": right},
                )
            )
        results = sum(table[key][column] for key in RESULT_ROWS)
        if results != table["results_total"][column]:
            broken.append(
                Broken(
                    "section_3.results_total",
                    _(
                        "Table 3, column “%(column)s”: the result rows add up to %(sum)d but %(total)d "
                        "applications were closed this year; an application closed without an outcome "
                        "has no row."
                    )
                    % {"column": label, "sum": results, "total": table["results_total"][column]},
                )
            )
    for key, _label in ROWS:
        row = table[key]
        applicants = sum(row[c] for c in APPLICANT_COLUMNS)
        if applicants != row["total"]:
            broken.append(
                Broken(
                    "section_3.columns_total",
                    _(
                        "Table 3, row “%(row)s”: the applicant columns add up to %(sum)d but the total "
                        "is %(total)d; an application has an applicant type the form has no column for."
                    )
                    % {"row": ROW_LABELS[key], "sum": applicants, "total": row["total"]},
                )
            )
    return broken


def section_four(counts: dict[str, dict[str, int]]) -> Table:
    """The 15 cells of section 四: per group its four results and 总计 (counted on its own)."""
    return {
        group: {**{key: counts.get(group, {}).get(key, 0) for key, _label in DISPUTE_RESULTS},
                "total": counts.get(group, {}).get("total", 0)}
        for group, _label in DISPUTE_GROUPS
    }  # fmt: skip


def check_section_four(table: Table) -> list[Broken]:
    broken = []
    for group, label in DISPUTE_GROUPS:
        cells = sum(table[group][key] for key, _label in DISPUTE_RESULTS)
        if cells != table[group]["total"]:
            broken.append(
                Broken(
                    "section_4.group_total",
                    _("Section 4, “%(group)s”: the results add up to %(sum)d but %(total)d cases were received.")
                    % {"group": label, "sum": cells, "total": table[group]["total"]},
                )
            )
    return broken


def build(agency: Agency, year: int) -> AnnualReport:
    """The report of ``agency`` for ``year`` as the records stand. Before 24:00 on 31 December
    the year is still running and the figures are marked so (``year_ended``)."""
    table = section_three(annual_report_counts(agency, year))
    disputes = section_four(annual_dispute_counts(agency, year))
    report = AnnualReport(
        agency=agency, year=year, section_3=table, section_4=disputes, year_ended=timezone.localdate().year > year
    )
    report.broken = check_section_three(table) + check_section_four(disputes)
    return report
