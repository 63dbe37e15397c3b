"""The import and export pages of the catalog (the disclosure officer and the leader in charge;
B1). The work itself is in ``bulk.py``."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.models import Agency
from gongkai.accounts.requests import StaffRequest
from gongkai.catalog.bulk import (
    COLUMNS,
    agency_index_prefix,
    approve_import,
    create_job,
    export_workbook,
    may_decide,
    preview,
    reject_import,
)
from gongkai.catalog.choices import Status
from gongkai.catalog.forms import ImportForm
from gongkai.catalog.models import ImportJob
from gongkai.catalog.tasks import run_import
from gongkai.core.uploads import (
    CONTENT_TYPES,
    CheckedFile,
    check_upload,
    download_response,
    refusal_status,
    scan_upload,
)

# ---------------------------------------------------------------------------------------------
# Views (the disclosure officer; URL access in gongkai.catalog.access)


@require_http_methods(["GET", "POST"])
def import_view(request: StaffRequest, agency_slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if (upload.name or "").lower().endswith(".csv"):
                data = upload.read(10 * 1024 * 1024 + 1)
                if len(data) > 10 * 1024 * 1024:
                    raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": 10})
                scan_upload(data, "csv")  # FILE-03: every upload, fail closed
                checked = CheckedFile(
                    data=data, kind="csv", original_name="import.csv", sha256=hashlib.sha256(data).hexdigest()
                )
            else:
                checked = check_upload(upload, allowed=("xlsx",), max_bytes=10 * 1024 * 1024)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            job = create_job(agency=agency, actor=request.user, checked=checked)
            transaction.on_commit(lambda: run_import(job.pk))
            return redirect("catalog:staff-import-status", agency_slug=agency.slug, pk=job.pk)
    jobs = ImportJob.objects.filter(agency=agency)[:10]
    return render(
        request,
        "catalog/staff_import.html",
        {"agency": agency, "form": form, "jobs": jobs, "columns": COLUMNS, "prefix": agency_index_prefix(agency)},
        status=refusal_status(form) if request.method == "POST" else 200,  # 400/503 for a refused upload
    )


@require_http_methods(["GET"])
def import_status(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)
    job = get_object_or_404(ImportJob.objects.select_related("decided_by"), pk=pk, agency=agency)
    return render(
        request, "catalog/staff_import_status.html", {"agency": agency, "job": job, **_preview_page(request, job)}
    )


def _preview_page(request: HttpRequest, job: ImportJob) -> dict:
    page = Paginator(preview(job), 100).get_page(request.GET.get("page"))
    return {"page": page, "preview_rows": page.object_list}


@require_http_methods(["GET"])
def import_review(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    """The leader in charge looks at a batch of legacy rows, as they will appear, and decides."""
    agency = get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "decided_by"), pk=pk, agency=agency)
    return render(
        request,
        "catalog/staff_import_review.html",
        {"agency": agency, "job": job, "may_decide": may_decide(request.user, job), **_preview_page(request, job)},
    )


def _decide(request: StaffRequest, agency_slug: str, pk: int, *, approve: bool) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)
    job = get_object_or_404(ImportJob, pk=pk, agency=agency)
    comment = request.POST.get("comment", "")[:2000]
    try:
        if approve:
            approve_import(job, actor=request.user, comment=comment, sha256=request.POST.get("sha256", ""))
        else:
            reject_import(job, actor=request.user, comment=comment)
    except ValidationError as error:  # a refusal (PermissionDenied) answers 403 and changes nothing
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The batch is approved and published.") if approve else _("The batch is rejected."))
    return redirect("catalog:staff-import-review", agency_slug=agency.slug, pk=job.pk)


@require_POST
def import_approve(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    return _decide(request, agency_slug, pk, approve=True)


@require_POST
def import_reject(request: StaffRequest, agency_slug: str, pk: int) -> HttpResponse:
    return _decide(request, agency_slug, pk, approve=False)


@require_http_methods(["GET"])
def export_view(request: StaffRequest, agency_slug: str) -> HttpResponse:
    from gongkai.catalog.selectors import entries_visible_to

    agency = get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)
    entries = entries_visible_to(request.user).exclude(status=Status.DRAFT).order_by("published_on", "pk")
    data = export_workbook(entries)
    return download_response(
        data,
        content_type=CONTENT_TYPES["xlsx"],
        filename=f"catalog-{agency.slug}-{timezone.localdate():%Y%m%d}.xlsx",
        event="catalog.catalog.exported",
        actor=request.user,
        agency=agency,
        details={"rows": entries.count()},
    )
