"""Granting roles needs a second person (security.md AC-04 三员分立, AUTH-01; seed A1, A9, G3, H4).

The security administrator asks; business roles take effect when the agency's principal leader
approves, administrator roles (and the principal leader role) when the district approves. Nobody
decides on a request they made or on roles given to them. A new account starts with a one-time
password and must choose its own at first sign-in. Each test here fails on the code before
issue 8, where the security administrator granted any role alone and chose the password."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from gongkai.accounts.choices import ADMIN_ROLES, Role
from gongkai.accounts.models import RoleGrantRequest, User
from gongkai.accounts.services import (
    RoleGrant,
    approve_role_request,
    open_staff_account,
    reject_role_request,
    requests_awaiting,
    set_user_roles,
)
from gongkai.core.models import AuditEvent
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

CHOSEN = "Chosen-By-The-Admin-2026!"


def roles_of(user: User) -> set[str]:
    return set(user.role_assignments.values_list("role", flat=True))


def sign_in(username: str, password: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client


def open_account(world, agency, username, *roles, reason="新进人员。"):
    return open_staff_account(
        actor=world.person(agency, Role.SECURITY_ADMIN),
        agency=agency,
        username=username,
        full_name="新同事",
        email=f"{username}@example.gov.cn",
        grants=[RoleGrant(role=r) for r in roles],
        reason=reason,
    )


def test_the_security_admins_new_account_has_no_roles_and_no_password_they_chose(client, world):
    # The reported path: an account with the disclosure-officer role and a password the admin chose.
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    response = client.post(
        reverse("accounts:user-create", args=["maoshe"]),
        {
            "username": "maoshe.shadow",
            "full_name": "影子",
            "email": "",
            "password": CHOSEN,
            "roles": [Role.DISCLOSURE_OFFICER],
            "reason": "临时",
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="maoshe.shadow")
    assert roles_of(user) == set()
    assert user.must_change_password
    assert authenticate(RequestFactory().post("/"), username="maoshe.shadow", password=CHOSEN) is None
    # The one-time password is on the page, once; it opens only the change-password page.
    one_time = response.context["account"].one_time_password
    assert one_time in response.content.decode()
    shadow = sign_in("maoshe.shadow", one_time)
    application_list = reverse("applications:staff-list", args=["maoshe"])
    assert shadow.get(application_list)["Location"] == reverse("accounts:password-change")
    request = RoleGrantRequest.objects.get(user=user)
    assert request.status == RoleGrantRequest.Status.PENDING
    assert request.requested_by == world.person(world.township, Role.SECURITY_ADMIN)
    assert request.scope == RoleGrantRequest.Scope.AGENCY


def test_the_security_admin_cannot_give_an_existing_person_business_roles_alone(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    office = clerk.role_assignments.get().office
    grants = [RoleGrant(Role.CLERK, office), RoleGrant(Role.DISCLOSURE_OFFICER)]
    with pytest.raises(ValidationError) as exc:  # a reason is needed
        set_user_roles(actor=admin, user=clerk, grants=grants)
    assert "理由" in " ".join(exc.value.messages)
    set_user_roles(
        actor=admin,
        user=clerk,
        grants=[RoleGrant(Role.CLERK, office), RoleGrant(Role.DISCLOSURE_OFFICER)],
        reason="兼任",
    )
    assert roles_of(clerk) == {Role.CLERK}
    request = RoleGrantRequest.objects.get(user=clerk, status=RoleGrantRequest.Status.PENDING)
    assert request.labels_added() == ["政务公开专员"]
    # The administrator cannot approve it themselves …
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=admin, request=request)
    # … nor can a leader who is not the principal leader.
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=world.person(world.township, Role.LEADER_IN_CHARGE), request=request)
    assert roles_of(clerk) == {Role.CLERK}


def test_principal_leader_approves_and_the_first_sign_in_forces_a_password_of_ones_own(world):
    account = open_account(world, world.township, "maoshe.officer2", Role.DISCLOSURE_OFFICER)
    principal = world.person(world.township, Role.PRINCIPAL_LEADER)
    assert requests_awaiting(principal) == [account.request]
    # The queue and the dashboard count show it to the principal leader.
    leader_client = Client()
    leader_client.force_login(principal)
    assert leader_client.get(reverse("accounts:dashboard")).context["role_requests_waiting"] == 1
    assert "maoshe.officer2" in leader_client.get(reverse("accounts:role-request-list")).content.decode()
    response = leader_client.post(
        reverse("accounts:role-request-decide", args=[account.request.pk]), {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    user = account.user
    assert roles_of(user) == {Role.DISCLOSURE_OFFICER}
    event = AuditEvent.objects.get(event="accounts.role_request.approved")
    assert event.actor_username == principal.username
    assert event.data["user"] == "maoshe.officer2"
    assert event.data["requested_by"] == world.person(world.township, Role.SECURITY_ADMIN).username
    assert event.data["after"]["roles"] == ["disclosure_officer"]

    person = sign_in("maoshe.officer2", account.one_time_password)
    staff_list = reverse("applications:staff-list", args=["maoshe"])
    change = reverse("accounts:password-change")
    assert person.get(staff_list)["Location"] == change
    assert person.get(reverse("accounts:dashboard"))["Location"] == change
    # Keeping the one-time password is refused: the creator has seen it.
    same = account.one_time_password
    response = person.post(change, {"old_password": same, "new_password1": same, "new_password2": same})
    assert response.status_code == 200
    assert "不同" in response.content.decode()
    assert person.get(staff_list)["Location"] == change
    own = "Mine-Alone-Pass-2026!"
    person.post(change, {"old_password": same, "new_password1": own, "new_password2": own})
    assert person.get(staff_list).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEvent.objects.get(event="accounts.user.password_changed", actor_username=user.username).data == {
        "first_sign_in": True
    }


def test_a_second_audit_administrator_needs_the_districts_approval(world):
    account = open_account(world, world.township, "maoshe.auditor2", Role.AUDIT_ADMIN, reason="B 岗")
    request = account.request
    assert request.scope == RoleGrantRequest.Scope.DISTRICT
    assert roles_of(account.user) == set()
    # The agency's own principal leader may not approve an administrator role.
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=world.person(world.township, Role.PRINCIPAL_LEADER), request=request)
    # Nor another agency's security administrator.
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=world.person(world.department, Role.SECURITY_ADMIN), request=request)
    assert roles_of(account.user) == set()
    district_admin = world.person(world.district, Role.SECURITY_ADMIN)
    assert requests_awaiting(district_admin) == [request]
    approve_role_request(actor=district_admin, request=request)
    assert roles_of(account.user) == {Role.AUDIT_ADMIN}


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES | {Role.PRINCIPAL_LEADER}))
def test_administrator_and_principal_leader_roles_go_to_the_district(world, role):
    account = open_account(world, world.department, "agri.newcomer", role)
    assert account.request.scope == RoleGrantRequest.Scope.DISTRICT
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=world.person(world.department, Role.PRINCIPAL_LEADER), request=account.request)
    approve_role_request(actor=world.person(world.district, Role.PRINCIPAL_LEADER), request=account.request)
    assert roles_of(account.user) == {role}


def test_nobody_decides_on_their_own_request(world):
    district_admin = world.person(world.district, Role.SECURITY_ADMIN)
    account = open_account(world, world.district, "huangyan.auditor2", Role.AUDIT_ADMIN)
    request = account.request
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=district_admin, request=request)
    with pytest.raises(PermissionDenied):
        reject_role_request(actor=district_admin, request=request, note="自己驳回")
    assert requests_awaiting(district_admin) == []
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrantRequest.objects.filter(pk=request.pk).update(status="approved", decided_by=district_admin)
    # The district's principal leader decides.
    approve_role_request(actor=world.person(world.district, Role.PRINCIPAL_LEADER), request=request)
    assert roles_of(account.user) == {Role.AUDIT_ADMIN}


def test_the_person_receiving_roles_cannot_approve_them(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    principal = world.person(world.township, Role.PRINCIPAL_LEADER)
    set_user_roles(
        actor=admin,
        user=principal,
        grants=[RoleGrant(Role.PRINCIPAL_LEADER), RoleGrant(Role.CONFIDENTIALITY_REVIEWER)],
        reason="兼任保密审查",
    )
    request = RoleGrantRequest.objects.get(user=principal, status=RoleGrantRequest.Status.PENDING)
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=principal, request=request)
    assert requests_awaiting(principal) == []
    # With the agency's only principal leader concerned, the district decides.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrantRequest.objects.filter(pk=request.pk).update(status="approved", decided_by=principal)
    approve_role_request(actor=world.person(world.district, Role.SECURITY_ADMIN), request=request)
    assert roles_of(principal) == {Role.PRINCIPAL_LEADER, Role.CONFIDENTIALITY_REVIEWER}


def test_rejection_needs_a_reason_leaves_the_roles_and_is_audited(world):
    account = open_account(world, world.township, "maoshe.officer3", Role.DISCLOSURE_OFFICER)
    principal = world.person(world.township, Role.PRINCIPAL_LEADER)
    with pytest.raises(ValidationError):
        reject_role_request(actor=principal, request=account.request, note=" ")
    reject_role_request(actor=principal, request=account.request, note="岗位未核定")
    account.request.refresh_from_db()
    assert account.request.status == RoleGrantRequest.Status.REJECTED
    assert roles_of(account.user) == set()
    event = AuditEvent.objects.get(event="accounts.role_request.rejected")
    assert event.actor_username == principal.username
    assert event.data["note"] == "岗位未核定"
    with pytest.raises(ValidationError):  # decided once
        approve_role_request(actor=principal, request=account.request)


def test_removing_roles_takes_effect_at_once_and_supersedes_a_pending_request(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    office = clerk.role_assignments.get().office
    set_user_roles(
        actor=admin,
        user=clerk,
        grants=[RoleGrant(Role.CLERK, office), RoleGrant(Role.WEB_ADMINISTRATOR)],
        reason="兼任网站管理员",
    )
    pending = RoleGrantRequest.objects.get(user=clerk)
    set_user_roles(actor=admin, user=clerk, grants=[])
    assert roles_of(clerk) == set()
    pending.refresh_from_db()
    assert pending.status == RoleGrantRequest.Status.SUPERSEDED
    with pytest.raises(ValidationError):
        approve_role_request(actor=world.person(world.township, Role.PRINCIPAL_LEADER), request=pending)
    assert roles_of(clerk) == set()


def test_a_role_change_with_an_addition_removes_at_once_and_waits_for_the_rest(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    set_user_roles(actor=admin, user=leader, grants=[RoleGrant(Role.DISCLOSURE_OFFICER)], reason="调岗")
    assert roles_of(leader) == set()
    request = RoleGrantRequest.objects.get(user=leader)
    assert request.roles_before == []
    approve_role_request(actor=world.person(world.township, Role.PRINCIPAL_LEADER), request=request)
    assert roles_of(leader) == {Role.DISCLOSURE_OFFICER}


def test_a_granted_role_ends_the_persons_open_sessions(world):
    clerk = world.person(world.township, Role.CLERK)
    office = clerk.role_assignments.get().office
    clerk_client = Client()
    clerk_client.force_login(clerk)
    set_user_roles(
        actor=world.person(world.township, Role.SECURITY_ADMIN),
        user=clerk,
        grants=[RoleGrant(Role.CLERK, office), RoleGrant(Role.WEB_ADMINISTRATOR)],
        reason="兼任",
    )
    assert clerk_client.get(reverse("accounts:dashboard")).status_code == 200  # nothing changed yet
    approve_role_request(
        actor=world.person(world.township, Role.PRINCIPAL_LEADER), request=RoleGrantRequest.objects.get(user=clerk)
    )
    assert clerk_client.get(reverse("accounts:dashboard")).status_code == 302


def test_the_decide_page_refuses_the_requester(client, world):
    account = open_account(world, world.township, "maoshe.officer4", Role.DISCLOSURE_OFFICER)
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    listing = client.get(reverse("accounts:role-request-list"))
    assert listing.status_code == 200
    assert listing.context["waiting"] == []
    response = client.post(reverse("accounts:role-request-decide", args=[account.request.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert roles_of(account.user) == set()
    # The requester sees that the roles wait for approval.
    assert "新增角色待审批" in client.get(reverse("accounts:user-list", args=["maoshe"])).content.decode()
    edit = client.get(reverse("accounts:user-edit", args=["maoshe", account.user.pk])).content.decode()
    assert "政务公开专员" in edit
    assert "待审批" in edit


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_administrator_roles_never_see_an_applicants_full_id_number(world, role):
    from gongkai.applications.services import reveal_personal_data
    from tests.applications.factories import make_application

    application = make_application(world.township)
    for agency in (world.township, world.district):
        with pytest.raises(PermissionDenied):
            reveal_personal_data(application, actor=world.person(agency, role), field="id_number")


@pytest.mark.parametrize("name", ["admin", "Root", "test", "test01", "sa", "GUEST", "administrator", "system"])
def test_shared_and_default_account_names_are_refused(client, world, name):
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    response = client.post(
        reverse("accounts:user-create", args=["maoshe"]),
        {"username": name, "full_name": "共用", "email": "", "roles": []},
    )
    assert response.status_code == 200
    assert "共用或默认的账号名" in response.content.decode()
    assert not User.objects.filter(username__iexact=name).exists()
    with pytest.raises(ValidationError):
        open_account(world, world.township, name)


def test_deploy_check_warns_of_default_names_and_superusers(world, make_user):
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert not ids & {"gongkai.accounts.W001", "gongkai.accounts.W002"}
    User.objects.create(username="admin", full_name="共用", agency=world.township)
    User.objects.create(username="boss", full_name="超级", agency=world.township, is_superuser=True)
    messages = {m.id: m.msg for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert "admin" in messages["gongkai.accounts.W001"]
    assert "boss" in messages["gongkai.accounts.W002"]
    User.objects.filter(username__in=["admin", "boss"]).update(is_active=False)
    ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert not ids & {"gongkai.accounts.W001", "gongkai.accounts.W002"}


def test_bootstrap_accounts_from_the_command_line_are_audited_as_such(world, make_user):
    user = make_user(world.township, "maoshe.bootstrap", Role.CLERK, office=world.township.offices.first())
    assert roles_of(user) == {Role.CLERK}
    assert not user.must_change_password
    assert authenticate(RequestFactory().post("/"), username=user.username, password=STRONG_PASSWORD) == user
    event = AuditEvent.objects.get(event="accounts.user.created", object_id=str(user.pk))
    assert event.data["bootstrap"] is True
    assert event.actor_username == ""


def test_a_refused_decision_is_audited_as_refused(world, make_user):
    # AUD-01: a requester trying to decide their own request leaves a refusal row, roles unchanged.
    secadmin = world.person(world.township, Role.SECURITY_ADMIN)
    person = make_user(world.township, "maoshe.newcomer")
    set_user_roles(actor=secadmin, user=person, grants=[RoleGrant(role=Role.DISCLOSURE_OFFICER)], reason="新岗位")
    request = RoleGrantRequest.objects.get(user=person, status="pending")
    with pytest.raises(PermissionDenied):
        approve_role_request(actor=secadmin, request=request, note="")
    refusal = AuditEvent.objects.get(event="accounts.role_request.action_refused")
    assert refusal.result == "refused"
    assert refusal.actor_username == secadmin.username
    person.refresh_from_db()
    assert not person.role_assignments.exists()


def test_asking_for_a_role_on_the_edit_page_is_audited_and_a_second_ask_supersedes_the_first(client, world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    office = clerk.role_assignments.get().office
    client.force_login(admin)
    url = reverse("accounts:user-edit", args=["maoshe", clerk.pk])
    form = {"full_name": clerk.full_name, "email": clerk.email, "office": office.pk}
    response = client.post(url, {**form, "roles": [Role.CLERK, Role.WEB_ADMINISTRATOR], "reason": "兼任网站管理员"})
    assert response.status_code == 302
    first = RoleGrantRequest.objects.get(user=clerk)
    created = AuditEvent.objects.get(event="accounts.role_request.created")
    assert (created.result, created.actor_username) == ("success", admin.username)
    assert (created.object_type, created.object_id) == ("accounts.rolegrantrequest", str(first.pk))
    assert created.agency_id == world.township.pk
    assert created.data == {
        "user": clerk.username,
        "before": {"roles": [f"clerk@{office.name}"]},
        "after": {"roles": [f"clerk@{office.name}", "web_administrator"]},
        "reason": "兼任网站管理员",
        "scope": "agency",
    }

    response = client.post(url, {**form, "roles": [Role.CLERK, Role.DISCLOSURE_OFFICER], "reason": "改任公开专员"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == RoleGrantRequest.Status.SUPERSEDED
    second = RoleGrantRequest.objects.get(user=clerk, status=RoleGrantRequest.Status.PENDING)
    superseded = AuditEvent.objects.get(event="accounts.role_request.superseded")
    assert superseded.actor_username == admin.username
    assert (superseded.object_type, superseded.object_id) == ("accounts.rolegrantrequest", str(first.pk))
    assert superseded.data == {
        "user": clerk.username,
        "before": {"status": "pending"},
        "after": {"status": "superseded"},
    }
    assert list(
        AuditEvent.objects.filter(event="accounts.role_request.created")
        .order_by("id")
        .values_list("object_id", flat=True)
    ) == [str(first.pk), str(second.pk)]
    assert roles_of(clerk) == {Role.CLERK}
