"""Catalog pages: staff drafting and review (the chain), and the public catalog with search.

URL access is decided in gongkai.core.access; the services check role, agency and state again.
Public views read published entries only: anything else answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.models import Agency
from gongkai.catalog import forms as f
from gongkai.catalog import permissions, search, services
from gongkai.catalog.choices import Category, Classification, Status, Step, Validity
from gongkai.catalog.content import NewFile, current_revision, save_draft
from gongkai.catalog.deadlines import publish_deadline
from gongkai.catalog.extract import extract_text
from gongkai.catalog.models import Entry, EntryAttachment, SearchState, SubCategory
from gongkai.catalog.selectors import deadline_window, entries_visible_to, waiting_for
from gongkai.catalog.steps import STEP_OF_STATUS, ReviewError, approved_steps, chain
from gongkai.catalog.transitions import REVIEW, transition_for
from gongkai.core.calendar import explain
from gongkai.core.uploads import CONTENT_TYPES, download_response, integrity_refusal, read_verified, refusal_status
from gongkai.core.workflow import StrOrPromise

# ---------------------------------------------------------------------------------------------
# Staff: lists and queues

TABS = ("waiting", "drafts", "review", "due", "published", "registered", "withdrawn", "all")


def _tab_entries(user, show: str, soon: date) -> QuerySet[Entry]:
    visible = entries_visible_to(user)
    if show == "waiting":
        return waiting_for(user).order_by("-updated_at")
    if show == "due":
        return visible.filter(status__in=[Status.DRAFT, *STEP_OF_STATUS], publish_due_on__lte=soon).order_by(
            "publish_due_on"
        )
    filters = {
        "drafts": {"status": Status.DRAFT},
        "review": {"status__in": list(STEP_OF_STATUS)},
        "published": {"status": Status.PUBLISHED},
        "registered": {"status": Status.REGISTERED},
        "withdrawn": {"status": Status.WITHDRAWN},
    }
    return visible.filter(**filters.get(show, {})).order_by("-updated_at")


@require_http_methods(["GET"])
def staff_list(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, agency_slug)
    show = request.GET.get("show") if request.GET.get("show") in TABS else "waiting"
    today, soon = deadline_window()
    page = Paginator(_tab_entries(request.user, show, soon), 50).get_page(request.GET.get("page"))
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
            "can_draft": permissions.can_draft(request.user),
            "can_bulk": permissions.can_approve_in_bulk(request.user),
            "can_import": permissions.can_import(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, agency_slug: str, pk: int | None = None) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, agency_slug)
    entry = permissions.get_entry_for_user(request.user, agency_slug, pk, write=True) if pk else None
    office = entry.office if entry else permissions.clerk_office(request.user)
    if entry and entry.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be changed; ask a reviewer to return it first."))
        return redirect(entry.get_staff_url())
    form = f.EntryForm(request.POST or None, request.FILES or None, instance=entry, agency=agency, office=office)
    if request.method == "POST" and form.is_valid():
        checked = form.cleaned_data.get("attachment")
        add = []
        if checked is not None:
            add.append(
                NewFile(
                    name=checked.original_name,
                    kind=checked.kind,
                    data=checked.data,
                    sha256=checked.sha256,
                    text=extract_text(checked.kind, checked.data),
                )
            )
        remove = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
        try:
            saved = save_draft(
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
    """The forms of the moves the person may make on this entry now (the transition table)."""
    user = request.user
    moves = {t.name: t for t in REVIEW.available(entry, user)}
    context: dict = {"step": STEP_OF_STATUS.get(entry.status), "can_submit": "submit" in moves}
    sent_back = transition_for("return", entry)
    if sent_back is not None and sent_back.name in moves:  # the person's step: its opinion forms
        approval = transition_for("approve", entry)
        context.update(can_act=True, return_form=sent_back.form())
        for name, key in (("escalate", "escalate_form"), ("answer", "answer_form"), ("publish", "publish_form")):
            if name in moves:
                context[key] = moves[name].form()
        if approval is not None:
            context["approve_form"] = approval.form()
    offices = permissions.consent_offices(user, entry)
    if offices.exists():
        context["consent_form"] = f.ConsentForm(offices=offices)
    context["can_cancel"] = "cancel" in moves
    context["can_correct"] = "correct" in moves
    if "withdraw" in moves:
        context["withdraw_form"] = moves["withdraw"].form()
    if "validity" in moves:
        context["validity_form"] = moves["validity"].form(initial={"validity": entry.validity})
    return context


def _progress(entry: Entry) -> list[dict]:
    """The chain with each step's state for the current revision: done, current or to come."""
    revision = current_revision(entry)
    done = approved_steps(entry, revision) if revision else set()
    current = STEP_OF_STATUS.get(entry.status)
    finished = entry.status in (Status.PUBLISHED, Status.REGISTERED, Status.WITHDRAWN, Status.SCHEDULED)
    rows = []
    for step in chain(entry):
        state = "done" if step in done or finished else ("current" if step == current else "todo")
        rows.append({"step": step, "label": Step(step).label, "state": state})
    return rows


@require_http_methods(["GET"])
def staff_detail(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    entry = permissions.get_entry_for_user(request.user, agency_slug, pk)
    deadline = publish_deadline(entry) if entry.publish_due_on else None
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
            "revision": current_revision(entry),
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
def staff_revision(request: HttpRequest, agency_slug: str, pk: int, number: int) -> HttpResponse:
    """Exactly the revision a reviewer approves (B4): the frozen snapshot and its fingerprint."""
    revision, entry = permissions.get_revision_for_user(request.user, agency_slug, pk, number)
    labels = {field.name: field.verbose_name for field in Entry._meta.get_fields() if hasattr(field, "verbose_name")}
    rows = [(labels.get(k, k), v) for k, v in revision.snapshot.items() if k not in ("body", "attachments")]
    return render(
        request,
        "catalog/staff_revision.html",
        {"agency": entry.agency, "entry": entry, "revision": revision, "rows": rows},
    )


# ---------------------------------------------------------------------------------------------
# Staff: the moves of the review chain, one form ``action`` each (catalog/transitions.py)


@dataclass(frozen=True)
class StaffAction:
    """How the entry page's form with one ``action`` value is handled: the service it calls
    (with the actor, the entry and the form's values) and the message on success. With
    ``invalid`` set, the move's form (from the transition table) validates the POST first and
    this message answers an invalid one; otherwise the service checks the raw values."""

    perform: Callable[[Any, Entry, dict[str, Any]], Entry]
    done: StrOrPromise | Callable[[dict[str, Any]], StrOrPromise]
    invalid: StrOrPromise | None = None
    form_kwargs: Callable[[Entry], dict[str, Any]] = lambda entry: {}
    follow: bool = False  # redirect to the entry the service returned (a new rectification draft)


def _step(entry: Entry) -> str:
    return STEP_OF_STATUS.get(entry.status, "")


def _approve(user, entry: Entry, data: dict[str, Any]) -> Entry:
    data = dict(data)
    return services.approve(entry, actor=user, step=_step(entry), comment=data.pop("comment", ""), **data)


def _published_or_scheduled(data: dict[str, Any]) -> StrOrPromise:
    at = data.get("at")
    return _("Scheduled.") if at and at > timezone.now() else _("Published.")


STAFF_ACTIONS: dict[str, StaffAction] = {
    "submit": StaffAction(
        lambda user, entry, data: services.submit(entry, actor=user), gettext_lazy("Submitted for review.")
    ),
    "approve": StaffAction(
        _approve, gettext_lazy("Your opinion was recorded."), invalid=gettext_lazy("Complete the opinion form.")
    ),
    "return": StaffAction(
        lambda user, entry, data: services.return_for_revision(
            entry, actor=user, step=_step(entry), reason=data.get("reason", "")
        ),
        gettext_lazy("The item was returned to its drafter."),
    ),
    "escalate": StaffAction(
        lambda user, entry, data: services.escalate(
            entry, actor=user, authority=data.get("authority", ""), comment=data.get("comment", "")
        ),
        gettext_lazy("Escalated; the item waits for the authority's answer."),
    ),
    "answer": StaffAction(
        lambda user, entry, data: services.record_authority_answer(entry, actor=user, **data),
        gettext_lazy("The authority's answer was recorded."),
        invalid=gettext_lazy("Record the authority's answer and its reference."),
    ),
    "consent": StaffAction(
        lambda user, entry, data: services.consent(entry, actor=user, **data),
        gettext_lazy("The office's consent was recorded."),
        invalid=gettext_lazy("Choose the office and write its consent."),
        form_kwargs=lambda entry: {"offices": entry.co_offices.all()},
    ),
    "publish": StaffAction(
        lambda user, entry, data: services.publish(entry, actor=user, at=data["at"]),
        _published_or_scheduled,
        invalid=gettext_lazy("Enter the publication time as a date and time."),
    ),
    "cancel": StaffAction(
        lambda user, entry, data: services.cancel_schedule(entry, actor=user),
        gettext_lazy("The scheduled publication was cancelled."),
    ),
    "withdraw": StaffAction(
        lambda user, entry, data: services.withdraw(entry, actor=user, reason=data.get("reason", "")),
        gettext_lazy("Withdrawn: the item is no longer public."),
    ),
    "validity": StaffAction(
        lambda user, entry, data: services.set_validity(
            entry, actor=user, validity=data.get("validity", ""), reason=data.get("reason", "")
        ),
        gettext_lazy("The validity was changed."),
    ),
    "correct": StaffAction(
        lambda user, entry, data: services.start_rectification(entry, actor=user),
        gettext_lazy("A correction draft was created; it passes the review chain again."),
        follow=True,
    ),
}


def _action_values(request, entry: Entry, action: str, spec: StaffAction) -> dict[str, Any]:
    """The values the service receives: the move's form's cleaned data, or the raw POST."""
    if spec.invalid is None:
        return request.POST.dict()
    transition = transition_for(action, entry)
    if transition is None or transition.form is None:
        return {}  # a move the status does not have: the service refuses it with its message
    form = transition.form(request.POST, **spec.form_kwargs(entry))
    if not form.is_valid():
        raise ReviewError(str(spec.invalid))
    return dict(form.cleaned_data)


@require_POST
def staff_action(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    entry = permissions.get_entry_for_user(request.user, agency_slug, pk)
    # The revision the reviewer saw: refuse when the draft changed since the page was shown.
    seen = request.POST.get("revision")
    if seen and seen.isdigit() and int(seen) != entry.revision:
        messages.error(request, _("The item changed since you opened it. Read the new version first."))
        return redirect(entry.get_staff_url())
    action = request.POST.get("action", "")
    try:
        spec = STAFF_ACTIONS.get(action)
        if spec is None:
            raise ReviewError(_("Unknown action."))
        values = _action_values(request, entry, action, spec)
        result = spec.perform(request.user, entry, values)
        messages.success(request, str(spec.done(values) if callable(spec.done) else spec.done))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
    else:
        if spec.follow:
            return redirect(result.get_staff_url())
    return redirect(entry.get_staff_url())


@require_http_methods(["GET", "POST"])
def staff_leader_queue(request: HttpRequest, agency_slug: str) -> HttpResponse:
    """The leader approves routine entries in one go (G5 step 3); others are opened one by one."""
    agency = permissions.get_agency_for_user(request.user, agency_slug)
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
    attachment, entry = permissions.get_attachment_for_user(request.user, agency_slug, pk)
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
def public_entry(request: HttpRequest, index_number: str) -> HttpResponse:
    entry = get_object_or_404(published_entries().select_related("office", "related_to"), index_number=index_number)
    return render(
        request,
        "catalog/public_entry.html",
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
    agency = permissions.get_agency_for_user(request.user, agency_slug)
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

    entry = permissions.get_entry_for_user(request.user, agency_slug, pk)
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
