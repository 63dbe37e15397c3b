"""Who may reach the application pages and endpoints (security.md AC-01; seed E1–E6)."""

from __future__ import annotations

from gongkai.accounts.choices import Role
from gongkai.core.access import APPLICANT, Access, roles

APPLICATION_READERS = frozenset({Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER})
APPLICATION_WORKERS = APPLICATION_READERS | {Role.CLERK, Role.OFFICE_HEAD, Role.CONFIDENTIALITY_REVIEWER}

URL_ACCESS: dict[str, Access] = {
    # The public form, receipt and tracking (by number + query code)
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
    "applications:staff-receipt-with-code": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:staff-notice-file": roles(*APPLICATION_WORKERS, agency_kwarg="agency_slug"),
    "applications:track-notice": APPLICANT,  # needs the number and the query code
    "applications:archive": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:archive-file": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:template-list": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "applications:template-edit": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    # JSON API: anonymous; applications are reached only with their query code
    "api:applications_create": APPLICANT,
    "api:applications_status": APPLICANT,
    "api:agencies_list": APPLICANT,  # the agencies that take applications: public
}
