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
