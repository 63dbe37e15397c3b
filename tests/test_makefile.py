"""The Makefile's ``.PHONY`` list names exactly its command targets (issue 9): a target missing
from it stops running once a file of that name exists; a name listed but not defined is stale."""

from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"


def targets_and_phony(text: str) -> tuple[set[str], set[str]]:
    targets = set(re.findall(r"^([A-Za-z][\w-]*):(?!=)", text, flags=re.M))
    phony: set[str] = set()
    for line in re.findall(r"^\.PHONY:(.*)$", text, flags=re.M):
        phony.update(line.split())
    return targets, phony


def test_phony_lists_every_command_target_and_nothing_else():
    targets, phony = targets_and_phony(MAKEFILE.read_text(encoding="utf-8"))
    assert phony == targets


def test_the_check_sees_a_missing_and_a_stale_name():
    targets, phony = targets_and_phony(".PHONY: run gone\nrun: setup\nsetup: x\n$(VENV)/.installed: a\n")
    assert targets == {"run", "setup"}
    assert phony == {"run", "gone"}
