"""Who sees which catalog entries, and the queues and counts of the staff pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.catalog.choices import Status, Step
from gongkai.catalog.models import UNPUBLISHED_STATUSES, Entry, EntryAttachment, ImportJob
from gongkai.catalog.steps import ROLES_OF_STEP, STEP_OF_STATUS
from gongkai.core.access import user_roles
from gongkai.core.reminders import due_soon_until

AGENCY_WIDE_ROLES = frozenset(
    {
        Role.DISCLOSURE_OFFICER,
        Role.CONFIDENTIALITY_REVIEWER,
        Role.LEADER_IN_CHARGE,
        Role.PRINCIPAL_LEADER,
        Role.WEB_ADMINISTRATOR,
    }
)


def _office_ids(user, role: str) -> list[int]:
    return list(user.role_assignments.filter(role=role, office__isnull=False).values_list("office_id", flat=True))


def entries_visible_to(user) -> QuerySet[Entry]:
    """Agency-wide roles see the agency's catalog; office staff see their offices' items."""
    entries = Entry.objects.filter(agency_id=user.agency_id).select_related("agency", "office")
    if AGENCY_WIDE_ROLES & user_roles(user):
        return entries
    offices = _office_ids(user, Role.CLERK) + _office_ids(user, Role.OFFICE_HEAD)
    return entries.filter(Q(office_id__in=offices) | Q(co_offices__in=offices)).distinct()


def waiting_for(user) -> QuerySet[Entry]:
    """Entries whose current step the user may act on (excluding what they drafted)."""
    roles = user_roles(user)
    condition = Q(pk__in=[])
    head_offices = _office_ids(user, Role.OFFICE_HEAD)
    for status, step in STEP_OF_STATUS.items():
        if not ROLES_OF_STEP[step] & roles:
            continue
        if step == Step.OFFICE:
            condition |= Q(status=status, office_id__in=head_offices)
        else:
            condition |= Q(status=status)
    if head_offices:
        condition |= Q(status=Status.OFFICE_REVIEW, co_offices__in=head_offices)
    return (
        entries_visible_to(user)
        .filter(condition)
        .exclude(created_by=user)
        .exclude(revisions__created_by=user)
        .distinct()
    )


def deadline_window(today=None):
    today = today or timezone.localdate()
    return today, due_soon_until(today)


def deadline_counts(user) -> dict[str, int]:
    today, soon = deadline_window()
    pending = entries_visible_to(user).filter(status__in=UNPUBLISHED_STATUSES, publish_due_on__isnull=False)
    return {
        "overdue": pending.filter(publish_due_on__lt=today).count(),
        "soon": pending.filter(publish_due_on__gte=today, publish_due_on__lte=soon).count(),
        "waiting": waiting_for(user).count(),
    }


def stored_files():
    """(folder, stored name, SHA-256) of every private file the catalog's rows refer to (FILE-04)."""

    for name, sha256 in EntryAttachment.objects.values_list("stored_name", "sha256").iterator():
        yield "catalog", name, sha256
    for name, sha256 in ImportJob.objects.exclude(stored_name="").values_list("stored_name", "sha256").iterator():
        yield "catalog-imports", name, sha256


def published_in_year(agency, year: int) -> int:
    """Items the agency published proactively in ``year`` (the annual report's 主动公开 figure):
    every entry whose publication date falls in the year, withdrawn since or not."""
    return Entry.objects.filter(agency=agency, published_on__year=year).count()
