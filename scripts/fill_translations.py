"""Fill untranslated (and fuzzy) entries of the zh_Hans catalogue from a TSV file of
``msgid<TAB>translation`` lines (plural entries: the msgid of the singular). A maintainer's
helper for `make messages`: ``--list`` prints the msgids still to translate."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def pending(po):
    return [e for e in po if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0)))]


def main(argv: list[str]) -> int:
    po = polib.pofile(str(PO))
    if argv[:1] == ["--list"]:
        for e in pending(po):
            print(e.msgid)
        return 0
    translations = dict(
        line.split("\t", 1) for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if "\t" in line
    )
    for e in po:
        if e.obsolete or e.msgid not in translations:
            continue
        if e.msgid_plural:
            e.msgstr_plural = {0: translations[e.msgid]}
        else:
            e.msgstr = translations[e.msgid]
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        e.previous_msgid = None
        e.previous_msgid_plural = None
    po.metadata_is_fuzzy = False
    po.save(str(PO))
    print(f"{len(pending(po))} entries still untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
