"""Baseline sign-in security (issue 2; security.md AUTH-02, -03, -05, -06, WEB-01..03)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/staff/login/"
PASSWORD = "Mao-She-Clerk-2026!"


@pytest.fixture
def clerk(make_user, world):
    office = world.township.offices.get(name="经济发展办")
    return make_user(world.township, "maoshe.tester", Role.CLERK, office=office, password=PASSWORD)


def login(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_passwords_are_hashed_with_argon2(settings, make_user, world):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user(world.township, "maoshe.argon", Role.PRINCIPAL_LEADER, password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password


@pytest.mark.parametrize(
    "password",
    ["short1A!", "alllowercaseletters", "ALLUPPER-ONLY-SYMBOLS", "123456789012345", "Password1234", "x" * 129],
)
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Mao-She-Clerk-2026!", "correct horse Battery staple 9", "Zz9" + "q" * 61])
def test_good_passwords_including_64_characters_are_accepted(password):
    validate_password(password)


def test_successful_login_rotates_the_session_id_and_is_audited(client, clerk):
    client.get(LOGIN)
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = login(client, "maoshe.tester", PASSWORD)
    assert response.status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert AuditEvent.objects.filter(event="accounts.user.logged_in", actor_username="maoshe.tester").exists()


def test_unknown_user_and_wrong_password_get_the_same_answer(client, clerk):
    unknown = login(client, "nobody.here", PASSWORD)
    wrong = login(client, "maoshe.tester", "Wrong-Password-1!")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].errors == wrong.context["form"].errors
    assert "请输入一个正确的" in unknown.content.decode()


def test_five_failures_lock_account_and_ip_for_thirty_minutes(clerk):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            login(client, "maoshe.tester", "Wrong-Password-1!")
        locked = login(client, "maoshe.tester", PASSWORD)
        assert locked.status_code == 429
        assert "登录已锁定" in locked.content.decode()
        # The same account from another address is not locked (account + IP).
        assert login(Client(), "maoshe.tester", PASSWORD, ip="192.0.2.99").status_code == 302
        traveller.shift(timedelta(minutes=29))
        assert login(client, "maoshe.tester", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(event="accounts.user.login_failed").count() >= 5
    assert AuditEvent.objects.filter(event="accounts.user.locked_out", actor_username="maoshe.tester").exists()


def test_the_lock_lifts_after_thirty_minutes(clerk):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            login(client, "maoshe.tester", "Wrong-Password-1!")
        traveller.shift(timedelta(minutes=31))
        assert login(client, "maoshe.tester", PASSWORD).status_code == 302


def test_an_unknown_account_locks_the_same_way(client, db):
    for _ in range(5):
        login(client, "ghost", "Wrong-Password-1!")
    assert login(client, "ghost", "Wrong-Password-1!").status_code == 429


def test_idle_timeout_is_thirty_minutes(clerk):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "maoshe.tester", PASSWORD)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:dashboard")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_absolute_lifetime_is_eight_hours_even_when_active(clerk):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "maoshe.tester", PASSWORD)
        for _ in range(8 * 6):
            traveller.shift(timedelta(minutes=10))
            assert client.get(reverse("accounts:dashboard")).status_code == 200
        traveller.shift(timedelta(minutes=1))
        response = client.get(reverse("accounts:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_logout_is_post_only_and_deletes_the_server_session(client, clerk):
    login(client, "maoshe.tester", PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(reverse("accounts:dashboard")).status_code == 302


def test_csrf_is_enforced_on_state_changes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    clerk = world.person(world.township, Role.CLERK)
    response = client.post(reverse("accounts:user-deactivate", args=["maoshe", clerk.pk]))
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.is_active


@pytest.mark.parametrize("path", ["/", "/staff/login/", "/agencies/maoshe/guide/"])
def test_security_headers_on_every_page(client, world, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_staff_pages_are_never_cached(client, world):
    client.force_login(world.person(world.township, Role.CLERK))
    assert client.get(reverse("accounts:dashboard"))["Cache-Control"] == "no-store"
    assert client.get(reverse("core:workday-calculator"))["Cache-Control"] == "no-store"


def test_cookies_are_secure_httponly_and_host_prefixed(client, clerk):
    response = login(client, "maoshe.tester", PASSWORD)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "p" * 30 + "-production-like-secret-" + "q" * 30,
        "AUDIT_HMAC_KEY": "r" * 30 + "-production-like-audit-key-" + "s" * 30,
        "ALLOWED_HOSTS": "gongkai.example.gov.cn",
        "DEBUG": "false",
        "GONGKAI_VAR_DIR": str(tmp_path),
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "GONGKAI_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_error_pages_show_no_trace(client, world):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "Traceback" not in body
    assert "URLconf" not in body


def test_signing_out_is_audited(client, clerk):
    login(client, "maoshe.tester", PASSWORD)
    assert not AuditEvent.objects.filter(event="accounts.user.logged_out").exists()
    assert client.post(reverse("accounts:logout")).status_code == 302
    event = AuditEvent.objects.get(event="accounts.user.logged_out")
    assert (event.result, event.actor_username) == ("success", "maoshe.tester")
    assert (event.object_type, event.object_id) == ("accounts.user", str(clerk.pk))
    assert event.ip_address == "127.0.0.1"
