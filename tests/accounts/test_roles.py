"""Roles (A1, A9, G3; security.md AC-04): several business roles per person, the three
administrator roles mutually exclusive (form and database), no business powers for them, and a
role change or deactivation ends the person's sessions (AUTH-06)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.models import RoleAssignment, User
from gongkai.accounts.services import RoleGrant, set_user_active, set_user_roles, update_agency_contact
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def secadmin_client(client, world):
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    return client


def new_account(**overrides):
    data = {
        "username": "maoshe.newclerk",
        "full_name": "新经办人",
        "email": "new@example.gov.cn",
        "roles": [Role.CLERK, Role.OFFICE_HEAD],
        "reason": "农业农村办新进人员。",
    }
    data.update(overrides)
    return data


def test_security_admin_creates_a_person_with_several_business_roles(secadmin_client, client, world):
    from gongkai.accounts.models import RoleGrantRequest
    from gongkai.accounts.services import approve_role_request

    office = world.township.offices.get(name="农业农村办")
    response = secadmin_client.post(reverse("accounts:user-create", args=["maoshe"]), new_account(office=office.pk))
    assert response.status_code == 200
    assert "一次性密码" in response.content.decode()
    user = User.objects.get(username="maoshe.newclerk")
    assert user.agency == world.township
    assert user.password.startswith("md5$")  # hashed (Argon2 outside tests: test_login_security)
    assert AuditEvent.objects.filter(event="accounts.user.created", object_id=str(user.pk)).exists()
    # Several business roles in one request; they take effect with the principal leader's approval (AC-04).
    request = RoleGrantRequest.objects.get(user=user)
    approve_role_request(actor=world.person(world.township, Role.PRINCIPAL_LEADER), request=request)
    assert set(user.role_assignments.values_list("role", "office__name")) == {
        (Role.CLERK, "农业农村办"),
        (Role.OFFICE_HEAD, "农业农村办"),
    }


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ([Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN], "三个角色互斥"),
        ([Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN], "三个角色互斥"),
        ([Role.AUDIT_ADMIN, Role.DISCLOSURE_OFFICER], "不能与业务角色同时授予"),
        ([Role.CLERK], "须指定所在科室"),
        ([Role.DISTRICT_SUPERVISOR], "只有区级机关的工作人员"),
    ],
)
def test_forbidden_role_sets_get_a_chinese_message_and_save_nothing(secadmin_client, roles, message):
    response = secadmin_client.post(reverse("accounts:user-create", args=["maoshe"]), new_account(roles=roles))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="maoshe.newclerk").exists()


def test_database_refuses_a_second_administrator_role(world):
    auditor = world.person(world.township, Role.AUDIT_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=auditor, role=Role.SYSTEM_ADMIN)


def test_service_refuses_admin_plus_business_roles(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    with pytest.raises(ValidationError):
        set_user_roles(actor=admin, user=leader, grants=[RoleGrant(Role.LEADER_IN_CHARGE), RoleGrant(Role.AUDIT_ADMIN)])
    assert list(leader.role_assignments.values_list("role", flat=True)) == [Role.LEADER_IN_CHARGE]


def test_only_the_own_agencys_security_admin_changes_roles(world):
    foreign_admin = world.person(world.department, Role.SECURITY_ADMIN)
    system_admin = world.person(world.township, Role.SYSTEM_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    for actor in (foreign_admin, system_admin):
        with pytest.raises(PermissionDenied):
            set_user_roles(actor=actor, user=clerk, grants=[RoleGrant(Role.PRINCIPAL_LEADER)])


def test_a_security_admin_cannot_change_their_own_roles(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    with pytest.raises(PermissionDenied):
        set_user_roles(actor=admin, user=admin, grants=[RoleGrant(Role.SECURITY_ADMIN), RoleGrant(Role.AUDIT_ADMIN)])


def test_a_role_change_ends_the_persons_open_sessions(client, secadmin_client, world):
    from django.test import Client

    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    leader_client = Client()
    leader_client.force_login(leader)
    assert leader_client.get(reverse("accounts:dashboard")).status_code == 200
    response = secadmin_client.post(
        reverse("accounts:user-edit", args=["maoshe", leader.pk]),
        {"full_name": leader.full_name, "email": leader.email, "roles": [], "reason": ""},
    )
    assert response.status_code == 302
    assert leader_client.get(reverse("accounts:dashboard")).status_code == 302
    event = AuditEvent.objects.get(event="accounts.user.roles_changed")
    assert event.data["before"]["roles"] == ["leader_in_charge"]
    assert event.data["after"]["roles"] == []


def test_a_disabled_person_is_signed_out_at_once(secadmin_client, world):
    from django.test import Client

    clerk = world.person(world.township, Role.CLERK)
    clerk_client = Client()
    clerk_client.force_login(clerk)
    secadmin_client.post(reverse("accounts:user-deactivate", args=["maoshe", clerk.pk]))
    assert clerk_client.get(reverse("accounts:dashboard")).status_code == 302


def test_administrator_roles_carry_no_business_pages(client, world):
    # The calculator is for any staff; the business workbench pages arrive with later issues.
    # What an admin role must never reach already: another admin's pages.
    client.force_login(world.person(world.township, Role.AUDIT_ADMIN))
    assert client.get(reverse("accounts:user-list", args=["maoshe"])).status_code == 403
    assert client.get(reverse("accounts:agency-edit", args=["maoshe"])).status_code == 403


def test_system_admin_edits_the_agency_contact_block_shown_in_the_guide(client, world):
    client.force_login(world.person(world.township, Role.SYSTEM_ADMIN))
    url = reverse("accounts:agency-edit", args=["maoshe"])
    data = client.get(url).context["form"].initial
    data = {k: v for k, v in data.items() if k != "id" and v is not None}  # an unset date is left out
    data["phone"] = "0576-84019999"
    assert client.post(url, data).status_code == 302
    assert "0576-84019999" in client.get(reverse("portal:guide", args=["maoshe"])).content.decode()
    assert AuditEvent.objects.filter(event="accounts.agency.updated").get().data["after"] == {"phone": "0576-84019999"}


def test_changing_a_persons_name_and_e_mail_is_audited_with_before_and_after(secadmin_client, world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    old_name, old_email = leader.full_name, leader.email
    response = secadmin_client.post(
        reverse("accounts:user-edit", args=["maoshe", leader.pk]),
        {"full_name": "李新名", "email": "li.new@example.gov.cn", "roles": [Role.LEADER_IN_CHARGE], "reason": ""},
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert (leader.full_name, leader.email) == ("李新名", "li.new@example.gov.cn")
    event = AuditEvent.objects.get(event="accounts.user.updated")
    assert (event.result, event.actor_username, event.agency_id) == ("success", admin.username, world.township.pk)
    assert (event.object_type, event.object_id) == ("accounts.user", str(leader.pk))
    assert event.data == {
        "before": {"full_name": old_name, "email": old_email},
        "after": {"full_name": "李新名", "email": "li.new@example.gov.cn"},
    }
    assert not AuditEvent.objects.filter(event="accounts.user.roles_changed").exists()


def test_enabling_a_disabled_account_is_audited(secadmin_client, world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    clerk = world.person(world.township, Role.CLERK)
    secadmin_client.post(reverse("accounts:user-deactivate", args=["maoshe", clerk.pk]))
    clerk.refresh_from_db()
    assert not clerk.is_active
    response = secadmin_client.post(reverse("accounts:user-activate", args=["maoshe", clerk.pk]))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active
    event = AuditEvent.objects.get(event="accounts.user.activated")
    assert (event.result, event.actor_username, event.agency_id) == ("success", admin.username, world.township.pk)
    assert (event.object_type, event.object_id) == ("accounts.user", str(clerk.pk))
    assert event.data == {"before": {"is_active": False}, "after": {"is_active": True}}


@pytest.mark.parametrize("who", ["another agency's security admin", "the system admin"])
def test_a_refused_account_change_is_audited_and_changes_nothing(world, who):
    actor = {
        "another agency's security admin": world.person(world.department, Role.SECURITY_ADMIN),
        "the system admin": world.person(world.township, Role.SYSTEM_ADMIN),
    }[who]
    clerk = world.person(world.township, Role.CLERK)
    with pytest.raises(PermissionDenied):
        set_user_active(actor=actor, user=clerk, active=False)
    with pytest.raises(PermissionDenied):
        set_user_roles(actor=actor, user=clerk, grants=[], full_name="改名")
    clerk.refresh_from_db()
    assert clerk.is_active
    assert clerk.full_name != "改名"
    assert list(clerk.role_assignments.values_list("role", flat=True)) == [Role.CLERK]
    refusals = AuditEvent.objects.filter(event="accounts.user.action_refused").order_by("id")
    assert [(r.result, r.actor_username, r.object_id, r.data["action"]) for r in refusals] == [
        ("refused", actor.username, str(clerk.pk), "set_user_active"),
        ("refused", actor.username, str(clerk.pk), "set_user_roles"),
    ]
    assert refusals[0].data["reason"] == "只有本机关的安全管理员才能管理工作人员账号。"
    assert (
        not AuditEvent.objects.filter(result="success", event__startswith="accounts.user.")
        .exclude(event__in=["accounts.user.created"])
        .exists()
    )


@pytest.mark.parametrize("who", ["the security admin", "another agency's system admin"])
def test_a_refused_agency_change_is_audited_and_changes_nothing(world, who):
    actor = {
        "the security admin": world.person(world.township, Role.SECURITY_ADMIN),
        "another agency's system admin": world.person(world.department, Role.SYSTEM_ADMIN),
    }[who]
    phone = world.township.phone
    with pytest.raises(PermissionDenied):
        update_agency_contact(actor=actor, agency=world.township, values={"phone": "0576-84019999"})
    world.township.refresh_from_db()
    assert world.township.phone == phone
    refusal = AuditEvent.objects.get(event="accounts.agency.action_refused")
    assert (refusal.result, refusal.actor_username) == ("refused", actor.username)
    assert (refusal.object_type, refusal.object_id) == ("accounts.agency", str(world.township.pk))
    assert refusal.data == {
        "action": "update_agency_contact",
        "reason": "只有本机关的系统管理员才能修改机关信息。",
    }
    assert not AuditEvent.objects.filter(event="accounts.agency.updated").exists()
