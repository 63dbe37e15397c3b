"""The one counter model behind every numbered sequence (issue 9; security.md REL-03): one
series per agency, name and year, never a value twice, under concurrency on SQLite (processes on
one database file) and PostgreSQL (threads)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from gongkai.core.models import Counter
from gongkai.core.sequences import next_in_sequence

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_each_agency_name_and_year_counts_on_its_own():
    assert [next_in_sequence("applications.number", 1, 2026) for _ in range(3)] == [1, 2, 3]
    assert next_in_sequence("applications.number", 1, 2027) == 1
    assert next_in_sequence("applications.number", 2, 2026) == 1
    assert next_in_sequence("catalog.index_number", 1, 2026) == 1
    assert next_in_sequence("applications.notice:5", 1) == 1  # year 0: a series that never restarts
    assert Counter.objects.get(agency_id=1, name="applications.number", year=2026).last == 3


@pytest.mark.django_db
def test_a_counter_continues_from_its_stored_value():
    Counter.objects.create(agency_id=1, name="applications.number", year=2026, last=41)
    assert next_in_sequence("applications.number", 1, 2026) == 42


@pytest.mark.django_db
def test_a_rolled_back_caller_gives_its_value_back():
    assert next_in_sequence("applications.number", 1, 2026) == 1
    taken = []

    def take_and_fail():
        with transaction.atomic():
            taken.append(next_in_sequence("applications.number", 1, 2026))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        take_and_fail()
    assert taken == [2]
    assert next_in_sequence("applications.number", 1, 2026) == 2  # the 2 was never used
    with transaction.atomic():
        assert next_in_sequence("applications.number", 1, 2026) == 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path (processes on a database file)")
def test_concurrent_processes_on_sqlite_never_get_the_same_value(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sequence.sqlite3'}",
    }
    worker = [sys.executable, "tests/core/sequence_worker.py"]
    subprocess.run([*worker, "setup"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    processes = [
        subprocess.Popen([*worker, "take", "25"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    results = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], [err for _out, err in results]
    taken = [int(v) for out, _err in results for v in out.decode().strip().splitlines()[-1].split(",")]
    assert sorted(taken) == list(range(1, 101))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_threads_on_postgresql_never_get_the_same_value():
    from tests.applications.test_concurrency import run_in_threads

    taken = []

    def take(_i):
        for _ in range(10):
            with transaction.atomic():
                taken.append(next_in_sequence("test.sequence", 7, 2026))

    assert run_in_threads(8, take) == []
    assert sorted(taken) == list(range(1, 81))
