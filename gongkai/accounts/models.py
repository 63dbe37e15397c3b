"""Organisation (district → agencies → offices) and staff with their roles (A1, A9, G3, H4)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongkai.accounts.choices import ADMIN_ROLES, AgencyKind, Role
from gongkai.accounts.validators import (
    validate_index_template,
    validate_network_list,
    validate_notice_number_template,
    validate_uscc,
)


class Agency(models.Model):
    """A body that discloses information: the district itself, a township, a department, …

    The district is an agency too (kind=district, no parent); every other agency names it as
    parent. Contact details feed the agency's 政府信息公开指南 page (A2/A9, art. 12).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(_("web address name"), max_length=40, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    index_prefix = models.CharField(
        _("catalog index prefix"),
        max_length=40,
        help_text=_("Prefix of this agency's catalog index numbers, usually its credit code."),
    )
    index_template = models.CharField(
        _("catalog index number format"),
        max_length=60,
        default="{prefix}/{year}-{serial:05d}",
        validators=[validate_index_template],
        help_text=_("Placeholders: {prefix}, {year} and {serial} (e.g. {serial:05d} for five digits)."),
    )
    # The day the agency started publishing through the platform. A catalog import splits on
    # it: items published after it enter the review chain as drafts; older (legacy) ones wait
    # for the leader in charge's approval of the batch. Unset: every imported row is a draft.
    go_live_on = models.DateField(
        _("platform go-live date"),
        null=True,
        blank=True,
        help_text=_(
            "Imported catalog items published after this date enter the review chain as drafts; "
            "older ones are published only after the leader in charge approves the batch. "
            "Leave empty to send every imported item through the review chain."
        ),
    )
    disclosure_office_name = models.CharField(_("disclosure office"), max_length=100)
    address = models.CharField(_("office address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    acceptance_phone = models.CharField(_("application acceptance phone"), max_length=40)
    supervision_phone = models.CharField(_("supervision and complaints phone"), max_length=40)
    website = models.URLField(_("website"), blank=True)
    # Named in every reply's remedies (行政复议法 arts. 20, 23, 24; 行政诉讼法 arts. 45, 46). Empty
    # organ: the parent agency (the district government reviews its townships and departments,
    # art. 24(一)(二)). Empty court: "the people's court", where Zhejiang's designated courts for
    # administrative cases are not configured.
    reconsideration_organ = models.CharField(
        _("administrative reconsideration organ"),
        max_length=100,
        blank=True,
        help_text=_("Named in every reply. Leave empty for the district government."),
    )
    competent_court = models.CharField(
        _("court for administrative cases"),
        max_length=100,
        blank=True,
        help_text=_("Optional: the court designated for administrative cases against this agency."),
    )
    # Letters are numbered like official documents (issue 10): 茅政信复〔2026〕4号.
    document_prefix = models.CharField(
        _("issuer's code in document numbers"),
        max_length=20,
        blank=True,
        help_text=_("E.g. 茅政 for 茅政信复〔2026〕4号. Leave empty to use the agency's name."),
    )
    notice_number_template = models.CharField(
        _("notice number format"),
        max_length=60,
        default="{prefix}信{kind}〔{year}〕{serial}号",
        validators=[validate_notice_number_template],
        help_text=_(
            "Placeholders: {prefix} (the issuer's code), {kind} (收 receipt, 补 correction, 征 consultation, "
            "延 extension, 费 fee, 复 reply), {year} and {serial} (counted per kind and year)."
        ),
    )
    fee_payment_method = models.TextField(
        _("how to pay the processing fee"),
        max_length=500,
        blank=True,
        help_text=_("Printed on every fee notice: the payee account or the non-tax payment code, and where to pay."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Set by the agency's security administrator (security.md AUTH-04): a second factor for every
    # staff member (administrators and leaders always need one), and the networks staff pages
    # may be used from (one CIDR range a line; empty: anywhere).
    require_two_factor_for_all = models.BooleanField(
        _("second factor for all staff"),
        default=False,
        help_text=_("Administrators and leaders always sign in with a code; this asks it of everyone."),
    )
    allowed_networks = models.TextField(
        _("allowed networks"),
        blank=True,
        validators=[validate_network_list],
        help_text=_("One network range a line, e.g. 10.12.0.0/16. Empty: staff pages can be used from anywhere."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["parent_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AgencyKind.DISTRICT, parent__isnull=True)
                | (~Q(kind=AgencyKind.DISTRICT) & Q(parent__isnull=False)),
                name="agency_district_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:guide", kwargs={"agency_slug": self.slug})

    @property
    def is_district(self) -> bool:
        return self.kind == AgencyKind.DISTRICT

    @property
    def district_id(self) -> int:
        return self.pk if self.parent_id is None else self.parent_id


class Office(models.Model):
    """An office inside an agency (党政办, 经济发展办, …)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(_("name"), max_length=100)
    is_disclosure_office = models.BooleanField(
        _("is the disclosure office"), default=False, help_text=_("The office that runs disclosure work (A2).")
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["agency_id", "-is_disclosure_office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="office_name_unique_in_agency"),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(is_disclosure_office=True), name="one_disclosure_office_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.name}"


class User(AbstractUser):
    """A staff account. Every staff member belongs to exactly one agency."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=50)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, on_delete=models.PROTECT, related_name="staff"
    )
    # Bumped whenever roles change or the account is disabled: every open session ends (AUTH-06).
    session_version = models.PositiveIntegerField(default=0, editable=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # An account opened through the workbench starts with a one-time password the creator has
    # seen: its owner must choose their own at first sign-in (security.md AC-04, AUTH-02).
    must_change_password = models.BooleanField(_("must choose a new password"), default=False, editable=False)

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["agency_id", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django's hash covers the password only; ours also covers session_version, so a role
        # change or deactivation logs the person out everywhere.
        return salted_hmac(
            "gongkai.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class RoleAssignment(models.Model):
    """One role held by one staff member in their agency (office-bound roles name the office)."""

    user = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user"),
            # 三员分立: at most one administrator role per person, enforced by the database.
            models.UniqueConstraint(
                fields=["user"], condition=Q(role__in=sorted(ADMIN_ROLES)), name="one_admin_role_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class RoleGrantRequest(models.Model):
    """A grant of roles waiting for a second person (security.md AC-04; seed G3).

    The security administrator asks; the roles take effect only when an approver decides:
    business roles by the agency's principal leader (主要领导), administrator roles and the
    principal leader role itself by the district (its security administrator or principal
    leader). Neither the person who asked nor the person receiving the roles may decide, which
    the database enforces as well. ``roles_before``/``roles_after`` are lists of
    ``{"role": …, "office": office id or null}``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", pgettext_lazy("role request", "Approved")
        REJECTED = "rejected", pgettext_lazy("role request", "Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    class Scope(models.TextChoices):
        AGENCY = "agency", _("The agency's principal leader")
        DISTRICT = "district", _("The district")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="role_grant_requests"
    )
    user = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="role_grant_requests"
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="role_grant_requests_made"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    for_new_account = models.BooleanField(_("for a new account"), default=False)
    roles_before = models.JSONField(_("roles before"), default=list)
    roles_after = models.JSONField(_("roles requested"), default=list)
    reason = models.TextField(_("reason"), max_length=500)
    scope = models.CharField(_("approved by"), max_length=10, choices=Scope.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grant_requests_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_role_request_per_user"
            ),
            # Four eyes (AC-04): the decider is neither the requester nor the person concerned.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("requested_by")) & ~Q(decided_by=models.F("user"))),
                name="role_request_decided_by_another_person",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True)
                | Q(status="superseded")
                | (Q(status__in=["approved", "rejected"]) & Q(decided_by__isnull=False)),
                name="role_request_decision_has_a_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"

    # Office names read once for a whole list (``preload_office_names``), else per request.
    _office_names: dict[int, str] | None = None

    @classmethod
    def preload_office_names(cls, requests: Iterable[RoleGrantRequest]) -> None:
        """Read the office names every request of a list shows in one query (issue 9)."""
        requests = list(requests)
        ids = {i["office"] for r in requests for i in (*r.roles_before, *r.roles_after) if i["office"]}
        names = dict(Office.objects.filter(pk__in=ids).values_list("pk", "name"))
        for request in requests:
            request._office_names = names

    def _labels(self, items: list[dict]) -> list[str]:
        offices = self._office_names
        if offices is None:
            office_ids = [i["office"] for i in items if i["office"]]
            offices = dict(Office.objects.filter(pk__in=office_ids).values_list("pk", "name"))
        labels = []
        for item in items:
            label = str(Role(item["role"]).label)
            if item["office"]:
                label += f"（{offices.get(item['office'], '')}）"
            labels.append(label)
        return labels

    def labels_before(self) -> list[str]:
        return self._labels(self.roles_before)

    def labels_after(self) -> list[str]:
        return self._labels(self.roles_after)

    def labels_added(self) -> list[str]:
        before = {(i["role"], i["office"]) for i in self.roles_before}
        return self._labels([i for i in self.roles_after if (i["role"], i["office"]) not in before])
