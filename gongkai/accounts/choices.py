"""Roles and organisation kinds (seed rules A1, A9, G3, H4; security.md AC-04)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    DISTRICT = "district", _("District government")
    TOWNSHIP = "township", _("Township")
    STREET = "street", _("Street office")
    DEPARTMENT = "department", _("Government department")
    INSTITUTION = "institution", _("Public institution")
    ENTERPRISE = "enterprise", _("Public enterprise")


class Role(models.TextChoices):
    # Business roles: a person may hold several in one agency.
    CLERK = "clerk", _("Drafting clerk")
    OFFICE_HEAD = "office_head", _("Office head")
    DISCLOSURE_OFFICER = "disclosure_officer", _("Disclosure officer")
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer", _("Confidentiality reviewer")
    LEADER_IN_CHARGE = "leader_in_charge", _("Leader in charge")
    PRINCIPAL_LEADER = "principal_leader", _("Principal leader")
    WEB_ADMINISTRATOR = "web_administrator", _("Web administrator")
    DISTRICT_SUPERVISOR = "district_supervisor", _("District supervisor")
    # Administrator roles (三员): mutually exclusive, no business powers.
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Roles whose work is done inside one office, so the assignment names the office.
OFFICE_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD})
# Only a person of the district agency can supervise the district.
DISTRICT_ONLY_ROLES = frozenset({Role.DISTRICT_SUPERVISOR})
