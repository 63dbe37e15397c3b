"""Every state change of an annual report (style.md §3): freeze a year's figures, start a
report, save its texts and section 二, move it through review (``transitions.REPORT``), correct
a published one as a new version. Issue 11; 条例 art. 49–50."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Agency
from gongkai.applications.selectors import fees_collected
from gongkai.catalog.selectors import published_in_year
from gongkai.core.audit import audited_refusals, record_event
from gongkai.core.calendar import get_calendar
from gongkai.core.publication import Document, publish_document
from gongkai.core.workdays import add_workdays
from gongkai.core.workflow import Change
from gongkai.reports import annual, starting_text
from gongkai.reports.annual import Broken
from gongkai.reports.choices import Status
from gongkai.reports.models import Report, YearFigures
from gongkai.reports.rules import check_carry_over, check_section_two, check_texts, decimal_or_none
from gongkai.reports.tables import SECTION_2_ITEMS
from gongkai.reports.transitions import REPORT, ReportError

COLUMN = "政府信息公开工作年度报告"
REFUSED = "reports.report.action_refused"


# ---------------------------------------------------------------------------------------------
# The figures of sections 三 and 四, frozen once the year has ended


def year_ended(year: int, now: datetime | None = None) -> bool:
    return timezone.localdate(now).year > year


def _figures_json(agency: Agency, year: int) -> dict[str, Any]:
    data = annual.build(agency, year).as_json()
    data.pop("rules")
    # 信息处理费 paid in the year (yuan): section 六 reports it (国办公开办函〔2021〕30号).
    data["fees_collected"] = str(fees_collected(agency, year))
    # Items published proactively in the year (section 一 quotes it; the catalog holds them).
    data["catalog_published"] = published_in_year(agency, year)
    return data


def figures_json_now(agency: Agency, year: int) -> dict[str, Any]:
    """The year's figures: the freeze of 31 December once there is one, else the records now."""
    frozen = frozen_figures(agency, year)
    return frozen.data if frozen is not None else _figures_json(agency, year)


def freeze_year(agency: Agency, year: int, *, actor=None, reason: str = "") -> YearFigures:
    """Freeze the year's figures as the records stand now (the year must have ended)."""
    if not year_ended(year):
        raise ValidationError(_("The year has not ended yet: its figures are frozen after 24:00 on 31 December."))
    with transaction.atomic():
        figures = YearFigures.objects.create(
            agency=agency, year=year, data=_figures_json(agency, year), frozen_at=timezone.now(), reason=reason
        )
        record_event(
            "reports.figures.frozen", actor=actor, obj=figures, agency=agency, data={"year": year, "reason": reason}
        )
    return figures


def frozen_figures(agency: Agency, year: int) -> YearFigures | None:
    """The first freeze of the year (the one at 24:00 on 31 December), if any."""
    return YearFigures.objects.filter(agency=agency, year=year).order_by("frozen_at", "pk").first()


# Letters and visits of the year's last days are registered in the first working days of January
# with their own receipt dates (seed E1: one working day; 1 January is a holiday): the daily job
# waits for them before it freezes the year as it stood at 24:00 on 31 December.
SETTLE_WORKING_DAYS = 3


def freeze_ended_years(now: datetime | None = None) -> int:
    """The daily job (00:05): once the first ``SETTLE_WORKING_DAYS`` working days of January have
    passed, freeze last year's figures for every agency that has none yet (a missed day is caught
    up the next). A report submitted earlier freezes its own figures then."""
    today = timezone.localdate(now)
    year = today.year - 1
    settled = add_workdays(date(year, 12, 31), SETTLE_WORKING_DAYS, get_calendar()).due
    if today <= settled:
        return 0
    done = 0
    for agency in Agency.objects.order_by("pk"):
        if frozen_figures(agency, year) is None:
            freeze_year(agency, year)
            done += 1
    return done


def figures_of(report: Report) -> dict[str, Any]:
    """The figures a version stands on: frozen ones once it has them, else the records as now."""
    if report.figures_id is not None:
        assert report.figures is not None
        return report.figures.data
    frozen = frozen_figures(report.agency, report.year)
    return frozen.data if frozen is not None else _figures_json(report.agency, report.year)


def changed_cells(report: Report) -> list[str]:
    """Cells whose figure in the records differs now from the version's frozen figures: a later
    edit to an application or a dispute, shown on the report's page (never applied silently)."""
    frozen = figures_of(report)
    live = _figures_json(report.agency, report.year)
    from gongkai.reports.tables import DISPUTE_GROUPS, ROW_LABELS

    changed = []
    for row, cells in frozen["section_3"]["rows"].items():
        if cells != live["section_3"]["rows"][row]:
            changed.append(f"三 · {ROW_LABELS[row]}")
    for group, cells in frozen["section_4"]["groups"].items():
        if cells != live["section_4"]["groups"][group]:
            changed.append(f"四 · {dict(DISPUTE_GROUPS)[group]}")
    return changed


# ---------------------------------------------------------------------------------------------
# The rules of a version


def previous_report(agency: Agency, year: int) -> Report | None:
    return Report.objects.published().filter(agency=agency, year=year - 1).select_related("figures").first()


def previous_in_force(report: Report) -> dict[str, int | None]:
    """In force at the end of last year, per stock item: last year's published report where the
    platform holds it, otherwise the figure entered once for the first year."""
    previous = previous_report(report.agency, report.year)
    first_year = report.section_2.get("first_year") or {}
    result: dict[str, int | None] = {}
    for item in SECTION_2_ITEMS:
        if not item.is_stock:
            continue
        source = (previous.section_2.get(item.key) or {}).get("in_force") if previous else first_year.get(item.key)
        number = decimal_or_none(source)
        result[item.key] = int(number) if number is not None else None
    return result


def broken_rules(report: Report) -> list[Broken]:
    """Every rule the version breaks now (annual.py, rules.py)."""
    figures = figures_of(report)
    rows, groups = figures["section_3"]["rows"], figures["section_4"]["groups"]
    broken = annual.check_section_three(rows) + annual.check_section_four(groups)
    previous = previous_report(report.agency, report.year)
    if previous is not None and previous.figures is not None:
        broken += check_carry_over(rows, previous.figures.data)
    in_force = previous_in_force(report)
    broken += check_section_two(report.section_2, in_force)
    if previous is None:
        for item in SECTION_2_ITEMS:
            if item.is_stock and in_force.get(item.key) is None:
                broken.append(
                    Broken(
                        "section_2.first_year",
                        _(
                            "Section 2, “%(item)s”: the platform holds no report of last year; give the number "
                            "in force at the end of last year once."
                        )
                        % {"item": item.label},
                    )
                )
    texts = {"overview": report.overview, "problems": report.problems, "other_matters": report.other_matters}
    return broken + check_texts(texts, figures, report.section_2)


def _refuse_if_broken(report: Report) -> None:
    broken = broken_rules(report)
    if broken:
        more = _("…and %(n)d more.") % {"n": len(broken) - 3} if len(broken) > 3 else ""
        raise ReportError(
            _("The report breaks %(n)d rules and cannot go on: %(rules)s")
            % {"n": len(broken), "rules": " ".join(b.message for b in broken[:3]) + more}
        )


# ---------------------------------------------------------------------------------------------
# Writing a version


def start_report(*, actor, agency: Agency, year: int) -> Report:
    """The disclosure office starts the year's report, with a starting text from the figures."""
    if year < 2008 or year > timezone.localdate().year:
        raise ValidationError(_("Reports are written for a year that has begun, from 2008 on."))
    if Report.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(_("The report of %(year)d has been started already.") % {"year": year})
    report = Report(agency=agency, year=year, created_by=actor)
    texts = starting_text.offer(agency, year, _figures_json(agency, year))
    report.overview, report.problems, report.other_matters = (
        texts["overview"],
        texts["problems"],
        texts["other_matters"],
    )
    try:
        with transaction.atomic():
            report.save()
            record_event("reports.report.started", actor=actor, obj=report, agency=agency, data={"year": year})
    except IntegrityError:
        raise ValidationError(_("The report of %(year)d has been started already.") % {"year": year}) from None
    return report


def clean_section_two(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Section 二 from the form: each cell as text (blank kept blank, checked by the rules)."""
    cleaned: dict[str, Any] = {}
    for item in SECTION_2_ITEMS:
        values = raw.get(item.key) or {}
        cleaned[item.key] = {cell: str(values.get(cell, "") or "").strip() for cell, _label in item.cells}
        cleaned[item.key]["source"] = str(values.get("source", "") or "").strip()[:200]
    first_year = raw.get("first_year") or {}
    if first_year:
        cleaned["first_year"] = {k: str(v or "").strip() for k, v in first_year.items() if k in cleaned}
    return cleaned


@audited_refusals(REFUSED, errors=(ReportError,))
@transaction.atomic
def save_report(
    report: Report, *, actor, overview: str, problems: str, other_matters: str, section_2: Mapping[str, Any]
) -> Report:
    """Save the draft's texts and section 二. A draft may break rules; it cannot be submitted so."""
    locked = REPORT.lock(report)
    if actor.agency_id != locked.agency_id:
        raise ReportError(_("This report belongs to another agency."))
    if locked.status != Status.DRAFT:
        raise ReportError(_("Only a draft is edited; return the report for revision first."))
    locked.overview, locked.problems, locked.other_matters = overview.strip(), problems.strip(), other_matters.strip()
    locked.section_2 = clean_section_two(section_2)
    locked.save(update_fields=["overview", "problems", "other_matters", "section_2", "updated_at"])
    record_event("reports.report.saved", actor=actor, obj=locked, agency=locked.agency, data={"year": locked.year})
    return locked


# ---------------------------------------------------------------------------------------------
# The way to publication


def _body(report: Report) -> str:
    from gongkai.reports.export import as_text

    return as_text(report, figures_of(report))


@audited_refusals(REFUSED, errors=(ReportError,))
def act(report: Report, *, actor, action: str, reason: str = "") -> Report:
    """One step of the report's way (``transitions.REPORT``). Every forward step checks the rules
    again; submission freezes the figures the version stands on."""

    def write(locked: Report) -> Change:
        change = Change()
        if action == "return":
            if not reason.strip():
                raise ReportError(_("Give the reason for returning the report."))
            change.audit_data["reason"] = reason.strip()
            return change
        if action == "submit":
            if locked.figures_id is None:
                locked.figures = frozen_figures(locked.agency, locked.year) or freeze_year(locked.agency, locked.year)
            locked.submitted_at = timezone.now()
            change.fields += ["figures", "submitted_at"]
        _refuse_if_broken(locked)
        if action == "review":
            locked.reviewed_by_name = actor.full_name
            change.fields.append("reviewed_by_name")
        elif action == "approve":
            locked.approved_by_name = actor.full_name
            change.fields.append("approved_by_name")
        elif action == "publish":
            change.fields += _publish(locked, actor)
        change.audit_data["year"] = locked.year
        return change

    with transaction.atomic():
        return REPORT.run(action, report, actor=actor, write=write)


def _publish(report: Report, actor) -> list[str]:
    """Publish the version in the catalog's 年度报告 column; the version it corrects is superseded."""
    previous = Report.objects.select_for_update().filter(
        agency=report.agency, year=report.year, status=Status.PUBLISHED
    )
    superseded = list(previous.values_list("version", "index_number"))
    previous.update(status=Status.SUPERSEDED)
    title = f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
    if report.version > 1:
        title += f"（更正版，第{report.version}版）"
    summary = (
        f"根据《中华人民共和国政府信息公开条例》第四十九条、第五十条，{report.agency.name}编制"
        f"{report.year}年政府信息公开工作年度报告。"
    )
    if report.version > 1:
        replaced = superseded[0][0] if superseded else report.version - 1
        summary += f"本版更正第{replaced}版，更正原因：{report.correction_reason}"
    try:
        index_number = publish_document(
            Document(
                agency=report.agency,
                column=COLUMN,
                title=title,
                summary=summary,
                body=_body(report),
                formed_on=timezone.localdate(),
                actor=actor,
                corrects=superseded[0][1] if superseded else "",
                reason=report.correction_reason,
            )
        )
    except ValidationError as exc:  # the catalog refuses (e.g. an agency with no office)
        raise ReportError(" ".join(exc.messages)) from None
    report.index_number = index_number
    report.published_at = timezone.now()
    return ["index_number", "published_at"]


@audited_refusals(REFUSED, errors=(ReportError,))
@transaction.atomic
def start_correction(report: Report, *, actor, reason: str, refreeze: bool) -> Report:
    """A corrected report is a new version with its reason; the published version stays public
    until the correction is published. ``refreeze``: the correction stands on the records as they
    are now (a new freeze with the same reason), else on the figures of the version it corrects."""
    # Lock the report's own row: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
    of = ("self",) if connection.features.has_select_for_update_of else ()
    locked = Report.objects.select_for_update(of=of).select_related("agency", "figures").get(pk=report.pk)
    if actor.agency_id != locked.agency_id:
        raise ReportError(_("This report belongs to another agency."))
    from gongkai.accounts.choices import Role
    from gongkai.core.access import user_roles

    if Role.DISCLOSURE_OFFICER not in user_roles(actor):
        raise ReportError(_("Only the disclosure office corrects the annual report."))
    if locked.status != Status.PUBLISHED:
        raise ReportError(_("Only the published version is corrected."))
    if not reason.strip():
        raise ReportError(_("Give the reason for the correction."))
    if (
        Report.objects.filter(agency=locked.agency, year=locked.year)
        .exclude(status__in=[Status.PUBLISHED, Status.SUPERSEDED])
        .exists()
    ):
        raise ReportError(_("A correction of this report is already on its way."))
    figures = (
        freeze_year(locked.agency, locked.year, actor=actor, reason=reason.strip()) if refreeze else locked.figures
    )
    latest = Report.objects.filter(agency=locked.agency, year=locked.year).order_by("-version").first()
    assert latest is not None
    try:  # two corrections at once (SQLite locks late): the one-in-progress constraint refuses one
        with transaction.atomic():
            correction = Report.objects.create(
                agency=locked.agency,
                year=locked.year,
                version=latest.version + 1,
                correction_reason=reason.strip(),
                overview=locked.overview,
                problems=locked.problems,
                other_matters=locked.other_matters,
                section_2=locked.section_2,
                figures=figures,
                created_by=actor,
            )
    except IntegrityError:
        raise ReportError(_("A correction of this report is already on its way.")) from None
    record_event(
        "reports.report.correction_started",
        actor=actor,
        obj=correction,
        agency=locked.agency,
        data={"year": locked.year, "version": correction.version, "reason": reason.strip(), "refrozen": refreeze},
    )
    return correction
