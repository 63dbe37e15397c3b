"""District roll-up benchmark (issue 11): the annual report roll-up of a district with 50
agencies, each with its applications of the year (2,000 by default: 100,000 in all) and a report
version, computed by ``gongkai.reports.selectors.district_roll_up``.

    .venv/bin/python bench/district_rollup.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_rollup .venv/bin/python bench/district_rollup.py

Two timings: the year still running (each agency's figures counted from its records) and after
the freeze of 31 December (each agency's frozen figures read back). Prints them and writes
var/bench/rollup-<db>.json. A benchmark, not a test: the target (≤ 3 s) is in docs/performance.md.
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
AGENCIES = 50


def ensure_district(per_agency: int) -> None:
    from django.core.management import call_command

    from gongkai.accounts.choices import AgencyKind
    from gongkai.accounts.models import Agency, Office
    from gongkai.applications.choices import ApplicantType, Outcome
    from gongkai.applications.models import Application
    from gongkai.reports.models import Report

    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(slug="huangyan").exists():
        call_command(
            "load_demo",
            credentials_file=str(BENCH_DIR / "credentials-rollup.txt"),
            without_applications=True,
            without_catalog=True,
            verbosity=0,
        )
    district = Agency.objects.get(slug="huangyan")
    template = Agency.objects.get(slug="maoshe")
    for n in range(Agency.objects.filter(parent=district).count(), AGENCIES - 1):
        agency = Agency.objects.create(
            parent=district,
            slug=f"bench-{n:02d}",
            name=f"基准测试第{n:02d}乡人民政府",
            kind=AgencyKind.TOWNSHIP,
            credit_code=f"11331003MB{n:07d}X"[:18],
            index_prefix=template.index_prefix,
            index_template=template.index_template,
        )
        Office.objects.create(agency=agency, name="党政办", is_disclosure_office=True)
    rng = random.Random(7)
    types, outcomes = list(ApplicantType.values), list(Outcome.values)
    for agency in Agency.objects.filter(parent=district).order_by("pk"):
        if Application.objects.filter(agency=agency).count() >= per_agency:
            continue
        batch = []
        for i in range(per_agency):
            received = date(2026, 1, 1) + timedelta(days=rng.randrange(365))  # a calendar spread, not a deadline
            closed = received + timedelta(days=rng.randint(3, 40)) if rng.random() < 0.95 else None
            batch.append(
                Application(
                    agency=agency,
                    number=f"R{agency.pk}-{i:07d}",
                    query_code_hash="0" * 64,
                    channel="online",
                    received_on=received,
                    applicant_type=rng.choice(types),
                    info_title="基准测试申请",
                    info_description="基准测试",
                    requested_form="electronic",
                    delivery="email",
                    status=("replied" if closed else "received"),
                    outcome=rng.choice(outcomes) if closed else "",
                    closed_on=closed,
                )
            )
        Application.objects.bulk_create(batch, batch_size=5000)
        Report.objects.get_or_create(agency=agency, year=2026)


def timed(function, runs: int) -> list[float]:
    function()  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-agency", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from bench.environment import start_django

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    vendor = start_django(f"sqlite:///{BENCH_DIR / 'rollup.sqlite3'}")
    started = time.perf_counter()
    ensure_district(args.per_agency)
    setup_s = time.perf_counter() - started

    import time_machine

    from gongkai.accounts.models import Agency
    from gongkai.reports.models import YearFigures
    from gongkai.reports.selectors import district_roll_up
    from gongkai.reports.services import freeze_ended_years

    district = Agency.objects.get(slug="huangyan")
    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        running = timed(lambda: district_roll_up(district, 2026), args.runs)
    with time_machine.travel("2027-01-08 10:00 +0800", tick=False):  # after January's first working days
        if not YearFigures.objects.filter(year=2026).exists():
            freeze_ended_years()
        frozen = timed(lambda: district_roll_up(district, 2026), args.runs)
        states, totals = district_roll_up(district, 2026)
    result = {
        "database": vendor,
        "agencies": len(states),
        "applications_received_in_2026": totals["section_3"]["rows"]["new"]["total"],
        "setup_s": round(setup_s, 1),
        "year_running_median_s": round(statistics.median(running), 3),
        "year_running_max_s": round(max(running), 3),
        "frozen_median_s": round(statistics.median(frozen), 3),
        "frozen_max_s": round(max(frozen), 3),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    (BENCH_DIR / f"rollup-{vendor}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
