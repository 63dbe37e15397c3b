"""Administrative disputes over disclosure (行政复议, 行政诉讼; seed F1–F6) and their append-only
ledger. A dispute concerns one application of the agency; its answer clock is replayed from the
registration facts by ``disputes/clock.py`` and stored for lists and reminders."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Agency, Office
from gongkai.disputes.choices import OPEN_STATUSES, Kind, Outcome, Procedure, Status

OPEN = sorted(OPEN_STATUSES)


class DisputeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN)

    def unanswered(self):
        return self.filter(status=Status.RECEIVED)


class Dispute(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="disputes")
    number = models.CharField(_("dispute number"), max_length=40, unique=True)
    kind = models.CharField(_("kind of dispute"), max_length=40, choices=Kind.choices)
    # The application and reply it concerns (a string reference: disputes never import
    # applications' models, they read them through applications.selectors).
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application concerned"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    organ = models.CharField(_("reconsideration organ or court"), max_length=100)
    case_number = models.CharField(_("case number"), max_length=80, blank=True)
    received_on = models.DateField(_("copy received on"))
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices, blank=True)
    answer_days = models.PositiveSmallIntegerField(_("answer period set by the court (days)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    answer_due_on = models.DateField(_("answer due on"))
    answer_due_provisional = models.BooleanField(default=False)
    answer_explanation = models.JSONField(default=list, blank=True)
    evidence_office = models.ForeignKey(
        Office, verbose_name=_("office supplying the evidence"), null=True, blank=True, on_delete=models.PROTECT
    )
    evidence_due_on = models.DateField(_("evidence due from the office on"), null=True, blank=True)
    evidence_due_provisional = models.BooleanField(default=False)
    evidence_received_on = models.DateField(_("evidence received on"), null=True, blank=True)
    answered_on = models.DateField(_("answer filed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # 行政复议法 art. 55: the organ moved the case from the simplified to the ordinary procedure.
    procedure_changed_on = models.DateField(_("moved to the ordinary procedure on"), null=True, blank=True)
    # F6: an effective decision or judgment that orders a new reply, and its carrying out.
    new_reply_due_on = models.DateField(_("new reply due on"), null=True, blank=True)
    new_reply_due_provisional = models.BooleanField(default=False)
    new_reply_explanation = models.JSONField(default=list, blank=True)
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative dispute")
        verbose_name_plural = _("administrative disputes")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="dispute_agency_status_idx"),
            models.Index(fields=["answer_due_on"], condition=Q(status="received"), name="dispute_unanswered_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.DECIDED) | (Q(decided_on__isnull=False) & ~Q(outcome="")),
                name="dispute_decided_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.RECONSIDERATION) | ~Q(procedure=""),
                name="dispute_reconsideration_has_procedure",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_lawsuit(self) -> bool:
        return self.kind != Kind.RECONSIDERATION


class DisputeEvent(models.Model):
    """One dated entry of a dispute's ledger; never changed once written."""

    class EventKind(models.TextChoices):
        REGISTERED = "registered", _("Copy received and registered")
        FORWARDED = "forwarded", _("Copy forwarded to the office for its evidence")
        EVIDENCE_RECEIVED = "evidence_received", _("Evidence received from the office")
        MEETING_HELD = "meeting_held", _("Coordination meeting held")
        HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
        ANSWERED = "answered", _("Written answer and evidence filed")
        DECIDED = "decided", _("Decision or judgment received")
        PROCEDURE_CHANGED = "procedure_changed", _("Moved to the ordinary procedure")
        REPLY_ORDERED = "reply_ordered", _("Effective decision or judgment orders a new reply")
        CARRIED_OUT = "carried_out", _("Decision or judgment carried out")

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    on = models.DateField(_("date"))
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.kind} {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("dispute events are append-only")
        super().save(*args, **kwargs)


class DisputeDocument(models.Model):
    """A document of the case (F1): the copy received (申请书副本, 起诉状副本, 应诉通知书), the
    decision or judgment, or evidence the office adds to the bundle. A secret document is never
    stored: it is listed in the evidence list with the explanation of why it is not attached."""

    class Kind(models.TextChoices):
        APPLICATION_COPY = "application_copy", _("Copy of the reconsideration application (申请书副本)")
        COMPLAINT_COPY = "complaint_copy", _("Copy of the complaint (起诉状副本)")
        COURT_NOTICE = "court_notice", _("Court's notice to respond (应诉通知书)")
        DECISION = "decision", _("Decision or judgment")
        NEW_REPLY = "new_reply", _("New reply made as ordered")
        EVIDENCE = "evidence", _("Further evidence")

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    received_on = models.DateField(_("date received or made"))
    purpose = models.CharField(_("what it proves"), max_length=200, blank=True)
    secret = models.BooleanField(_("secret: listed, not attached"), default=False)
    secret_explanation = models.TextField(_("why it is not attached"), blank=True, max_length=1000)
    original_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=80, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    actor_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dispute document")
        ordering = ["received_on", "id"]
        constraints = [
            # A secret document has no stored file and says why; any other has its file.
            models.CheckConstraint(
                condition=(Q(secret=True, stored_name="") & ~Q(secret_explanation=""))
                | (Q(secret=False) & ~Q(stored_name="")),
                name="disputedocument_secret_listed_not_stored",
            )
        ]

    def __str__(self) -> str:
        return self.title
