"""Catalog pages: staff drafting and review (the chain), and the public catalog with search.

URL access is decided in gongkai.core.access; the services check role, agency and state again.
Public views read published entries only: anything else answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency
from gongkai.catalog import forms as f
from gongkai.catalog import search, services
from gongkai.catalog.choices import Category, Classification, Status, Step, Validity
from gongkai.catalog.extract import extract_text
from gongkai.catalog.models import Entry, EntryAttachment, Revision, SearchState, SubCategory
from gongkai.catalog.selectors import deadline_window, entries_visible_to, waiting_for
from gongkai.core.access import user_roles
from gongkai.core.calendar import explain
from gongkai.core.uploads import CONTENT_TYPES, download_response, integrity_refusal, read_verified, refusal_status

# ---------------------------------------------------------------------------------------------
# Staff: lists and queues


def _agency(request, agency_slug: str) -> Agency:
    return get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)


TABS = ("waiting", "drafts", "review", "due", "published", "registered", "withdrawn", "all")


@require_http_methods(["GET"])
def staff_list(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = _agency(request, agency_slug)
    show = request.GET.get("show") if request.GET.get("show") in TABS else "waiting"
    today, soon = deadline_window()
    visible = entries_visible_to(request.user)
    if show == "waiting":
        entries = waiting_for(request.user)
    elif show == "drafts":
        entries = visible.filter(status=Status.DRAFT)
    elif show == "review":
        entries = visible.filter(status__in=services.STEP_OF_STATUS)
    elif show == "due":
        entries = visible.filter(
            status__in=[Status.DRAFT, *services.STEP_OF_STATUS], publish_due_on__lte=soon
        ).order_by("publish_due_on")
    elif show in ("published", "registered", "withdrawn"):
        entries = visible.filter(status=show)
    else:
        entries = visible
    page = Paginator(entries.order_by("-updated_at") if show != "due" else entries, 50).get_page(
        request.GET.get("page")
    )
    roles = user_roles(request.user)
    return render(
        request,
        "catalog/staff_list.html",
        {
            "agency": agency,
            "show": show,
            "tabs": TABS,
            "page": page,
            "today": today,
            "soon": soon,
            "can_draft": Role.CLERK in roles,
            "can_bulk": Role.LEADER_IN_CHARGE in roles,
            "can_import": Role.DISCLOSURE_OFFICER in roles,
        },
    )


def _entry(request, agency_slug: str, pk: int) -> Entry:
    agency = _agency(request, agency_slug)
    entry = entries_visible_to(request.user).filter(agency=agency, pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def _clerk_office(request):
    assignment = (
        request.user.role_assignments.filter(role=Role.CLERK, office__isnull=False).select_related("office").first()
    )
    if assignment is None:
        raise PermissionDenied(_("Only a drafting clerk of the host office can write this item."))
    return assignment.office


@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, agency_slug: str, pk: int | None = None) -> HttpResponse:
    agency = _agency(request, agency_slug)
    entry = _entry(request, agency_slug, pk) if pk else None
    office = entry.office if entry else _clerk_office(request)
    if entry and entry.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be changed; ask a reviewer to return it first."))
        return redirect(entry.get_staff_url())
    form = f.EntryForm(request.POST or None, request.FILES or None, instance=entry, agency=agency, office=office)
    if request.method == "POST" and form.is_valid():
        checked = form.cleaned_data.get("attachment")
        add = []
        if checked is not None:
            add.append(
                services.NewFile(
                    name=checked.original_name,
                    kind=checked.kind,
                    data=checked.data,
                    sha256=checked.sha256,
                    text=extract_text(checked.kind, checked.data),
                )
            )
        remove = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
        try:
            saved = services.save_draft(
                actor=request.user,
                agency=agency,
                office=office,
                values=form.content_values(),
                co_offices=list(form.cleaned_data["co_offices"]),
                entry=entry,
                add_files=add,
                remove_attachments=remove,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You cannot do this."))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(saved.get_staff_url())
    status = refusal_status(form) if request.method == "POST" else 200  # 400/503 for a refused upload
    return render(request, "catalog/staff_edit.html", {"agency": agency, "form": form, "entry": entry}, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _step_forms(request, entry: Entry) -> dict:
    """The forms the user may use on this entry now."""
    user = request.user
    roles = user_roles(user)
    step = services.STEP_OF_STATUS.get(entry.status)
    context: dict = {"step": step}
    if entry.status == Status.DRAFT and services.is_clerk_of(user, entry.office):
        context["can_submit"] = True
    if step and services.may_act(user, entry, step):
        context["can_act"] = True
        context["return_form"] = f.ReturnForm()
        if step == Step.OFFICE:
            context["approve_form"] = f.OfficeOpinionForm()
        elif step == Step.CONFIDENTIALITY:
            context["approve_form"] = f.ConfidentialityOpinionForm()
            context["escalate_form"] = f.EscalateForm()
        elif step == Step.ESCALATION:
            context["answer_form"] = f.AuthorityAnswerForm()
        elif step == Step.PUBLICATION:
            context["publish_form"] = f.PublishForm()
        else:
            context["approve_form"] = f.OpinionForm()
    if entry.status == Status.OFFICE_REVIEW:
        head_offices = entry.co_offices.filter(
            pk__in=user.role_assignments.filter(role=Role.OFFICE_HEAD).values("office_id")
        )
        if head_offices.exists() and user.pk not in services.drafters(entry):
            context["consent_form"] = f.ConsentForm(offices=head_offices)
    if entry.status == Status.SCHEDULED and Role.WEB_ADMINISTRATOR in roles:
        context["can_cancel"] = True
    if entry.status == Status.PUBLISHED:
        if services.WITHDRAW_ROLES & roles:
            context["withdraw_form"] = f.WithdrawForm()
        if Role.DISCLOSURE_OFFICER in roles:
            context["validity_form"] = f.ValidityForm(initial={"validity": entry.validity})
        if services.is_clerk_of(user, entry.office):
            context["can_correct"] = True
    return context


def _progress(entry: Entry) -> list[dict]:
    """The chain with each step's state for the current version: done, current or to come."""
    revision = services.current_revision(entry)
    done = services._approved_steps(entry, revision) if revision else set()
    current = services.STEP_OF_STATUS.get(entry.status)
    finished = entry.status in (Status.PUBLISHED, Status.REGISTERED, Status.WITHDRAWN, Status.SCHEDULED)
    rows = []
    for step in services.chain(entry):
        state = "done" if step in done or finished else ("current" if step == current else "todo")
        rows.append({"step": step, "label": Step(step).label, "state": state})
    return rows


@require_http_methods(["GET"])
def staff_detail(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    entry = _entry(request, agency_slug, pk)
    deadline = services.publish_deadline(entry) if entry.publish_due_on else None
    opinions = list(entry.opinions.select_related("revision", "office"))
    for opinion in opinions:
        code = opinion.data.get("classification")
        opinion.classification_label = Classification(code).label if code in Classification.values else ""
    return render(
        request,
        "catalog/staff_detail.html",
        {
            "agency": entry.agency,
            "entry": entry,
            "revision": services.current_revision(entry),
            "opinions": opinions,
            "attachments": entry.attachments.all(),
            "co_offices": entry.co_offices.all(),
            "progress": _progress(entry),
            "deadline": deadline,
            "deadline_explanation": explain(deadline) if deadline else [],
            "today": timezone.localdate(),
            "related_from": entry.related_from.filter(status=Status.PUBLISHED),
            **_step_forms(request, entry),
        },
    )


@require_http_methods(["GET"])
def staff_version(request: HttpRequest, agency_slug: str, pk: int, number: int) -> HttpResponse:
    """Exactly the version a reviewer approves (B4): the frozen snapshot and its fingerprint."""
    entry = _entry(request, agency_slug, pk)
    revision = get_object_or_404(Revision, entry=entry, number=number)
    labels = {field.name: field.verbose_name for field in Entry._meta.get_fields() if hasattr(field, "verbose_name")}
    rows = [(labels.get(k, k), v) for k, v in revision.snapshot.items() if k not in ("body", "attachments")]
    return render(
        request,
        "catalog/staff_version.html",
        {"agency": entry.agency, "entry": entry, "revision": revision, "rows": rows},
    )


ACTIONS = (
    "submit",
    "approve",
    "return",
    "escalate",
    "answer",
    "consent",
    "publish",
    "cancel",
    "withdraw",
    "validity",
    "correct",
)


@require_POST
def staff_action(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    entry = _entry(request, agency_slug, pk)
    action = request.POST.get("action")
    step = services.STEP_OF_STATUS.get(entry.status, "")
    user = request.user
    # The version the reviewer saw: refuse when the draft changed since the page was shown.
    seen = request.POST.get("revision")
    if seen and seen.isdigit() and int(seen) != entry.revision:
        messages.error(request, _("The item changed since you opened it. Read the new version first."))
        return redirect(entry.get_staff_url())
    try:
        if action == "submit":
            services.submit(entry, actor=user)
            messages.success(request, _("Submitted for review."))
        elif action == "approve":
            form_class = {Step.OFFICE: f.OfficeOpinionForm, Step.CONFIDENTIALITY: f.ConfidentialityOpinionForm}.get(
                step, f.OpinionForm
            )
            form = form_class(request.POST)
            if not form.is_valid():
                raise services.ReviewError(_("Complete the opinion form."))
            data = dict(form.cleaned_data)
            services.approve(entry, actor=user, step=step, comment=data.pop("comment", ""), **data)
            messages.success(request, _("Your opinion was recorded."))
        elif action == "return":
            services.return_for_revision(entry, actor=user, step=step, reason=request.POST.get("reason", ""))
            messages.success(request, _("The item was returned to its drafter."))
        elif action == "escalate":
            services.escalate(
                entry, actor=user, authority=request.POST.get("authority", ""), comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Escalated; the item waits for the authority's answer."))
        elif action == "answer":
            form = f.AuthorityAnswerForm(request.POST)
            if not form.is_valid():
                raise services.ReviewError(_("Record the authority's answer and its reference."))
            services.record_authority_answer(entry, actor=user, **form.cleaned_data)
            messages.success(request, _("The authority's answer was recorded."))
        elif action == "consent":
            form = f.ConsentForm(request.POST, offices=entry.co_offices.all())
            if not form.is_valid():
                raise services.ReviewError(_("Choose the office and write its consent."))
            services.consent(entry, actor=user, **form.cleaned_data)
            messages.success(request, _("The office's consent was recorded."))
        elif action == "publish":
            form = f.PublishForm(request.POST)
            if not form.is_valid():
                raise services.ReviewError(_("Enter the publication time as a date and time."))
            at = form.cleaned_data["at"]
            services.publish(entry, actor=user, at=at)
            messages.success(request, _("Scheduled.") if at and at > timezone.now() else _("Published."))
        elif action == "cancel":
            services.cancel_schedule(entry, actor=user)
            messages.success(request, _("The scheduled publication was cancelled."))
        elif action == "withdraw":
            services.withdraw(entry, actor=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Withdrawn: the item is no longer public."))
        elif action == "validity":
            services.set_validity(
                entry, actor=user, validity=request.POST.get("validity", ""), reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The validity was changed."))
        elif action == "correct":
            correction = services.start_correction(entry, actor=user)
            messages.success(request, _("A correction draft was created; it passes the review chain again."))
            return redirect(correction.get_staff_url())
        else:
            raise services.ReviewError(_("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
    return redirect(entry.get_staff_url())


@require_http_methods(["GET", "POST"])
def staff_leader_queue(request: HttpRequest, agency_slug: str) -> HttpResponse:
    """The leader approves routine items in one go (G5 step 3); others are opened one by one."""
    agency = _agency(request, agency_slug)
    waiting = list(waiting_for(request.user).filter(status=Status.LEADER_CONFIDENTIALITY).order_by("publish_due_on"))
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("entry") if v.isdigit()}
        selected = [e for e in waiting if e.pk in chosen]
        if not selected:
            messages.error(request, _("Choose at least one item."))
        else:
            try:
                n = services.approve_many(selected, actor=request.user, comment=request.POST.get("comment", ""))
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("%(n)d items approved.") % {"n": n})
                return redirect("catalog:staff-leader-queue", agency_slug=agency.slug)
    rows = [(e, services.is_routine(e)) for e in waiting]
    from gongkai.catalog.bulk import batches_awaiting_approval

    batches = batches_awaiting_approval(agency)
    return render(request, "catalog/staff_leader_queue.html", {"agency": agency, "rows": rows, "batches": batches})


@require_http_methods(["GET"])
def staff_attachment(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    attachment = get_object_or_404(EntryAttachment.objects.select_related("entry"), pk=pk)
    entry = _entry(request, agency_slug, attachment.entry_id)  # visibility check
    return _serve(attachment, actor=request.user, entry=entry)


def _serve(attachment: EntryAttachment, *, actor=None, entry: Entry | None = None) -> HttpResponse:
    """Staff downloads (of any item, published or not) are audited; the public's downloads of
    published items are public information and are not (decision 0019)."""
    data = read_verified("catalog", attachment.stored_name, attachment.sha256)
    if data is None:
        return integrity_refusal(_("This file failed its integrity check and is not served."))
    return download_response(
        data,
        content_type=CONTENT_TYPES[attachment.kind],
        filename=attachment.name,
        event="catalog.attachment.downloaded" if entry is not None else None,
        actor=actor,
        obj=entry,
        agency=entry.agency if entry is not None else None,
        details={"attachment": attachment.pk},
    )


# ---------------------------------------------------------------------------------------------
# The public catalog


def published_entries():
    return Entry.objects.published().select_related("agency")


def _clean_search(request) -> tuple[dict, list[str]]:
    """The valid parts of the query string; bad values are dropped with a note, never an error."""
    form = f.SearchForm(request.GET)
    form.is_valid()
    values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    notes = []
    if form.errors and any(k != "q" for k in form.errors):
        notes.append(_("Some filters were not understood and were ignored."))
    return values, notes


@dataclass
class Hit:
    """One search or browse result: only what the result list shows (no model instance)."""

    index_number: str
    title: str
    summary: str
    agency_name: str
    published_on: date
    validity: str
    url: str
    snippet: str = ""

    @property
    def validity_label(self) -> str:
        return Validity(self.validity).label


HIT_FIELDS = ("pk", "index_number", "title", "summary", "agency_id", "published_on", "validity")


def _agency_names() -> dict[int, str]:
    return dict(Agency.objects.values_list("pk", "name"))


def _hits(rows, terms: list[str], bodies: dict[int, str] | None = None) -> list[Hit]:
    prefix = reverse("catalog:item", kwargs={"index_number": "0"})[:-2]
    names = _agency_names()
    hits = []
    for pk, index_number, title, summary, agency_id, published_on, validity in rows:
        hit = Hit(
            index_number, title, summary, names.get(agency_id, ""), published_on, validity, f"{prefix}{index_number}/"
        )
        if terms:
            hit.snippet = search.snippet([summary, (bodies or {}).get(pk, "")], terms)
        hits.append(hit)
    return hits


def run_search(values: dict, *, agency: Agency | None = None, page_size: int = search.PAGE_SIZE):
    """Search or browse the published catalog: (count, hits of the page, terms, notes)."""
    terms, notes = search.query_terms(values.get("q", ""))
    page = min(values.get("page") or 1, search.MAX_PAGE)
    if agency is None and values.get("agency"):
        agency = Agency.objects.filter(slug=values["agency"], is_active=True).first()
        if agency is None:
            return 0, [], terms, [*notes, _("No agency by that name.")]
    if values.get("q") and not terms:
        return 0, [], terms, [*notes, _("Type a word to look for; punctuation and very common words are ignored.")]
    result = search.search(
        search.SearchRequest(
            terms=terms,
            agency_id=agency.pk if agency else None,
            category=values.get("category"),
            year=values.get("year"),
            validity=values.get("validity"),
            order=values.get("order") or "relevance",
            page=page,
            page_size=page_size,
        )
    )
    # By primary key only (a status condition here lets SQLite's planner walk an index of the
    # whole catalog); unpublished rows are dropped, so an item withdrawn a moment ago never shows.
    found = Entry.objects.filter(pk__in=result.entry_ids).values_list(*HIT_FIELDS, "status", "body")
    rows = {r[0]: r for r in found if r[-2] == Status.PUBLISHED}
    ordered = [rows[i][:-2] for i in result.entry_ids if i in rows]
    bodies = {pk: row[-1] for pk, row in rows.items()}
    return result.count, _hits(ordered, terms, bodies), terms, notes


def _pages(count: int, page: int, page_size: int = search.PAGE_SIZE) -> dict:
    last = min(max(1, -(-count // page_size)), search.MAX_PAGE)
    return {
        "number": page,
        "last": last,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }


def category_counts(agency: Agency | None) -> list[dict]:
    """Published items per subject category, cached until the public catalog next changes (a
    GROUP BY over a large catalog is too slow for every page view)."""
    key = f"catalog:category-counts:{agency.pk if agency else 'all'}:{SearchState.current()}"
    counts = cache.get(key)
    if counts is None:
        entries = published_entries().filter(**({"agency": agency} if agency else {}))
        counts = list(entries.values("category").annotate(n=Count("id")))
        cache.set(key, counts, 24 * 3600)
    return counts


@require_http_methods(["GET"])
def catalog_index(request: HttpRequest, agency_slug: str | None = None) -> HttpResponse:
    """Browse and search the published catalog (A7; art. 12), for the district or one agency."""
    agency = get_object_or_404(Agency, slug=agency_slug, is_active=True) if agency_slug else None
    values, notes = _clean_search(request)
    count, entries, terms, more_notes = run_search(values, agency=agency)
    query = request.GET.copy()
    query.pop("page", None)
    categories = category_counts(agency)
    labels = dict(Category.choices)
    return render(
        request,
        "catalog/index.html",
        {
            "agency": agency,
            "agencies": Agency.objects.filter(is_active=True).order_by("parent_id", "name"),
            "form": f.SearchForm(request.GET),
            "values": values,
            "count": count,
            "entries": entries,
            "terms": terms,
            "notes": notes + more_notes,
            "pages": _pages(count, min(values.get("page") or 1, search.MAX_PAGE)),
            "query": query.urlencode(),
            "category_counts": sorted(
                ((labels.get(c["category"], c["category"]), c["category"], c["n"]) for c in categories),
                key=lambda r: r[1],
            ),
        },
    )


@require_http_methods(["GET"])
def item(request: HttpRequest, index_number: str) -> HttpResponse:
    entry = get_object_or_404(published_entries().select_related("office", "related_to"), index_number=index_number)
    return render(
        request,
        "catalog/item.html",
        {
            "entry": entry,
            "attachments": entry.attachments.all(),
            "related": entry.related_to if entry.related_to and entry.related_to.status == Status.PUBLISHED else None,
            "related_from": entry.related_from.filter(status=Status.PUBLISHED).select_related("agency"),
            "channels": [label for value, label in f.Channel.choices if value in entry.channels],
        },
    )


@require_http_methods(["GET"])
def public_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A published item's attachment; drafts', withdrawn and registered items' files are 404."""
    attachment = get_object_or_404(EntryAttachment, pk=pk, entry__in=published_entries())
    return _serve(attachment)  # public information: not audited


@require_http_methods(["GET", "POST"])
def staff_subcategories(request: HttpRequest, agency_slug: str) -> HttpResponse:
    """The agency's own sub-categories under the subject categories (A4), kept by the disclosure
    office; drafters choose them on the entry form."""
    agency = _agency(request, agency_slug)
    form = f.SubCategoryForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        services.add_subcategory(
            actor=request.user, agency=agency, category=form.cleaned_data["category"], name=form.cleaned_data["name"]
        )
        messages.success(request, _("The sub-category was added."))
        return redirect("catalog:staff-subcategories", agency_slug=agency.slug)
    subcategories = SubCategory.objects.filter(agency=agency).order_by("category", "name")
    return render(
        request, "catalog/staff_subcategories.html", {"agency": agency, "form": form, "subcategories": subcategories}
    )


@require_http_methods(["GET"])
def staff_review_form(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    """The 保密审查表 of an escalated item (G7), to send to the competent authority."""
    from gongkai.catalog.documents import render_review_form

    entry = _entry(request, agency_slug, pk)
    if not entry.escalated_to:
        raise Http404
    return download_response(
        render_review_form(entry),
        content_type="application/pdf",
        filename="保密审查表.pdf",
        event="catalog.review_form.downloaded",
        actor=request.user,
        obj=entry,
        agency=entry.agency,
    )
