"""The Chinese catalogue is complete (style.md §5): no untranslated or fuzzy entry, and, where
GNU gettext is installed, no msgid in the code that the catalogue lacks; no translation shows a
seed rule's number."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    assert untranslated(polib.pofile(str(PO))) == []


# A seed rule's number (A1…K9) is for the code, the tests and the notes: staff read the rule
# itself, never its number in our digest (brief: "never in what users read").
RULE_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-K][0-9]{1,2}(?![0-9.])")


def test_no_translation_shows_a_seed_rule_number():
    shown = [e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete and RULE_NUMBER.search(e.msgstr)]
    assert shown == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed; .ci/run installs it"
)
def test_every_msgid_in_the_code_is_in_the_catalogue(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(PO.parent.parent.parent, locale)
    env = {
        **os.environ,
        "DEBUG": "true",
        "GONGKAI_LOCALE_DIR": str(locale),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--ignore=.venv",
            "--ignore=var",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    missing = untranslated(polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po")))
    assert missing == [], "run `make messages` and translate these"
