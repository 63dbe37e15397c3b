"""Handling an application on its legal clock through the workbench (条例 art. 30–36; seed
E2–E5): every event goes through the clock's rules, is audited, and moves the stored due date.

Time is frozen for every test, its fixtures included (``_frozen``): a person signed in at the
machine's real time and then moved to a frozen date saw their session expire (idle for longer
than SESSION_IDLE_SECONDS), so the tests depended on the machine's date."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.core.calendar import arrangement_of, format_holidays, format_makeup, parse_arrangement, save_calendar_year
from gongkai.core.models import AuditEvent, CalendarYear
from tests.applications import factories
from tests.applications.factories import CANARY_ID, CANARY_PHONE, REPLY_DETAILS, make_application

pytestmark = pytest.mark.django_db
NOW = "2026-10-20 10:00 +0800"


@pytest.fixture(autouse=True)
def _frozen():
    """Every test, and the fixtures it uses (sign-ins, applications), runs at NOW unless it
    travels elsewhere itself."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def application(world):
    with time_machine.travel("2026-09-28 10:00 +0800"):
        return make_application(world.township, received_on=date(2026, 9, 28))


def post_event(client, application, kind, **data):
    url = reverse("applications:staff-event", args=["maoshe", application.number, kind])
    return client.post(url, data)


@pytest.fixture
def officer(client, world):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    return client


def test_correction_then_corrected_application_restarts_the_20_days(officer, application):
    assert application.due_on == date(2026, 10, 30)
    response = post_event(officer, application, "correction_requested", on="2026-10-13", period_end="2026-10-23")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "awaiting_correction"
    assert application.due_on is None
    assert application.suspended_until == date(2026, 10, 23)
    post_event(officer, application, "correction_received", on="2026-10-20")
    application.refresh_from_db()
    assert application.status == "received"
    assert application.due_on == date(2026, 11, 17)
    assert AuditEvent.objects.filter(event="applications.application.correction_requested").get().data["after"] == {
        "status": "awaiting_correction",
        "due_on": None,
    }


def test_a_late_correction_notice_is_refused_and_nothing_is_saved(officer, application):
    response = post_event(officer, application, "correction_requested", on="2026-10-14", period_end="2026-10-23")
    assert response.status_code == 400
    assert "不晚于 2026-10-13" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "received"
    assert application.clock_events.count() == 1


def test_third_party_consultation_time_is_not_counted(officer, application):
    post_event(
        officer,
        application,
        "consultation_started",
        on="2026-10-12",
        party="third_party",
        party_name="某农业开发有限公司",
        party_contact="工业园区 8 号",
    )
    application.refresh_from_db()
    assert application.status == "consulting"
    assert application.suspended_until == date(2026, 11, 2)
    post_event(officer, application, "consultation_ended", on="2026-10-15")
    application.refresh_from_db()
    assert application.due_on == date(2026, 11, 4)
    detail = officer.get(reverse("applications:staff-detail", args=["maoshe", application.number])).content.decode()
    assert "3 个工作日不计入" in detail
    assert "2026-11-04" in detail


def test_only_a_leader_approves_an_extension(client, world, officer, application):
    assert post_event(officer, application, "extension_approved", on="2026-10-20", working_days="20").status_code == 403
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))
    assert post_event(client, application, "extension_approved", on="2026-10-20", working_days="20").status_code == 302
    application.refresh_from_db()
    assert application.due_on == date(2026, 11, 27)
    response = post_event(client, application, "extension_approved", on="2026-10-20", working_days="5")
    assert "只能延长一次" in response.content.decode()


def test_a_refusal_is_drafted_with_its_ground_signed_by_a_leader_then_served(client, world, officer, application):
    response = post_event(
        officer, application, "draft_submitted", on="2026-10-19", outcome="withheld_internal", reason=""
    )
    assert "须写明依据和理由" in response.content.decode()
    reason = "所申请信息属于人事管理类内部事务信息，依据条例第十六条第一款不予公开。"
    assert (
        post_event(
            officer, application, "draft_submitted", on="2026-10-19", outcome="withheld_internal", reason=reason
        ).status_code
        == 302
    )
    # Not served before the leader signs (seed E5).
    assert post_event(officer, application, "replied", on="2026-10-20", served_by="email").status_code == 400
    assert post_event(officer, application, "draft_signed", on="2026-10-20").status_code == 403
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))
    assert post_event(client, application, "draft_signed", on="2026-10-20").status_code == 302
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    # Serving is the last step: first the letter made from the signed draft (issue 10).
    response = post_event(client, application, "replied", on="2026-10-20", served_by="email")
    assert "请先根据已签发的答复草稿生成答复书" in response.content.decode()
    assert application.notices.count() == 0
    notice_url = reverse("applications:staff-notice", args=["maoshe", application.number])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(notice_url, {"kind": "reply_withheld", "served_on": "2026-10-20", "served_by": "post"})
    assert response.status_code == 302
    letter = application.notices.get()
    assert (letter.issued_on, letter.served_on) == (date(2026, 10, 20), None)
    application.refresh_from_db()
    assert application.status == "received"  # generated, not yet served
    assert post_event(client, application, "replied", on="2026-10-20", served_by="email").status_code == 302
    letter.refresh_from_db()
    assert (letter.served_on, letter.served_by) == (date(2026, 10, 20), "email")
    application.refresh_from_db()
    assert application.status == "replied"
    assert application.outcome == "withheld_internal"
    assert application.outcome_reason == reason
    assert application.closed_on == date(2026, 10, 20)
    assert post_event(client, application, "replied", on="2026-10-20", served_by="email").status_code == 400


def test_the_person_who_drafts_cannot_sign(client, world, make_user, application):
    both = make_user(world.township, "maoshe.both", Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE)
    client.force_login(both)
    drafted = post_event(
        client,
        application,
        "draft_submitted",
        on="2026-10-20",
        outcome="disclosed",
        reason="",
        **REPLY_DETAILS["disclosed"],
    )
    assert drafted.status_code == 302
    assert post_event(client, application, "draft_signed", on="2026-10-20").status_code == 403


def test_the_assigned_office_proposes_and_only_sees_its_own(client, world, make_user, officer, application):
    office = world.township.offices.get(name="农业农村办")
    clerk = make_user(world.township, "maoshe.agri", Role.CLERK, office=office)
    other = make_user(world.township, "maoshe.social", Role.CLERK, office=world.township.offices.get(name="社会事务办"))
    assert post_event(officer, application, "assigned", on="2026-09-29", office=office.pk).status_code == 302
    client.force_login(other)
    detail = reverse("applications:staff-detail", args=["maoshe", application.number])
    assert client.get(detail).status_code == 404
    assert application.number not in client.get(reverse("applications:staff-list", args=["maoshe"])).content.decode()
    client.force_login(clerk)
    assert client.get(detail).status_code == 200
    response = post_event(
        client,
        application,
        "proposal_submitted",
        on="2026-10-09",
        note="经检索，该信息已在政府网站主动公开，建议告知获取途径。",
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assigned_office == office
    assert application.next_step == ""  # review and proposal done; no draft yet to sign
    page = officer.get(detail).content.decode()
    assert "建议告知获取途径" in page


def test_another_agencys_officer_cannot_see_or_act(client, world, application):
    client.force_login(world.person(world.department, Role.DISCLOSURE_OFFICER))
    assert client.get(reverse("applications:staff-detail", args=["maoshe", application.number])).status_code == 404
    url = reverse("applications:staff-detail", args=["huangyan-agri", application.number])
    assert client.get(url).status_code == 404
    assert post_event(client, application, "draft_submitted", on="2026-10-20", outcome="disclosed").status_code == 404


def test_personal_data_is_masked_and_revealed_only_by_an_audited_action(client, world, officer, application):
    detail_url = reverse("applications:staff-detail", args=["maoshe", application.number])
    for url in (reverse("applications:staff-list", args=["maoshe"]) + "?show=all", detail_url):
        body = officer.get(url).content.decode()
        assert CANARY_ID not in body
        assert CANARY_PHONE not in body
    assert "1101**********4573" in officer.get(detail_url).content.decode()
    reveal = reverse("applications:staff-reveal", args=["maoshe", application.number])
    assert CANARY_ID in officer.post(reveal, {"field": "id_number"}).content.decode()
    event = AuditEvent.objects.get(event="applications.application.personal_data_revealed")
    assert event.data == {"field": "id_number"}
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))
    assert client.post(reveal, {"field": "id_number"}).status_code == 403


def test_due_soon_and_overdue_lists(client, world):
    with time_machine.travel("2026-09-28 10:00 +0800"):
        late = make_application(world.township, received_on=date(2026, 9, 28))  # due 10-30
    with time_machine.travel("2026-10-08 10:00 +0800"):
        soon = make_application(world.township, received_on=date(2026, 10, 8))  # due 11-05
    with time_machine.travel("2026-11-03 10:00 +0800", tick=False):
        client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))  # signed in on that day
        url = reverse("applications:staff-list", args=["maoshe"])
        overdue = client.get(url, {"show": "overdue"}).context["applications"]
        due_soon = client.get(url, {"show": "soon"}).context["applications"]
    assert [a.number for a in overdue] == [late.number]
    assert [a.number for a in due_soon] == [soon.number]


def reply_through_services(world, application, on):
    """Draft (disclosure officer), signature (leader), letter, reply served (seed E5)."""
    return factories.reply_through_services(
        application,
        officer=world.person(world.township, Role.DISCLOSURE_OFFICER),
        leader=world.person(world.township, Role.LEADER_IN_CHARGE),
        on=on,
    )


def test_a_calendar_change_moves_open_due_dates(world, application):
    replied = reply_through_services(
        world, make_application(world.township, received_on=date(2026, 9, 28)), date(2026, 10, 9)
    )
    assert (replied.status, replied.closed_on) == ("replied", date(2026, 10, 9))
    year = CalendarYear.objects.get(year=2026)
    current = arrangement_of(year)
    changed = parse_arrangement(
        year=2026,
        source=current.source,
        published_on=current.published_on,
        holidays_text=format_holidays(current) + "\n临时假日 2026-10-20 2026-10-20",
        makeup_text=format_makeup(current),
    )
    save_calendar_year(changed, actor_label="test")
    application.refresh_from_db()
    replied.refresh_from_db()
    assert application.due_on == date(2026, 11, 2)
    assert replied.due_on == date(2026, 10, 30)
    event = AuditEvent.objects.get(event="core.calendar_year.updated")
    assert event.data["recomputed_deadlines"]["applications.reply_due"] == 1
