"""Every move of an application's handling table (applications/transitions.py), driven from
the table itself (issue 9): each move is refused from every status it does not start from, with
its own message (or "closed" once the application is replied or abandoned), nothing is written
and the refusal is audited; from a status it starts from it writes its ledger entry and its
audit code. States are reached through the services, never by assigning ``status``."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from gongkai.accounts.choices import Role
from gongkai.applications.choices import Status
from gongkai.applications.clock import ClockError, Kind
from gongkai.applications.models import Application
from gongkai.applications.notices import issue_notice
from gongkai.applications.services import confirm_submission, record_clock_event
from gongkai.applications.transitions import HANDLING, MOVES
from gongkai.core.models import AuditEvent
from tests.applications.factories import REPLY_DETAILS, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        yield


RECEIVED_ON = date(2026, 9, 28)


class People:
    def __init__(self, world):
        self.world = world
        self.officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
        self.leader = world.person(world.township, Role.LEADER_IN_CHARGE)
        self.reviewer = world.person(world.township, Role.CONFIDENTIALITY_REVIEWER)

    def record(self, application, kind, on, *, actor=None, **extra):
        actor = actor or self.officer
        if kind == Kind.RECEIVED:  # the confirmation of an online submission (art. 31(三))
            return confirm_submission(application, actor=actor, on=on)
        return record_clock_event(application, actor=actor, kind=kind, on=on, **extra)

    # -- states, each reached through the services -------------------------------------------
    def submitted(self):
        return make_application(self.world.township, received_on=RECEIVED_ON, confirmed=False)

    def received(self):
        return make_application(self.world.township, received_on=RECEIVED_ON)

    def awaiting_correction(self):
        application = self.received()
        return self.record(
            application, Kind.CORRECTION_REQUESTED, date(2026, 9, 30), data={"period_end": date(2026, 10, 10)}
        )

    def consulting(self):
        application = self.received()
        return self.record(application, Kind.CONSULTATION_STARTED, date(2026, 10, 12), data={"party": "third_party"})

    def awaiting_fee(self):
        application = self.received()
        return self.record(
            application, Kind.FEE_NOTICE_SERVED, date(2026, 10, 12), data={"mode": "per_page", "pages": 150}
        )

    def replied(self):
        application = self.lettered()
        return self.record(application, Kind.REPLIED, date(2026, 10, 16))

    def lettered(self):
        """Signed, and the reply letter made from the draft (issue 10: served last)."""
        application = self.signed()
        issue_notice(
            application, actor=self.officer, kind="reply_disclosed", served_on=date(2026, 10, 15), served_by="email"
        )
        return application

    def abandoned(self):
        application = self.awaiting_correction()
        return self.record(application, Kind.CORRECTION_LAPSED, date(2026, 10, 12))

    def drafted(self):
        application = self.received()
        return self.record(
            application,
            Kind.DRAFT_SUBMITTED,
            date(2026, 10, 14),
            outcome="disclosed",
            data=dict(REPLY_DETAILS["disclosed"]),
        )

    def signed(self):
        application = self.drafted()
        return self.record(application, Kind.DRAFT_SIGNED, date(2026, 10, 15), actor=self.leader)


STATES = {
    Status.SUBMITTED: "submitted",
    Status.RECEIVED: "received",
    Status.AWAITING_CORRECTION: "awaiting_correction",
    Status.CONSULTING: "consulting",
    Status.AWAITING_FEE: "awaiting_fee",
    Status.REPLIED: "replied",
    Status.ABANDONED: "abandoned",
}
FORBIDDEN = [
    (kind, status)
    for kind, (sources, _targets, _refusal) in MOVES.items()
    for status in Status.values
    if status not in sources
]


@pytest.fixture
def people(world):
    return People(world)


def test_the_table_covers_every_kind_staff_record():
    assert set(MOVES) == set(Kind.ALL)
    assert {t.audit for t in HANDLING.transitions} == {f"applications.application.{kind}" for kind in MOVES}


@pytest.mark.parametrize(("kind", "status"), FORBIDDEN)
def test_a_move_from_a_status_it_does_not_start_from_is_refused(people, kind, status):
    application = getattr(people, STATES[status])()
    assert application.status == status
    events = application.clock_events.count()
    audited = AuditEvent.objects.count()
    actor = people.leader if kind in (Kind.EXTENSION_APPROVED, Kind.DRAFT_SIGNED) else people.officer
    if kind == Kind.CONFIDENTIALITY_REVIEWED:
        actor = people.reviewer
    with pytest.raises(ClockError) as refused:
        people.record(application, kind, date(2026, 10, 19), actor=actor, note="检索记录", data={"office": 0})
    closed = status in (Status.REPLIED, Status.ABANDONED)
    expected = "该申请已办结。" if closed else str(HANDLING.get(kind).refusal)
    assert str(refused.value) == expected
    application.refresh_from_db()
    assert application.status == status
    assert application.clock_events.count() == events
    # Only the refusal itself is added to the trail.
    assert AuditEvent.objects.count() == audited + 1
    assert AuditEvent.objects.latest("id").event == "applications.application.action_refused"


def test_a_date_in_the_future_is_refused_and_nothing_is_written(people):
    application = people.received()
    with pytest.raises(ClockError, match="不能晚于今天"):
        people.record(application, Kind.NOTE_ADDED, date(2026, 10, 21), note="检索记录")
    assert application.clock_events.count() == 1
    assert not AuditEvent.objects.filter(event="applications.application.note_added").exists()


def test_the_same_day_is_not_in_the_future(people):
    application = people.received()
    people.record(application, Kind.NOTE_ADDED, date(2026, 10, 20), note="检索记录")
    assert application.clock_events.filter(kind=Kind.NOTE_ADDED).count() == 1


def test_someone_of_another_agency_is_refused(people, world):
    application = people.received()
    stranger = world.person(world.department, Role.DISCLOSURE_OFFICER)
    with pytest.raises(PermissionDenied, match="属于其他机关"):
        people.record(application, Kind.NOTE_ADDED, date(2026, 10, 19), actor=stranger, note="检索")


def test_the_wrong_role_is_refused_with_the_kinds_own_message(people):
    application = people.received()
    with pytest.raises(PermissionDenied, match="分管领导"):
        people.record(application, Kind.EXTENSION_APPROVED, date(2026, 10, 19), data={"working_days": 10})


ALLOWED = [
    ("submitted", Kind.RECEIVED, "officer", {"on": RECEIVED_ON}, Status.RECEIVED),
    (
        "received",
        Kind.CORRECTION_REQUESTED,
        "officer",
        {"on": date(2026, 9, 30), "data": {"period_end": date(2026, 10, 23)}},
        Status.AWAITING_CORRECTION,
    ),
    ("awaiting_correction", Kind.CORRECTION_RECEIVED, "officer", {}, Status.RECEIVED),
    ("awaiting_correction", Kind.CORRECTION_LAPSED, "officer", {}, Status.ABANDONED),
    ("received", Kind.CONSULTATION_STARTED, "officer", {"data": {"party": "other_agency"}}, Status.CONSULTING),
    ("consulting", Kind.CONSULTATION_ENDED, "officer", {}, Status.RECEIVED),
    ("received", Kind.FEE_NOTICE_SERVED, "officer", {"data": {"mode": "per_page", "pages": 150}}, Status.AWAITING_FEE),
    ("awaiting_fee", Kind.FEE_PAID, "officer", {}, Status.RECEIVED),
    ("received", Kind.EXTENSION_APPROVED, "leader", {"data": {"working_days": 10}}, Status.RECEIVED),
    ("lettered", Kind.REPLIED, "officer", {}, Status.REPLIED),
    ("received", Kind.NOTE_ADDED, "officer", {"note": "检索记录"}, Status.RECEIVED),
    ("received", Kind.CONFIDENTIALITY_REVIEWED, "reviewer", {}, Status.RECEIVED),
    ("received", Kind.PROPOSAL_SUBMITTED, "officer", {"note": "建议公开"}, Status.RECEIVED),
    (
        "received",
        Kind.DRAFT_SUBMITTED,
        "officer",
        {"outcome": "disclosed", "data": REPLY_DETAILS["disclosed"]},
        Status.RECEIVED,
    ),
    ("drafted", Kind.DRAFT_SIGNED, "leader", {}, Status.RECEIVED),
]


@pytest.mark.parametrize(("state", "kind", "who", "extra", "after"), ALLOWED)
def test_a_move_writes_its_entry_and_its_audit_code(people, state, kind, who, extra, after):
    application = getattr(people, state)()
    extra = dict(extra)
    on = extra.pop("on", date(2026, 10, 19))
    people.record(application, kind, on, actor=getattr(people, who), **extra)
    application.refresh_from_db()
    assert application.status == after
    assert application.clock_events.filter(kind=kind, on=on).count() == 1
    event = AuditEvent.objects.filter(event=f"applications.application.{kind}").latest("id")
    assert event.data["after"]["status"] == after
    assert event.object_id == str(application.pk)


def test_assignment_names_the_office(people, world):
    application = people.received()
    office = world.township.offices.first()
    people.record(application, Kind.ASSIGNED, date(2026, 10, 19), data={"office": office.pk})
    application.refresh_from_db()
    assert application.assigned_office == office
    assert AuditEvent.objects.get(event="applications.application.assigned").data["details"] == {"office": office.name}


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_an_unpaid_fee_lapses_after_the_payment_period(people):
    application = people.awaiting_fee()  # served 2026-10-12; 20 working days → 2026-11-09
    people.record(application, Kind.FEE_LAPSED, date(2026, 11, 10))
    application.refresh_from_db()
    assert application.status == Status.ABANDONED
    assert application.outcome == "other_fee_unpaid"
    assert AuditEvent.objects.filter(event="applications.application.fee_lapsed").count() == 1


def test_a_closed_application_stays_closed(people):
    application = people.replied()
    assert Application.objects.get(pk=application.pk).status == Status.REPLIED
    assert HANDLING.available(application, people.officer) == []
