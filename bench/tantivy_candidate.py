"""Candidate comparison (docs/decisions/0012): the same segmented catalog in tantivy, an embedded
engine with top-k pruning, queried with the same query set as bench/catalog_search.py.

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/tantivy_candidate.py --entries 1000000

Reads the search documents of the SQLite database that catalog_search.py built (so run that
first), builds var/bench/tantivy-<n>/ and prints build time, size and latency. Not part of the
platform: it measures the alternative we did not choose.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    try:
        import tantivy
    except ImportError:
        print("tantivy is not installed: .venv/bin/pip install -r bench/requirements.txt")
        return 2
    from catalog_search import BENCH_DIR, ms, query_set, setup_django

    database = BENCH_DIR / f"catalog-{args.entries}.sqlite3"
    if not database.exists():
        print(f"{database} is missing: run bench/catalog_search.py --entries {args.entries} first")
        return 2
    setup_django(args.entries)
    from gongkai.catalog import search

    folder = BENCH_DIR / f"tantivy-{args.entries}"
    report: dict = {"engine": f"tantivy {getattr(tantivy, '__version__', '')}", "entries": args.entries}
    builder = tantivy.SchemaBuilder()
    for name in ("title", "summary", "body"):
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("key", stored=True, indexed=True, fast=True)
    schema = builder.build()
    if not folder.exists():
        folder.mkdir(parents=True)
        index = tantivy.Index(schema, path=str(folder))
        started = time.perf_counter()
        writer = index.writer(heap_size=512 * 2**20)
        with sqlite3.connect(database) as db:
            for key, title, summary, body in db.execute("SELECT id, title, summary, body FROM catalog_searchdocument"):
                writer.add_document(tantivy.Document(key=key, title=title, summary=summary, body=body))
        writer.commit()
        writer.wait_merging_threads()
        report["index_build_s"] = round(time.perf_counter() - started, 1)
    index = tantivy.Index.open(str(folder))
    index.reload()
    report["index_size_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
    searcher = index.searcher()
    queries = query_set(args.queries)
    for count in (True, False):
        results = {}
        for k, texts in queries.items():
            parsed = []
            for text in texts:
                terms = search.query_terms(text)[0]
                query_text = " ".join("+" + t for t in terms)
                parsed.append(
                    index.parse_query(query_text, ["title", "summary", "body"], {"title": 10.0, "summary": 4.0})
                )
            for q in parsed[:20]:
                searcher.search(q, limit=20, count=count)
            times = []
            for q in parsed:
                started = time.perf_counter()
                searcher.search(q, limit=20, count=count)
                times.append(time.perf_counter() - started)
            results[f"{k}_term"] = ms(times)
        report["bm25_top20_with_count" if count else "bm25_top20_without_count"] = results
    (BENCH_DIR / f"results-tantivy-{args.entries}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
