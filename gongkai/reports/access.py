"""Who reaches the report pages (registered in apps.py). The disclosure office writes the report,
the leaders approve it, the web administrator publishes it; the district supervisor reads the
district's roll-up."""

from gongkai.accounts.choices import Role
from gongkai.core.access import Access, roles

READERS = (Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER, Role.WEB_ADMINISTRATOR)

URL_ACCESS: dict[str, Access] = {
    "reports:staff-list": roles(*READERS, agency_kwarg="agency_slug"),
    "reports:staff-detail": roles(*READERS, agency_kwarg="agency_slug"),
    "reports:staff-json": roles(*READERS, agency_kwarg="agency_slug"),
    "api:reports_annual": roles(*READERS, agency_kwarg="agency_slug"),
    "reports:staff-download": roles(*READERS, agency_kwarg="agency_slug"),
    "reports:staff-start": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "reports:staff-edit": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "reports:staff-correct": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "reports:staff-action": roles(*READERS, agency_kwarg="agency_slug"),
    "reports:district": roles(Role.DISTRICT_SUPERVISOR, district=True),
}
