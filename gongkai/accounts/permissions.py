"""Who may see and touch which agency, staff account and role request (style.md §2
permissions.py; security.md AC-01, AC-04).

Views fetch these objects only through the ``get_*_for_user`` functions: another agency's
object answers 404 as if it did not exist (the URL rules in ``access.py`` refuse the page first;
this is the second wall, for a rule written too wide). The services check again when the person
acts (who may decide a request: ``services.may_decide``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, RoleGrantRequest, User
from gongkai.core.access import user_roles

ROLE_REQUEST_ROLES = frozenset({Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER})


def get_agency_for_user(user: User, slug: str) -> Agency:
    """The agency of ``slug`` when it is the person's own; 404 otherwise (an agency's
    administration pages are its own staff's)."""
    agency = get_object_or_404(Agency, slug=slug)
    if agency.pk != user.agency_id:
        raise Http404
    return agency


def get_staff_member_for_user(user: User, agency: Agency, pk: int) -> User:
    """A staff account of ``agency`` (already the person's own, ``get_agency_for_user``)."""
    if agency.pk != user.agency_id:
        raise Http404
    return get_object_or_404(User, pk=pk, agency=agency)


def visible_role_requests(user: User) -> QuerySet[RoleGrantRequest]:
    """Requests a person may see: their own agency's (security administrators and principal
    leaders), and, for the district's, every agency of the district."""
    if not user_roles(user) & ROLE_REQUEST_ROLES or not user.agency_id:
        return RoleGrantRequest.objects.none()
    queryset = RoleGrantRequest.objects.select_related("agency", "user", "requested_by", "decided_by")
    if user.agency is not None and user.agency.parent_id is None:  # the district
        return queryset.filter(Q(agency_id=user.agency_id) | Q(agency__parent_id=user.agency_id))
    return queryset.filter(agency_id=user.agency_id)


def get_role_request_for_user(user: User, pk: int) -> RoleGrantRequest:
    return get_object_or_404(visible_role_requests(user), pk=pk)
