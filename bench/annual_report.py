"""Annual report benchmark (issue 11): table 三 of one agency with 100,000 applications in the
year, computed from the records (``gongkai.reports.annual.build``).

    .venv/bin/python bench/annual_report.py                       # SQLite, 100,000 applications
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_report .venv/bin/python bench/annual_report.py

The applications are bulk-inserted (no letters, no personal data: the report reads neither) over
2025–2027 for one township, with every applicant type and outcome; another agency holds as many
again, so the agency filter has something to skip. Prints the timings and writes
var/bench/report-<db>.json. A benchmark, not a test: the target (≤ 1 s) is in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"


def setup_django() -> str:
    from bench.environment import start_django

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    return start_django(f"sqlite:///{BENCH_DIR / 'report.sqlite3'}")


def ensure_applications(per_agency: int) -> None:
    from django.core.management import call_command

    from gongkai.accounts.models import Agency
    from gongkai.applications.choices import ApplicantType, Outcome
    from gongkai.applications.models import Application

    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(slug="maoshe").exists():
        call_command(
            "load_demo",
            credentials_file=str(BENCH_DIR / "credentials-report.txt"),
            without_applications=True,
            without_catalog=True,
            verbosity=0,
        )
    other = Agency.objects.exclude(slug="maoshe").filter(kind="township").first()
    agencies = [a for a in (Agency.objects.get(slug="maoshe"), other) if a is not None]
    if Application.objects.filter(agency=agencies[0]).count() >= per_agency:
        return
    rng = random.Random(11)
    types, outcomes = list(ApplicantType.values), list(Outcome.values)
    for agency in agencies:
        batch = []
        for i in range(per_agency):
            received = date(2026, 1, 1) + timedelta(days=rng.randrange(365))  # a calendar spread, not a deadline
            if rng.random() < 0.03:
                received = date(2025, 12, rng.randint(1, 31))
            closed = received + timedelta(days=rng.randint(3, 40)) if rng.random() < 0.95 else None
            outcome = rng.choice(outcomes) if closed else ""
            batch.append(
                Application(
                    agency=agency,
                    number=f"B{agency.pk}-{i:07d}",
                    query_code_hash="0" * 64,
                    channel="online",
                    received_on=received,
                    applicant_type=rng.choice(types),
                    applicant_name="",
                    id_type="resident_id",
                    id_number="",
                    phone="",
                    info_title="基准测试申请",
                    info_description="基准测试",
                    requested_form="electronic",
                    delivery="email",
                    status=("replied" if closed else "received"),
                    outcome=outcome,
                    closed_on=closed,
                )
            )
            if len(batch) == 5000:
                Application.objects.bulk_create(batch)
                batch = []
        Application.objects.bulk_create(batch)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    vendor = setup_django()
    started = time.perf_counter()
    ensure_applications(args.applications)
    setup_s = time.perf_counter() - started

    from gongkai.accounts.models import Agency
    from gongkai.reports.annual import build

    agency = Agency.objects.get(slug="maoshe")
    build(agency, 2026)  # warm-up
    timings = []
    for _ in range(args.runs):
        t = time.perf_counter()
        report = build(agency, 2026)
        timings.append(time.perf_counter() - t)
    result = {
        "database": vendor,
        "applications_in_agency": agency.applications.count(),
        "received_in_2026": report.section_3["new"]["total"],
        "rules_passed": report.passes,
        "setup_s": round(setup_s, 1),
        "report_median_s": round(statistics.median(timings), 3),
        "report_max_s": round(max(timings), 3),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    (BENCH_DIR / f"report-{vendor}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
