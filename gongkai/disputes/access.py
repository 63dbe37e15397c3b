"""Who reaches the dispute pages (registered in apps.py). The disclosure office handles disputes
(seed F1); the agency's leaders read them."""

from gongkai.accounts.choices import Role
from gongkai.core.access import Access, roles

READERS = (Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER)

URL_ACCESS: dict[str, Access] = {
    "disputes:staff-list": roles(*READERS, agency_kwarg="agency_slug"),
    "disputes:staff-detail": roles(*READERS, agency_kwarg="agency_slug"),
    "disputes:staff-create": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "disputes:staff-event": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "disputes:staff-document": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
    "disputes:staff-bundle": roles(Role.DISCLOSURE_OFFICER, agency_kwarg="agency_slug"),
}
