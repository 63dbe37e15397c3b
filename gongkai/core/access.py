"""The one place that decides who may reach which URL (security.md AC-01; seed rule G1).

Every URL name of the project is classified in ``URL_ACCESS``, which each app fills with the
rules of its own URL names from its ``AppConfig.ready()`` (``register_url_access``). ``AccessPolicyMiddleware``
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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


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


# ---------------------------------------------------------------------------------------------
# The registry: each app declares the rules of its own URL names in ``<app>/access.py`` and
# registers them in its ``AppConfig.ready()``; core keeps only the mechanism (issue 9).

URL_ACCESS: dict[str, Access] = {}
ADMIN_ROLES: set[str] = set()  # the 三员 roles, registered by accounts (which owns the roles)
ROLE_LABELS: dict[str, str | Promise] = {}  # role code → label, registered by accounts
_agency_resolver: list[Callable[[str | None], int | None]] = []


def register_url_access(rules: Mapping[str, Access]) -> None:
    """Add an app's rules; one URL name has one rule, declared once."""
    for name, access in rules.items():
        existing = URL_ACCESS.get(name)
        if existing is not None and existing != access:
            raise ImproperlyConfigured(f"URL name {name!r} has two access rules")
        URL_ACCESS[name] = access


def register_roles(labels: Mapping[str, str | Promise], *, admin: Iterable[str]) -> None:
    """The organisation's roles with their labels, and the administrator roles whose pages are
    limited to ADMIN_ALLOWED_NETWORKS (AUTH-04)."""
    ROLE_LABELS.update(labels)
    ADMIN_ROLES.update(admin)


def register_agency_resolver(resolve: Callable[[str | None], int | None]) -> None:
    """How an agency slug in a URL becomes the agency's id (accounts owns agencies)."""
    _agency_resolver[:] = [resolve]


# Core's own pages open to the public or to any signed-in person; its role-gated pages (the
# calendar, the audit trail) are declared by accounts, which owns the roles.
register_url_access(
    {
        "core:workday-calculator": STAFF,
        # JSON API (anonymous, read-only) and its OpenAPI document
        "api:openapi-json": PUBLIC,
        "api:api-root": PUBLIC,
        "api:workdays_add": PUBLIC,
        "api:workdays_between_view": PUBLIC,
        "api:workdays_info": PUBLIC,
    }
)


def _agency_id(slug: str | None) -> int | None:
    if not _agency_resolver:
        raise ImproperlyConfigured("no agency resolver registered")
    return _agency_resolver[0](slug)


class Decision(enum.Enum):
    ALLOW = "allow"
    LOGIN = "login"  # not signed in: send to the login page
    FORBIDDEN = "forbidden"  # signed in, lacks the role: 403
    NOT_FOUND = "not_found"  # unknown URL name, or another agency's page: 404


def decide(user: Any, access: Access | None, url_kwargs: Mapping[str, Any]) -> Decision:
    """The decision for one request; pure apart from the user's cached role list. ``user`` is
    ``request.user`` (the project's user model, which accounts owns, or AnonymousUser)."""
    if access is None:
        return Decision.NOT_FOUND
    if access.public:
        return Decision.ALLOW
    if not (user and user.is_authenticated and user.is_active and user.agency_id):
        return Decision.LOGIN
    if access.roles is None:
        return Decision.ALLOW
    if access.agency_kwarg is not None:
        agency_id = _agency_id(url_kwargs.get(access.agency_kwarg))
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
    return access is not None and access.roles is not None and bool(ADMIN_ROLES) and access.roles <= ADMIN_ROLES


def user_roles(user: Any) -> frozenset[str]:  # the project's user model (accounts owns it)
    """The roles the person holds, read once per request."""
    cached = getattr(user, "_gongkai_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        user._gongkai_roles = cached
    return cached
