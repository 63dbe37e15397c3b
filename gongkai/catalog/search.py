"""Chinese full-text search over the published catalog (docs/decisions/0012-catalog-search.md).

Text is segmented with rjieba (``cut_for_search`` when indexing, ``cut`` for queries) and
indexed by tantivy (``engine.py``), which ranks by BM25 with field weights (title 10, summary 4,
body 1) and prunes to the top hits, or orders by publication date, and counts every match. The
database is the source of truth; the index follows it through ``SearchChange`` rows.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from gongkai.catalog.analysis import (  # noqa: F401  re-exported: the search module's vocabulary
    MAX_INDEXED_CHARS,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    PAGE_SIZE,
    SORT_FACTOR,
    STOPWORDS,
    _jieba,
    document_fields,
    entry_id_of,
    query_terms,
    segment_for_index,
    sort_key,
)
from gongkai.catalog.engine import engine, record_change


def index_entry(entry) -> None:
    """The entry's public state changed (published, withdrawn, validity): the index follows
    when the caller's transaction commits, and every search catches up before answering."""
    record_change(entry)


unindex_entry = index_entry


def rebuild(progress=None, chunk: int = 1000) -> int:
    """Rebuild the index from the published catalog; ``progress(done, total)`` after each chunk.
    Searches keep using the old index until the new one is swapped in."""
    return engine().rebuild(progress=progress, chunk=chunk)


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


FIELD_WEIGHTS = (("title", 10.0), ("summary", 4.0), ("body", 1.0))


def build_query(schema, request: SearchRequest):
    """Every term must match in some field (weighted); filters must match exactly."""
    import tantivy

    query, occur = tantivy.Query, tantivy.Occur
    clauses = []
    for term in request.terms:
        per_field = [
            (occur.Should, query.boost_query(query.term_query(schema, name, term), weight))
            for name, weight in FIELD_WEIGHTS
        ]
        clauses.append((occur.Must, query.boolean_query(per_field)))
    filters = [
        ("agency", request.agency_id),
        ("category", request.category),
        ("year", request.year),
        ("validity", request.validity),
    ]
    for name, value in filters:
        if value:
            clauses.append((occur.Must, query.term_query(schema, name, value)))
    if not request.terms:
        clauses.append((occur.Must, query.all_query()))
    return query.boolean_query(clauses)


def search(request: SearchRequest) -> SearchResult:
    """Entry ids of one page of matches, in the requested order, and the number of matches.
    Without terms: every published item that passes the filters, newest first (browsing)."""
    search_engine = engine()
    searcher = search_engine.searcher()
    query = build_query(search_engine.schema, request)
    order_by_field = "key" if request.order == "date" or not request.terms else None
    result = searcher.search(
        query, limit=request.page_size, offset=request.offset, count=True, order_by_field=order_by_field
    )
    keys = [searcher.doc(address)["key"][0] for _score, address in result.hits]
    return SearchResult(count=result.count, entry_ids=[entry_id_of(k) for k in keys])


# ---------------------------------------------------------------------------------------------
# Snippets


def snippet(texts: list[str], terms: list[str], width: int = 60) -> SafeString:
    """A short excerpt around the first term found, HTML-escaped, terms wrapped in <mark>."""
    text = next((t for t in texts if t and any(term in t.lower() for term in terms)), None)
    if text is None:
        text = next((t for t in texts if t), "")
        # Safe: the whole excerpt is html.escape()d here.
        return mark_safe(html.escape(text[: width * 2] + ("…" if len(text) > width * 2 else "")))  # noqa: S308  # nosec B308 B703
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
    # Safe: every piece of the text was html.escape()d above; only our own <mark> tags are added.
    return mark_safe(prefix + "".join(parts).replace("\n", " ") + suffix)  # noqa: S308  # nosec B308 B703
