"""The working-day calendar and the audit trail: the two things every workflow stands on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """One year's official holiday arrangement (《国务院办公厅关于YYYY年部分节假日安排的通知》)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source notice"), max_length=200, help_text=_("Title or number of the official notice.")
    )
    published_on = models.DateField(_("notice published on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up workday")


class CalendarDay(models.Model):
    """A day that differs from the plain Monday–Friday rule: a day off in a holiday period
    (weekends inside the period included) or a weekend day worked in exchange (调休)."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed")
    # A service or the access policy refused the action (permission or state); nothing changed.
    REFUSED = "refused", _("Refused")


class AuditEvent(models.Model):
    """One append-only audit record (B4, B5, G1; 等保 L3-CES1-12..15).

    No foreign keys: the actor, agency and object are snapshots, so a record survives the
    deletion of what it names, and the database never needs to update it. The database refuses
    UPDATE and DELETE (triggers in migration 0002); each row carries the HMAC of its content and
    of the previous row's hash, so ``manage.py verify_audit`` finds the first altered row.
    """

    occurred_at = models.DateTimeField(_("time"), db_index=True)
    event = models.CharField(_("event"), max_length=80, db_index=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("actor account"), max_length=150, blank=True)
    actor_name = models.CharField(_("actor"), max_length=100, blank=True)
    actor_roles = models.CharField(_("actor roles"), max_length=300, blank=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True, db_index=True)
    agency_name = models.CharField(_("agency"), max_length=100, blank=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.event}"


class AuditCheckpoint(models.Model):
    """One retention run: the audit rows up to ``up_to_id`` were archived to a file and removed
    (security.md AUD-02; 网络安全法 art. 21(3)). ``verify_chain`` starts after the newest
    checkpoint, from its ``up_to_hash``; the row carries the HMAC of its own content.

    The DELETE trigger on ``core_auditevent`` lets only rows at or below the newest checkpoint go;
    this table itself refuses UPDATE and DELETE (migration 0006, docs/decisions/0019-audit.md).
    """

    created_at = models.DateTimeField(_("archived at"))
    first_id = models.BigIntegerField(_("first archived row"))
    up_to_id = models.BigIntegerField(_("last archived row"), unique=True)
    prev_hash = models.CharField(max_length=64)  # the chain hash before first_id
    up_to_hash = models.CharField(max_length=64)  # the chain hash of up_to_id
    rows = models.PositiveIntegerField(_("rows archived"))
    cutoff = models.DateTimeField(_("archived rows older than"))
    archive_name = models.CharField(_("archive file"), max_length=200)
    archive_sha256 = models.CharField(_("archive SHA-256"), max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit archive checkpoint")
        verbose_name_plural = _("audit archive checkpoints")
        ordering = ["-up_to_id"]

    def __str__(self) -> str:
        return f"{self.first_id}..{self.up_to_id} → {self.archive_name}"


class SentReminder(models.Model):
    """One reminder that has been sent; the unique key makes every sweep idempotent (REL-04)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self) -> str:
        return self.key


class Counter(models.Model):
    """The last value of one numbered sequence: application numbers, catalog index numbers,
    notice numbers. ``agency_id`` is a plain number (core names no app's model); ``year`` is 0
    for a sequence that does not start again each year. ``next_in_sequence`` locks the row while
    it allocates, so two writers never get the same value (security.md REL-03)."""

    agency_id = models.BigIntegerField()
    name = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [models.UniqueConstraint(fields=["agency_id", "name", "year"], name="one_counter_per_sequence")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.name}/{self.year}: {self.last}"
