"""Applications: the public form, receipt and tracking; the disclosure office's intake, list,
clock and reply. URL access is decided in gongkai.core.access; services check again."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency
from gongkai.applications import clock, spam
from gongkai.applications.choices import NOT_FOR_APPLICANT, NoticeKind, Status
from gongkai.applications.clock import ClockError, Kind
from gongkai.applications.forms import (
    AssignForm,
    ClockEventForm,
    ConfidentialityForm,
    ConsultationForm,
    CorrectionForm,
    DraftForm,
    ExtensionForm,
    FeeForm,
    NoteForm,
    NoticeForm,
    NoticeTemplateForm,
    ProposalForm,
    PublicApplicationForm,
    ReceiptWithCodeForm,
    ReplyServedForm,
    StaffIntakeForm,
)
from gongkai.applications.models import Application, Attachment, Notice, NoticeTemplate
from gongkai.applications.notice_templates import DEFAULTS, PLACEHOLDERS
from gongkai.applications.notices import (
    NoticeError,
    available_kinds,
    issue_notice,
    pending_reply_letter,
    read_notice_file,
    template_for,
)
from gongkai.applications.permissions import (
    HANDLER_ROLES,
    get_agency_for_user,
    get_application_for_user,
    may_record,
)
from gongkai.applications.selectors import application_deadline_counts, applications_visible_to
from gongkai.applications.services import (
    IdempotencyConflict,
    confirm_submission,
    entries_of,
    fee_time_excluded,
    find_for_applicant,
    find_repeat,
    print_receipt_with_code,
    record_clock_event,
    reveal_personal_data,
    submit_application,
)
from gongkai.core.access import user_roles
from gongkai.core.calendar import get_calendar
from gongkai.core.models import AuditEvent
from gongkai.core.normalise import ASCII_INTEGER_RE, nfkc
from gongkai.core.reminders import due_soon_until
from gongkai.core.request_context import client_ip
from gongkai.core.uploads import CONTENT_TYPES, download_response, integrity_refusal, refusal_status

ATTACHMENT_FIELDS = (("identity_proof", "identity_proof"), ("scanned_letter", "scanned_letter"))
STEP_LABELS = {
    "confirm": gettext_lazy("Confirm the online submission (1 working day)"),
    "inform": gettext_lazy("Tell how to obtain published information (5 working days, E3)"),
    "register": gettext_lazy("Register (1 working day, E1)"),
    "review": gettext_lazy("Review (2 working days, E2)"),
    "proposal": gettext_lazy("Office's proposal (7 working days, E3)"),
    "signature": gettext_lazy("Leader's signature (3 working days, E5)"),
}
PERSONAL_FIELDS = ("id_number", "phone", "address", "email", "applicant_name")
SECRET_FIELDS = ("query_code", "idempotency_key")
RECEIPT_SESSION_KEY = "gongkai_application_receipt"
APPLY_BINDING_SESSION_KEY = "gongkai_apply_binding"


# ---------------------------------------------------------------------------------------------
# Public


def _session_bound_key(request: HttpRequest, form_key: str) -> str:
    """The form's idempotency key as stored: bound to this browser session (AC-02), so the same
    form sent twice from this session is one application, and a key seen elsewhere (copied
    from a page, a log or another person's browser) opens nothing. The session secret is set
    when the form is shown, so a double click's second request carries it too."""
    binding = request.session[APPLY_BINDING_SESSION_KEY]
    digest = hmac.new(binding.encode(), f"apply:{form_key}".encode(), hashlib.sha256).hexdigest()
    return f"web:{digest[:60]}"  # API keys cannot contain ":", so the two never meet


def _apply_page(request, agency, form, captcha_required, status=200, **extra):
    context = {"agency": agency, "form": form, **extra}
    if captcha_required:
        context["challenge_question"], context["challenge_token"] = spam.new_challenge()
    return render(request, "applications/apply.html", context, status=status)


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS, *SECRET_FIELDS)
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency_slug, is_active=True)
    if not request.session.get(APPLY_BINDING_SESSION_KEY):
        request.session[APPLY_BINDING_SESSION_KEY] = secrets.token_hex(16)
    initial = {"started": spam.form_token(), "idempotency_key": uuid.uuid4().hex}
    form = PublicApplicationForm(request.POST or None, request.FILES or None, initial=initial)
    ip = client_ip(request)
    captcha_required = spam.near_limit(ip)
    if request.method == "POST":
        if request.POST.get("website"):
            # A robot filled the honeypot: answer like a failure, save nothing.
            return render(
                request, "applications/apply.html", {"agency": agency, "form": form, "rejected": True}, status=400
            )
        if spam.filled_too_fast(request.POST.get("started", "")):
            form.add_error(None, _("The form was sent too quickly. Please check your details and submit again."))
            form.data = form.data.copy()
            form.data["started"] = spam.form_token()
        elif captcha_required and not spam.challenge_passed(
            request.POST.get("challenge_token", ""), request.POST.get("challenge_answer", "")
        ):
            form.add_error(None, _("The answer to the check question is not right. Please try the new question."))
        elif form.is_valid():
            data = form.cleaned_data
            proof = data.get("identity_proof")
            request_parts = {
                "agency": agency,
                "idempotency_key": _session_bound_key(request, data["idempotency_key"]),
                "fields": {**data, "has_identity_proof": False},
                "channel": "online",
                "files": ((Attachment.Kind.IDENTITY_PROOF, proof),) if proof else (),
            }
            try:
                repeat = find_repeat(**request_parts)
                if repeat is None and spam.over_limit(ip, data["id_number"]):
                    return render(request, "applications/too_many.html", {"agency": agency}, status=429)
                submission = submit_application(received_on=timezone.localdate(), **request_parts)
            except IdempotencyConflict as exc:
                # Sent again from this session with other details (e.g. after the back button):
                # say so and give the form a new key, so sending it once more makes a new one.
                form.add_error(None, str(exc))
                form.data = form.data.copy()
                form.data["idempotency_key"] = uuid.uuid4().hex
                return _apply_page(request, agency, form, captcha_required, status=422)
            request.session[RECEIPT_SESSION_KEY] = {
                "number": submission.application.number,
                "query_code": submission.query_code,
            }
            return redirect("applications:receipt")
    # A refused upload answers 400 (503 while the virus scanner is unavailable) with the form.
    status = refusal_status(form) if request.method == "POST" else 200
    return _apply_page(request, agency, form, captcha_required, status=status)


@never_cache
@require_http_methods(["GET"])
def receipt(request: HttpRequest) -> HttpResponse:
    """Post/Redirect/Get target: the number, and the query code shown this one time. The code
    leaves the session as it is shown: a reload, the back button or the next person at a shared
    computer sees only that it was shown (issue 8)."""
    data = request.session.get(RECEIPT_SESSION_KEY)
    if not data:
        raise Http404
    application = Application.objects.select_related("agency").get(number=data["number"])
    query_code = data.get("query_code", "")
    if query_code:
        request.session[RECEIPT_SESSION_KEY] = {"number": data["number"]}
    return render(
        request,
        "applications/receipt.html",
        {"application": application, "query_code": query_code, "code_already_shown": not query_code},
    )


def _tracking_refused_page(request: HttpRequest) -> HttpResponse:
    error = _("Too many unsuccessful lookups. Please wait an hour and try again.")
    return render(request, "applications/track.html", {"error": error}, status=429)


@never_cache
@sensitive_post_parameters("query_code")
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The applicant's view: number + query code (POST, so the code never sits in a URL; a code
    in the URL is refused so nobody builds such links). Failed lookups are limited per address
    and per number (ABUSE-01)."""
    application = None
    error = ""
    status = 200
    if "query_code" in request.GET:
        error = _("Do not put the query code in the address; type it into the form below.")
        return render(request, "applications/track.html", {"error": error}, status=400)
    if request.method == "POST":
        number = request.POST.get("number", "")[:40]
        ip = client_ip(request)
        if spam.tracking_refused(ip, number):
            return _tracking_refused_page(request)
        application = find_for_applicant(number, request.POST.get("query_code", "")[:40])
        if application is None:
            error, status = _("No application matches this number and query code."), 404
        else:
            spam.tracking_succeeded(ip, number)
    context = {"application": application, "error": error}
    if application:
        # The applicant sees the legal steps, never the office's internal ones (notes, drafts).
        context["events"] = application.clock_events.exclude(kind__in=Kind.INTERNAL)
        context["notices"] = application.notices.exclude(kind__in=NOT_FOR_APPLICANT).exclude(served_on=None)
        context["query_code"] = request.POST.get("query_code", "")[:40]
    return render(request, "applications/track.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Staff


@require_http_methods(["GET"])
def staff_list(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    today = timezone.localdate()
    soon = due_soon_until(today)
    applications = applications_visible_to(request.user, Application.objects.filter(agency=agency))
    show = request.GET.get("show", "open")
    filters = {
        "open": applications.open(),
        "soon": applications.due_between(today, soon),
        "overdue": applications.overdue(today),
        "steps": applications.open().filter(next_step_due__lte=soon),
        "all": applications,
    }
    selected = filters.get(show, filters["open"])
    counts = application_deadline_counts(agency, today)
    counts["steps"] = filters["steps"].count()
    return render(
        request,
        "applications/staff_list.html",
        {
            "agency": agency,
            # Waiting ones (a submission to confirm, a suspension) first, the same on every database.
            "applications": selected.order_by(F("due_on").asc(nulls_first=True), "received_on", "pk")[:200],
            "show": show,
            "counts": counts,
            "today": today,
            "soon": soon,
            "step_labels": STEP_LABELS,
        },
    )


@sensitive_post_parameters(*PERSONAL_FIELDS)
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    form = StaffIntakeForm(request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [(kind, data[field]) for kind, field in ATTACHMENT_FIELDS if data.get(field)]
        try:
            submission = submit_application(
                agency=agency,
                fields=data,
                channel=data["channel"],
                received_on=data["received_on"],
                actor=request.user,
                files=tuple(files),
            )
        except ValidationError as exc:
            form.add_error("received_on" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(
                request,
                _("Registered as %(number)s. Give the applicant the query code %(code)s; it is not shown again.")
                % {"number": submission.application.number, "code": submission.query_code},
            )
            # Kept until the receipt with the code is printed (once), or the session ends (issue 10).
            request.session[RECEIPT_CODE_KEY] = {"number": submission.application.number, "code": submission.query_code}
            return redirect("applications:staff-detail", agency_slug=agency.slug, number=submission.application.number)
    status = refusal_status(form) if request.method == "POST" else 200
    return render(request, "applications/staff_create.html", {"agency": agency, "form": form}, status=status)


EVENT_FORMS = {
    Kind.RECEIVED: ClockEventForm,  # confirming an online submission (art. 31(三))
    Kind.CORRECTION_REQUESTED: CorrectionForm,
    Kind.CORRECTION_RECEIVED: ClockEventForm,
    Kind.CORRECTION_LAPSED: ClockEventForm,
    Kind.CONSULTATION_STARTED: ConsultationForm,
    Kind.CONSULTATION_ENDED: ClockEventForm,
    Kind.EXTENSION_APPROVED: ExtensionForm,
    Kind.FEE_NOTICE_SERVED: FeeForm,
    Kind.FEE_PAID: ClockEventForm,
    Kind.FEE_LAPSED: ClockEventForm,
    Kind.REPLIED: ReplyServedForm,
    Kind.ASSIGNED: AssignForm,
    Kind.NOTE_ADDED: NoteForm,
    Kind.CONFIDENTIALITY_REVIEWED: ConfidentialityForm,
    Kind.PROPOSAL_SUBMITTED: ProposalForm,
    Kind.DRAFT_SUBMITTED: DraftForm,
    Kind.DRAFT_SIGNED: ClockEventForm,
}
# Which actions the page offers in each status; the person's role and the clock narrow them.
ACTIONS = {
    "submitted": [Kind.RECEIVED],
    "received": [
        Kind.ASSIGNED,
        Kind.NOTE_ADDED,
        Kind.CONFIDENTIALITY_REVIEWED,
        Kind.PROPOSAL_SUBMITTED,
        Kind.CORRECTION_REQUESTED,
        Kind.CONSULTATION_STARTED,
        Kind.FEE_NOTICE_SERVED,
        Kind.EXTENSION_APPROVED,
        Kind.DRAFT_SUBMITTED,
        Kind.DRAFT_SIGNED,
        Kind.REPLIED,
    ],
    "awaiting_correction": [Kind.CORRECTION_RECEIVED, Kind.CORRECTION_LAPSED, Kind.NOTE_ADDED],
    "consulting": [Kind.CONSULTATION_ENDED, Kind.NOTE_ADDED, Kind.CONFIDENTIALITY_REVIEWED],
    "awaiting_fee": [Kind.FEE_PAID, Kind.FEE_LAPSED, Kind.NOTE_ADDED],
}


def _event_form(kind: str, application: Application, data=None, initial=None):
    extra = {"agency": application.agency} if kind == Kind.ASSIGNED else {}
    return EVENT_FORMS[kind](data, initial=initial, auto_id=f"{kind}_%s", **extra)


def _detail_context(
    request: HttpRequest,
    application: Application,
    forms: dict | None = None,
    revealed=None,
    notice_form=None,
    receipt_form=None,
) -> dict:
    roles = user_roles(request.user)
    state = clock.replay(entries_of(application), get_calendar(), fee_time_excluded=fee_time_excluded())
    forms = forms or {}
    # An action that was just refused stays on the page with its error, even when it is
    # otherwise hidden (serving a reply before its letter exists).
    kinds = [
        k
        for k in ACTIONS.get(application.status, [])
        if may_record(request.user, application, k)
        and (
            k in forms
            or (
                (k != Kind.DRAFT_SIGNED or state.draft_pending)
                and (k != Kind.REPLIED or (state.draft_signed and pending_reply_letter(application) is not None))
            )
        )
    ]
    today = timezone.localdate()
    labels = {**dict(application.clock_events.model.KIND_CHOICES), Kind.RECEIVED: _("Confirm receipt")}
    actions = [
        (
            k,
            labels[k],
            forms.get(k) or _event_form(k, application, initial={"on": today, "served_by": application.delivery}),
        )
        for k in kinds
    ]
    steps = clock.internal_steps(
        entries_of(application), get_calendar(), registered_on=timezone.localtime(application.created_at).date()
    )
    if application.status == Status.SUBMITTED and application.next_step_due:
        steps = [
            clock.Step(
                "confirm",
                application.next_step_due,
                None,
                Role.DISCLOSURE_OFFICER,
                application.next_step_due_provisional,
            )
        ]
    history = AuditEvent.objects.filter(object_type="applications.application", object_id=str(application.pk))[:50]
    notice_kinds = [(k, NoticeKind(k).label) for k in available_kinds(application)]
    return {
        "attachments": application.attachments.all(),
        "steps": [(STEP_LABELS[st.code], st, st.overdue(today)) for st in steps]
        if application.closed_on is None
        else [],
        "notices": application.notices.all(),
        "notice_form": notice_form
        or NoticeForm(initial={"served_on": today, "served_by": application.delivery}, kinds=notice_kinds),
        "agency": application.agency,
        "application": application,
        "events": application.clock_events.all(),
        "actions": actions,
        "can_reveal": bool(HANDLER_ROLES & roles),
        "receipt_form": receipt_form
        or (
            ReceiptWithCodeForm(initial={"served_on": today, "served_by": application.delivery})
            if _code_to_print(request, application) and HANDLER_ROLES & roles
            else None
        ),
        "revealed": revealed or {},
        "history": history,
        "today": today,
    }


@never_cache
@require_http_methods(["GET"])
def staff_detail(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    application = get_application_for_user(request.user, agency_slug, number)
    return render(request, "applications/staff_detail.html", _detail_context(request, application))


@require_POST
def staff_event(request: HttpRequest, agency_slug: str, number: str, kind: str) -> HttpResponse:
    application = get_application_for_user(request.user, agency_slug, number)
    if kind not in EVENT_FORMS:
        raise Http404
    form = _event_form(kind, application, data=request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("on", "note", "outcome", "reason")}
        if "office" in data:
            data["office"] = data["office"].pk
        try:
            if kind == Kind.RECEIVED:
                confirm_submission(application, actor=request.user, on=form.cleaned_data["on"])
            else:
                record_clock_event(
                    application,
                    actor=request.user,
                    kind=kind,
                    on=form.cleaned_data["on"],
                    data=data,
                    note=form.cleaned_data.get("note", ""),
                    outcome=form.cleaned_data.get("outcome", ""),
                    reason=form.cleaned_data.get("reason", ""),
                )
        except ClockError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("applications:staff-detail", agency_slug=agency_slug, number=number)
    context = _detail_context(request, application, forms={kind: form})
    return render(request, "applications/staff_detail.html", context, status=400)


@never_cache
@require_POST
def staff_reveal(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    application = get_application_for_user(request.user, agency_slug, number)
    field = request.POST.get("field", "")
    try:
        value = reveal_personal_data(application, actor=request.user, field=field)
    except PermissionDenied:
        raise
    context = _detail_context(request, application, revealed={field: value})
    return render(request, "applications/staff_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Notices


RECEIPT_CODE_KEY = "applications.receipt_code"


def _code_to_print(request: HttpRequest, application: Application) -> str:
    """The query code of the application just registered by this user, until its receipt is printed."""
    kept = request.session.get(RECEIPT_CODE_KEY) or {}
    return kept.get("code", "") if kept.get("number") == application.number else ""


@never_cache
@sensitive_post_parameters()
@require_POST
def staff_receipt_with_code(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    """The applicant's copy of the receipt with the query code: a PDF made once and never stored."""
    application = get_application_for_user(request.user, agency_slug, number)
    form = ReceiptWithCodeForm(request.POST)
    code = _code_to_print(request, application)
    if form.is_valid():
        try:
            if not code:
                raise NoticeError(_("The query code is printed once, right after registration; it is no longer kept."))
            notice, pdf = print_receipt_with_code(
                application,
                actor=request.user,
                query_code=code,
                served_on=form.cleaned_data["served_on"],
                served_by=form.cleaned_data["served_by"],
            )
        except NoticeError as exc:
            form.add_error(None, str(exc))
        else:
            request.session.pop(RECEIPT_CODE_KEY, None)
            return download_response(
                pdf,
                content_type=CONTENT_TYPES["pdf"],
                filename=f"{notice.document_number}（申请人联）.pdf",
                event="applications.notice.downloaded",
                actor=request.user,
                obj=application,
                agency=application.agency,
                details={"notice": notice.pk, "document_number": notice.document_number, "copy": "applicant"},
            )
    context = _detail_context(request, application, receipt_form=form)
    return render(request, "applications/staff_detail.html", context, status=400)


@require_POST
def staff_notice(request: HttpRequest, agency_slug: str, number: str) -> HttpResponse:
    application = get_application_for_user(request.user, agency_slug, number)
    kinds = [(k, NoticeKind(k).label) for k in available_kinds(application)]
    form = NoticeForm(request.POST, kinds=kinds)
    if form.is_valid():
        data = form.cleaned_data
        try:
            notice = issue_notice(
                application,
                actor=request.user,
                kind=data["kind"],
                served_on=data["served_on"],
                served_by=data["served_by"],
                note=data["note"],
            )
        except NoticeError as exc:
            form.add_error(None, str(exc))
        else:
            done = (
                _("Notice %(number)s generated and recorded as served.")
                if notice.served_on
                else _("Reply letter %(number)s generated from the signed draft: record the reply served to serve it.")
            )
            messages.success(request, done % {"number": notice.document_number})
            return redirect("applications:staff-detail", agency_slug=agency_slug, number=number)
    context = _detail_context(request, application, notice_form=form)
    return render(request, "applications/staff_detail.html", context, status=400)


def _file_response(notice: Notice, fmt: str, data: bytes, actor=None) -> HttpResponse:
    """Audited: staff by name; an applicant (no actor) by the application, never the code."""
    content_type = CONTENT_TYPES["pdf" if fmt == "pdf" else "docx"]
    application = notice.application
    return download_response(
        data,
        content_type=content_type,
        filename=f"{notice.document_number}.{fmt}",
        event="applications.notice.downloaded",
        actor=actor,
        obj=application,
        agency=application.agency,
        details={
            "notice": notice.pk,
            "document_number": notice.document_number,
            "format": fmt,
            "by": "staff" if actor is not None else "applicant",
        },
    )


def _notice_file(notice: Notice, fmt: str, actor=None) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404
    try:
        data = read_notice_file(notice, fmt, actor=actor)
    except NoticeError as exc:
        return integrity_refusal(str(exc))
    except FileNotFoundError:
        raise Http404 from None
    return _file_response(notice, fmt, data, actor=actor)


@require_http_methods(["GET"])
def staff_notice_file(request: HttpRequest, agency_slug: str, number: str, pk: int, fmt: str) -> HttpResponse:
    application = get_application_for_user(request.user, agency_slug, number)
    notice = get_object_or_404(Notice, pk=pk, application=application)
    return _notice_file(notice, fmt, actor=request.user)


@never_cache
@sensitive_post_parameters("query_code")
@require_POST
def track_notice(request: HttpRequest) -> HttpResponse:
    """The applicant downloads a served notice: number + query code again, never a bare URL."""
    number, ip = request.POST.get("number", "")[:40], client_ip(request)
    if spam.tracking_refused(ip, number):
        return _tracking_refused_page(request)
    application = find_for_applicant(number, request.POST.get("query_code", "")[:40])
    if application is None:
        raise Http404
    spam.tracking_succeeded(ip, number)
    notice_pk = request.POST.get("notice", "")
    if not (notice_pk.isascii() and notice_pk.isdigit()):  # "abc" was a 500 (WEB-05)
        raise Http404
    # A letter to the third party is not the applicant's to read: as if it did not exist.
    # Never a letter to someone else, nor a reply letter not yet served (issue 10).
    notice = get_object_or_404(
        application.notices.exclude(kind__in=NOT_FOR_APPLICANT).exclude(served_on=None), pk=notice_pk
    )
    return _notice_file(notice, request.POST.get("format", "pdf"))


@require_http_methods(["GET"])
def template_list(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, agency_slug)
    custom = set(NoticeTemplate.objects.filter(agency=agency).values_list("kind", flat=True))
    rows = [(kind, NoticeKind(kind).label, kind in custom) for kind in DEFAULTS]
    return render(request, "applications/template_list.html", {"agency": agency, "rows": rows})


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, agency_slug: str, kind: str) -> HttpResponse:
    from gongkai.applications.notices import save_template

    agency = get_agency_for_user(request.user, agency_slug)
    if kind not in DEFAULTS:
        raise Http404
    title, body = template_for(agency, kind)
    form = NoticeTemplateForm(request.POST or None, initial={"title": title, "body": body})
    if request.method == "POST" and form.is_valid():
        try:
            save_template(agency=agency, kind=kind, actor=request.user, **form.cleaned_data)
        except NoticeError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("The template is saved; notices generated from now on use it."))
            return redirect("applications:template-list", agency_slug=agency.slug)
    return render(
        request,
        "applications/template_form.html",
        {"agency": agency, "form": form, "kind_label": NoticeKind(kind).label, "placeholders": PLACEHOLDERS},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Yearly archive (seed E6)


@require_http_methods(["GET", "POST"])
def archive(request: HttpRequest, agency_slug: str) -> HttpResponse:
    from gongkai.applications.archive import build_archive
    from gongkai.applications.models import ApplicationArchive

    agency = get_agency_for_user(request.user, agency_slug)
    last_year = timezone.localdate().year - 1
    if request.method == "POST":
        raw_year = nfkc(request.POST.get("year", ""))
        year = int(raw_year) if ASCII_INTEGER_RE.fullmatch(raw_year) else 0
        if not 2000 <= year <= timezone.localdate().year:
            messages.error(request, _("Choose a year up to this one."))
        else:
            package = build_archive(agency=agency, year=year, actor=request.user)
            messages.success(
                request,
                _("The %(year)d archive package holds %(count)d closed applications.")
                % {"year": year, "count": package.application_count},
            )
        return redirect("applications:archive", agency_slug=agency.slug)
    packages = ApplicationArchive.objects.filter(agency=agency)
    return render(
        request,
        "applications/archive.html",
        {
            "agency": agency,
            "packages": packages,
            "last_year": last_year,
            "years": range(last_year + 1, last_year - 5, -1),
        },
    )


@require_http_methods(["GET"])
def archive_file(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    import hashlib

    from gongkai.applications.archive import archive_path
    from gongkai.applications.models import ApplicationArchive

    package = get_object_or_404(ApplicationArchive, pk=pk, agency=get_agency_for_user(request.user, agency_slug))
    path = archive_path(package)
    data = path.read_bytes() if path.exists() else b""  # missing counts as altered
    if hashlib.sha256(data).hexdigest() != package.sha256:
        return integrity_refusal(_("This file has been altered since it was served; it is withheld."))
    return download_response(
        data,
        content_type="application/zip",
        filename=f"{package.agency.slug}-{package.year}-applications.zip",
        event="applications.archive.downloaded",
        actor=request.user,
        obj=package,
        agency=package.agency,
        details={"year": package.year},
    )


@never_cache
@require_http_methods(["GET"])
def staff_attachment(request: HttpRequest, agency_slug: str, number: str, pk: int) -> HttpResponse:
    from gongkai.applications.services import read_attachment

    application = get_application_for_user(request.user, agency_slug, number)
    attachment = get_object_or_404(Attachment, pk=pk, application=application)
    try:
        data = read_attachment(attachment, actor=request.user)
    except ClockError as exc:
        return integrity_refusal(str(exc))
    extension = attachment.stored_name.rsplit(".", 1)[-1]
    return download_response(
        data,
        content_type=attachment.content_type,
        filename=f"{attachment.pk}-{attachment.kind}.{extension}",
        event=None,  # read_attachment audited the opening ("applications.attachment.opened", PI-02)
    )
