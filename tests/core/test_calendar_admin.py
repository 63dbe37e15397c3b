"""Calendar administration: the district system administrator imports and edits a year;
stored deadlines are recomputed and the change is audited; staff are warned from 1 November."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.core.calendar import (
    get_calendar,
    register_deadline_recomputer,
    remind_missing_next_year,
    unregister_deadline_recomputer,
)
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear

ARRANGEMENT_2027 = {
    "year": "2027",
    "source": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
    "published_on": "2026-11-20",
    "holidays_text": "元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13\n国庆节 2027-10-01 2027-10-07",
    "makeup_text": "2027-01-31 2027-02-20 2027-09-26 2027-10-09",
}


@pytest.fixture(autouse=True)
def _frozen():
    """Every test and its fixtures (the sign-in included) run at one moment, whatever the
    machine's date: a session opened at the real time and then moved in time expires."""
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        yield


def signed_in_sysadmin(client, world):
    client.force_login(world.person(world.district, Role.SYSTEM_ADMIN))
    return client


@pytest.fixture
def sysadmin_client(client, world):
    return signed_in_sysadmin(client, world)


def test_district_system_admin_imports_next_year(sysadmin_client):
    response = sysadmin_client.post(reverse("core:calendar-create"), ARRANGEMENT_2027)
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.days.filter(kind="holiday").count() == 3 + 8 + 7
    assert get_calendar().classify(date(2027, 10, 9)).value == "makeup-workday"
    event = AuditEvent.objects.get(event="core.calendar_year.imported")
    assert event.actor_username == "huangyan.sysadmin"
    assert "春节 2027-02-06 2027-02-13" in event.data["after"]["holidays"]


def test_bad_arrangement_gets_chinese_errors_and_saves_nothing(sysadmin_client):
    data = {
        **ARRANGEMENT_2027,
        "holidays_text": "春节 2027-02-30 2027-03-01\n国庆节 2027/10/01",
        "makeup_text": "2027-02-22",
    }
    response = sysadmin_client.post(reverse("core:calendar-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "假期第 1 行：日期不存在。" in body
    assert "假期第 2 行" in body
    assert "调休上班日 2027-02-22 不是星期六或星期日。" in body
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_editing_a_year_recomputes_registered_deadlines_and_records_it(sysadmin_client):
    calls = []

    def recompute(years):
        calls.append(years)
        return 3

    register_deadline_recomputer("test.deadlines", recompute)
    try:
        url = reverse("core:calendar-edit", args=[2026])
        form = sysadmin_client.get(url).context["form"]
        data = {**form.initial, "year": "2026", "published_on": "2025-11-04"}
        data["holidays_text"] += "\n临时假日 2026-12-30 2026-12-30"
        response = sysadmin_client.post(url, data)
        assert response.status_code == 302
    finally:
        unregister_deadline_recomputer("test.deadlines")
    assert calls == [{2025, 2026}]
    assert get_calendar().classify(date(2026, 12, 30)).value == "holiday"
    event = AuditEvent.objects.get(event="core.calendar_year.updated")
    assert event.data["recomputed_deadlines"]["test.deadlines"] == 3
    assert "临时假日" not in event.data["before"]["holidays"]
    assert "临时假日 2026-12-30 2026-12-30" in event.data["after"]["holidays"]


@pytest.mark.parametrize(
    ("agency_attr", "role"),
    [("township", Role.SYSTEM_ADMIN), ("district", Role.SECURITY_ADMIN), ("district", Role.DISCLOSURE_OFFICER)],
)
def test_only_the_district_system_admin_administers_the_calendar(client, world, agency_attr, role):
    client.force_login(world.person(getattr(world, agency_attr), role))
    assert client.get(reverse("core:calendar-list")).status_code == 403
    assert client.post(reverse("core:calendar-create"), ARRANGEMENT_2027).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_no_warning_before_november(client, world):
    with time_machine.travel("2026-10-31 09:00 +0800", tick=False):
        sysadmin_client = signed_in_sysadmin(client, world)
        assert "2027 年节假日安排尚未导入" not in sysadmin_client.get(reverse("accounts:dashboard")).content.decode()


def test_warning_from_november_while_next_year_is_missing(client, world):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        sysadmin_client = signed_in_sysadmin(client, world)
        assert "2027 年节假日安排尚未导入" in sysadmin_client.get(reverse("accounts:dashboard")).content.decode()
        assert "2027 年安排尚未导入" in sysadmin_client.get(reverse("core:calendar-list")).content.decode()
        sysadmin_client.post(reverse("core:calendar-create"), ARRANGEMENT_2027)
        assert "2027 年节假日安排尚未导入" not in sysadmin_client.get(reverse("accounts:dashboard")).content.decode()


def test_reminder_mail_goes_once_a_day_to_district_system_admins(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_missing_next_year(date(2026, 11, 5)) is True
        assert remind_missing_next_year(date(2026, 11, 5)) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["huangyan.sysadmin@example.gov.cn"]
    assert "2027" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_missing_next_year(date(2026, 11, 6)) is True
        assert remind_missing_next_year(date(2026, 10, 20)) is False
    assert len(mail.outbox) == 2
