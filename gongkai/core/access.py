"""The one place that decides who may reach which URL (security.md AC-01; seed rule G1).

Every URL name of the project is classified in ``URL_ACCESS``. ``AccessPolicyMiddleware``
applies it before any view runs; a URL missing here is refused (deny by default), and
``tests/core/test_permission_matrix.py`` fails when one is missing. Object-level checks
(which agency's document, which applicant's application) stay in each app's ``permissions.py``.

Rules:
- ``PUBLIC``: anyone, signed in or not.
- ``APPLICANT``: anyone, but the page carries one applicant's personal data (the form, the receipt
  with its query code, the tracker): never stored by a browser or proxy (WEB-02, PI-02).
- ``STAFF``: any signed-in staff member.
- ``roles(...)``: a signed-in staff member holding one of the roles. With
  ``agency_kwarg`` the URL names an agency (by slug) and the person must belong to it: data
  never crosses agencies. With ``district=True`` the person must belong to the district agency.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from gongkai.accounts.choices import Role


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[str] | None = None
    agency_kwarg: str | None = None
    district: bool = False
    personal: bool = False


PUBLIC = Access(public=True)
APPLICANT = Access(public=True, personal=True)
STAFF = Access()


def roles(*names: str, agency_kwarg: str | None = None, district: bool = False) -> Access:
    return Access(roles=frozenset(names), agency_kwarg=agency_kwarg, district=district)


APPLICATION_READERS = frozenset({Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER})
APPLICATION_WORKERS = APPLICATION_READERS | {Role.CLERK, Role.OFFICE_HEAD, Role.CONFIDENTIALITY_REVIEWER}

CATALOG_WORKERS = APPLICATION_WORKERS | {Role.WEB_ADMINISTRATOR}

URL_ACCESS: dict[str, Access] = {
    # Public portal
    "portal:home": PUBLIC,
    "portal:guide": PUBLIC,
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
    # The working-day calculator serves every staff member
    "core:workday-calculator": STAFF,
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
    # Applications (依申请公开): the public form, receipt and tracking (by number + query code)
    "applications:apply": APPLICANT,
    "applications:receipt": APPLICANT,
    "applications:track": APPLICANT,
    # The agency's disclosure office handles them; its leaders read them and approve extensions.
    # Office staff and the confidentiality reviewer work on them too (object checks narrow it).
    "applications:staff-list": roles(*APPLICATION_WORKERS, agency_kwarg="agency_slug"),
    "applications:staff-detail": roles(*APPLICATION_WORKERS, agency_kwarg="agency_slug"),
    "applications:staff-event": roles(*APPLICATION_WORKERS, agency_kwarg="agency_slug"),
    "applications:staff-create": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:staff-reveal": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:staff-attachment": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:staff-notice": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:staff-notice-file": roles(*APPLICATION_WORKERS, agency_kwarg="agency_slug"),
    "applications:track-notice": APPLICANT,  # needs the number and the query code
    "applications:archive": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:archive-file": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:template-list": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:template-edit": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    # JSON API: anonymous; applications are reached only with their query code
    "api:applications_create": APPLICANT,
    "api:applications_status": APPLICANT,
    # The disclosure catalog (issue 3): the public catalog, items, files of published items,
    # the feed and the sitemap; published items only (views answer 404 for anything else)
    "catalog:index": PUBLIC,
    "catalog:agency-catalog": PUBLIC,
    "catalog:item": PUBLIC,
    "catalog:attachment": PUBLIC,
    "catalog:feed": PUBLIC,
    "catalog:sitemap": PUBLIC,
    "api:catalog_search": PUBLIC,
    "api:catalog_item": PUBLIC,
    # Staff work on the catalog: every business role of the review chain; the services decide
    # which step each may take, and office staff see only their offices' items
    "catalog:staff-list": roles(*CATALOG_WORKERS, agency_kwarg="agency_slug"),
    "catalog:staff-detail": roles(*CATALOG_WORKERS, agency_kwarg="agency_slug"),
    "catalog:staff-action": roles(*CATALOG_WORKERS, agency_kwarg="agency_slug"),
    "catalog:staff-version": roles(*CATALOG_WORKERS, agency_kwarg="agency_slug"),
    "catalog:staff-attachment": roles(*CATALOG_WORKERS, agency_kwarg="agency_slug"),
    "catalog:staff-review-form": roles(*CATALOG_WORKERS, agency_kwarg="agency_slug"),
    "catalog:staff-create": roles(Role.CLERK, agency_kwarg="agency_slug"),
    "catalog:staff-edit": roles(Role.CLERK, agency_kwarg="agency_slug"),
    "catalog:staff-leader-queue": roles(Role.LEADER_IN_CHARGE, agency_kwarg="agency_slug"),
    "catalog:staff-subcategories": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "catalog:staff-import": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "catalog:staff-import-status": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    # A batch of legacy rows is published only when the agency's leader in charge approves it (B1)
    "catalog:staff-import-review": roles(Role.LEADER_IN_CHARGE, agency_kwarg="agency_slug"),
    "catalog:staff-import-approve": roles(Role.LEADER_IN_CHARGE, agency_kwarg="agency_slug"),
    "catalog:staff-import-reject": roles(Role.LEADER_IN_CHARGE, agency_kwarg="agency_slug"),
    "catalog:staff-export": roles(Role.DISCLOSURE_OFFICER, Role.WEB_ADMINISTRATOR, agency_kwarg="agency_slug"),
    # JSON API (anonymous, read-only) and its OpenAPI document
    "api:openapi-json": PUBLIC,
    "api:workdays_add": PUBLIC,
    "api:workdays_between_view": PUBLIC,
    "api:api-root": PUBLIC,
    "api:workdays_info": PUBLIC,
}


class Decision(enum.Enum):
    ALLOW = "allow"
    LOGIN = "login"  # not signed in: send to the login page
    FORBIDDEN = "forbidden"  # signed in, lacks the role: 403
    NOT_FOUND = "not_found"  # unknown URL name, or another agency's page: 404


def decide(user, access: Access | None, url_kwargs: dict) -> Decision:
    """The decision for one request; pure apart from the user's cached role list."""
    if access is None:
        return Decision.NOT_FOUND
    if access.public:
        return Decision.ALLOW
    if not (user and user.is_authenticated and user.is_active and user.agency_id):
        return Decision.LOGIN
    if access.roles is None:
        return Decision.ALLOW
    if access.agency_kwarg is not None:
        from gongkai.accounts.models import Agency

        slug = url_kwargs.get(access.agency_kwarg)
        agency_id = Agency.objects.filter(slug=slug).values_list("id", flat=True).first()
        if agency_id is None or agency_id != user.agency_id:
            return Decision.NOT_FOUND
    if access.district and user.agency.parent_id is not None:
        return Decision.FORBIDDEN
    if not access.roles & user_roles(user):
        return Decision.FORBIDDEN
    return Decision.ALLOW


def is_staff_page(access: Access | None) -> bool:
    """A classified page for signed-in staff (not the public portal, not the sign-in page)."""
    return access is not None and not access.public


def is_administration_page(access: Access | None) -> bool:
    """A page only the 三员 administrators reach: limited to ADMIN_ALLOWED_NETWORKS (AUTH-04)."""
    from gongkai.accounts.choices import ADMIN_ROLES

    return access is not None and access.roles is not None and access.roles <= ADMIN_ROLES


def user_roles(user) -> frozenset[str]:
    """The roles the person holds, read once per request."""
    cached = getattr(user, "_gongkai_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        user._gongkai_roles = cached
    return cached
