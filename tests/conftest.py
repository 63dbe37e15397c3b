"""The shared cast (style.md §7): the demo district with one person per role in each agency,
plus anonymous visitors. Password hashing is fast here except where a test checks Argon2."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, User
from gongkai.accounts.services import RoleGrant, create_staff_user

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STRONG_PASSWORD = "Gongkai-Test-2026!"


@pytest.fixture(autouse=True)
def _fast_hashing_and_no_network(request, settings, monkeypatch, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.CATALOG_SEARCH_INDEX_DIR = tmp_path / "search-index"  # the database rolls back; so must the index
    settings.AUDIT_HEAD_EXPORT_DIR = tmp_path / "audit-heads"  # files outside the database, per test
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    from django.core.cache import cache

    # Rate-limit counters must not leak from one test into the next. The cache lives in the
    # database (decision 0016), so only tests with database access can (and need to) clear it.
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))
    if transactional or "db" in request.fixturenames or marker:
        request.getfixturevalue("transactional_db" if transactional else "db")  # set up before clearing
        cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HUEY = {**settings.HUEY, "immediate": True}


def verify_second_factor(client, user):
    """Mark the client's session as having given the second factor (security.md AUTH-04), the
    way django_otp.login does after a correct code: a confirmed TOTP device of the user's is
    recorded in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture(autouse=True)
def _force_login_gives_both_factors(request, monkeypatch):
    """``client.force_login(user)`` stands for a person fully signed in: password and code. Tests
    of the code step itself sign in through the login form, or mark themselves ``one_factor``."""
    if request.node.get_closest_marker("one_factor"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been emptied by a transactional test's final flush:
    put the migration-seeded holiday calendar back (the seed only adds missing years)."""
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("gongkai.core.migrations.0003_seed_calendar").seed(apps, None)


@dataclass
class World:
    district: Agency
    township: Agency
    department: Agency

    def person(self, agency: Agency, role: str) -> User:
        return User.objects.get(agency=agency, role_assignments__role=role)


@pytest.fixture
def world(db, tmp_path) -> World:
    call_command(
        "load_demo",
        credentials_file=str(tmp_path / "credentials.txt"),
        without_applications=True,
        without_catalog=True,
        without_role_requests=True,
        stdout=io.StringIO(),
    )
    return World(
        district=Agency.objects.get(slug="huangyan"),
        township=Agency.objects.get(slug="maoshe"),
        department=Agency.objects.get(slug="huangyan-agri"),
    )


@pytest.fixture
def make_user(db):
    def make(agency: Agency, username: str, *roles: str, office=None, password: str = STRONG_PASSWORD) -> User:
        grants = [RoleGrant(role=r, office=office if r in (Role.CLERK, Role.OFFICE_HEAD) else None) for r in roles]
        return create_staff_user(
            actor=None,
            agency=agency,
            username=username,
            full_name=username,
            email=f"{username}@example.gov.cn",
            password=password,
            grants=grants,
        )

    return make


def pytest_configure(config):
    # The UI is tested in Chinese: make sure the compiled catalogue matches the .po.
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "compile_translations.py"
    spec = importlib.util.spec_from_file_location("compile_translations", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if module.compile_all():
        # Django may have read the old catalogue while starting up: forget it.
        import gettext

        from asgiref.local import Local

        gettext._translations.clear()
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()
