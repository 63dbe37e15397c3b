"""`load_demo`: the demo district a newcomer's `make run` shows (issue 2)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from gongkai.accounts.choices import ADMIN_ROLES, BUSINESS_ROLES, Role
from gongkai.accounts.models import Agency, Office, User
from gongkai.accounts.validators import validate_uscc

pytestmark = pytest.mark.django_db


def test_demo_district_has_agencies_offices_and_one_person_per_role(tmp_path):
    out = io.StringIO()
    call_command("load_demo", credentials_file=str(tmp_path / "c.txt"), stdout=out)
    district = Agency.objects.get(slug="huangyan")
    township = Agency.objects.get(slug="maoshe")
    assert district.parent is None
    assert township.parent == district
    assert Agency.objects.filter(kind="department", parent=district).exists()
    assert set(Office.objects.filter(agency=township).values_list("name", flat=True)) >= {
        "党政办",
        "经济发展办",
        "农业农村办",
        "社会事务办",
        "平安法治办",
    }
    assert township.offices.get(is_disclosure_office=True).name == "党政办"
    for agency in Agency.objects.all():
        validate_uscc(agency.credit_code)
        holders = User.objects.filter(agency=agency, role_assignments__isnull=False)
        roles = set(holders.values_list("role_assignments__role", flat=True))
        expected = (BUSINESS_ROLES | ADMIN_ROLES) - ({Role.DISTRICT_SUPERVISOR} if agency.parent_id else set())
        assert roles == set(expected)


def test_passwords_are_random_printed_once_and_work(tmp_path, settings):
    path = tmp_path / "c.txt"
    first = io.StringIO()
    call_command("load_demo", credentials_file=str(path), stdout=first)
    lines = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line[1] != "申请查询演示"]
    assert len(lines) == User.objects.count()
    passwords = [line[3] for line in lines]
    assert len(set(passwords)) == len(passwords)
    assert passwords[0] in first.getvalue()
    request = RequestFactory().post("/staff/login/")
    assert authenticate(request, username=lines[0][2], password=lines[0][3]) is not None
    assert oct(path.stat().st_mode)[-3:] == "600"
    again = io.StringIO()
    call_command("load_demo", credentials_file=str(path), stdout=again)
    assert passwords[0] not in again.getvalue()
    assert "演示数据已载入" in again.getvalue()
    assert User.objects.count() == len(lines)


def test_demo_applications_cover_every_state_and_can_be_tracked(tmp_path, client):
    from gongkai.applications.choices import Status
    from gongkai.applications.models import Application

    path = tmp_path / "c.txt"
    call_command("load_demo", credentials_file=str(path), stdout=io.StringIO())
    township = Agency.objects.get(slug="maoshe")
    statuses = set(Application.objects.filter(agency=township).values_list("status", flat=True))
    assert statuses >= {
        Status.RECEIVED,
        Status.AWAITING_CORRECTION,
        Status.CONSULTING,
        Status.REPLIED,
        Status.ABANDONED,
    }
    outcomes = set(Application.objects.filter(agency=township).exclude(outcome="").values_list("outcome", flat=True))
    assert {"disclosed", "partly_disclosed", "withheld_third_party", "other_no_correction"} <= outcomes
    assert Application.objects.filter(agency=township, clock_events__kind="extension_approved").exists()
    from django.utils import timezone

    today = timezone.localdate()
    assert Application.objects.filter(agency=township).overdue(today).exists()
    demo = next(line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "申请查询演示" in line)
    response = client.post("/applications/track/", {"number": demo[2], "query_code": demo[3]})
    assert response.status_code == 200


def test_demo_holds_role_requests_in_each_state_and_demo_people_sign_in_directly(tmp_path, client):
    # AC-04: the approver's queue is not empty in the demo; the bootstrap people need no forced change.
    from django.urls import reverse

    from gongkai.accounts.models import RoleGrantRequest, User
    from tests.conftest import verify_second_factor

    path = tmp_path / "c.txt"
    call_command(
        "load_demo", credentials_file=str(path), without_applications=True, without_catalog=True, stdout=io.StringIO()
    )
    statuses = set(RoleGrantRequest.objects.values_list("status", flat=True))
    assert {"pending", "approved", "rejected"} <= statuses
    assert RoleGrantRequest.objects.filter(status="pending", scope="district").exists()
    credentials = {line.split("\t")[2]: line.split("\t")[3] for line in path.read_text(encoding="utf-8").splitlines()}
    principal = "maoshe.principal"
    client.post(reverse("accounts:login"), {"username": principal, "password": credentials[principal]})
    verify_second_factor(client, User.objects.get(username=principal))  # leaders sign in with a code too
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200, response.get("Location")
    assert response.context["role_requests_waiting"] == 1
    client.post(reverse("accounts:logout"))
    new = "maoshe.disclosure2"
    client.post(reverse("accounts:login"), {"username": new, "password": credentials[new]})
    assert client.get(reverse("accounts:dashboard"))["Location"] == reverse("accounts:password-change")
