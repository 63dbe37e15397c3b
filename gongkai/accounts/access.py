"""Who may reach the accounts pages, and core's own role-gated pages (security.md AC-01, AC-04).

Core's calendar and audit pages are declared here because the roles they need are the
organisation's, which accounts owns; core keeps only the mechanism (``gongkai.core.access``).
"""

from __future__ import annotations

from gongkai.accounts.choices import Role
from gongkai.core.access import PUBLIC, STAFF, Access, roles

URL_ACCESS: dict[str, Access] = {
    # Sign-in (public by nature) and the signed-in person's own pages
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password-change": STAFF,
    "accounts:dashboard": STAFF,
    # The second factor (AUTH-04): the code step and enrolment come after the password step;
    # TwoFactorMiddleware lets only these through before the code is given.
    "accounts:otp-verify": STAFF,
    "accounts:otp-enrol": STAFF,
    "accounts:two-factor": STAFF,
    "accounts:recovery-codes": STAFF,
    # The national holiday arrangement is one for the whole platform: district system admin.
    "core:calendar-list": roles(Role.SYSTEM_ADMIN, district=True),
    "core:calendar-create": roles(Role.SYSTEM_ADMIN, district=True),
    "core:calendar-edit": roles(Role.SYSTEM_ADMIN, district=True),
    # The audit trail: audit administrators only (AC-04)
    "core:audit-list": roles(Role.AUDIT_ADMIN),
    # An agency's own administration (AC-04): security admin for people, system admin for settings
    "accounts:user-list": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
    "accounts:user-create": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
    "accounts:user-edit": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
    "accounts:user-deactivate": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
    "accounts:user-activate": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
    "accounts:agency-edit": roles(Role.SYSTEM_ADMIN, agency_kwarg="agency_slug"),
    # Role grants wait for a second person (AC-04): the principal leader or the district's
    # security administrator decides; the service checks who may decide which request.
    "accounts:role-request-list": roles(Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER),
    "accounts:role-request-decide": roles(Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER),
    # Sign-in rules (second factor for all, allowed networks) and a lost phone: security admin
    "accounts:agency-security": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
    "accounts:user-otp-reset": roles(Role.SECURITY_ADMIN, agency_kwarg="agency_slug"),
}


def agency_id_of_slug(slug: str | None) -> int | None:
    from gongkai.accounts.models import Agency

    return Agency.objects.filter(slug=slug).values_list("id", flat=True).first()
