"""Supply chain (security.md SCA-01): what is installed is what the lock files name, each file
checked by hash; the lock files agree with the pins we edit; Django is a supported series; every
mark_safe carries its reason."""

from __future__ import annotations

import re
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?==([^\s;\\]+)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line.split()[1]))
        elif match := PIN.match(line.strip()):
            pins[_normal(match[1])] = match[3]
    return pins


def _locked(path: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of a uv/pip-compile lock file."""
    locked, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = _normal(match[1])
            locked[current] = (match[3], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = locked[current]
            locked[current] = (version, hashes + 1)
    return locked


def test_lock_files_pin_every_requirement_at_the_same_version_with_hashes():
    for source, lock in (("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")):
        pins, locked = _pins(ROOT / source), _locked(ROOT / lock)
        drift = {name: (version, locked.get(name, ("missing", 0))[0]) for name, version in pins.items()
                 if locked.get(name, ("missing", 0))[0] != version}  # fmt: skip
        assert drift == {}, f"{lock} is stale; run `make lock` ({drift})"
        assert [name for name, (_v, hashes) in locked.items() if hashes == 0] == []


def test_runtime_lock_is_the_runtime_part_of_the_development_lock():
    runtime, development = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    assert {n: v for n, (v, _h) in runtime.items()} == {n: development[n][0] for n in runtime}


def test_setup_installs_only_hashed_locked_packages():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r requirements-dev.lock" in makefile


def test_django_is_a_supported_lts_series():
    # 5.2 LTS is supported until April 2028 (djangoproject.com/download, supported versions).
    assert django.VERSION[:2] == (5, 2)


def test_every_mark_safe_says_why_it_is_safe():
    for path in (ROOT / "gongkai").rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "mark_safe(" in line and "import" not in line:
                assert "# Safe:" in lines[number - 1] or "# Safe:" in line, f"{path}:{number + 1}"
