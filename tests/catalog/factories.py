"""Catalog entries made directly (for permission and portal tests that need one quickly)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.catalog import search, services
from gongkai.catalog.choices import Attribute, Category, Channel, Status
from gongkai.catalog.models import Entry, EntryAttachment, ImportJob, Revision
from gongkai.core.uploads import CheckedFile, store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_entry(
    agency, *, status=Status.DRAFT, title="茅畲乡宅基地审批结果公示", body="宅基地审批事项。", **extra
) -> Entry:
    clerk = agency.staff.filter(role_assignments__role=Role.CLERK).first()
    office = clerk.role_assignments.get(role=Role.CLERK).office
    today = timezone.localdate()
    entry = Entry.objects.create(
        agency=agency,
        office=office,
        status=Status.DRAFT,
        revision=1,
        title=title,
        formed_on=today - timedelta(days=1),
        attribute=Attribute.PROACTIVE,
        category=Category.HOMESTEAD,
        channels=[Channel.WEBSITE],
        summary="概述：" + title,
        body=body,
        created_by=clerk,
        **extra,
    )
    if status == Status.PUBLISHED:
        entry.published_on = extra.get("published_on", today)
        entry.published_at = timezone.now()
        entry.index_number = services._allocate_index_number(agency, entry.published_on.year)
    entry.status = status
    entry.save()
    if status == Status.PUBLISHED:
        search.index_entry(entry)
    data = services.snapshot(entry)
    Revision.objects.create(entry=entry, number=1, snapshot=data, sha256=services._hash(data), created_by=clerk)
    return entry


def make_entry_attachment(entry, data: bytes = PDF, name: str = "附件.pdf", kind: str = "pdf") -> EntryAttachment:
    checked = CheckedFile(data=data, kind=kind, original_name=name, sha256=hashlib.sha256(data).hexdigest())
    with TestCase.captureOnCommitCallbacks(execute=True):  # the staged file is moved into place on commit
        stored_name = store(checked, "catalog")
    return EntryAttachment.objects.create(
        entry=entry, name=name, kind=kind, size=len(data), sha256=checked.sha256, stored_name=stored_name
    )


def make_import_job(agency) -> ImportJob:
    return ImportJob.objects.create(agency=agency, file_name="a.xlsx", stored_name="x.xlsx", sha256="0" * 64)
