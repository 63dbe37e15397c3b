"""Catalog benchmark (issue 3): build a synthetic catalog, then measure the search index build,
search latency (HTTP API and raw database query), and publish throughput.

    .venv/bin/python bench/catalog_search.py                          # SQLite, 1,000,000 entries
    .venv/bin/python bench/catalog_search.py --entries 200000         # smaller
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench .venv/bin/python bench/catalog_search.py

The SQLite database lives in var/bench/ and is reused by later runs with the same size
(``--rebuild`` starts again). Results print as a table and go to var/bench/results-<db>-<n>.json.
Numbers are recorded in docs/performance.md; this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date, datetime, timedelta
from datetime import time as dtime
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300, help="queries per term count (1, 2, 3 terms)")
    parser.add_argument("--publish", type=int, default=300, help="items published in the throughput test")
    parser.add_argument("--workers", type=int, default=4, help="parallel publishers in the concurrency test")
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the synthetic catalog")
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


def setup_django(entries: int) -> str:
    from bench.environment import start_django

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BENCH_DIR / f'catalog-{entries}.sqlite3'}"
    database = url.split("/")[-1].split(".")[0] or "db"
    return start_django(url, CATALOG_SEARCH_INDEX_DIR=str(BENCH_DIR / f"index-{database}-{entries}"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def ms(values: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(values, 0.5) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
        "p99_ms": round(percentile(values, 0.99) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
        "n": len(values),
    }


# ---------------------------------------------------------------------------------------------
# Building the synthetic catalog


def ensure_catalog(entries: int, rebuild: bool, report: dict) -> None:
    from django.core.management import call_command

    from gongkai.catalog.engine import engine
    from gongkai.catalog.models import Entry, SearchState

    call_command("migrate", verbosity=0)
    if rebuild:
        Entry.objects.all().delete()
    if not Entry.objects.exists():
        call_command(
            "load_demo",
            credentials_file=str(BENCH_DIR / "credentials.txt"),
            without_applications=True,
            without_catalog=True,
            verbosity=0,
        )
    have = Entry.objects.filter(status="published").count()
    if have < entries:
        started = time.perf_counter()
        generate_entries(entries - have)
        report["generate_entries_s"] = round(time.perf_counter() - started, 1)
    search_engine = engine()
    published = Entry.objects.filter(status="published").count()
    stale = search_engine._state()["generation"] < SearchState.current()
    if rebuild or stale or search_engine.index.searcher().num_docs != published:
        started = time.perf_counter()
        last = [0.0]

        def progress(done, total):
            if time.perf_counter() - last[0] > 10:
                last[0] = time.perf_counter()
                print(f"  index: {done:,}/{total:,}", flush=True)

        search_engine.rebuild(progress=progress, chunk=5000)
        report["index_build_s"] = round(time.perf_counter() - started, 1)
    folder = search_engine.path
    report["index_size_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def generate_entries(count: int) -> None:
    """Insert ``count`` published entries, spread over agencies, categories and 10 years."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.accounts.models import Agency, Office, User
    from gongkai.catalog import demo_text
    from gongkai.catalog.choices import Category, Channel
    from gongkai.catalog.models import Entry
    from gongkai.core.models import Counter

    rng = random.Random(7)
    agencies = list(Agency.objects.all())
    offices = {a.pk: Office.objects.filter(agency=a).first() for a in agencies}
    clerk = User.objects.filter(role_assignments__role="clerk").first()
    categories = list(Category)
    today = timezone.localdate()
    start = date(today.year - 9, 1, 1)
    span = (today - start).days
    serials: dict[tuple[int, int], int] = {}
    batch = []
    started = time.perf_counter()
    for i in range(count):
        agency = agencies[i % len(agencies)]
        published = start + timedelta(days=rng.randrange(span))
        key = (agency.pk, published.year)
        serials[key] = serials.get(key, 0) + 1
        category = rng.choice(categories)
        batch.append(
            Entry(
                agency=agency,
                office=offices[agency.pk],
                status="published",
                revision=1,
                index_number=f"{agency.index_prefix}/{published.year}-{serials[key]:07d}",
                title=demo_text.title(rng, category, published.year),
                formed_on=published - timedelta(days=3),
                attribute="proactive",
                category=category,
                validity="current",
                channels=[Channel.WEBSITE],
                summary=demo_text.paragraph(rng, category, 1),
                body=demo_text.body(rng, category, rng.randint(2, 4)),
                published_on=published,
                published_at=timezone.make_aware(datetime.combine(published, dtime(9, 0))),
                imported=True,
                created_by=clerk,
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Entry.objects.bulk_create(batch)
            batch = []
            if (i + 1) % 100_000 == 0:
                print(f"  entries: {i + 1:,}/{count:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    if batch:
        with transaction.atomic():
            Entry.objects.bulk_create(batch)
    for (agency_id, year), last in serials.items():
        Counter.objects.update_or_create(
            agency_id=agency_id, name="catalog.index_number", year=year, defaults={"last": last}
        )
    from gongkai.catalog.models import SearchState

    with transaction.atomic():
        SearchState.advance()  # bulk-created rows bypass the change log: the index is rebuilt instead
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------------------------
# Queries


def query_set(n: int) -> dict[int, list[str]]:
    """Queries of 1, 2 and 3 words as people type them: the words of one topic phrase of the
    catalog's vocabulary (宅基地 审批, 土地征收 补偿 方案 …), topped up with a place or a document
    kind, so multi-word queries mostly match; single words range from rare to very common."""
    from gongkai.catalog import demo_text, search

    rng = random.Random(11)
    phrases = [search.query_terms(t)[0] for topics in demo_text.TOPICS.values() for t in topics]
    extras = [w for group in (demo_text.PLACES, demo_text.KINDS) for x in group for w in search.query_terms(x)[0]]
    singles = sorted({w for p in phrases for w in p} | set(extras))
    queries: dict[int, list[str]] = {1: [rng.choice(singles) for _ in range(n)], 2: [], 3: []}
    for k in (2, 3):
        while len(queries[k]) < n:
            words = list(rng.choice(phrases))
            while len(words) < k:
                words.append(rng.choice(extras))
            start = rng.randrange(len(words) - k + 1)
            queries[k].append(" ".join(words[start : start + k]))
    return queries


def measure_raw(queries: dict[int, list[str]], order: str = "relevance") -> dict:
    """The search engine alone (with its catch-up check against the database): the count and
    the ids of the first page, for already-segmented terms."""
    from gongkai.catalog import search

    results = {}
    for k, texts in queries.items():
        terms = [search.query_terms(t)[0] for t in texts]
        for t in terms[:20]:  # warm-up
            search.search(search.SearchRequest(terms=t, order=order))
        times, counts = [], []
        for t in terms:
            started = time.perf_counter()
            result = search.search(search.SearchRequest(terms=t, order=order))
            times.append(time.perf_counter() - started)
            counts.append(result.count)
        results[f"{k}_term"] = {**ms(times), "median_matches": int(statistics.median(counts))}
    return results


def measure_browse() -> dict:
    """The catalog page without a query: newest first, all and by agency."""
    from gongkai.accounts.models import Agency
    from gongkai.catalog import search

    agencies = list(Agency.objects.values_list("pk", flat=True))
    times = []
    for i in range(100):
        started = time.perf_counter()
        search.search(search.SearchRequest(terms=[], agency_id=agencies[i % len(agencies)] if i % 2 else None))
        times.append(time.perf_counter() - started)
    return ms(times)


def measure_http(queries: dict[int, list[str]], port: int) -> dict:
    env = {**os.environ}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/v1/openapi.json")
                break
            except OSError:
                time.sleep(0.2)
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        results = {}
        for k, texts in queries.items():
            for text in texts[:20]:
                _get(connection, text)
            times = []
            for text in texts:
                started = time.perf_counter()
                _get(connection, text)
                times.append(time.perf_counter() - started)
            results[f"{k}_term"] = ms(times)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(connection: HTTPConnection, text: str) -> dict:
    connection.request("GET", "/api/v1/catalog/search?" + urllib.parse.urlencode({"q": text}))
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
    return json.loads(body)


# ---------------------------------------------------------------------------------------------
# Publishing


def ready_entries(count: int, tag: str) -> list[int]:
    """Entries at the last step (approved through the chain), created directly for speed."""
    from django.utils import timezone

    from gongkai.accounts.models import Agency, User
    from gongkai.catalog import services
    from gongkai.catalog.choices import Category, Channel
    from gongkai.catalog.models import Entry, Revision

    agency = Agency.objects.get(slug="maoshe")
    clerk = User.objects.get(username="maoshe.clerk")
    office = clerk.role_assignments.get(role="clerk").office
    ids = []
    for i in range(count):
        entry = Entry.objects.create(
            agency=agency,
            office=office,
            status="ready",
            title=f"基准测试发布事项 {tag}-{i}",
            formed_on=timezone.localdate(),
            attribute="proactive",
            category=Category.HOMESTEAD,
            channels=[Channel.WEBSITE],
            summary="农村宅基地审批结果公示。",
            body="经村民代表会议讨论、乡审核，现将宅基地审批结果予以公示。",
            created_by=clerk,
            revision=1,
        )
        data = services.snapshot(entry)
        Revision.objects.create(entry=entry, number=1, snapshot=data, sha256=services._hash(data), created_by=clerk)
        ids.append(entry.pk)
    return ids


def publish_ids(ids: list[int]) -> None:
    from gongkai.accounts.models import User
    from gongkai.catalog import services
    from gongkai.catalog.models import Entry

    web = User.objects.get(username="maoshe.web")
    for pk in ids:
        services.publish(Entry.objects.get(pk=pk), actor=web)


def _init_worker() -> None:
    import django

    django.setup()


def _worker(ids: list[int]) -> None:
    publish_ids(ids)


def measure_publish(count: int, workers: int) -> dict:
    import multiprocessing

    from gongkai.catalog.models import Entry

    ids = ready_entries(count, "seq")
    started = time.perf_counter()
    publish_ids(ids)
    sequential = time.perf_counter() - started
    ids = ready_entries(count, "par")
    from django.db import connections

    connections.close_all()
    chunks = [ids[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with context.Pool(workers, initializer=_init_worker) as pool:
        pool.map(_worker, [[] for _ in range(workers)])  # start-up (Django set-up) is not timed
        started = time.perf_counter()
        pool.map(_worker, chunks)
        parallel = time.perf_counter() - started
    numbers = list(Entry.objects.filter(pk__in=ids).values_list("index_number", flat=True))
    return {
        "sequential_per_s": round(count / sequential, 1),
        "parallel_workers": workers,
        "parallel_per_s": round(count / parallel, 1),
        "parallel_unique_index_numbers": len(set(numbers)) == len(numbers) == count and None not in numbers,
    }


def main() -> int:
    args = parse_args()
    vendor = setup_django(args.entries)
    report: dict = {"database": vendor, "entries": args.entries, "date": date.today().isoformat()}
    print(f"Catalog benchmark on {vendor}, {args.entries:,} entries", flush=True)
    ensure_catalog(args.entries, args.rebuild, report)
    queries = query_set(args.queries)
    report["raw_relevance"] = measure_raw(queries)
    report["raw_date_order"] = measure_raw(queries, order="date")
    report["raw_browse"] = measure_browse()
    report["http_api_relevance"] = measure_http(queries, args.port)
    report["publish"] = measure_publish(args.publish, args.workers)
    out = BENCH_DIR / f"results-{vendor}-{args.entries}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
