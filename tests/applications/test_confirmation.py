"""Online submissions are received on the day the disclosure office confirms them (条例 art.
31(三): "以双方确认之日为收到申请之日"; seed E1: within 1 working day). Decision 0030: a
submission the office leaves unconfirmed is received as of the office's last day, so the
applicant's time never waits on the office. Dates across 春节, 劳动节, 国庆 and into 2027."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications.clock import ClockError
from gongkai.applications.models import Application
from gongkai.applications.services import (
    confirm_submission,
    confirmation_window,
    receive_unconfirmed_submissions,
)
from gongkai.core.models import AuditEvent
from tests.applications.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.mark.parametrize(
    ("sent", "earliest", "last"),
    [
        # A working day: confirmed that day or, at the latest, the next working day.
        (date(2026, 9, 28), date(2026, 9, 28), date(2026, 9, 29)),
        # Friday 10-09: the next working day is Saturday 10-10, a make-up working day.
        (date(2026, 10, 9), date(2026, 10, 9), date(2026, 10, 10)),
        # During 国庆 (10-01..07): nobody confirms before Thursday 10-08.
        (date(2026, 10, 3), date(2026, 10, 8), date(2026, 10, 8)),
        # During 春节 (02-15..23): Tuesday 02-24.
        (date(2026, 2, 16), date(2026, 2, 24), date(2026, 2, 24)),
        # The eve of 劳动节 (05-01..05): Wednesday 05-06.
        (date(2026, 4, 30), date(2026, 4, 30), date(2026, 5, 6)),
        # New Year's Eve: 2027-01-01 is 元旦 (estimated), so Monday 2027-01-04.
        (date(2026, 12, 31), date(2026, 12, 31), date(2027, 1, 4)),
    ],
)
def test_the_confirmation_window(world, sent, earliest, last):
    assert confirmation_window(sent) == (earliest, last)


def officer_of(world):
    return world.person(world.township, Role.DISCLOSURE_OFFICER)


def sent_on(world, day: date) -> Application:
    with time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False):
        return make_application(world.township, received_on=day, confirmed=False)


def test_a_submission_during_the_holiday_can_be_confirmed_only_on_the_first_working_day(world):
    application = sent_on(world, date(2026, 10, 3))
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):
        with pytest.raises(ClockError, match="最早可于 2026-10-08"):
            confirm_submission(application, actor=officer_of(world), on=date(2026, 10, 5))
        application.refresh_from_db()
        assert (application.status, application.received_on) == ("submitted", None)
        assert AuditEvent.objects.latest("id").event == "applications.application.action_refused"
        confirm_submission(application, actor=officer_of(world), on=date(2026, 10, 8))
    application.refresh_from_db()
    assert (application.status, application.received_on) == ("received", date(2026, 10, 8))
    # 20 WD from 10-08: 09, 10 (make-up), 12..16, 19..23, 26..30, 11-02, 03, 04 → 11-04.
    assert application.due_on == date(2026, 11, 4)
    confirmed = AuditEvent.objects.get(event="applications.application.received")
    assert confirmed.actor_username == officer_of(world).username
    assert confirmed.data["received_on"] == "2026-10-08"
    assert confirmed.data["before"] == {"status": "submitted"}


def test_a_late_confirmation_counts_from_the_offices_last_day(world):
    application = sent_on(world, date(2026, 10, 9))
    with time_machine.travel("2026-10-13 10:00 +0800", tick=False):
        confirm_submission(application, actor=officer_of(world), on=date(2026, 10, 13))
    application.refresh_from_db()
    # The office had until Saturday 10-10 (make-up working day): the applicant loses nothing.
    assert application.received_on == date(2026, 10, 10)
    assert application.clock_events.get(kind="received").data["confirmed_on"] == "2026-10-13"


def test_an_unconfirmed_submission_is_received_as_of_the_offices_last_day(world):
    application = sent_on(world, date(2026, 4, 30))
    # Still inside the window (the last day is 05-06): nothing happens.
    assert receive_unconfirmed_submissions(today=date(2026, 5, 6)) == 0
    with time_machine.travel("2026-05-07 01:00 +0800", tick=False):
        assert receive_unconfirmed_submissions(today=date(2026, 5, 7)) == 1
    application.refresh_from_db()
    assert (application.status, application.received_on) == ("received", date(2026, 5, 6))
    # 20 WD from 05-06: 07, 08, 09 (make-up), 11..15, 18..22, 25..29, 06-01, 02 → 06-02.
    assert application.due_on == date(2026, 6, 2)
    deemed = AuditEvent.objects.get(event="applications.application.receipt_deemed")
    assert deemed.actor_username == ""
    assert deemed.data["received_on"] == "2026-05-06"
    assert receive_unconfirmed_submissions(today=date(2026, 5, 8)) == 0  # once


def test_nothing_but_the_confirmation_can_be_recorded_before_it(world):
    from gongkai.applications.services import record_clock_event

    application = sent_on(world, date(2026, 10, 9))
    with time_machine.travel("2026-10-09 15:00 +0800", tick=False), pytest.raises(ClockError, match="尚在等待"):
        record_clock_event(application, actor=officer_of(world), kind="note_added", on=date(2026, 10, 9), note="检索")
    assert application.clock_events.count() == 0


@time_machine.travel("2026-10-09 10:00 +0800", tick=False)
def test_the_office_confirms_from_the_staff_page_and_the_applicant_sees_the_date(client, world):
    application = sent_on(world, date(2026, 10, 9))
    client.force_login(officer_of(world))
    listing = client.get(reverse("applications:staff-list", args=["maoshe"]))
    assert application.number in listing.content.decode()
    detail = client.get(reverse("applications:staff-detail", args=["maoshe", application.number]))
    page = detail.content.decode()
    assert "确认收到" in page
    assert "<dt>提交日期</dt><dd>2026-10-09</dd>" in page
    assert "确认收到网上申请（1 个工作日）：期限 2026-10-10" in page.replace("\n", "")
    url = reverse("applications:staff-event", args=["maoshe", application.number, "received"])
    assert client.post(url, {"on": "2026-10-09"}).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.received_on, application.due_on) == (
        "received",
        date(2026, 10, 9),
        date(2026, 11, 5),  # 20 WD from 10-09: 10 (make-up), 12..16, 19..23, 26..30, 11-02..05
    )
