"""Named reads of the annual reports, for the district's roll-up and other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.reports.choices import Status
from gongkai.reports.models import Report, due_date


@dataclass(frozen=True)
class AgencyState:
    agency: Agency
    report: Report | None
    due_on: date
    late: bool
    broken: int  # rules the current version breaks now
    published_version: int | None  # the version the public reads, if any
    figures: dict[str, Any]


def district_roll_up(district: Agency, year: int, today: date | None = None) -> tuple[list[AgencyState], dict]:
    """Each agency of the district (the district itself first) with its report's state, and the
    consolidated tables 三 and 四 summed over them, from each agency's figures (frozen once the year
    has ended)."""
    from gongkai.reports.services import broken_rules, figures_json_now, figures_of

    today = today or timezone.localdate()
    agencies = [district, *Agency.objects.filter(parent=district).order_by("name")]
    reports = {
        r.agency_id: r
        for r in Report.objects.filter(agency__in=agencies, year=year)
        .exclude(status=Status.SUPERSEDED)
        .select_related("agency", "figures")
        .order_by("version")
    }  # the published version is replaced by a correction on its way only when it is newer
    published_ids: dict[int, int] = dict(
        Report.objects.filter(agency__in=agencies, year=year, status=Status.PUBLISHED).values_list(
            "agency_id", "version"
        )
    )
    states = []
    total3: dict[str, dict[str, int]] = {}
    total4: dict[str, dict[str, int]] = {}
    for agency in agencies:
        report = reports.get(agency.pk)
        figures = figures_of(report) if report else figures_json_now(agency, year)
        due = due_date(agency, year)
        published = agency.pk in published_ids
        states.append(
            AgencyState(
                agency=agency,
                report=report,
                due_on=due,
                late=not published and today > due,
                broken=len(broken_rules(report)) if report else 0,
                published_version=published_ids.get(agency.pk),
                figures=figures,
            )
        )
        for row, cells in figures["section_3"]["rows"].items():
            target = total3.setdefault(row, {})
            for key, value in cells.items():
                target[key] = target.get(key, 0) + value
        for group, cells in figures["section_4"]["groups"].items():
            target = total4.setdefault(group, {})
            for key, value in cells.items():
                target[key] = target.get(key, 0) + value
    return states, {"section_3": {"rows": total3}, "section_4": {"groups": total4}}
