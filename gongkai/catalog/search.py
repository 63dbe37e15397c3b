"""Chinese full-text search over the published catalog (docs/decisions/0012-catalog-search.md).

Text is segmented with rjieba (``cut_for_search`` when indexing, ``cut`` for queries), stored in
``SearchDocument`` and indexed by SQLite FTS5 or PostgreSQL GIN. The search document's id is a
sort key (publication date, then entry id), so "newest first" is the index's natural order.

Ranking: relevance (bm25 on SQLite, ts_rank on PostgreSQL) is computed over the newest
``CATALOG_RANK_WINDOW`` matches only; further matches follow in date order. A rare term is ranked
over all its matches; a term found in half the catalog costs a bounded amount of work instead of
scoring every match (the planning measurement: 210 ms p95 at 200,000 documents).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils.safestring import SafeString, mark_safe
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
_FACET_SAFE = re.compile(r"[^0-9a-z]")


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


def facet_token(kind: str, value) -> str:
    return kind + _FACET_SAFE.sub("", str(value).lower())


def sort_key(published_on: date, entry_id: int) -> int:
    return published_on.toordinal() * SORT_FACTOR + entry_id


def entry_id_of(key: int) -> int:
    return key % SORT_FACTOR


# ---------------------------------------------------------------------------------------------
# Keeping the index in step with the catalog


def document_fields(entry, attachment_texts: list[str] | None = None) -> dict:
    """The search document of a published entry (its text segmented)."""
    if attachment_texts is None:
        attachment_texts = [a.text for a in entry.attachments.all()]
    body = "\n".join([entry.body or "", entry.document_number or "", *attachment_texts])
    return {
        "id": sort_key(entry.published_on, entry.pk),
        "entry_id": entry.pk,
        "agency_id_value": entry.agency_id,
        "category": entry.category,
        "year": entry.published_on.year,
        "validity": entry.validity,
        "title": segment_for_index(entry.title),
        "summary": segment_for_index(entry.summary),
        "body": segment_for_index(body),
        "facets": " ".join(
            [
                facet_token("agency", entry.agency_id),
                facet_token("cat", entry.category),
                facet_token("year", entry.published_on.year),
                facet_token("valid", entry.validity),
            ]
        ),
    }


def index_entry(entry) -> None:
    """Put a published entry into the index (replacing its previous row), or take it out."""
    from gongkai.catalog.choices import Status
    from gongkai.catalog.models import SearchDocument

    SearchDocument.objects.filter(entry_id=entry.pk).delete()
    if entry.status == Status.PUBLISHED and entry.published_on:
        SearchDocument.objects.create(**document_fields(entry))


def unindex_entry(entry) -> None:
    from gongkai.catalog.models import SearchDocument

    SearchDocument.objects.filter(entry_id=entry.pk).delete()


def rebuild(progress=None, chunk: int = 500) -> int:
    """Rebuild the whole index from the published catalog; ``progress(done, total)`` is called
    after each chunk. One transaction: searches keep the old index until it commits."""
    from gongkai.catalog.models import Entry, EntryAttachment, SearchDocument

    published = Entry.objects.published().order_by("pk")
    total = published.count()
    done = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        last = 0
        while True:
            batch = list(published.filter(pk__gt=last)[:chunk])
            if not batch:
                break
            texts: dict[int, list[str]] = {}
            for entry_id, text in EntryAttachment.objects.filter(entry__in=batch).values_list("entry_id", "text"):
                texts.setdefault(entry_id, []).append(text)
            SearchDocument.objects.bulk_create(
                [SearchDocument(**document_fields(e, texts.get(e.pk, []))) for e in batch]
            )
            done += len(batch)
            last = batch[-1].pk
            if progress:
                progress(done, total)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO catalog_fts(catalog_fts) VALUES ('optimize')")
    return done


# ---------------------------------------------------------------------------------------------
# Searching


@dataclass
class SearchRequest:
    terms: list[str]
    agency_id: int | None = None
    category: str | None = None
    year: int | None = None
    validity: str | None = None
    order: str = "relevance"  # or "date"
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class SearchResult:
    count: int
    entry_ids: list[int] = field(default_factory=list)


def search(request: SearchRequest) -> SearchResult:
    """Entry ids of one page of matches, in the requested order, and the number of matches."""
    if not request.terms:
        return SearchResult(count=0)
    if connection.vendor == "postgresql":
        return _search_postgres(request)
    return _search_sqlite(request)


def _fts_match(request: SearchRequest) -> str:
    terms = " AND ".join('"' + t.replace('"', '""') + '"' for t in request.terms)
    expression = "{title summary body}: (" + terms + ")"
    facets = []
    if request.agency_id:
        facets.append(facet_token("agency", request.agency_id))
    if request.category:
        facets.append(facet_token("cat", request.category))
    if request.year:
        facets.append(facet_token("year", request.year))
    if request.validity:
        facets.append(facet_token("valid", request.validity))
    if facets:
        expression += " AND facets: (" + " AND ".join(facets) + ")"
    return expression


def _search_sqlite(request: SearchRequest) -> SearchResult:
    match = _fts_match(request)
    window = settings.CATALOG_RANK_WINDOW
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalog_fts WHERE catalog_fts MATCH %s", [match])
        count = cursor.fetchone()[0]
        keys: list[int] = []
        offset, limit = request.offset, request.page_size
        if request.order == "relevance" and offset < window:
            cursor.execute(
                "SELECT rowid FROM (SELECT rowid, bm25(catalog_fts, 10.0, 4.0, 1.0, 0.0) AS score "
                "FROM catalog_fts WHERE catalog_fts MATCH %s ORDER BY rowid DESC LIMIT %s) "
                "ORDER BY score, rowid DESC LIMIT %s OFFSET %s",
                [match, window, min(limit, window - offset), offset],
            )
            keys = [row[0] for row in cursor.fetchall()]
            offset = window
            limit -= len(keys)
        if limit > 0 and (request.order == "date" or count > window):
            cursor.execute(
                "SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [match, limit, offset],
            )
            keys += [row[0] for row in cursor.fetchall()]
    return SearchResult(count=count, entry_ids=[entry_id_of(k) for k in keys])


def _search_postgres(request: SearchRequest) -> SearchResult:
    where = ["tsv @@ plainto_tsquery('simple', %s)"]
    params: list = [" ".join(request.terms)]
    for column, value in (
        ("agency_id", request.agency_id),
        ("category", request.category),
        ("year", request.year),
        ("validity", request.validity),
    ):
        if value:
            where.append(f"{column} = %s")
            params.append(value)
    condition = " AND ".join(where)
    window = settings.CATALOG_RANK_WINDOW
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM catalog_searchdocument WHERE {condition}", params)  # noqa: S608
        count = cursor.fetchone()[0]
        keys: list[int] = []
        offset, limit = request.offset, request.page_size
        if request.order == "relevance" and offset < window:
            cursor.execute(
                "SELECT id FROM (SELECT id, ts_rank(tsv, plainto_tsquery('simple', %s)) AS score "  # noqa: S608
                f"FROM catalog_searchdocument WHERE {condition} ORDER BY id DESC LIMIT %s) AS recent "
                "ORDER BY score DESC, id DESC LIMIT %s OFFSET %s",
                [params[0], *params, window, min(limit, window - offset), offset],
            )
            keys = [row[0] for row in cursor.fetchall()]
            offset = window
            limit -= len(keys)
        if limit > 0 and (request.order == "date" or count > window):
            cursor.execute(
                f"SELECT id FROM catalog_searchdocument WHERE {condition} ORDER BY id DESC LIMIT %s OFFSET %s",  # noqa: S608
                [*params, limit, offset],
            )
            keys += [row[0] for row in cursor.fetchall()]
    return SearchResult(count=count, entry_ids=[entry_id_of(k) for k in keys])


# ---------------------------------------------------------------------------------------------
# Snippets


def snippet(texts: list[str], terms: list[str], width: int = 60) -> SafeString:
    """A short excerpt around the first term found, HTML-escaped, terms wrapped in <mark>."""
    text = next((t for t in texts if t and any(term in t.lower() for term in terms)), None)
    if text is None:
        text = next((t for t in texts if t), "")
        return mark_safe(html.escape(text[: width * 2] + ("…" if len(text) > width * 2 else "")))  # noqa: S308
    lowered = text.lower()
    first = min(i for i in (lowered.find(term) for term in terms) if i >= 0)
    start = max(0, first - width // 2)
    end = min(len(text), start + width * 2)
    excerpt, lowered_excerpt = text[start:end], lowered[start:end]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    parts: list[str] = []
    position = 0
    for found in pattern.finditer(lowered_excerpt):
        parts.append(html.escape(excerpt[position : found.start()]))
        parts.append("<mark>" + html.escape(excerpt[found.start() : found.end()]) + "</mark>")
        position = found.end()
    parts.append(html.escape(excerpt[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts).replace("\n", " ") + suffix)  # noqa: S308
