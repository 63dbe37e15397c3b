"""Catalog entries for tests, made through the services (drafting, the review chain, publication)."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.catalog import services
from gongkai.catalog.choices import Attribute, Category, Channel, Classification, Status, Step
from gongkai.catalog.models import Entry, EntryAttachment, ImportJob
from gongkai.core.uploads import CheckedFile, store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_entry(
    agency, *, status=Status.DRAFT, title="茅畲乡宅基地审批结果公示", body="宅基地审批事项。", **extra
) -> Entry:
    """A draft entry written by the agency's clerk; a published one goes through the whole review
    chain and the web administrator's publication (services only, never ``status=``), on the day
    ``published_on`` says (today by default)."""
    if status not in (Status.DRAFT, Status.PUBLISHED):
        raise ValueError("make_entry makes drafts and published entries; use the services for the rest")
    clerk = agency.staff.filter(role_assignments__role=Role.CLERK).first()
    office = clerk.role_assignments.get(role=Role.CLERK).office
    today = timezone.localdate()
    published_on = extra.pop("published_on", today)
    escalated_to = extra.pop("escalated_to", None)
    values = {
        "title": title,
        "document_number": "",
        "written_on": None,
        "formed_on": min(today, published_on) - timedelta(days=1),
        "is_official_document": False,
        "attribute": Attribute.PROACTIVE,
        "ground": "",
        "ground_note": "",
        "scope": "public",
        "category": Category.HOMESTEAD,
        "subcategory": None,
        "validity": "current",
        "channels": [Channel.WEBSITE],
        "summary": "概述：" + title,
        "body": body,
        "is_important": False,
        "related_to": None,
        "relation": "",
        **extra,
    }
    with time_machine.travel(_moment(published_on, today), tick=False):
        entry = services.save_draft(actor=clerk, agency=agency, office=office, values=values)
        if status == Status.PUBLISHED:
            entry = _through_the_chain(agency, entry, clerk)
        elif escalated_to:
            entry = _escalate(agency, entry, clerk, escalated_to)
    return entry


def _person(agency, role, *, office=None, besides=None):
    people = agency.staff.filter(role_assignments__role=role, is_active=True)
    if office is not None:
        people = people.filter(role_assignments__office=office)
    return people.exclude(pk=getattr(besides, "pk", None)).first()


def _escalate(agency, entry: Entry, clerk, authority: str) -> Entry:
    """Submitted, the office head unsure of the classification, the reviewer escalates (G7)."""
    entry = services.submit(entry, actor=clerk)
    head = _person(agency, Role.OFFICE_HEAD, office=entry.office, besides=clerk)
    entry = services.approve(entry, actor=head, step=Step.OFFICE, comment="涉密性不明。", classification="unclear")
    reviewer = _person(agency, Role.CONFIDENTIALITY_REVIEWER, besides=clerk)
    return services.escalate(entry, actor=reviewer, authority=authority, comment="报请主管部门确定。")


def _moment(day, today):
    """Noon (Beijing time) of ``day``, or the current moment when it is today."""
    if day == today:
        return timezone.now()
    return datetime.combine(day, time(12, 0), tzinfo=ZoneInfo("Asia/Shanghai"))


def _through_the_chain(agency, entry: Entry, clerk) -> Entry:
    def person(role, office=None):
        return _person(agency, role, office=office, besides=clerk)

    entry = services.submit(entry, actor=clerk)
    data = {Step.OFFICE: {"classification": Classification.NOT_SECRET}}
    while entry.status in services.STEP_OF_STATUS and entry.status != Status.READY:
        step = services.STEP_OF_STATUS[entry.status]
        role = next(iter(sorted(services.ROLES_OF_STEP[step])))
        actor = person(role, entry.office if step == Step.OFFICE else None)
        entry = services.approve(entry, actor=actor, step=step, comment="同意。", **data.get(step, {}))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.publish(entry, actor=person(Role.WEB_ADMINISTRATOR))


def publish_draft(entry: Entry) -> Entry:
    """A draft made by ``make_entry`` (with what a test added to it), through the review chain
    and published today."""
    clerk = entry.agency.staff.filter(role_assignments__role=Role.CLERK).first()
    return _through_the_chain(entry.agency, entry, clerk)


def make_entry_attachment(entry, data: bytes = PDF, name: str = "附件.pdf", kind: str = "pdf") -> EntryAttachment:
    checked = CheckedFile(data=data, kind=kind, original_name=name, sha256=hashlib.sha256(data).hexdigest())
    with TestCase.captureOnCommitCallbacks(execute=True):  # the staged file is moved into place on commit
        stored_name = store(checked, "catalog")
    return EntryAttachment.objects.create(
        entry=entry, name=name, kind=kind, size=len(data), sha256=checked.sha256, stored_name=stored_name
    )


def make_import_job(agency) -> ImportJob:
    return ImportJob.objects.create(agency=agency, file_name="a.xlsx", stored_name="x.xlsx", sha256="0" * 64)
