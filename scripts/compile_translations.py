"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib: no GNU gettext needed on a fresh machine.

Runs without Django settings (it needs neither a database nor a secret key); `make setup` and
the test session call it, and it skips catalogues whose .mo is already newer than the .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_all(locale_dir: Path = ROOT / "locale") -> list[Path]:
    compiled = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    for path in compile_all(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "locale"):
        print(f"compiled {path.relative_to(ROOT)}")
