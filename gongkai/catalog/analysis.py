"""How catalog text becomes search terms: rjieba segmentation for the index and for queries,
the sort key, and the index document of an entry (docs/decisions/0012-catalog-search.md).

Shared by ``engine.py`` (which writes documents) and ``search.py`` (which reads queries); it
imports neither.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

SORT_FACTOR = 10**9
MAX_QUERY_CHARS = 100
MAX_TERMS = 8
MAX_INDEXED_CHARS = 200_000  # per column; PostgreSQL refuses a tsvector above 1 MB
PAGE_SIZE = 20
MAX_PAGE = 500
# Words too common to narrow anything; a query of only these is answered with a hint.
STOPWORDS = frozenset("的了和与及或在是对于之等为将把被其该这那有也就都而并且以中")  # single characters
_WORD = re.compile(r"^\w+$")


def _jieba():
    import rjieba

    return rjieba


def segment_for_index(text: str, limit: int = MAX_INDEXED_CHARS) -> str:
    """Space-separated search tokens of ``text`` (words and their sub-words)."""
    if not text:
        return ""
    tokens = (t for t in _jieba().cut_for_search(text[:limit]) if _WORD.match(t))
    return " ".join(tokens)


def query_terms(raw: str) -> tuple[list[str], list[str]]:
    """The search terms of a typed query, and notes for the user about what was changed."""
    notes: list[str] = []
    text = (raw or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(_("The query was shortened to its first %(n)d characters.") % {"n": MAX_QUERY_CHARS})
    tokens = list(_jieba().cut(text))
    if len(raw.strip()) > MAX_QUERY_CHARS and len(tokens) > 1:
        tokens.pop()  # the cut may have split the last word: leave its fragment out
    terms: list[str] = []
    for token in tokens:
        token = token.strip().lower()
        if token and _WORD.match(token) and token not in STOPWORDS and token not in terms:
            terms.append(token)
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notes.append(_("Only the first %(n)d words of the query were used.") % {"n": MAX_TERMS})
    return terms, notes


def sort_key(published_on: date, entry_id: int) -> int:
    return published_on.toordinal() * SORT_FACTOR + entry_id


def entry_id_of(key: int) -> int:
    return key % SORT_FACTOR


# ---------------------------------------------------------------------------------------------
# Keeping the index in step with the catalog


def document_fields(entry, attachment_texts: list[str] | None = None) -> dict:
    """The index document of a published entry (its text segmented)."""
    if attachment_texts is None:
        attachment_texts = [a.text for a in entry.attachments.all()]
    body = "\n".join([entry.body or "", entry.document_number or "", *attachment_texts])
    return {
        "key": sort_key(entry.published_on, entry.pk),
        "entry": entry.pk,
        "agency": entry.agency_id,
        "year": entry.published_on.year,
        "category": entry.category,
        "validity": entry.validity,
        "title": segment_for_index(entry.title),
        "summary": segment_for_index(entry.summary),
        "body": segment_for_index(body),
    }
