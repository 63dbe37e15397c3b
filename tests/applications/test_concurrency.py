"""Concurrent submissions and notices (security.md REL-02, REL-03) on PostgreSQL, where requests
really run in parallel: unique, gap-free numbers, and one application per idempotency key. (On SQLite the
IMMEDIATE transactions serialise writers; Django's flush between transactional tests would also
hit the audit table's DELETE trigger there, so these run on PostgreSQL only.) pytest-django runs
transactional tests after the others; their final flush empties the seeded holiday calendar,
which tests/conftest.py puts back when a reused test database starts the next session."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from gongkai.accounts.choices import Role
from gongkai.applications.models import Application, Notice
from gongkai.applications.notices import issue_notice
from gongkai.applications.services import submit_application
from tests.applications.factories import applicant_fields, make_application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def run_in_threads(count, target):
    errors = []

    def wrapper(i):
        try:
            target(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_parallel_submissions_get_unique_contiguous_numbers(world):
    agency = world.township
    errors = run_in_threads(
        8,
        lambda i: submit_application(
            agency=agency,
            fields=applicant_fields(),
            channel="online",
            received_on=date.today(),
            idempotency_key=f"par-{i}",
        ),
    )
    assert errors == []
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 8
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, 9))


def test_parallel_retries_with_one_key_make_one_application(world):
    agency = world.township
    results = []
    errors = run_in_threads(
        6,
        lambda i: results.append(
            submit_application(
                agency=agency,
                fields=applicant_fields(),
                channel="online",
                received_on=date.today(),
                idempotency_key="same-key",
            ).application.number
        ),
    )
    assert errors == []
    assert Application.objects.count() == 1
    assert len(set(results)) == 1


def test_parallel_notices_of_one_application_get_unique_contiguous_numbers(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    application = make_application(world.township)
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    errors = run_in_threads(
        6,
        lambda i: issue_notice(
            application, actor=officer, kind="receipt", served_on=application.received_on, served_by="email"
        ),
    )
    assert errors == []
    numbers = sorted(Notice.objects.filter(application=application).values_list("document_number", flat=True))
    year = application.received_on.year
    assert numbers == sorted(f"{world.township.document_prefix}信收〔{year}〕{i}号" for i in range(1, 7))
