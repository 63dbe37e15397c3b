"""Bulk work on an agency's catalog: import an existing catalog from XLSX/CSV, export to XLSX.

Import (issue 3 "Bulk work"): the file is checked row by row first; any bad row refuses the whole
file with a report naming every bad row and why; a good file is written in one transaction, so
nothing is ever half-imported. Imported rows were published before the platform existed: they
keep their index numbers and dates, enter as published (or registered, when not proactive) and
are marked imported in their history; they do not pass the review chain again.
The export uses the same columns, so an exported file imports back.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, datetime

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.models import Agency
from gongkai.catalog import search
from gongkai.catalog.choices import Attribute, Category, Channel, Ground, Scope, Status, Validity
from gongkai.catalog.forms import ImportForm
from gongkai.catalog.models import Entry, ImportJob, Revision
from gongkai.catalog.services import _hash, snapshot
from gongkai.core.audit import record_event
from gongkai.core.spreadsheets import safe_cell
from gongkai.core.uploads import (
    CONTENT_TYPES,
    CheckedFile,
    atomic_with_files,
    check_upload,
    download_response,
    read_verified,
    refusal_status,
    scan_upload,
    store,
)

# The file format: Chinese headers as officials write them (not translated: they are data).
COLUMNS = (
    ("index_number", "索引号"),
    ("title", "名称"),
    ("document_number", "文号"),
    ("written_on", "成文日期"),
    ("published_on", "发布日期"),
    ("formed_on", "生成日期"),
    ("category", "主题分类"),
    ("attribute", "公开方式"),
    ("ground", "不予主动公开依据"),
    ("ground_note", "不予主动公开理由"),
    ("scope", "公开范围"),
    ("validity", "有效性"),
    ("channels", "发布渠道"),
    ("summary", "内容概述"),
    ("body", "正文"),
)
REQUIRED = ("title", "category", "attribute", "summary", "formed_on")
CHOICES = {
    "category": Category,
    "attribute": Attribute,
    "ground": Ground,
    "scope": Scope,
    "validity": Validity,
    "channels": Channel,
}


def _labels_to_values() -> dict[str, dict[str, str]]:
    """Accept each choice by its code or by its Chinese label."""
    with translation.override("zh-hans"):
        return {
            key: {**{str(c.label): c.value for c in choices}, **{c.value: c.value for c in choices}}
            for key, choices in CHOICES.items()
        }


def _read_rows(kind: str, data: bytes) -> list[list]:
    if kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    return list(csv.reader(io.StringIO(text)))


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007  a calendar date, no time
        except ValueError:
            continue
    raise ValueError


def parse_rows(rows: list[list], agency: Agency, progress=None) -> tuple[list[dict], list[dict]]:
    """Check every row; return (good rows as values, errors as {"row", "messages"})."""
    if not rows:
        return [], [{"row": 1, "messages": [_("The file is empty.")]}]
    headers = [str(h or "").strip() for h in rows[0]]
    positions = {}
    missing = []
    for key, header in COLUMNS:
        if header in headers:
            positions[key] = headers.index(header)
        elif key in REQUIRED or key == "index_number":
            missing.append(header)
    if missing:
        return [], [{"row": 1, "messages": [_("Missing columns: %(names)s.") % {"names": "、".join(missing)}]}]
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    if len(body) > settings.CATALOG_IMPORT_MAX_ROWS:
        limit = settings.CATALOG_IMPORT_MAX_ROWS
        return [], [{"row": 1, "messages": [_("At most %(n)d rows per file; split the file.") % {"n": limit}]}]
    lookup = _labels_to_values()
    seen_numbers: dict[str, int] = {}
    existing = set(Entry.objects.filter(index_number__isnull=False).values_list("index_number", flat=True))
    good, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in row):
            continue
        cell = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        values, problems = _parse_row(cell, lookup, agency)
        index_number = values.get("index_number")
        if index_number:
            if index_number in existing:
                problems.append(_("Index number %(n)s is already used.") % {"n": index_number})
            elif index_number in seen_numbers:
                problems.append(
                    _("Index number %(n)s repeats row %(row)d.")
                    % {"n": index_number, "row": seen_numbers[index_number]}
                )
            seen_numbers[index_number] = number
        if problems:
            errors.append({"row": number, "messages": problems})
        else:
            good.append(values)
        if progress and number % 100 == 0:
            progress(number - 1)
    return good, errors


def _parse_row(cell: dict, lookup, agency: Agency) -> tuple[dict, list[str]]:
    values: dict = {}
    problems: list[str] = []
    headers = dict(COLUMNS)
    for key in REQUIRED:
        if cell.get(key) in (None, ""):
            problems.append(_("“%(column)s” is empty.") % {"column": headers[key]})
    for key in ("title", "document_number", "summary", "body", "ground_note", "index_number"):
        values[key] = str(cell.get(key) or "").strip()
    if len(values["title"]) > 200:
        problems.append(_("The title is longer than 200 characters."))
    for key in ("written_on", "published_on", "formed_on"):
        try:
            values[key] = _date(cell.get(key))
        except ValueError:
            problems.append(_("“%(column)s” is not a date like 2026-03-01.") % {"column": headers[key]})
    for key in ("category", "attribute", "ground", "scope", "validity"):
        raw = str(cell.get(key) or "").strip()
        if not raw:
            values[key] = {"scope": Scope.PUBLIC, "validity": Validity.CURRENT}.get(key, "")
            continue
        if raw not in lookup[key]:
            problems.append(_("“%(column)s” has an unknown value: %(value)s.") % {"column": headers[key], "value": raw})
        values[key] = lookup[key].get(raw, "")
    channels = []
    for raw in str(cell.get("channels") or "").replace("，", ",").replace("、", ",").split(","):
        raw = raw.strip()
        if raw and raw not in lookup["channels"]:
            problems.append(_("Unknown publication channel: %(value)s.") % {"value": raw})
        elif raw:
            channels.append(lookup["channels"][raw])
    values["channels"] = channels
    if values.get("attribute") == Attribute.PROACTIVE:
        if not values.get("published_on"):
            problems.append(_("A proactively disclosed item needs its publication date."))
        if not values["index_number"]:
            problems.append(_("A proactively disclosed item needs its index number."))
        values["ground"], values["ground_note"] = "", ""
    elif values.get("attribute") and not values.get("ground"):
        problems.append(_("An item not proactively disclosed needs its ground (D1)."))
    if len(values["index_number"]) > 80:
        problems.append(_("The index number is longer than 80 characters."))
    today = timezone.localdate()
    if any(values.get(k) and values[k] > today for k in ("written_on", "published_on", "formed_on")):
        problems.append(_("A date is in the future."))
    return values, problems


@atomic_with_files()  # the file is staged and moved into place on commit (REL-01)
def create_job(*, agency: Agency, actor, checked: CheckedFile) -> ImportJob:
    stored = store(checked, "catalog-imports")
    job = ImportJob.objects.create(
        agency=agency, created_by=actor, file_name=checked.original_name, stored_name=stored, sha256=checked.sha256
    )
    record_event("catalog.import.queued", actor=actor, obj=job, agency=agency, data={"file": checked.original_name})
    return job


def run_import_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("agency", "created_by").get(pk=job_id)
    if job.state not in (ImportJob.State.QUEUED,):
        return job
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    data = read_verified("catalog-imports", job.stored_name, job.sha256)
    try:
        if data is None:
            raise ValidationError(_("The uploaded file failed its integrity check."))
        rows = _read_rows(job.file_name.rsplit(".", 1)[-1].lower(), data)
        job.total = max(0, len(rows) - 1)
        job.save(update_fields=["total"])

        def progress(done: int) -> None:
            ImportJob.objects.filter(pk=job.pk).update(done=done)

        good, errors = parse_rows(rows, job.agency, progress)
    except ValidationError as error:
        good, errors = [], [{"row": 1, "messages": error.messages}]
    except Exception:  # noqa: BLE001  an unreadable file: refuse it with a plain message
        good, errors = [], [{"row": 1, "messages": [_("The file could not be read as a spreadsheet.")]}]
    if errors:
        job.state, job.errors, job.done = ImportJob.State.FAILED, errors, job.total
        job.save(update_fields=["state", "errors", "done"])
        record_event(
            "catalog.import.refused", actor=job.created_by, obj=job, agency=job.agency, data={"bad_rows": len(errors)}
        )
        return job
    with transaction.atomic():
        office = job.agency.offices.order_by("-is_disclosure_office", "pk").first()
        for values in good:
            _create_imported(job, office, values)
        job.state, job.imported, job.done = ImportJob.State.DONE, len(good), job.total
        job.save(update_fields=["state", "imported", "done"])
        record_event(
            "catalog.import.completed", actor=job.created_by, obj=job, agency=job.agency, data={"rows": len(good)}
        )
    return job


def _create_imported(job: ImportJob, office, values: dict) -> Entry:
    proactive = values["attribute"] == Attribute.PROACTIVE
    entry = Entry.objects.create(
        agency=job.agency,
        office=office,
        status=Status.PUBLISHED if proactive else Status.REGISTERED,
        revision=1,
        index_number=values["index_number"] or None,
        title=values["title"],
        document_number=values["document_number"],
        written_on=values["written_on"],
        formed_on=values["formed_on"],
        attribute=values["attribute"],
        ground=values["ground"],
        ground_note=values["ground_note"],
        scope=values["scope"],
        category=values["category"],
        validity=values["validity"],
        channels=values["channels"] or ([Channel.WEBSITE] if proactive else []),
        summary=values["summary"],
        body=values["body"],
        published_on=values["published_on"] if proactive else None,
        published_at=timezone.make_aware(datetime.combine(values["published_on"], datetime.min.time()))
        if proactive
        else None,
        imported=True,
        created_by=job.created_by,
    )
    data = snapshot(entry)
    Revision.objects.create(entry=entry, number=1, snapshot=data, sha256=_hash(data), created_by=job.created_by)
    if proactive:
        search.index_entry(entry)
    return entry


# ---------------------------------------------------------------------------------------------
# Export


def export_workbook(entries) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("公开目录")
    bold = book.add_format({"bold": True})
    for col, (_key, header) in enumerate(COLUMNS):
        sheet.write_string(0, col, header, bold)
    sheet.write_string(0, len(COLUMNS), "状态", bold)
    for row, entry in enumerate(entries.iterator(chunk_size=1000), start=1):
        values = [
            entry.index_number or "",
            entry.title,
            entry.document_number,
            entry.written_on.isoformat() if entry.written_on else "",
            entry.published_on.isoformat() if entry.published_on else "",
            entry.formed_on.isoformat(),
            entry.get_category_display(),
            entry.get_attribute_display(),
            entry.get_ground_display() if entry.ground else "",
            entry.ground_note,
            entry.get_scope_display(),
            entry.get_validity_display(),
            "、".join(str(Channel(c).label) for c in entry.channels if c in Channel.values),
            entry.summary,
            entry.body,
            entry.get_status_display(),
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, safe_cell(value))
    sheet.set_column(0, len(COLUMNS), 18)
    book.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Views (the disclosure officer; URL access in gongkai.core.access)


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, agency_slug: str) -> HttpResponse:
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
            from gongkai.catalog.tasks import run_import

            transaction.on_commit(lambda: run_import(job.pk))
            return redirect("catalog:staff-import-status", agency_slug=agency.slug, pk=job.pk)
    jobs = ImportJob.objects.filter(agency=agency)[:10]
    return render(
        request,
        "catalog/staff_import.html",
        {"agency": agency, "form": form, "jobs": jobs, "columns": COLUMNS},
        status=refusal_status(form) if request.method == "POST" else 200,  # 400/503 for a refused upload
    )


@require_http_methods(["GET"])
def import_status(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency_slug, pk=request.user.agency_id)
    job = get_object_or_404(ImportJob, pk=pk, agency=agency)
    return render(request, "catalog/staff_import_status.html", {"agency": agency, "job": job})


@require_http_methods(["GET"])
def export_view(request: HttpRequest, agency_slug: str) -> HttpResponse:
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
