"""Applications for disclosure (依申请公开) and their append-only clock ledger (seed E1–E6)."""

from __future__ import annotations

from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Agency
from gongkai.applications.choices import (
    OPEN_STATUSES,
    ApplicantType,
    Channel,
    Delivery,
    IdType,
    NoticeKind,
    Outcome,
    RequestedForm,
    Status,
)
from gongkai.applications.clock import Kind
from gongkai.core import crypto
from gongkai.core.encrypted_fields import EncryptedTextField, KeyedHashField

# In one fixed order, so that a query's condition is word for word the partial indexes' condition
# (SQLite uses a partial index only then; a frozenset's order changes from one process to the next).
OPEN = sorted(OPEN_STATUSES)


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def due_between(self, first, last):
        return self.open().filter(due_on__gte=first, due_on__lte=last)

    def with_id_number(self, id_number: str):
        """Applications by the holder of this ID number: through the keyed hash, under any
        configured key (the numbers themselves are encrypted; PI-03)."""
        return self.filter(id_number_hash__in=crypto.lookup_hashes(id_number, purpose="id_number"))


class Application(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="applications")
    number = models.CharField(_("application number"), max_length=40, unique=True)
    query_code_hash = models.CharField(max_length=64)
    # The client's idempotency key, unique per agency, with a keyed hash of the request it came
    # with: the same key answers again only for the very same request (REL-02, AC-02; decision 0016).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Art. 31: the day the application counts as received. An online submission has none until
    # the disclosure office confirms it (art. 31(三); decision 0030); ``submitted_on`` is the day
    # it was sent.
    received_on = models.DateField(_("received on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted online on"), null=True, blank=True)
    # Applicant (art. 29). Shown masked; revealed only by an audited action. Encrypted at rest
    # (PI-03); look people up by the keyed hash. Purged after the retention period (PI-04).
    applicant_type = models.CharField(_("applicant type"), max_length=20, choices=ApplicantType.choices)
    applicant_name = EncryptedTextField(_("applicant name"), max_length=100)
    id_type = models.CharField(_("identity document"), max_length=20, choices=IdType.choices)
    id_number = EncryptedTextField(_("document number"), max_length=40)
    id_number_hash = KeyedHashField(source="id_number", db_index=True)
    phone = EncryptedTextField(_("phone"), max_length=20)
    email = EncryptedTextField(_("e-mail"), max_length=254, blank=True, validators=[validate_email])
    address = EncryptedTextField(_("postal address"), max_length=200, blank=True)
    # The information requested
    info_title = models.CharField(_("title of the information"), max_length=200)
    info_document_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    info_description = models.TextField(_("description"), max_length=2000)
    requested_form = models.CharField(_("requested form"), max_length=20, choices=RequestedForm.choices)
    delivery = models.CharField(_("how to receive it"), max_length=20, choices=Delivery.choices)
    has_identity_proof = models.BooleanField(_("identity proof attached"), default=False)
    # The clock, derived from the ledger by gongkai.applications.clock and stored for querying.
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED)
    due_on = models.DateField(_("reply due on"), null=True, blank=True)
    due_on_provisional = models.BooleanField(default=False)
    due_explanation = models.JSONField(default=list, blank=True)
    suspended_until = models.DateField(_("other side's deadline"), null=True, blank=True)
    suspended_until_provisional = models.BooleanField(default=False)
    assigned_office = models.ForeignKey(
        "accounts.Office", verbose_name=_("assigned office"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The earliest open internal step of the seed (E1–E5) and its due date.
    next_step = models.CharField(_("next step"), max_length=20, blank=True)
    next_step_due = models.DateField(_("next step due on"), null=True, blank=True)
    next_step_due_provisional = models.BooleanField(default=False)
    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    personal_data_purged_on = models.DateField(_("personal data deleted on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=OPEN), name="application_open_due_idx"),
            # The reminder sweep also scans open applications by suspension end and step due date.
            models.Index(
                fields=["suspended_until"],
                condition=Q(status__in=OPEN, suspended_until__isnull=False),
                name="application_suspended_idx",
            ),
            models.Index(
                fields=["next_step_due"],
                condition=Q(status__in=OPEN, next_step_due__isnull=False),
                name="application_open_step_due_idx",
            ),
            models.Index(fields=["agency", "status"], name="application_agency_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OPEN) | Q(closed_on__isnull=False),
                name="application_closed_has_date",
            ),
            models.UniqueConstraint(fields=["agency", "idempotency_key"], name="one_application_per_agency_key"),
        ]

    def __str__(self) -> str:
        return self.number


class ClockEvent(models.Model):
    """One entry of the legal clock's ledger. Never updated or deleted: a mistake is corrected
    by the service refusing it, and the due date is recomputed from the whole ledger."""

    KIND_CHOICES = [
        (Kind.RECEIVED, _("Application received")),
        (Kind.CORRECTION_REQUESTED, _("Correction notice served")),
        (Kind.CORRECTION_RECEIVED, _("Corrected application received")),
        (Kind.CORRECTION_LAPSED, _("No correction in time: deemed abandoned")),
        (Kind.CONSULTATION_STARTED, _("Consultation started")),
        (Kind.CONSULTATION_ENDED, _("Consultation ended")),
        (Kind.EXTENSION_APPROVED, _("Extension approved and notified")),
        (Kind.FEE_NOTICE_SERVED, _("Fee notice served")),
        (Kind.FEE_PAID, _("Fee paid")),
        (Kind.FEE_LAPSED, _("Fee not paid in time: deemed abandoned")),
        (Kind.REPLIED, _("Reply served")),
        (Kind.ASSIGNED, _("Assigned to an office")),
        (Kind.NOTE_ADDED, _("Search and verification note")),
        (Kind.CONFIDENTIALITY_REVIEWED, _("Confidentiality review")),
        (Kind.PROPOSAL_SUBMITTED, _("Office's proposed reply")),
        (Kind.DRAFT_SUBMITTED, _("Draft reply submitted for signature")),
        (Kind.DRAFT_SIGNED, _("Draft reply signed by the leader")),
    ]

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="clock_events")
    kind = models.CharField(_("event"), max_length=30, choices=KIND_CHOICES)
    on = models.DateField(_("date"))
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.on}"


class NoticeTemplate(models.Model):
    """An agency's own wording of one notice (defaults: applications/notice_templates.py)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="notice_templates")
    kind = models.CharField(_("notice"), max_length=30, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=8000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="one_template_per_agency_kind")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind}"


class Notice(models.Model):
    """A notice, frozen once generated: its PDF and DOCX are stored once with their SHA-256 and checked
    on every download (security.md FILE-04). Never updated or deleted, except by the purge at the
    end of the retention period."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("notice"), max_length=30, choices=NoticeKind.choices)
    document_number = models.CharField(_("document number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    # The date the letter bears (落款日期). A reply letter is made once the leader has signed the
    # draft and served as the last step (issue 10): until then it has no service date.
    issued_on = models.DateField(_("date of the letter"))
    served_on = models.DateField(_("served on"), null=True, blank=True)
    served_by = models.CharField(_("served by"), max_length=20, choices=Delivery.choices, blank=True)
    pdf_name = models.CharField(max_length=80)
    pdf_sha256 = models.CharField(max_length=64)
    docx_name = models.CharField(max_length=80)
    docx_sha256 = models.CharField(max_length=64)
    actor_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # After the retention period the files are deleted and the text (it names the applicant)
    # is replaced (PI-04); the number, kind and dates stay for the statistics.
    purged_on = models.DateField(_("deleted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return self.document_number


class ApplicationArchive(models.Model):
    """One yearly archive package handed to the archives (seed E6): a ZIP of the year's closed
    applications' notices with an index spreadsheet, stored with its SHA-256."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="application_archives")
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(max_length=80)
    sha256 = models.CharField(max_length=64)
    application_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"


class Attachment(models.Model):
    """A file received with an application: the identity proof, or the scanned letter."""

    class Kind(models.TextChoices):
        IDENTITY_PROOF = "identity_proof", _("Identity proof")
        SCANNED_LETTER = "scanned_letter", _("Scanned letter")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=80, unique=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # The file is deleted from disk after its retention period (PI-04); the row stays.
    purged_on = models.DateField(_("deleted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
