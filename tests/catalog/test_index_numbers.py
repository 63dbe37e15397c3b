"""Index numbers (索引号): the agency's template, one sequence per agency and year, never reused,
unique under concurrent publication on SQLite and PostgreSQL (issue 3; REL-03)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from gongkai.accounts.validators import validate_index_template
from gongkai.catalog import services
from gongkai.catalog.models import Entry
from tests.catalog.factories import make_entry

ROOT = Path(__file__).resolve().parents[2]


def test_numbers_follow_the_agency_template_and_count_per_year(cast, published):
    year = timezone.localdate().year
    first, second = published(title="一"), published(title="二")
    assert first.index_number == f"{cast.agency.index_prefix}/{year}-00001"
    assert second.index_number == f"{cast.agency.index_prefix}/{year}-00002"
    cast.agency.index_template = "{prefix}-{year}-{serial:06d}"
    cast.agency.save()
    assert published(title="三").index_number == f"{cast.agency.index_prefix}-{year}-000003"


def test_a_withdrawn_items_number_is_never_reused(cast, published):
    first = published(title="一")
    services.withdraw(first, actor=cast.web, reason="发布有误，撤回。")
    again = published(title="二")
    assert again.index_number != first.index_number
    assert Entry.objects.get(pk=first.pk).index_number == first.index_number  # kept in the history


def test_a_number_taken_by_an_imported_item_is_skipped(cast, published):
    year = timezone.localdate().year
    imported = make_entry(cast.agency, status="draft")
    imported.index_number = f"{cast.agency.index_prefix}/{year}-00001"
    imported.save()
    assert published(title="新").index_number == f"{cast.agency.index_prefix}/{year}-00002"


@pytest.mark.parametrize(
    "template", ["{prefix}", "{prefix}/{serial}", "{prefix}/{year}-{serial}-{x}", "{year-{serial}"]
)
def test_bad_templates_are_refused(template):
    with pytest.raises(ValidationError):
        validate_index_template(template)


def test_good_templates_pass():
    validate_index_template("{prefix}/{year}-{serial:05d}")
    validate_index_template("{year}{serial:06d}")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path (processes on a database file)")
def test_concurrent_publication_on_sqlite_gives_unique_contiguous_numbers(tmp_path):
    database = tmp_path / "concurrent.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{database}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "CATALOG_SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300
        ).stdout

    run("manage.py", "migrate", "-v0")
    run(
        "manage.py",
        "load_demo",
        "--without-applications",
        "--without-catalog",
        "--credentials-file",
        str(tmp_path / "c"),
    )
    ids = run("tests/catalog/concurrent_publish.py", "setup", "24").strip().splitlines()[-1].split(",")
    helper = [sys.executable, "tests/catalog/concurrent_publish.py", "publish"]
    workers = [
        subprocess.Popen([*helper, ",".join(ids[i::4])], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for i in range(4)
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], errors
    with sqlite3.connect(database) as db:
        numbers = [n for (n,) in db.execute("SELECT index_number FROM catalog_entry WHERE status = 'published'")]
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, 25))
    # Every publishing process updated the one shared search index under its file lock.
    check = run(
        "manage.py",
        "shell",
        "-c",
        "from gongkai.catalog import search; print(search.search(search.SearchRequest(terms=['并发'])).count)",
    )
    assert check.strip().splitlines()[-1] == "24"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_publication_on_postgresql_gives_unique_contiguous_numbers(cast, draft, advance):
    entries = [advance(draft(title=f"并发{i}"), "release") for i in range(8)]
    errors = []

    def publish(entry):
        try:
            services.publish(entry, actor=cast.web)
        except Exception as exc:  # noqa: BLE001  collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(e,)) for e in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = Entry.objects.filter(status="published").values_list("index_number", flat=True)
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 9))
