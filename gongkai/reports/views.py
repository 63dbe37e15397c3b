"""The annual report pages of the staff workbench (issue 11): the years with their reports, a
report's page (its tables, texts, section 二, the rules it breaks, the next steps), the files,
the staff JSON, and the district's roll-up for the supervisor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Agency
from gongkai.reports.choices import Status
from gongkai.reports.export import content_of, docx_bytes, xlsx_bytes
from gongkai.reports.forms import ActionForm, CorrectionForm, ReportForm, StartForm
from gongkai.reports.models import Report, due_date
from gongkai.reports.selectors import district_roll_up
from gongkai.reports.services import (
    act,
    broken_rules,
    changed_cells,
    figures_of,
    previous_report,
    save_report,
    start_correction,
    start_report,
    year_ended,
)
from gongkai.reports.tables import (
    COLUMNS,
    DISPUTE_COLUMNS,
    DISPUTE_GROUPS,
    RESULT_GROUPS,
    ROWS,
    SECTION_2_ITEMS,
)
from gongkai.reports.transitions import REPORT, ReportError


def _agency(request: HttpRequest, agency_slug: str) -> Agency:
    """The agency named in the URL, only if it is the person's own (404 otherwise)."""
    user: Any = request.user
    return get_object_or_404(Agency, slug=agency_slug, pk=user.agency_id)


def report_of(request: HttpRequest, agency_slug: str, year: int, version: str | None = None) -> Report:
    """The version asked for (the newest not superseded by default) of the person's own agency."""
    agency = _agency(request, agency_slug)
    versions = Report.objects.filter(agency=agency, year=year).select_related("agency", "figures")
    if version:
        if not (version.isascii() and version.isdigit()):
            raise Http404
        return get_object_or_404(versions, version=int(version))
    report = versions.exclude(status=Status.SUPERSEDED).order_by("-version").first()
    if report is None:
        raise Http404
    return report


def staff_list(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = _agency(request, agency_slug)
    today = timezone.localdate()
    reports = Report.objects.filter(agency=agency).order_by("-year", "-version")
    years: dict[int, list[Report]] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    missing = [y for y in (today.year, today.year - 1) if y not in years]
    return render(
        request,
        "reports/staff_list.html",
        {"agency": agency, "years": sorted(years.items(), reverse=True), "missing": missing, "today": today,
         "due": {y: due_date(agency, y) for y in [*years, *missing]}},
    )  # fmt: skip


@require_POST
def staff_start(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = _agency(request, agency_slug)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year as a number such as 2026."))
        return redirect("reports:staff-list", agency_slug=agency.slug)
    try:
        report = start_report(actor=request.user, agency=agency, year=form.cleaned_data["year"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:staff-list", agency_slug=agency.slug)
    messages.success(request, _("The report has been started with a text from the figures; complete it."))
    return redirect(report.get_staff_url())


def _tables(figures: dict[str, Any]) -> dict[str, Any]:
    rows = figures["section_3"]["rows"]
    groups = figures["section_4"]["groups"]
    return {
        "columns": COLUMNS,
        "rows": [(key, GROUPED_LABELS.get(key, label), [rows[key][c] for c, _l in COLUMNS]) for key, label in ROWS],
        "dispute_columns": DISPUTE_COLUMNS,
        "groups": [(key, label, [groups[key][c] for c, _l in DISPUTE_COLUMNS]) for key, label in DISPUTE_GROUPS],
    }


# A numbered sub-row is shown with its heading: "（三）不予公开 · 1.属于国家秘密".
GROUPED_LABELS = {key: f"{group.label} · {label}" for group in RESULT_GROUPS if len(group.rows) > 1
                  for key, label in group.rows}  # fmt: skip


def _context(request: HttpRequest, report: Report, form: ReportForm | None = None) -> dict[str, Any]:
    figures = figures_of(report)
    first_year = previous_report(report.agency, report.year) is None
    if form is None and report.is_editable:
        form = ReportForm(initial=ReportForm.initial_from(report), first_year=first_year)
    section_2 = [
        (item, [(label, (report.section_2.get(item.key) or {}).get(cell, "")) for cell, label in item.cells],
         (report.section_2.get(item.key) or {}).get("source", ""))
        for item in SECTION_2_ITEMS
    ]  # fmt: skip
    return {
        "agency": report.agency,
        "report": report,
        "versions": Report.objects.filter(agency=report.agency, year=report.year).order_by("version"),
        "figures": figures,
        "tables": _tables(figures),
        "frozen": report.figures_id is not None,
        "year_ended": year_ended(report.year),
        "broken": broken_rules(report),
        "changed": changed_cells(report) if report.figures_id is not None else [],
        "form": form,
        "section_2": section_2,
        "actions": REPORT.available(report, request.user),
        "action_form": ActionForm(),
        "correction_form": CorrectionForm() if report.status == Status.PUBLISHED else None,
        "due_on": due_date(report.agency, report.year),
    }


def staff_detail(request: HttpRequest, agency_slug: str, year: int) -> HttpResponse:
    report = report_of(request, agency_slug, year, request.GET.get("version"))
    return render(request, "reports/staff_detail.html", _context(request, report))


@require_POST
def staff_edit(request: HttpRequest, agency_slug: str, year: int) -> HttpResponse:
    report = report_of(request, agency_slug, year)
    form = ReportForm(request.POST, first_year=previous_report(report.agency, report.year) is None)
    if form.is_valid():
        try:
            save_report(
                report,
                actor=request.user,
                overview=form.cleaned_data["overview"],
                problems=form.cleaned_data["problems"],
                other_matters=form.cleaned_data["other_matters"],
                section_2=form.section_2(),
            )
        except (ReportError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect(report.get_staff_url())
    return render(request, "reports/staff_detail.html", _context(request, report, form), status=400)


@require_POST
def staff_action(request: HttpRequest, agency_slug: str, year: int, action: str) -> HttpResponse:
    report = report_of(request, agency_slug, year)
    if action not in {t.name for t in REPORT.transitions}:
        raise Http404
    form = ActionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        act(report, actor=request.user, action=action, reason=reason)
    except (ReportError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return render(request, "reports/staff_detail.html", _context(request, report), status=400)
    messages.success(request, _("Done: %(step)s.") % {"step": REPORT.get(action).label})
    return redirect(report.get_staff_url())


@require_POST
def staff_correct(request: HttpRequest, agency_slug: str, year: int) -> HttpResponse:
    report = report_of(request, agency_slug, year)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the correction."))
        return redirect(report.get_staff_url())
    try:
        start_correction(
            report, actor=request.user, reason=form.cleaned_data["reason"], refreeze=form.cleaned_data["refreeze"]
        )
    except (ReportError, PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(report.get_staff_url())
    messages.success(
        request, _("A corrected version has been started; the published one stays public until it is replaced.")
    )
    return redirect(report.get_staff_url())


def staff_download(request: HttpRequest, agency_slug: str, year: int, fmt: str) -> HttpResponse:
    report = report_of(request, agency_slug, year, request.GET.get("version"))
    content = content_of(report, figures_of(report))
    name = f"{report.agency.slug}-{report.year}-v{report.version}-annual-report.{fmt}"
    if fmt == "docx":
        data, kind = docx_bytes(content), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "xlsx":
        data, kind = xlsx_bytes(content), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_json(report: Report) -> dict[str, Any]:
    """The JSON of docs/annual-report.md for a version, with every rule it breaks."""
    data = dict(figures_of(report))
    broken = broken_rules(report)
    data.update(
        version=report.version,
        status=report.status,
        frozen=report.figures_id is not None,
        section_2={item.key: report.section_2.get(item.key) or {} for item in SECTION_2_ITEMS},
        texts={"overview": report.overview, "problems": report.problems, "other_matters": report.other_matters},
        rules={"passed": not broken, "broken": [{"rule": b.rule, "message": b.message} for b in broken]},
    )
    return data


def staff_json(request: HttpRequest, agency_slug: str, year: int) -> HttpResponse:
    report = report_of(request, agency_slug, year, request.GET.get("version"))
    return JsonResponse(report_json(report), json_dumps_params={"ensure_ascii": False})


def district(request: HttpRequest) -> HttpResponse:
    """The district supervisor's roll-up of one year (last year by default)."""
    user: Any = request.user
    agency = get_object_or_404(Agency, pk=user.agency_id)
    raw = request.GET.get("year", "")
    valid = raw.isascii() and raw.isdigit() and 2008 <= int(raw) <= 2999
    year = int(raw) if valid else timezone.localdate().year - 1
    if raw and not valid:
        messages.error(request, _("Give the year as a number such as 2026."))
    states, totals = district_roll_up(agency, year)
    return render(
        request,
        "reports/district.html",
        {"agency": agency, "year": year, "states": states, "tables": _tables(totals), "today": timezone.localdate(),
         "late": sum(1 for s in states if s.late), "inconsistent": sum(1 for s in states if s.broken)},
    )  # fmt: skip
