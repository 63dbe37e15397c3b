"""The daily deadline sweep (seed E1–E5; security.md REL-04): reminders exactly once per
application and threshold, however often the sweep runs."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from gongkai.applications.services import sweep_deadlines
from gongkai.applications.tasks import daily_deadline_sweep
from tests.applications.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(world):
    with time_machine.travel("2026-10-12 10:00 +0800"):
        late = make_application(world.township, received_on=date(2026, 9, 28))  # due 10-30
        soon = make_application(world.township, received_on=date(2026, 10, 8))  # due 11-05
        later = make_application(world.township, received_on=date(2026, 10, 12))  # due 11-09
    return late, soon, later


def test_reminders_go_once_per_threshold(applications, django_capture_on_commit_callbacks):
    late, soon, later = applications
    with time_machine.travel("2026-11-03 08:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert sweep_deadlines() == 2
        assert sweep_deadlines() == 0
        daily_deadline_sweep.call_local()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2, subjects
    assert any(f"已超期：申请 {late.number}" in s for s in subjects), subjects
    assert any(soon.number in s for s in subjects)
    assert all(m.to == ["maoshe.disclosure@example.gov.cn"] for m in mail.outbox)
    # The next day the overdue one is still overdue: no new mail; the later one is now due soon.
    with time_machine.travel("2026-11-05 08:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert sweep_deadlines() == 2  # `soon` turns overdue, `later` turns due soon
    assert len(mail.outbox) == 4
    new_subjects = [m.subject for m in mail.outbox[2:]]
    assert any(f"已超期：申请 {soon.number}" in s for s in new_subjects)
    assert any(f"3 个工作日内到期：申请 {later.number}" in s for s in new_subjects)
