"""The dispute pages of the staff workbench (seed F1–F6): the list with the answer dates, the
registration form, and a dispute's page with its clock, ledger and the next steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.models import Agency, Office
from gongkai.core.reminders import due_soon_until
from gongkai.core.uploads import refusal_status
from gongkai.disputes.choices import Outcome
from gongkai.disputes.forms import FORMS, DocumentForm, EventForm, ForwardForm, RegisterForm
from gongkai.disputes.models import Dispute
from gongkai.disputes.selectors import dispute_deadline_counts
from gongkai.disputes.services import add_document, evidence_bundle_for, record_dispute_event, register_dispute
from gongkai.disputes.transitions import DISPUTE, DisputeError

# Unanswered cases first (their answer date runs), then those waiting for a decision, then decided.
URGENCY = Case(When(status="received", then=0), When(status="answered", then=1), default=2)


def get_agency_for_user(user: Any, agency_slug: str) -> Agency:
    """The agency named in the URL, only if it is the person's own (404 otherwise)."""
    return get_object_or_404(Agency, slug=agency_slug, pk=user.agency_id)


def _dispute(request: HttpRequest, agency_slug: str, number: str) -> Dispute:
    agency = get_agency_for_user(request.user, agency_slug)
    return get_object_or_404(
        Dispute.objects.select_related("agency", "application", "evidence_office"), agency=agency, number=number
    )


def staff_list(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    disputes = Dispute.objects.filter(agency=agency).select_related("application")
    selected = disputes if show == "all" else disputes.open()
    return render(
        request,
        "disputes/staff_list.html",
        {
            "agency": agency,
            "disputes": selected.order_by(URGENCY, "answer_due_on", "pk")[:200],
            "show": show,
            "counts": dispute_deadline_counts(agency, today),
            "today": today,
            "soon": due_soon_until(today),
        },
    )


@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    initial = {"received_on": timezone.localdate(), "application_number": request.GET.get("application", "")}
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = register_dispute(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request, _("Dispute registered. The answer is due on %(due)s.") % {"due": dispute.answer_due_on}
            )
            return redirect("disputes:staff-detail", agency_slug=agency.slug, number=dispute.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "disputes/staff_create.html", {"agency": agency, "form": form}, status=status)


def _forms_for(dispute: Dispute, user, given: dict | None = None) -> dict:
    today = timezone.localdate()
    offices = Office.objects.filter(agency=dispute.agency).order_by("name")
    forms = {}
    for transition in DISPUTE.available(dispute, user):
        kind = transition.name
        form_class = FORMS[kind]
        if given and kind in given:
            forms[kind] = (transition, given[kind])
        elif form_class is ForwardForm:
            forms[kind] = (transition, ForwardForm(offices=offices, initial={"on": today}, prefix=kind))
        else:
            forms[kind] = (transition, form_class(initial={"on": today}, prefix=kind))
    return forms


def _detail_context(request: HttpRequest, dispute: Dispute, given: dict | None = None) -> dict:
    today = timezone.localdate()
    unanswered = dispute.status == "received"
    return {
        "agency": dispute.agency,
        "dispute": dispute,
        "events": dispute.events.order_by("on", "pk"),
        "forms": _forms_for(dispute, request.user, given),
        "today": today,
        "warn": unanswered and dispute.answer_due_on <= due_soon_until(today),
        "overdue": unanswered and dispute.answer_due_on < today,
        "outcome_choices": Outcome.choices,
        "documents": dispute.documents.order_by("received_on", "pk"),
        "document_form": DocumentForm(prefix="document", initial={"received_on": today}),
    }


def staff_detail(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    dispute = _dispute(request, agency_slug, number)
    return render(request, "disputes/staff_detail.html", _detail_context(request, dispute))


@require_POST
def staff_event(request: HttpRequest, agency_slug: str, number: str, kind: str) -> HttpResponse:
    dispute = _dispute(request, agency_slug, number)
    if kind not in FORMS:
        raise Http404
    form: EventForm
    if FORMS[kind] is ForwardForm:
        form = ForwardForm(request.POST, offices=Office.objects.filter(agency=dispute.agency), prefix=kind)
    else:
        form = FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("on", "note")}
        try:
            record_dispute_event(
                dispute,
                actor=request.user,
                kind=kind,
                on=form.cleaned_data["on"],
                note=form.cleaned_data.get("note", ""),
                data=data,
            )
        except DisputeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("disputes:staff-detail", agency_slug=agency_slug, number=number)
    context = _detail_context(request, dispute, given={kind: form})
    if kind not in context["forms"]:  # the dispute moved on meanwhile: say why nothing was recorded
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Nothing was recorded."))
    return render(request, "disputes/staff_detail.html", context, status=400)


@require_POST
def staff_document(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    dispute = _dispute(request, agency_slug, number)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_document(
                dispute,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                received_on=data["received_on"],
                purpose=data["purpose"],
                checked=data["upload"],
                secret_explanation=data["secret_explanation"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Document filed with the case."))
            return redirect("disputes:staff-detail", agency_slug=dispute.agency.slug, number=dispute.number)
    context = _detail_context(request, dispute)
    context["document_form"] = form
    return render(request, "disputes/staff_detail.html", context, status=max(400, refusal_status(form)))


def staff_bundle(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    dispute = _dispute(request, agency_slug, number)
    try:
        data, _count = evidence_bundle_for(dispute, actor=request.user)
    except DisputeError as exc:
        messages.error(request, str(exc))
        return redirect("disputes:staff-detail", agency_slug=dispute.agency.slug, number=dispute.number)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dispute.number}-evidence.pdf"'
    response["Cache-Control"] = "no-store"
    return response
