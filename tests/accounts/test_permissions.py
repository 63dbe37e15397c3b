"""The second wall behind the URL rules (issue 9; security.md AC-01): an agency's accounts, and
the role requests a person may see, are fetched only through ``accounts/permissions.py``, and
another agency's answer 404 as if they did not exist."""

from __future__ import annotations

import pytest
from django.http import Http404

from gongkai.accounts import services
from gongkai.accounts.choices import Role
from gongkai.accounts.models import RoleGrantRequest
from gongkai.accounts.permissions import (
    get_agency_for_user,
    get_role_request_for_user,
    get_staff_member_for_user,
    visible_role_requests,
)
from gongkai.accounts.services import RoleGrant


def test_an_agency_and_its_staff_are_its_own_staffs(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    assert get_agency_for_user(admin, "maoshe") == world.township
    assert get_staff_member_for_user(admin, world.township, clerk.pk) == clerk
    with pytest.raises(Http404):
        get_agency_for_user(admin, "huangyan-agri")
    with pytest.raises(Http404):
        get_staff_member_for_user(admin, world.department, world.person(world.department, Role.CLERK).pk)
    with pytest.raises(Http404):  # a person of another agency, asked through one's own agency
        get_staff_member_for_user(admin, world.township, world.person(world.department, Role.CLERK).pk)


def test_role_requests_are_seen_by_their_agency_and_by_the_district(world):
    township_admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    office = clerk.role_assignments.get().office
    services.set_user_roles(
        actor=township_admin,
        user=clerk,
        grants=[RoleGrant(Role.CLERK, office), RoleGrant(Role.DISCLOSURE_OFFICER)],
        reason="兼任政务公开工作。",
    )
    request = RoleGrantRequest.objects.get(user=clerk, status=RoleGrantRequest.Status.PENDING)
    district_admin = world.person(world.district, Role.SECURITY_ADMIN)
    department_admin = world.person(world.department, Role.SECURITY_ADMIN)
    assert get_role_request_for_user(township_admin, request.pk) == request
    assert get_role_request_for_user(district_admin, request.pk) == request
    with pytest.raises(Http404):
        get_role_request_for_user(department_admin, request.pk)
    assert list(visible_role_requests(clerk)) == []  # a clerk decides nothing
