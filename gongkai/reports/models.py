"""The annual report as a document with versions (条例 art. 49–50; issue 11).

``YearFigures`` freezes the figures computed from the records (sections 三 and 四) for an
agency's year, once the year has ended: a later edit to an application or a dispute cannot change
them silently. ``Report`` is one version of the report: the staff's texts (一, 五, 六), the
entered items of section 二 with their sources, the frozen figures it was approved with, and its
way to publication. A corrected report is a new version with its reason; the published one it
replaces is kept, superseded."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Agency
from gongkai.reports.choices import Status


class YearFigures(models.Model):
    """Sections 三 and 四 of an agency's year as the records stood when frozen (the JSON of
    ``annual.AnnualReport.as_json`` without the rules)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    data = models.JSONField()
    frozen_at = models.DateTimeField(_("frozen at"))
    # A re-freeze for a corrected version keeps the earlier rows: each version names its figures.
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("year figures")
        ordering = ["agency", "year", "frozen_at", "pk"]
        indexes = [models.Index(fields=["agency", "year"], name="yearfigures_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} @ {self.frozen_at:%Y-%m-%d %H:%M}"


class ReportSetting(models.Model):
    """When an agency's report is due (条例 art. 49: by 31 January; an agency may set an earlier
    internal date) and how many days ahead the office is reminded."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="+")
    due_month = models.PositiveSmallIntegerField(_("due month"), default=1)
    due_day = models.PositiveSmallIntegerField(_("due day"), default=31)
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many days before"), default=20)

    class Meta:
        verbose_name = _("annual report setting")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_month=1, due_day__gte=1, due_day__lte=31), name="reportsetting_due_in_january"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: 1-{self.due_day}"


class ReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Report(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    overview = models.TextField(_("1. Overall situation"), blank=True)
    problems = models.TextField(_("5. Main problems and improvements"), blank=True)
    other_matters = models.TextField(_("6. Other matters to report"), blank=True)
    # Section 二 as entered: {item: {cell: number or null, "source": text}} (tables.SECTION_2_ITEMS),
    # and {"first_year": {item: in force at the end of the previous year}} when the platform
    # holds no report of that year.
    section_2 = models.JSONField(default=dict, blank=True)
    figures = models.ForeignKey(YearFigures, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by_name = models.CharField(max_length=150, blank=True)
    approved_by_name = models.CharField(max_length=150, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    index_number = models.CharField(_("index number"), max_length=80, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        ordering = ["agency", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "version"], name="report_one_number_per_version"),
            # One version of a year is on its way at a time, and one is published at a time (a
            # correction is written while the version it corrects stays public).
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=~Q(status__in=[Status.PUBLISHED, Status.SUPERSEDED]),
                name="report_one_version_in_progress",
            ),
            models.UniqueConstraint(
                fields=["agency", "year"], condition=Q(status=Status.PUBLISHED), name="report_one_published_version"
            ),
            models.CheckConstraint(condition=Q(version=1) | ~Q(correction_reason=""), name="report_correction_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.year}"

    def get_staff_url(self) -> str:
        return reverse("reports:staff-detail", kwargs={"agency_slug": self.agency.slug, "year": self.year})

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT


def due_date(agency: Agency, year: int) -> date:
    """The date the report of ``year`` is due (条例 art. 49: 每年1月31日前, a calendar date of the
    following year, not a period; an agency may set an earlier internal date)."""
    setting = ReportSetting.objects.filter(agency=agency).first()
    return date(year + 1, 1, setting.due_day if setting else 31)
