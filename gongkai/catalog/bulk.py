"""Bulk work on an agency's catalog: import an existing catalog from XLSX/CSV, export to XLSX.

Import (issue 3 "Bulk work"; issue 8, seed B1 "nothing bypasses review"): the file is checked
row by row first, including a personal-data scan of every cell (gongkai.core.pii, PUB-01) and the
agency's own index-number prefix; any bad row refuses the whole file with a report naming every
bad row and why, so nothing is ever half-imported. A good file is then split on the agency's
go-live date (``Agency.go_live_on``):
- rows published after it (or every row, when no date is set) become drafts of the review chain,
  owned by the office the row names or the disclosure office, never public;
- older (legacy) rows are held in the job until the leader in charge of the agency, who is not
  the uploader, approves the whole batch with its preview (``approve_import``); only then are
  they published with their own index numbers and dates. A rejection publishes nothing.
The export uses the same columns, so an exported file imports back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, Office
from gongkai.accounts.validators import index_template_prefix
from gongkai.catalog import search
from gongkai.catalog.choices import Attribute, Category, Channel, Decision, Ground, Scope, Status, Step, Validity
from gongkai.catalog.models import Entry, ImportJob, Opinion, Revision
from gongkai.catalog.services import ReviewError, _hash, snapshot
from gongkai.core import pii
from gongkai.core.access import user_roles
from gongkai.core.audit import record_event
from gongkai.core.masking import mask_text
from gongkai.core.spreadsheets import safe_cell
from gongkai.core.uploads import (
    CheckedFile,
    atomic_with_files,
    read_verified,
    store,
)

# The file format: Chinese headers as officials write them (not translated: they are data).
COLUMNS = (
    ("index_number", "索引号"),
    ("title", "名称"),
    ("document_number", "文号"),
    ("written_on", "成文日期"),
    ("issued_on", "印发日期"),
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
    ("office", "主办科室"),  # optional: the office that owns an imported draft
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
# Column key → accepted text (code or Chinese label) → stored value.
Lookup = dict[str, dict[str, str]]


def _labels_to_values() -> Lookup:
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


def agency_index_prefix(agency: Agency) -> str:
    """What every index number of the agency starts with (its template's constant start)."""
    return index_template_prefix(agency.index_template, prefix=agency.index_prefix)


def _held_index_numbers() -> set[str]:
    """Index numbers of legacy rows still waiting for approval in any agency's batch."""
    numbers: set[str] = set()
    for rows in ImportJob.objects.filter(state=ImportJob.State.AWAITING_APPROVAL).values_list("rows", flat=True):
        numbers.update(r["index_number"] for r in rows if r.get("index_number"))
    return numbers


def _column_positions(header_row: list[Any]) -> tuple[dict[str, int], list[str]]:
    """Where each known column is, and the headers of the required columns that are missing."""
    headers = [str(h or "").strip() for h in header_row]
    positions = {}
    missing = []
    for key, header in COLUMNS:
        if header in headers:
            positions[key] = headers.index(header)
        elif key in REQUIRED or key == "index_number":
            missing.append(header)
    return positions, missing


def _index_number_problems(
    index_number: str, number: int, *, prefix: str, existing: set[str], seen_numbers: dict[str, int]
) -> list[str]:
    """The agency's prefix, and no number used before, held in a batch, or repeated in the file."""
    problems = []
    if not index_number.startswith(prefix):
        problems.append(
            _("Index number %(n)s does not start with this agency's prefix “%(prefix)s”.")
            % {"n": mask_text(index_number), "prefix": prefix}
        )
    if index_number in existing:
        problems.append(_("Index number %(n)s is already used.") % {"n": mask_text(index_number)})
    elif index_number in seen_numbers:
        problems.append(
            _("Index number %(n)s repeats row %(row)d.")
            % {"n": mask_text(index_number), "row": seen_numbers[index_number]}
        )
    seen_numbers[index_number] = number
    return problems


def parse_rows(
    rows: list[list[Any]], agency: Agency, progress: Callable[[int], object] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Check every row; return (good rows as values, errors as {"row", "messages"})."""
    if not rows:
        return [], [{"row": 1, "messages": [_("The file is empty.")]}]
    positions, missing = _column_positions(rows[0])
    if missing:
        return [], [{"row": 1, "messages": [_("Missing columns: %(names)s.") % {"names": "、".join(missing)}]}]
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    if len(body) > settings.CATALOG_IMPORT_MAX_ROWS:
        limit = settings.CATALOG_IMPORT_MAX_ROWS
        return [], [{"row": 1, "messages": [_("At most %(n)d rows per file; split the file.") % {"n": limit}]}]
    lookup = _labels_to_values()
    offices = {o.name: o.pk for o in agency.offices.all()}
    prefix = agency_index_prefix(agency)
    seen_numbers: dict[str, int] = {}
    existing = set(Entry.objects.filter(index_number__isnull=False).values_list("index_number", flat=True))
    existing |= _held_index_numbers()
    good, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in row):
            continue
        cell = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        values, problems = _parse_row(cell, lookup, agency)
        problems += personal_data_problems(cell)
        if index_number := values.get("index_number"):
            problems += _index_number_problems(
                index_number, number, prefix=prefix, existing=existing, seen_numbers=seen_numbers
            )
        office_name = str(cell.get("office") or "").strip()
        values["office"] = offices.get(office_name) if office_name else None
        if office_name and values["office"] is None:
            problems.append(_("This agency has no office named “%(name)s”.") % {"name": mask_text(office_name)})
        if problems:
            errors.append({"row": number, "messages": problems})
        else:
            good.append(values)
        if progress and number % 100 == 0:
            progress(number - 1)
    return good, errors


def _cell_text(value) -> str:
    if value is None or isinstance(value, (date, datetime)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a cell: 13800138000.0
    return str(value)


def personal_data_problems(cell: dict) -> list[str]:
    """One Chinese message per personal datum in any cell of the row, naming the column and
    the kind, with the value masked (PUB-01; seed B1). Such a row is never imported."""
    headers = dict(COLUMNS)
    texts = {headers[key]: _cell_text(value) for key, value in cell.items()}
    messages = {
        pii.ID_NUMBER: _(
            "“%(column)s” contains a resident identity number (%(excerpt)s). Personal data is never "
            "published: remove or de-identify it and upload the file again."
        ),
        pii.MOBILE: _(
            "“%(column)s” contains a mobile phone number (%(excerpt)s). Personal data is never "
            "published: remove or de-identify it and upload the file again."
        ),
        pii.BANK_CARD: _(
            "“%(column)s” contains a bank card number (%(excerpt)s). Personal data is never "
            "published: remove or de-identify it and upload the file again."
        ),
    }
    return [
        messages[finding.kind] % {"column": finding.field, "excerpt": finding.excerpt}
        for finding in pii.scan_fields(texts)
    ]


def _parse_dates(cell: dict[str, Any], values: dict[str, Any], problems: list[str]) -> None:
    headers = dict(COLUMNS)
    for key in ("written_on", "issued_on", "published_on", "formed_on"):
        try:
            values[key] = _date(cell.get(key))
        except ValueError:
            problems.append(_("“%(column)s” is not a date like 2026-03-01.") % {"column": headers[key]})


def _parse_choices(cell: dict[str, Any], lookup: Lookup, values: dict[str, Any], problems: list[str]) -> None:
    """The single-choice columns (code or Chinese label), then the list of channels."""
    headers = dict(COLUMNS)
    for key in ("category", "attribute", "ground", "scope", "validity"):
        raw = str(cell.get(key) or "").strip()
        if not raw:
            values[key] = {"scope": Scope.PUBLIC, "validity": Validity.CURRENT}.get(key, "")
            continue
        if raw not in lookup[key]:
            problems.append(
                _("“%(column)s” has an unknown value: %(value)s.") % {"column": headers[key], "value": mask_text(raw)}
            )
        values[key] = lookup[key].get(raw, "")
    channels = []
    for raw in str(cell.get("channels") or "").replace("，", ",").replace("、", ",").split(","):
        raw = raw.strip()
        if raw and raw not in lookup["channels"]:
            problems.append(_("Unknown publication channel: %(value)s.") % {"value": mask_text(raw)})
        elif raw:
            channels.append(lookup["channels"][raw])
    values["channels"] = channels


def _disclosure_problems(values: dict[str, Any]) -> list[str]:
    """A proactive item needs its date and index number (and has no ground); any other a ground."""
    problems = []
    if values.get("attribute") == Attribute.PROACTIVE:
        if not values.get("published_on"):
            problems.append(_("A proactively disclosed item needs its publication date."))
        if not values["index_number"]:
            problems.append(_("A proactively disclosed item needs its index number."))
        values["ground"], values["ground_note"] = "", ""
    elif values.get("attribute") and not values.get("ground"):
        problems.append(_("An item not proactively disclosed needs its ground (D1)."))
    return problems


def _parse_row(cell: dict[str, Any], lookup: Lookup, agency: Agency) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    headers = dict(COLUMNS)
    for key in REQUIRED:
        if cell.get(key) in (None, ""):
            problems.append(_("“%(column)s” is empty.") % {"column": headers[key]})
    for key in ("title", "document_number", "summary", "body", "ground_note", "index_number"):
        values[key] = _cell_text(cell.get(key)).strip()
    if len(values["title"]) > 200:
        problems.append(_("The title is longer than 200 characters."))
    _parse_dates(cell, values, problems)
    _parse_choices(cell, lookup, values, problems)
    problems += _disclosure_problems(values)
    if len(values["index_number"]) > 80:
        problems.append(_("The index number is longer than 80 characters."))
    today = timezone.localdate()
    if any(values.get(k) and values[k] > today for k in ("written_on", "issued_on", "published_on", "formed_on")):
        problems.append(_("A date is in the future."))
    if values.get("written_on") and values.get("issued_on") and values["issued_on"] < values["written_on"]:
        problems.append(_("A document cannot be issued before it was written."))
    return values, problems


def is_legacy(values: dict, go_live_on: date | None) -> bool:
    """Published (or, for an item never proactively disclosed, formed) on or before the go-live
    date. Without a go-live date nothing is legacy: every row goes through the review chain."""
    if go_live_on is None:
        return False
    return (values.get("published_on") or values["formed_on"]) <= go_live_on


DATE_KEYS = ("written_on", "issued_on", "published_on", "formed_on")


def _to_json(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def _from_json(row: dict) -> dict:
    return {k: (date.fromisoformat(v) if k in DATE_KEYS and v else v) for k, v in row.items()}


def rows_digest(rows: list[dict]) -> str:
    return _hash({"rows": rows})


@atomic_with_files()  # the file is staged and moved into place on commit (REL-01)
def create_job(*, agency: Agency, actor, checked: CheckedFile) -> ImportJob:
    stored = store(checked, "catalog-imports")
    job = ImportJob.objects.create(
        agency=agency, created_by=actor, file_name=checked.original_name, stored_name=stored, sha256=checked.sha256
    )
    record_event("catalog.import.queued", actor=actor, obj=job, agency=agency, data={"file": checked.original_name})
    return job


def run_import_job(job_id: int) -> ImportJob:
    # Claim the queued job, so a rerun or a second worker does nothing.
    if not ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(state=ImportJob.State.RUNNING):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("agency", "created_by").get(pk=job_id)
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
    try:
        return _split(job, good)
    except IntegrityError:  # an index number taken by a parallel import since the check
        job.state, job.done = ImportJob.State.FAILED, job.total
        job.errors = [{"row": 1, "messages": [_("An index number of the file was taken meanwhile: upload it again.")]}]
        job.save(update_fields=["state", "errors", "done"])
        record_event("catalog.import.refused", actor=job.created_by, obj=job, agency=job.agency, data={"race": True})
        return job


def _split(job: ImportJob, good: list[dict]) -> ImportJob:
    """Drafts for the rows after go-live; the legacy rows held for the leader's approval (B1)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("agency", "created_by").get(pk=job.pk)
        go_live_on = job.agency.go_live_on
        legacy = [v for v in good if is_legacy(v, go_live_on)]
        new = [v for v in good if not is_legacy(v, go_live_on)]
        offices = _offices(job.agency)
        for values in new:
            _create_draft(job, offices.get(values["office"]) or offices[None], values)
        job.rows = [_to_json(v) for v in legacy]
        job.rows_sha256 = rows_digest(job.rows) if legacy else ""
        job.go_live_on, job.drafted, job.done = go_live_on, len(new), job.total
        job.state = ImportJob.State.AWAITING_APPROVAL if legacy else ImportJob.State.DONE
        job.save(update_fields=["rows", "rows_sha256", "go_live_on", "drafted", "done", "state"])
        record_event(
            "catalog.import.held" if legacy else "catalog.import.completed",
            actor=job.created_by,
            obj=job,
            agency=job.agency,
            data={"drafts": len(new), "held": len(legacy), "go_live_on": go_live_on, "sha256": job.rows_sha256},
        )
    return job


def _offices(agency: Agency) -> dict:
    """The agency's offices by id; ``None`` is the default owner: the disclosure office, where
    the importing officer works."""
    offices: dict = {o.pk: o for o in Office.objects.filter(agency=agency)}
    offices[None] = agency.offices.order_by("-is_disclosure_office", "pk").first()
    return offices


def _entry_from_row(job: ImportJob, office, values: dict, **fields) -> Entry:
    proactive = values["attribute"] == Attribute.PROACTIVE
    entry = Entry.objects.create(
        agency=job.agency,
        office=office,
        revision=1,
        index_number=values["index_number"] or None,
        title=values["title"],
        document_number=values["document_number"],
        written_on=values["written_on"],
        issued_on=values.get("issued_on"),
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
        imported=True,
        created_by=job.created_by,
        **fields,
    )
    data = snapshot(entry)
    Revision.objects.create(entry=entry, number=1, snapshot=data, sha256=_hash(data), created_by=job.created_by)
    return entry


def _create_draft(job: ImportJob, office, values: dict) -> Entry:
    """A row published after go-live: a draft of the review chain (B1), never public until the
    chain publishes it. Its index number stays with it; its publication date comes from the chain."""
    entry = _entry_from_row(job, office, values, status=Status.DRAFT)
    record_event(
        "catalog.entry.created",
        actor=job.created_by,
        obj=entry,
        agency=job.agency,
        data={
            "version": 1,
            "title": entry.title,
            "import_job": job.pk,
            "published_elsewhere_on": values["published_on"],
        },
    )
    return entry


def _create_imported(job: ImportJob, office, values: dict) -> Entry:
    """A legacy row of an approved batch: published (or registered) with its own dates."""
    proactive = values["attribute"] == Attribute.PROACTIVE
    entry = _entry_from_row(
        job,
        office,
        values,
        status=Status.PUBLISHED if proactive else Status.REGISTERED,
        published_on=values["published_on"] if proactive else None,
        published_at=timezone.make_aware(datetime.combine(values["published_on"], datetime.min.time()))
        if proactive
        else None,
    )
    Opinion.objects.create(
        entry=entry,
        revision=entry.revisions.get(),
        step=Step.RELEASE,
        decision=Decision.APPROVE,
        comment=job.decision_comment,
        data={"import_job": job.pk},
        actor=job.decided_by,
        actor_name=job.decided_by.full_name,
    )
    if proactive:
        search.index_entry(entry)
    return entry


# ---------------------------------------------------------------------------------------------
# The leader in charge decides on a batch of legacy rows (seed B1, B4; security.md AC-03)


def _ensure_may_decide(actor, job: ImportJob) -> None:
    if actor is None or actor.agency_id != job.agency_id:
        raise PermissionDenied(_("This import belongs to another agency."))
    if Role.LEADER_IN_CHARGE not in user_roles(actor):
        raise PermissionDenied(_("Only the leader in charge approves an imported batch."))
    if actor.pk == job.created_by_id:
        raise PermissionDenied(_("The person who uploaded a batch cannot also approve it."))
    if job.state != ImportJob.State.AWAITING_APPROVAL:
        raise ReviewError(_("This batch is not waiting for approval: it has been decided already."))


def may_decide(actor, job: ImportJob) -> bool:
    try:
        _ensure_may_decide(actor, job)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _lock_job(job: ImportJob) -> ImportJob:
    return ImportJob.objects.select_for_update(of=("self",)).select_related("agency", "created_by").get(pk=job.pk)


def _claim(job: ImportJob, actor, state: str, comment: str) -> ImportJob:
    """Move the batch out of "awaiting approval" exactly once: a second decision finds nothing."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.AWAITING_APPROVAL).update(
        state=state, decided_by=actor, decided_at=now, decision_comment=comment
    )
    if claimed != 1:
        raise ReviewError(_("This batch is not waiting for approval: it has been decided already."))
    job.state, job.decided_by, job.decided_at, job.decision_comment = state, actor, now, comment
    return job


@transaction.atomic
def approve_import(job: ImportJob, *, actor, comment: str, sha256: str) -> ImportJob:
    """The leader in charge approves the whole batch of legacy rows as previewed (``sha256`` is
    the digest of the preview they saw); only now are the rows published and indexed."""
    job = _lock_job(job)
    _ensure_may_decide(actor, job)
    comment = comment.strip()
    if len(comment) < 2:
        raise ReviewError(_("Write your opinion on the batch."))
    if sha256 != job.rows_sha256 or rows_digest(job.rows) != job.rows_sha256:
        raise ReviewError(_("The batch is not the one you looked at: open it again."))
    rows = [_from_json(r) for r in job.rows]
    # Checked at upload; checked again, as nothing with personal data may ever be published.
    if any(personal_data_problems({k: r.get(k) for k, _h in COLUMNS if k != "office"}) for r in rows):
        raise ReviewError(_("The batch contains personal data and cannot be approved: reject it."))
    numbers = [r["index_number"] for r in rows if r["index_number"]]
    taken = list(Entry.objects.filter(index_number__in=numbers).values_list("index_number", flat=True)[:5])
    if taken:
        raise ReviewError(
            _("Index numbers now used by other items: %(numbers)s. Reject the batch and import it again.")
            % {"numbers": "、".join(taken)}
        )
    job = _claim(job, actor, ImportJob.State.DONE, comment)
    offices = _offices(job.agency)
    for values in rows:
        _create_imported(job, offices.get(values["office"]) or offices[None], values)
    job.imported = len(rows)
    job.save(update_fields=["imported"])
    record_event(
        "catalog.import.approved",
        actor=actor,
        obj=job,
        agency=job.agency,
        data={
            "rows": len(rows),
            "sha256": job.rows_sha256,
            "comment": comment,
            "uploaded_by": job.created_by.username if job.created_by else "",
        },
    )
    return job


@transaction.atomic
def reject_import(job: ImportJob, *, actor, comment: str) -> ImportJob:
    """The leader in charge rejects the batch with the reason: nothing of it is published."""
    job = _lock_job(job)
    _ensure_may_decide(actor, job)
    comment = comment.strip()
    if len(comment) < 5:
        raise ReviewError(_("Give the reason for rejecting the batch."))
    job = _claim(job, actor, ImportJob.State.REJECTED, comment)
    record_event(
        "catalog.import.rejected",
        actor=actor,
        obj=job,
        agency=job.agency,
        data={"rows": job.held, "sha256": job.rows_sha256, "comment": comment},
    )
    return job


def preview(job: ImportJob) -> list[dict]:
    """The held rows as they will appear on the portal: title, numbers, dates, category, snippet."""
    categories, attributes = dict(Category.choices), dict(Attribute.choices)
    return [
        {
            "title": r["title"],
            "index_number": r["index_number"],
            "document_number": r["document_number"],
            "published_on": r["published_on"],
            "formed_on": r["formed_on"],
            "category": categories.get(r["category"], ""),
            "attribute": attributes.get(r["attribute"], ""),
            "snippet": Truncator(" ".join(t for t in (r["summary"], r["body"]) if t)).chars(120),
        }
        for r in job.rows
    ]


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
    for row, entry in enumerate(entries.select_related("office").iterator(chunk_size=1000), start=1):
        values = [
            entry.index_number or "",
            entry.title,
            entry.document_number,
            entry.written_on.isoformat() if entry.written_on else "",
            entry.issued_on.isoformat() if entry.issued_on else "",
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
            entry.office.name,
            entry.get_status_display(),
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, safe_cell(value))
    sheet.set_column(0, len(COLUMNS), 18)
    book.close()
    return buffer.getvalue()


def batches_awaiting_approval(agency: Agency):
    return ImportJob.objects.filter(agency=agency, state=ImportJob.State.AWAITING_APPROVAL).select_related("created_by")
