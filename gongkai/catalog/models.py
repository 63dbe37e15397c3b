"""The proactive-disclosure catalog (公开目录): entries, their versions, review opinions,
attachments, import jobs and the search index rows (issue 3; A4–A7, B1–B8, D1–D4, G5–G8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Agency, Office
from gongkai.catalog.choices import (
    Attribute,
    Category,
    Classification,
    Decision,
    Ground,
    Relation,
    Scope,
    Status,
    Step,
    Validity,
)

PUBLIC_STATUSES = (Status.PUBLISHED,)
REVIEW_STATUSES = (
    Status.OFFICE_REVIEW,
    Status.CONFIDENTIALITY_REVIEW,
    Status.ESCALATED,
    Status.LEADER_CONFIDENTIALITY,
    Status.DISCLOSURE_CHECK,
    Status.RELEASE_APPROVAL,
    Status.READY,
    Status.SCHEDULED,
)
UNPUBLISHED_STATUSES = (Status.DRAFT, *REVIEW_STATUSES)


class SubCategory(models.Model):
    """An agency's own sub-category under one subject category (A4)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="subcategories")
    category = models.CharField(_("subject category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("sub-category")
        constraints = [models.UniqueConstraint(fields=["agency", "category", "name"], name="subcategory_unique")]
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def awaiting_publication(self):
        return self.filter(status__in=UNPUBLISHED_STATUSES, publish_due_on__isnull=False)


class Entry(models.Model):
    """One item of an agency's catalog, from draft to publication (or registration) and after."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("publishing agency"), on_delete=models.PROTECT, related_name="entries"
    )
    office = models.ForeignKey(Office, verbose_name=_("host office"), on_delete=models.PROTECT, related_name="entries")
    co_offices = models.ManyToManyField(
        Office, verbose_name=_("co-producing offices"), blank=True, related_name="co_entries"
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("version"), default=0)

    index_number = models.CharField(_("index number"), max_length=80, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("issuing number (文号)"), max_length=80, blank=True)
    written_on = models.DateField(_("date written"), null=True, blank=True)
    # D4 counts from the day an official document is issued (印发), not the day it was written.
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    formed_on = models.DateField(_("date formed or changed"))
    is_official_document = models.BooleanField(_("official document"), default=False)
    attribute = models.CharField(_("disclosure attribute"), max_length=20, choices=Attribute.choices)
    ground = models.CharField(_("ground for not disclosing"), max_length=30, choices=Ground.choices, blank=True)
    ground_note = models.TextField(_("reason in detail"), blank=True)
    scope = models.CharField(_("disclosure scope"), max_length=20, choices=Scope.choices, default=Scope.PUBLIC)
    category = models.CharField(_("subject category"), max_length=20, choices=Category.choices)
    subcategory = models.ForeignKey(
        SubCategory, verbose_name=_("sub-category"), null=True, blank=True, on_delete=models.PROTECT
    )
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, default=Validity.CURRENT)
    channels = models.JSONField(_("publication channels"), default=list, blank=True)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body text"), blank=True)
    is_important = models.BooleanField(_("important: needs the leader's release approval"), default=False)
    related_to = models.ForeignKey(
        "self",
        verbose_name=_("related item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="related_from",
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices, blank=True)

    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices, blank=True)
    escalated_to = models.CharField(_("competent authority"), max_length=100, blank=True)

    publish_due_on = models.DateField(_("publish by"), null=True, blank=True)
    publish_due_provisional = models.BooleanField(default=False)
    publish_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    imported = models.BooleanField(default=False, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="entry_agency_status"),
            models.Index(fields=["status", "publish_at"], name="entry_status_publish_at"),
            # The reminder sweep and the deadline counts scan unpublished entries by due date. The
            # status leads, so SQLite prefers this index to entry_status_publish_at for them.
            models.Index(
                fields=["status", "publish_due_on"],
                condition=Q(status__in=UNPUBLISHED_STATUSES, publish_due_on__isnull=False),
                name="entry_unpublished_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attribute=Attribute.PROACTIVE) | ~Q(ground=""), name="entry_not_proactive_has_ground"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(index_number__isnull=False, attribute=Attribute.PROACTIVE),
                name="entry_published_has_index_number",
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(written_on__isnull=True) | Q(issued_on__gte=F("written_on")),
                name="entry_issued_not_before_written",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:item", kwargs={"index_number": self.index_number})

    def get_staff_url(self) -> str:
        return reverse("catalog:staff-detail", kwargs={"agency_slug": self.agency.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def year(self) -> int | None:
        return self.published_on.year if self.published_on else None


class Revision(models.Model):
    """A frozen copy of the entry's content; every opinion names the version it concerns (B4)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="revision_number_unique")]
        ordering = ["entry_id", "number"]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


class Opinion(models.Model):
    """One recorded step of the review chain: who, when, which version, what they decided."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="opinions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="opinions")
    step = models.CharField(_("step"), max_length=30, choices=Step.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("opinion"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=50)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.step} {self.decision}"

    def get_data_display(self) -> str:
        """The classification recorded with the opinion, as a label followed by "；"."""
        code = self.data.get("classification")
        return f"{Classification(code).label}；" if code in Classification.values else ""


class EntryAttachment(models.Model):
    """A file of the entry (PDF, DOCX, XLSX, image), stored privately; served only when published."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80)
    text = models.TextField(blank=True, editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SearchState(models.Model):
    """One row: the generation of the public catalog, advanced (under its row lock) by every
    change that the search index must follow. Locking it orders those changes' commits, so an
    index that has applied generation N has seen every change up to N."""

    generation = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.generation)

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("generation", flat=True).first() or 0

    @classmethod
    def advance(cls) -> int:
        cls.objects.get_or_create(pk=1)
        state = cls.objects.select_for_update().get(pk=1)
        state.generation += 1
        state.save(update_fields=["generation"])
        return state.generation


class SearchChange(models.Model):
    """An entry whose public state changed at ``generation`` (the search index's change log)."""

    generation = models.BigIntegerField(unique=True)
    entry_id = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.generation}: {self.entry_id}"


class ImportJob(models.Model):
    """One catalog import from a spreadsheet: every row is checked first (a bad row refuses the
    file). Then nothing bypasses review (seed B1): rows published after the agency's go-live date
    become drafts of the review chain at once; older (legacy) rows are held here, in ``rows``,
    until the leader in charge approves or rejects the batch, and only an approval publishes them."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Refused: see the report")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the leader in charge's approval")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected by the leader in charge")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=120)
    stored_name = models.CharField(max_length=80)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    imported = models.PositiveIntegerField(default=0)  # legacy rows published (or registered) on approval
    drafted = models.PositiveIntegerField(default=0)  # rows that entered the review chain as drafts
    go_live_on = models.DateField(null=True, blank=True)  # the agency's go-live date the split used
    # The legacy rows awaiting approval, as the leader sees them; their hash names what was approved.
    rows = models.JSONField(default=list, blank=True)
    rows_sha256 = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "state"], name="importjob_agency_state")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        finished = (self.State.FAILED, self.State.AWAITING_APPROVAL, self.State.DONE, self.State.REJECTED)
        return int(self.done * 100 / self.total) if self.total else (100 if self.state in finished else 0)

    @property
    def held(self) -> int:
        return len(self.rows)
