"""Query-count guards (issue 9): a list page or dashboard makes the same number of queries
whether it shows a few rows or many. A page whose count grows with its rows (an N+1) fails here.

Each page is requested once to warm what is cached (the session, the search index catching up,
cached counts), measured with a few rows, then measured the same way after more rows of the same
kind were added."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.services import RoleGrant, create_staff_user, open_staff_account
from gongkai.applications.clock import Kind
from gongkai.applications.services import record_clock_event
from gongkai.catalog.choices import Category, Status
from gongkai.catalog.services import add_subcategory
from gongkai.core.audit import record_event
from tests.applications.factories import make_application
from tests.catalog.factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        yield


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def same_count_with_more_rows(client, url: str, add_rows) -> tuple[int, int]:
    add_rows(2)
    count(client, url)  # warm the session and per-request caches
    few = count(client, url)
    add_rows(6)
    count(client, url)  # the search index and the cached counts catch up with the new rows once
    return few, count(client, url)


def signed_in(client, world, agency, role):
    client.force_login(world.person(agency, role))
    return client


def add_applications(world, officer):
    def add(n: int) -> None:
        for _ in range(n):
            application = make_application(world.township, received_on=date(2026, 9, 28))
            office = world.township.offices.first()
            record_clock_event(
                application, actor=officer, kind=Kind.ASSIGNED, on=date(2026, 9, 29), data={"office": office.pk}
            )

    return add


def add_entries(world, status=Status.DRAFT):
    def add(n: int) -> None:
        for i in range(n):
            make_entry(world.township, status=status, title=f"茅畲乡公开事项{i}")

    return add


def test_applications_staff_list(client, world):
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    url = reverse("applications:staff-list", args=["maoshe"])
    few, many = same_count_with_more_rows(client, url, add_applications(world, officer))
    assert many == few


def test_dashboard_of_a_person_with_every_panel(client, world):
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    url = reverse("accounts:dashboard")
    add_apps = add_applications(world, officer)
    add_drafts = add_entries(world)

    def add(n: int) -> None:
        add_apps(n)
        add_drafts(n)

    few, many = same_count_with_more_rows(client, url, add)
    assert many == few


@pytest.mark.parametrize("show", ["waiting", "drafts", "review", "due", "published", "all"])
def test_catalog_staff_list(client, world, show):
    signed_in(client, world, world.township, Role.DISCLOSURE_OFFICER)
    url = reverse("catalog:staff-list", args=["maoshe"]) + f"?show={show}"
    status = Status.PUBLISHED if show == "published" else Status.DRAFT
    few, many = same_count_with_more_rows(client, url, add_entries(world, status))
    assert many == few


def test_public_agency_catalog(client, world):
    url = reverse("catalog:agency-catalog", args=["maoshe"])
    few, many = same_count_with_more_rows(client, url, add_entries(world, Status.PUBLISHED))
    assert many == few


def test_staff_user_list(client, world):
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    client.force_login(admin)
    office = world.township.offices.first()
    serial = iter(range(100))

    def add(n: int) -> None:
        for _ in range(n):
            number = next(serial)
            create_staff_user(
                actor=None,
                agency=world.township,
                username=f"wangfang{number}",
                full_name=f"职员{number}",
                email=f"wangfang{number}@example.gov.cn",
                password="Zz9!correct-horse-battery",
                grants=[RoleGrant(role=Role.CLERK, office=office)],
            )

    few, many = same_count_with_more_rows(client, reverse("accounts:user-list", args=["maoshe"]), add)
    assert many == few


def test_audit_trail(client, world):
    auditor = world.person(world.district, Role.AUDIT_ADMIN)
    client.force_login(auditor)

    def add(n: int) -> None:
        for _ in range(n):
            record_event("core.access.denied", actor=auditor, agency=world.district, data={"path": "/staff/"})

    few, many = same_count_with_more_rows(client, reverse("core:audit-list"), add)
    assert many == few


def test_role_request_queue(client, world):
    """The principal leader's queue of role requests (AC-04) stays flat as requests pile up."""
    admin = world.person(world.township, Role.SECURITY_ADMIN)
    client.force_login(world.person(world.township, Role.PRINCIPAL_LEADER))
    office = world.township.offices.first()
    serial = iter(range(100))

    def add(n: int) -> None:
        for _ in range(n):
            number = next(serial)
            open_staff_account(
                actor=admin,
                agency=world.township,
                username=f"lixiu{number}",
                full_name=f"新职员{number}",
                email=f"lixiu{number}@example.gov.cn",
                grants=[RoleGrant(role=Role.CLERK, office=office)],
                reason="新入职",
            )

    few, many = same_count_with_more_rows(client, reverse("accounts:role-request-list"), add)
    assert many == few


def test_catalog_subcategories(client, world):
    officer = signed_in(client, world, world.township, Role.DISCLOSURE_OFFICER)
    person = world.person(world.township, Role.DISCLOSURE_OFFICER)
    serial = iter(range(100))

    def add(n: int) -> None:
        for _ in range(n):
            add_subcategory(actor=person, agency=world.township, category=Category.BUDGET, name=f"专项{next(serial)}")

    few, many = same_count_with_more_rows(officer, reverse("catalog:staff-subcategories", args=["maoshe"]), add)
    assert many == few


@pytest.mark.parametrize("name", ["catalog:index", "catalog:feed"])
def test_public_catalog_of_every_agency_and_its_feed(client, world, name):
    few, many = same_count_with_more_rows(client, reverse(name), add_entries(world, Status.PUBLISHED))
    assert many == few


def test_holiday_calendar_years(client, world):
    """The calendar keeper's list of imported years stays flat as years are added."""
    from gongkai.core.calendar import parse_arrangement, save_calendar_year

    client.force_login(world.person(world.district, Role.SYSTEM_ADMIN))
    years = iter(range(2030, 2060))

    def add(n: int) -> None:
        for _ in range(n):
            year = next(years)
            arrangement = parse_arrangement(
                year=year,
                source=f"国务院办公厅关于{year}年部分节假日安排的通知（测试）",
                published_on=None,
                holidays_text=f"元旦 {year}-01-01 {year}-01-01",
                makeup_text="",
            )
            save_calendar_year(arrangement, actor_label="test")

    few, many = same_count_with_more_rows(client, reverse("core:calendar-list"), add)
    assert many == few
