"""The second factor and the network allowlists (issue 8; security.md AUTH-04; 等保 L3-CES1-04, -19).

Sign-in here goes through the real login form (the password step), never ``force_login``, which
the shared conftest makes give both factors."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency
from gongkai.accounts.two_factor import update_agency_security
from gongkai.core.access import URL_ACCESS
from gongkai.core.audit_events import EVENT_LABELS
from gongkai.core.models import AuditEvent
from gongkai.core.request_context import reset_current_ip, set_current_ip
from tests.core.test_permission_matrix import EXPECTED, build_url

pytestmark = pytest.mark.django_db
LOGIN = "/staff/login/"
CODE_STEP = "/staff/login/code/"
ENROL = "/staff/two-factor/set-up/"
PASSWORD = "Two-Factor-Test-2026!"
NOW = datetime(2026, 12, 3, 9, 0, 10, tzinfo=UTC)  # 10 s into a 30-second step


def staff(world, role, agency=None):
    """A person of the demo cast with a known password and no device (the demo loader gives
    administrators and leaders one)."""
    user = world.person(agency or world.township, role)
    TOTPDevice.objects.filter(user=user).delete()
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def sign_in(client, user, ip="192.0.2.10"):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302, "the password step failed"
    return response


def give_code(client, code, ip="192.0.2.10"):
    return client.post(CODE_STEP, {"code": code, "next": "/staff/"}, REMOTE_ADDR=ip)


def device_for(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code_of(device, at: datetime, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows at ``at`` (RFC 6238, 30-second steps)."""
    return f"{hotp(device.bin_key, int(at.timestamp()) // 30 + steps_ahead):06d}"


# --- The staff area is never reachable with one factor ------------------------------------


def test_password_without_code_sends_every_staff_page_to_the_code_step(client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    admin = staff(world, Role.SECURITY_ADMIN)
    device_for(admin)
    member = world.person(world.township, Role.CLERK)
    sign_in(client, admin)
    exempt = {"accounts:otp-verify", "accounts:otp-enrol", "accounts:logout"}
    walked = []
    for name in sorted(EXPECTED):
        access = URL_ACCESS[name]
        if access.public or name in exempt:
            continue
        url, query = build_url(name, EXPECTED[name][2], world.township, member)
        response = client.get(url, query)
        walked.append(name)
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert response["Location"].startswith(CODE_STEP + "?next="), name
    assert len(walked) > 40
    # A state change is refused too, and changes nothing.
    response = client.post(reverse("accounts:user-deactivate", args=["maoshe", member.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(CODE_STEP)
    member.refresh_from_db()
    assert member.is_active
    # Setting up another device needs the current one first.
    assert client.get(ENROL)["Location"].startswith(CODE_STEP)
    # Public pages stay reachable.
    assert client.get("/").status_code == 200
    assert client.get("/agencies/maoshe/guide/").status_code == 200


@pytest.mark.one_factor
def test_force_login_marked_one_factor_gives_no_second_factor(client, world):
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))  # has the demo device
    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


# --- Enrolment, the code step, replay, recovery codes ---------------------------------------


def test_enrolment_shows_the_key_confirms_with_a_code_and_gives_ten_recovery_codes_once(client, world):
    leader = staff(world, Role.LEADER_IN_CHARGE)
    with time_machine.travel(NOW, tick=False) as traveller:
        sign_in(client, leader)
        response = client.get("/staff/")
        assert response["Location"].startswith(ENROL + "?next=")
        page = client.get(response["Location"])
        assert page.status_code == 200
        device = TOTPDevice.objects.get(user=leader, confirmed=False)
        body = page.content.decode()
        assert "data:image/svg+xml;base64," in body  # the QR code, rendered here (no outside service)
        import base64

        secret = base64.b32encode(device.bin_key).decode()
        assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in body
        assert client.get("/staff/")["Location"].startswith(ENROL)  # not yet confirmed

        wrong = client.post(ENROL, {"code": "000000"})
        assert "验证码不正确" in wrong.content.decode()
        traveller.shift(timedelta(seconds=2))  # the throttle after one wrong code
        done = client.post(ENROL, {"code": code_of(device, datetime.now(UTC)), "next": "/staff/"})
        assert done.status_code == 200
        codes = done.context["codes"]
        assert len(codes) == len(set(codes)) == 10
        for code in codes:
            assert code in done.content.decode()
        stored = list(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True))
        assert len(stored) == 10
        assert not set(stored) & set(codes)
        assert client.get("/staff/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(event="accounts.otp.enrolled")
    assert event.actor_username == leader.username
    assert AuditEvent.objects.filter(event="accounts.otp.failed", data__step="enrolment").exists()


def test_the_code_step_then_a_replayed_code_is_rejected(world):
    leader = staff(world, Role.PRINCIPAL_LEADER)
    device = device_for(leader)
    with time_machine.travel(NOW, tick=False):
        code = code_of(device, NOW)
        first = Client()
        sign_in(first, leader)
        page = first.get(CODE_STEP)
        assert "验证码" in page.content.decode()
        response = give_code(first, code)
        assert response.status_code == 302
        assert response["Location"] == "/staff/"
        assert first.get("/staff/").status_code == 200
        # Someone who saw the code signs in with the password within the same 30 seconds.
        second = Client()
        sign_in(second, leader, ip="192.0.2.77")
        replay = give_code(second, code, ip="192.0.2.77")
        assert replay.status_code == 200
        assert "已被使用" in replay.content.decode()
        assert second.get("/staff/")["Location"].startswith(CODE_STEP)
    device.refresh_from_db()
    assert device.last_t == int(NOW.timestamp()) // 30
    assert AuditEvent.objects.filter(event="accounts.otp.verified", actor_username=leader.username).count() == 1
    failed = AuditEvent.objects.get(event="accounts.otp.failed")
    assert failed.result == "failure"
    assert failed.data["step"] == "totp"


def test_a_code_cannot_be_used_twice_even_by_the_same_session(client, world):
    admin = staff(world, Role.AUDIT_ADMIN)
    device = device_for(admin)
    with time_machine.travel(NOW, tick=False) as traveller:
        sign_in(client, admin)
        assert give_code(client, code_of(device, NOW)).status_code == 302
        client.post(reverse("accounts:logout"))
        traveller.shift(timedelta(seconds=5))
        sign_in(client, admin)
        assert give_code(client, code_of(device, NOW)).status_code == 200  # same step: refused
        traveller.shift(timedelta(seconds=30))
        assert give_code(client, code_of(device, datetime.now(UTC))).status_code == 302  # the next step's code


def test_wrong_codes_are_throttled_and_audited(client, world):
    admin = staff(world, Role.SYSTEM_ADMIN)
    device = device_for(admin)
    with time_machine.travel(NOW, tick=False) as traveller:
        sign_in(client, admin)
        give_code(client, "123456")
        traveller.shift(timedelta(seconds=1))
        assert "验证码不正确" in give_code(client, "654321").content.decode()
        traveller.shift(timedelta(seconds=1))
        # Two failures: the next try must wait 2 seconds after the last one, even with the right code.
        refused = give_code(client, code_of(device, datetime.now(UTC)))
        assert refused.status_code == 200
        assert "验证码错误次数过多，请在 17:00:13 之后重试" in refused.content.decode()
        traveller.shift(timedelta(seconds=1))
        assert give_code(client, code_of(device, datetime.now(UTC))).status_code == 302
    events = AuditEvent.objects.filter(event="accounts.otp.failed", actor_username=admin.username)
    assert events.count() == 3
    assert [e.data["throttled"] for e in events.order_by("id")] == [False, False, True]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # reset by the correct code


def test_a_recovery_code_signs_in_once(client, world):
    from gongkai.accounts.two_factor import regenerate_recovery_codes

    leader = staff(world, Role.LEADER_IN_CHARGE)
    device_for(leader)
    codes = regenerate_recovery_codes(user=leader)
    sign_in(client, leader)
    response = give_code(client, codes[3].upper().replace("-", " "))  # typed loosely
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    used = AuditEvent.objects.get(event="accounts.recovery_code.used")
    assert used.data == {"remaining": 9}
    client.post(reverse("accounts:logout"))
    sign_in(client, leader)
    again = give_code(client, codes[3])
    assert again.status_code == 200
    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


def test_staff_of_an_optional_agency_are_asked_only_when_the_agency_requires_it(client, world):
    clerk = staff(world, Role.CLERK)
    sign_in(client, clerk)
    assert client.get("/staff/").status_code == 200
    assert "设置登录验证码" in client.get(reverse("accounts:two-factor")).content.decode()  # voluntary
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    update_agency_security(actor=admin, agency=world.township, require_two_factor_for_all=True, allowed_networks="")
    assert client.get("/staff/")["Location"].startswith(ENROL)
    # Another agency is not affected.
    other = staff(world, Role.CLERK, agency=world.department)
    other_client = Client()
    sign_in(other_client, other)
    assert other_client.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(event="accounts.agency.security_changed")
    assert event.data == {
        "before": {"require_two_factor_for_all": False},
        "after": {"require_two_factor_for_all": True},
    }


def test_a_voluntary_device_is_asked_for_at_every_sign_in(client, world):
    clerk = staff(world, Role.CLERK)
    device_for(clerk)
    sign_in(client, clerk)
    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


def test_a_security_admin_resets_a_lost_device(client, world):
    leader = staff(world, Role.LEADER_IN_CHARGE)
    device = device_for(leader)
    leader_client = Client()
    with time_machine.travel(NOW, tick=False):
        sign_in(leader_client, leader)
        give_code(leader_client, code_of(device, NOW))
        assert leader_client.get("/staff/").status_code == 200
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    response = client.post(reverse("accounts:user-otp-reset", args=["maoshe", leader.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert leader_client.get("/staff/")["Location"].startswith(LOGIN)  # the open session ended
    sign_in(leader_client, leader)
    assert leader_client.get("/staff/")["Location"].startswith(ENROL)  # a new device at sign-in
    event = AuditEvent.objects.get(event="accounts.otp.reset")
    assert event.object_id == str(leader.pk)
    assert event.actor_roles == Role.SECURITY_ADMIN


def test_a_clerk_cannot_reset_anyones_device(client, world):
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    device_for(leader)
    client.force_login(world.person(world.township, Role.CLERK))
    assert client.post(reverse("accounts:user-otp-reset", args=["maoshe", leader.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()


def test_every_two_factor_event_has_a_chinese_label():
    for code in (
        "accounts.otp.enrolled",
        "accounts.otp.verified",
        "accounts.otp.failed",
        "accounts.otp.reset",
        "accounts.recovery_code.used",
        "accounts.recovery_code.regenerated",
        "accounts.agency.security_changed",
        "core.access.network_refused",
    ):
        label = str(EVENT_LABELS[code])
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label), code


# --- Network allowlists ---------------------------------------------------------------------


def test_an_agencys_staff_pages_only_from_its_networks(client, world):
    Agency.objects.filter(pk=world.township.pk).update(allowed_networks="10.12.0.0/16\n2001:db8::/32")
    client.force_login(world.person(world.township, Role.CLERK))
    assert client.get("/staff/", REMOTE_ADDR="10.12.3.4").status_code == 200
    assert client.get("/staff/", REMOTE_ADDR="2001:db8::5").status_code == 200
    outside = client.get("/staff/workdays/", REMOTE_ADDR="192.0.2.1")
    assert outside.status_code == 404
    event = AuditEvent.objects.get(event="core.access.network_refused")
    assert event.result == "failure"
    assert event.ip_address == "192.0.2.1"
    assert event.data["url_name"] == "core:workday-calculator"
    # Public pages and other agencies' staff are not limited.
    assert client.get("/", REMOTE_ADDR="192.0.2.1").status_code == 200
    other = Client()
    other.force_login(world.person(world.department, Role.CLERK))
    assert other.get("/staff/", REMOTE_ADDR="192.0.2.1").status_code == 200


def test_behind_a_proxy_the_forwarded_address_counts_and_cannot_be_spoofed(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    Agency.objects.filter(pk=world.township.pk).update(allowed_networks="10.12.0.0/16")
    client.force_login(world.person(world.township, Role.CLERK))
    assert client.get("/staff/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.12.0.9").status_code == 200
    # A client writing an inside address in front: the proxy appends the real one.
    spoofed = client.get("/staff/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.12.0.9, 198.51.100.7")
    assert spoofed.status_code == 404


def test_administration_pages_only_from_the_management_network(client, world, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/24"]
    # Not even the sign-in redirect is given from outside.
    assert client.get("/staff/audit/", REMOTE_ADDR="192.0.2.1").status_code == 404
    client.force_login(world.person(world.district, Role.AUDIT_ADMIN))
    assert client.get("/staff/audit/", REMOTE_ADDR="192.0.2.1").status_code == 404
    assert client.get("/staff/audit/", REMOTE_ADDR="10.0.0.8").status_code == 200
    assert client.get("/staff/", REMOTE_ADDR="192.0.2.1").status_code == 200  # not an administration page
    refused = AuditEvent.objects.filter(event="core.access.network_refused")
    assert refused.count() == 2
    assert {e.data["allowlist"] for e in refused} == {"administration"}
    # A business page is not limited by the administrators' list.
    officer = Client()
    officer.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    assert officer.get("/staff/agencies/maoshe/applications/", REMOTE_ADDR="192.0.2.1").status_code == 200


def test_the_security_admin_sets_the_networks_invalid_ranges_are_refused_in_chinese(client, world):
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    url = reverse("accounts:agency-security", args=["maoshe"])
    bad = client.post(url, {"allowed_networks": "10.12.0.0/16\n10.0.0.300/8\nintranet"}, REMOTE_ADDR="10.12.0.2")
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "“10.0.0.300/8”不是网段" in body
    assert "“intranet”不是网段" in body
    # A list that leaves out the admin's own address would lock them out: refused.
    own = client.post(url, {"allowed_networks": "10.99.0.0/16"}, REMOTE_ADDR="10.12.0.2")
    assert "您当前的地址 10.12.0.2 不在列表中" in own.content.decode()
    world.township.refresh_from_db()
    assert world.township.allowed_networks == ""
    ok = client.post(
        url,
        {"allowed_networks": "10.12.7.7/16, 10.13.0.1", "require_two_factor_for_all": "on"},
        REMOTE_ADDR="10.12.0.2",
    )
    assert ok.status_code == 302
    world.township.refresh_from_db()
    assert world.township.allowed_networks == "10.12.0.0/16\n10.13.0.1/32"
    assert world.township.require_two_factor_for_all
    event = AuditEvent.objects.get(event="accounts.agency.security_changed")
    assert event.data["after"]["allowed_networks"] == "10.12.0.0/16\n10.13.0.1/32"


def test_only_the_agencys_security_admin_sets_its_sign_in_rules(world):
    from django.core.exceptions import PermissionDenied

    token = set_current_ip("10.12.0.2")
    try:
        with pytest.raises(PermissionDenied):
            update_agency_security(
                actor=world.person(world.township, Role.SYSTEM_ADMIN),
                agency=world.township,
                require_two_factor_for_all=True,
                allowed_networks="",
            )
        with pytest.raises(PermissionDenied):
            update_agency_security(
                actor=world.person(world.department, Role.SECURITY_ADMIN),
                agency=world.township,
                require_two_factor_for_all=True,
                allowed_networks="",
            )
    finally:
        reset_current_ip(token)


# --- The demo -------------------------------------------------------------------------------


def test_demo_administrators_and_leaders_get_a_key_and_demo_otp_prints_a_working_code(tmp_path, settings):
    path = tmp_path / "c.txt"
    call_command(
        "load_demo", credentials_file=str(path), without_applications=True, without_catalog=True, stdout=io.StringIO()
    )
    rows = {line.split("\t")[2]: line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()}
    assert len(rows["maoshe.leader"]) == 5
    assert len(rows["maoshe.secadmin"]) == 5
    assert len(rows["maoshe.clerk"]) == 4
    settings.DEBUG = True
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("demo_otp", "maoshe.leader", stdout=out, stderr=io.StringIO())
        code = out.getvalue().strip()
        client = Client()
        client.post(LOGIN, {"username": "maoshe.leader", "password": rows["maoshe.leader"][3]})
        assert give_code(client, code).status_code == 302
        # Asked again in the same step, it gives the next step's code, which works once more.
        out = io.StringIO()
        call_command("demo_otp", "maoshe.leader", stdout=out, stderr=io.StringIO())
        assert out.getvalue().strip() != code
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_otp", "maoshe.leader", stdout=io.StringIO())


def test_the_operator_resets_a_security_administrators_factor(world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)  # has the demo device
    out = io.StringIO()
    call_command("reset_two_factor", admin.username, stdout=out)
    assert "下次登录时重新设置" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(event="accounts.otp.reset")
    assert event.actor_id is None
    assert event.object_id == str(admin.pk)


def test_an_old_password_is_changed_after_the_code_step_not_instead_of_it(client, world):
    leader = staff(world, Role.LEADER_IN_CHARGE)
    device = device_for(leader)
    with time_machine.travel(NOW, tick=False):
        type(leader).objects.filter(pk=leader.pk).update(password_changed_at=NOW - timedelta(days=200))
        sign_in(client, leader)
        assert client.get("/staff/")["Location"].startswith(CODE_STEP)
        assert client.get(CODE_STEP).status_code == 200  # not sent to the password page first
        assert give_code(client, code_of(device, NOW)).status_code == 302
        assert client.get("/staff/")["Location"] == reverse("accounts:password-change")


def test_the_code_step_never_sends_anyone_to_another_site(client, world):
    leader = staff(world, Role.LEADER_IN_CHARGE)
    device = device_for(leader)
    with time_machine.travel(NOW, tick=False):
        sign_in(client, leader)
        response = client.post(CODE_STEP, {"code": code_of(device, NOW), "next": "https://evil.example/"})
    assert response["Location"] == "/staff/"
