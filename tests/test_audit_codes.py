"""Every audit code is asserted by some test (issue 9): a code written by the platform that no
test checks can silently stop being written.

The codes are read from the registries (each app's labels, each registered process's moves). A
code counts as asserted when a test names it literally, or when it is the code of a move that a
table-driven test runs (``tests/applications/test_transitions.py::ALLOWED``, the catalog's
``tests/catalog/test_transitions.py::MOVES``).
``NOT_YET_ASSERTED`` lists the codes still waiting for their test: it may only shrink — the test
fails when a listed code gets its assertion (take it off the list) and when a new code has none.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.catalog.transitions import REVIEW
from gongkai.core.audit_events import EVENT_LABELS
from gongkai.core.workflow import registered_workflows
from tests.applications.test_transitions import ALLOWED
from tests.catalog.test_transitions import MOVES

TESTS = Path(__file__).resolve().parent
NOT_YET_ASSERTED = {
    "core.backup.created",
    "core.backup.restored",
}


def every_code() -> set[str]:
    return set(EVENT_LABELS) | {t.audit for w in registered_workflows() for t in w.transitions}


def asserted_codes() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p.name != Path(__file__).name)
    literal = {code for code in every_code() if f'"{code}"' in text or f"'{code}'" in text}
    table_driven = {f"applications.application.{kind}" for _state, kind, *_rest in ALLOWED}
    table_driven |= {t.audit for t in REVIEW.transitions if t.name in MOVES}
    return literal | table_driven


def test_every_audit_code_is_asserted_by_a_test():
    missing = every_code() - asserted_codes() - NOT_YET_ASSERTED
    assert missing == set(), f"audit codes no test asserts: {sorted(missing)}"


def test_the_waiting_list_only_shrinks():
    assert NOT_YET_ASSERTED & asserted_codes() == set(), "these have a test now: take them off NOT_YET_ASSERTED"
    assert every_code() >= NOT_YET_ASSERTED, "a listed code is no longer written: take it off"
