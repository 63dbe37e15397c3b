"""The one reminder sweep over the registered reminder kinds, the one "due soon" setting and the
partial indexes behind the sweep's queries (issue 9; seed A6, D4, E1–E5; security.md REL-04)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications import clock
from gongkai.applications.models import Application
from gongkai.applications.reminders import STEP_DUE, STEP_LABELS
from gongkai.catalog.models import Entry
from gongkai.core import reminders
from gongkai.core.reminders import Due, ReminderKind, due_soon_until, sweep_reminders
from tests.applications.factories import make_application

pytestmark = pytest.mark.django_db


def test_each_app_registers_its_kinds():
    assert {kind.code for kind in reminders.reminder_kinds()} == {
        "applications.reply_due",
        "applications.step_due",
        "catalog.publication_due",
        "disputes.answer_due",
        "reports.report_due",
    }
    assert all(str(kind.label) and kind.thresholds for kind in reminders.reminder_kinds())


def test_every_internal_step_has_a_label_and_its_thresholds():
    assert set(STEP_LABELS) == set(clock.INTERNAL_DAYS)
    assert {t.split(":")[1] for t in STEP_DUE.thresholds} == set(clock.INTERNAL_DAYS)


@pytest.fixture
def fake_kind():
    """A registered kind that finds what the test puts in ``items``."""
    items: list[Due] = []
    kind = ReminderKind(
        code="test.fake",
        label="fake",
        thresholds=("overdue",),
        find=lambda today, soon: list(items),
        message=lambda due: (f"提醒 {due.item} {due.due_on}", "正文"),
    )
    reminders.register_reminder_kinds(kind)
    yield items
    reminders.unregister_reminder_kind("test.fake")


def test_the_sweep_sends_once_per_item_threshold_and_deadline(fake_kind, django_capture_on_commit_callbacks):
    fake_kind.append(Due("thing:1", "overdue", date(2026, 11, 2), ["a@example.gov.cn"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_reminders(date(2026, 11, 3), codes={"test.fake"}) == 1
        assert sweep_reminders(date(2026, 11, 4), codes={"test.fake"}) == 0  # the same deadline: once
        fake_kind.append(Due("thing:1", "overdue", date(2026, 11, 3), ["a@example.gov.cn"]))  # moved
        assert sweep_reminders(date(2026, 11, 4), codes={"test.fake"}) == 1
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("提醒 thing:1 2026-11-02", ["a@example.gov.cn"]),
        ("提醒 thing:1 2026-11-03", ["a@example.gov.cn"]),
    ]


def test_a_threshold_the_kind_does_not_declare_is_a_programming_error(fake_kind):
    fake_kind.append(Due("thing:1", "someday", date(2026, 11, 2), ["a@example.gov.cn"]))
    with pytest.raises(ValueError, match=r"test\.fake: unknown threshold 'someday'"):
        sweep_reminders(date(2026, 11, 3), codes={"test.fake"})


def test_the_one_daily_task_runs_every_kind_at_seven_thirty(fake_kind, django_capture_on_commit_callbacks):
    from gongkai.applications import tasks as application_tasks
    from gongkai.catalog import tasks as catalog_tasks
    from gongkai.core.tasks import daily_reminder_sweep

    task = daily_reminder_sweep.s()
    assert task.validate_datetime(datetime(2026, 11, 3, 7, 30))
    assert not task.validate_datetime(datetime(2026, 11, 3, 7, 40))
    assert not hasattr(application_tasks, "daily_deadline_sweep")
    assert not hasattr(catalog_tasks, "daily_publish_deadline_sweep")
    fake_kind.append(Due("thing:1", "overdue", date(2026, 11, 2), ["a@example.gov.cn"]))
    with time_machine.travel("2026-11-03 07:30 +0800"), django_capture_on_commit_callbacks(execute=True):
        assert daily_reminder_sweep.call_local() == 1


def test_due_soon_follows_the_one_setting(settings):
    tuesday = date(2026, 11, 3)
    assert due_soon_until(tuesday) == date(2026, 11, 6)  # the default: 3 working days
    settings.DUE_SOON_WORKING_DAYS = 5
    assert due_soon_until(tuesday) == date(2026, 11, 10)


def test_lists_counts_and_reminders_say_the_setting(world, client, settings, django_capture_on_commit_callbacks):
    from gongkai.applications.reminders import sweep_deadlines

    with time_machine.travel("2026-10-12 10:00 +0800"):
        application = make_application(world.township, received_on=date(2026, 10, 12))  # due 11-09
    settings.DUE_SOON_WORKING_DAYS = 5
    with time_machine.travel("2026-11-03 08:00 +0800"), django_capture_on_commit_callbacks(execute=True):
        client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))  # signed in at that moment
        page = client.get(reverse("applications:staff-list", args=["maoshe"])).content.decode()
        dashboard = client.get(reverse("accounts:dashboard")).content.decode()
        sweep_deadlines()
    assert "5 个工作日内到期（1）" in page
    assert "5 个工作日内到期" in dashboard
    reply = [m.subject for m in mail.outbox if "答复" in m.subject]
    assert reply == [f"5 个工作日内到期：申请 {application.number} 须在 2026-11-09 前答复"]


# ---------------------------------------------------------------------------------------------
# Partial indexes on the stored due dates the sweep scans

PARTIAL_INDEXES = [
    (Application, "application_open_due_idx", "due_on"),
    (Application, "application_suspended_idx", "suspended_until"),
    (Application, "application_open_step_due_idx", "next_step_due"),
    (Entry, "entry_unpublished_due_idx", "publish_due_on"),
]


@pytest.mark.parametrize(("model", "name", "column"), PARTIAL_INDEXES)
def test_each_swept_due_date_has_a_partial_index(model, name, column):
    index = next(i for i in model._meta.indexes if i.name == name)
    assert index.fields[-1] == column
    assert "status__in" in str(index.condition)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        (definition,) = cursor.fetchone()
    assert column in definition
    assert "WHERE" in definition.upper()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("code", ["applications.reply_due", "applications.step_due", "catalog.publication_due"])
def test_the_sweeps_queries_use_the_partial_indexes(code):
    kind = next(k for k in reminders.reminder_kinds() if k.code == code)
    with CaptureQueriesContext(connection) as queries:
        list(kind.find(date(2026, 11, 3), date(2026, 11, 6)))
    tables = ('FROM "applications_application"', 'FROM "catalog_entry"')
    scans = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    assert scans
    used = set()
    with connection.cursor() as cursor:
        for sql in scans:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(row[-1] for row in cursor.fetchall())
            used |= {name for _model, name, _column in PARTIAL_INDEXES if f"INDEX {name} " in plan}
    expected = {
        "applications.reply_due": {"application_open_due_idx", "application_suspended_idx"},
        "applications.step_due": {"application_open_step_due_idx"},
        "catalog.publication_due": {"entry_unpublished_due_idx"},
    }
    assert used == expected[code]
