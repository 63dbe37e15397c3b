"""Who may reach the catalog pages and endpoints (security.md AC-01; seed B1, G3–G8)."""

from __future__ import annotations

from gongkai.accounts.choices import Role
from gongkai.core.access import PUBLIC, Access, roles

# Every business role of the review chain; the services decide which step each may take, and
# office staff see only their offices' entries.
CATALOG_WORKERS = frozenset(
    {
        Role.DISCLOSURE_OFFICER,
        Role.LEADER_IN_CHARGE,
        Role.PRINCIPAL_LEADER,
        Role.CLERK,
        Role.OFFICE_HEAD,
        Role.CONFIDENTIALITY_REVIEWER,
        Role.WEB_ADMINISTRATOR,
    }
)

URL_ACCESS: dict[str, Access] = {
    # The public catalog, entries, files of published entries, the feed and the sitemap;
    # published entries only (views answer 404 for anything else)
    "catalog:index": PUBLIC,
    "catalog:agency-catalog": PUBLIC,
    "catalog:item": PUBLIC,
    "catalog:attachment": PUBLIC,
    "catalog:feed": PUBLIC,
    "catalog:sitemap": PUBLIC,
    "api:catalog_search": PUBLIC,
    "api:catalog_item": PUBLIC,
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
}
