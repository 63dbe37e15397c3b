"""REL-06: a process killed with SIGKILL in the middle of a series of uploads leaves no file
without its row and no row without its file; the start-up clean-up removes the staged part
the dead transaction left. The child process writes rows and staged files exactly as the
services do (one transaction each, `atomic_with_files` + `stage_file`), on its own SQLite file."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from gongkai.core import uploads

CHILD = textwrap.dedent(
    """
    import sys, time, django
    from django.conf import settings
    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1]}},
        PRIVATE_MEDIA_ROOT=sys.argv[2], INSTALLED_APPS=[], USE_TZ=True,
    )
    django.setup()
    from django.db import connection
    from gongkai.core import uploads

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE attachment (stored_name TEXT, sha256 TEXT)")
    for number in range(20):
        data = (b"identity proof %d " % number) * 1000
        with uploads.atomic_with_files():
            name = uploads.stage_file(data, "attachments", ".png")
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO attachment VALUES (%s, %s)", [name, uploads._sha256(data)])
            if number == 12:
                print("staged", flush=True)
                time.sleep(600)  # killed here: the row and the file are written, nothing committed
        print("committed", number, flush=True)
    """
)


def test_sigkill_during_twenty_uploads_leaves_no_orphan_and_the_clean_up_empties_the_staging(tmp_path, settings):
    database = tmp_path / "crash.sqlite3"
    media = tmp_path / "private"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(database), str(media)],
        cwd=str(settings.BASE_DIR),
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
    )
    try:
        lines = []
        for line in child.stdout:
            lines.append(line.strip())
            if line.startswith("staged"):
                break
        assert lines[-1] == "staged", lines
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = dict(db.execute("SELECT stored_name, sha256 FROM attachment").fetchall())
    assert len(rows) == 12  # uploads 0–11 committed; the 13th died with its transaction
    stored = {p.name: p for p in (media / "attachments").iterdir()}
    assert set(stored) == set(rows)  # no file without a row, no row without a file
    for name, path in stored.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == rows[name]
    assert len(list((media / uploads.STAGING_DIR).iterdir())) == 1  # the dead upload's part

    settings.PRIVATE_MEDIA_ROOT = media
    uploads.clean_staging(older_than=0)  # what `clean_staged_files --all` does at start-up
    assert list((media / uploads.STAGING_DIR).iterdir()) == []
    assert set(p.name for p in (media / "attachments").iterdir()) == set(rows)
