"""The daily deadline sweep (seed E1–E5; security.md REL-04): reminders exactly once per
application and threshold, however often the sweep runs."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from gongkai.applications.reminders import sweep_deadlines
from gongkai.core.tasks import daily_reminder_sweep as daily_deadline_sweep
from tests.applications.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(world):
    with time_machine.travel("2026-10-12 10:00 +0800"):
        late = make_application(world.township, received_on=date(2026, 9, 28))  # due 10-30
        soon = make_application(world.township, received_on=date(2026, 10, 8))  # due 11-05
        later = make_application(world.township, received_on=date(2026, 10, 12))  # due 11-09
    return late, soon, later


def legal(outbox):
    return [m for m in outbox if m.subject.startswith(("已超期：申请", "3 个工作日内到期：申请"))]


def test_reminders_go_once_per_threshold(applications, django_capture_on_commit_callbacks):
    late, soon, later = applications
    with time_machine.travel("2026-11-03 08:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert sweep_deadlines() == 5  # the late and the due-soon answers, and the three late "审核" steps
        assert sweep_deadlines() == 0
        daily_deadline_sweep.call_local()
    subjects = sorted(m.subject for m in legal(mail.outbox))
    assert len(subjects) == 2, subjects
    assert any(f"已超期：申请 {late.number}" in s for s in subjects), subjects
    assert any(soon.number in s for s in subjects)
    assert all(m.to == ["maoshe.disclosure@example.gov.cn"] for m in legal(mail.outbox))
    # Two days on: `soon` turns overdue and `later` turns due soon; `late` sends nothing new.
    with time_machine.travel("2026-11-05 08:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines()
    new_subjects = [m.subject for m in legal(mail.outbox)[2:]]
    assert len(new_subjects) == 2
    assert any(f"已超期：申请 {soon.number}" in s for s in new_subjects)
    assert any(f"3 个工作日内到期：申请 {later.number}" in s for s in new_subjects)


def test_internal_step_reminders_go_to_the_steps_owner(world, make_user, django_capture_on_commit_callbacks):
    from gongkai.accounts.choices import Role
    from gongkai.applications.services import record_clock_event

    office = world.township.offices.get(name="农业农村办")
    make_user(world.township, "maoshe.agri", Role.CLERK, office=office)
    with time_machine.travel("2026-10-08 10:00 +0800"):
        application = make_application(world.township, received_on=date(2026, 10, 8))
        officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
        record_clock_event(
            application, actor=officer, kind="assigned", on=date(2026, 10, 8), data={"office": office.pk}
        )
    application.refresh_from_db()
    assert application.next_step == "proposal"
    assert application.next_step_due == date(2026, 10, 16)  # 7 WD: 10-09, 10-10 (Saturday, worked), 10-12..16
    with time_machine.travel("2026-10-19 08:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines()
        sweep_deadlines()
    step_mail = [m for m in mail.outbox if "承办科室拟办" in m.subject]
    assert len(step_mail) == 1
    assert step_mail[0].to == ["maoshe.agri@example.gov.cn"]
    assert "已超期" in step_mail[0].subject


def test_a_submission_to_confirm_reminds_the_disclosure_officers(world, django_capture_on_commit_callbacks):
    """Art. 31(三), seed E1: the office hears of an online submission it has to confirm."""
    with time_machine.travel("2026-10-09 10:00 +0800"):
        application = make_application(world.township, received_on=date(2026, 10, 9), confirmed=False)
    assert (application.next_step, application.next_step_due) == ("confirm", date(2026, 10, 10))
    with time_machine.travel("2026-10-09 18:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines()
        sweep_deadlines()
    confirm_mail = [m for m in mail.outbox if "确认收到网上申请" in m.subject]
    assert len(confirm_mail) == 1
    assert application.number in confirm_mail[0].subject
    assert confirm_mail[0].to == ["maoshe.disclosure@example.gov.cn"]
