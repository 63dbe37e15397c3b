"""Staff pages of the core: the deadline calculator, calendar administration, the audit trail.

Access to each URL is decided in gongkai.core.access before these views run.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.calendar import (
    ArrangementError,
    arrangement_of,
    due_date,
    explain,
    format_holidays,
    format_makeup,
    get_calendar,
    missing_next_year,
    save_calendar_year,
)
from gongkai.core.forms import AuditFilterForm, CalendarYearForm, WorkdayAddForm, WorkdayBetweenForm
from gongkai.core.models import AuditEvent, CalendarYear
from gongkai.core.workdays import workdays_between


@require_http_methods(["GET"])
def workday_calculator(request: HttpRequest) -> HttpResponse:
    mode = request.GET.get("mode", "add")
    # Two forms on one page: distinct id prefixes keep every label tied to its own input.
    add_form = WorkdayAddForm(request.GET if mode == "add" and "start" in request.GET else None, auto_id="add_%s")
    between_form = WorkdayBetweenForm(
        request.GET if mode == "between" and "start" in request.GET else None, auto_id="between_%s"
    )
    context: dict[str, Any] = {"add_form": add_form, "between_form": between_form, "mode": mode}
    calendar = get_calendar()
    if add_form.is_bound and add_form.is_valid():
        result = due_date(add_form.cleaned_data["start"], add_form.cleaned_data["working_days"])
        context["add_result"] = result
        context["add_explanation"] = explain(result)
    if between_form.is_bound and between_form.is_valid():
        context["between_result"] = workdays_between(
            between_form.cleaned_data["start"], between_form.cleaned_data["end"], calendar
        )
    context["loaded_years"] = sorted(calendar.loaded_years)
    context["count_start_day"] = settings.WORKDAYS_COUNT_START_DAY
    return render(request, "core/workday_calculator.html", context)


@require_http_methods(["GET"])
def calendar_list(request: HttpRequest) -> HttpResponse:
    years = CalendarYear.objects.order_by("-year")
    return render(
        request,
        "core/calendar_list.html",
        {"years": years, "missing_year": missing_next_year(), "today": timezone.localdate()},
    )


def _save_year(request: HttpRequest, form: CalendarYearForm) -> CalendarYear | None:
    try:
        year = save_calendar_year(form.cleaned_data["arrangement"], actor=request.user)
    except ArrangementError as exc:
        for error in exc.errors:
            form.add_error(None, error)
        return None
    messages.success(
        request,
        _("The %(year)d arrangement is saved; deadlines depending on it were recomputed.") % {"year": year.year},
    )
    return year


@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest) -> HttpResponse:
    initial = {"year": missing_next_year() or timezone.localdate().year + 1}
    form = CalendarYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if CalendarYear.objects.filter(year=form.cleaned_data["year"]).exists():
            form.add_error("year", _("This year is already loaded; edit it instead."))
        elif _save_year(request, form):
            return redirect("core:calendar-list")
    return render(request, "core/calendar_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, year: int) -> HttpResponse:
    calendar_year = get_object_or_404(CalendarYear, year=year)
    arrangement = arrangement_of(calendar_year)
    initial = {
        "year": year,
        "source": arrangement.source,
        "published_on": arrangement.published_on,
        "holidays_text": format_holidays(arrangement),
        "makeup_text": format_makeup(arrangement),
    }
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        data["year"] = str(year)
    form = CalendarYearForm(data, initial=initial, fixed_year=year)
    if request.method == "POST" and form.is_valid() and _save_year(request, form):
        return redirect("core:calendar-list")
    history = AuditEvent.objects.filter(object_type="core.calendaryear", object_id=str(calendar_year.pk))[:20]
    return render(
        request,
        "core/calendar_form.html",
        {"form": form, "creating": False, "calendar_year": calendar_year, "history": history},
    )


@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    # The access policy lets in only a signed-in audit administrator, who has an agency; core
    # names no accounts type (it imports no other app), so the user is Any here.
    user: Any = request.user
    agency = user.agency
    if agency.parent_id is not None:
        # An agency's audit administrator reads that agency's trail; the district's reads all.
        events = events.filter(agency_id=agency.pk)
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["event"]:
            events = events.filter(event__startswith=data["event"])
        if data["actor"]:
            events = events.filter(Q(actor_username=data["actor"]) | Q(actor_name=data["actor"]))
        if data["since"]:
            events = events.filter(occurred_at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(occurred_at__date__lte=data["until"])
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
