"""The annual report's table 三, computed from the records (issue 11; 条例 art. 50; the national
format 国办公开办函〔2021〕30号, regulations.md §2.2). Every cell below is counted by hand from the
cases listed here, across the 2025→2026→2027 year edges."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command

from gongkai.applications.choices import Outcome
from gongkai.applications.models import Application
from gongkai.reports.annual import build
from gongkai.reports.tables import APPLICANT_COLUMNS, RESULT_ROWS, ROWS
from tests.applications.factories import make_application

# (outcome recorded on the reply, applicant type, the row the form counts it in) — one
# application each, received and answered in 2026. The row is written out by hand: 36(五)
# (another agency is responsible) goes to (四)1, like information the agency does not hold.
ANSWERED_IN_2026 = [
    ("disclosed", "natural_person", "disclosed"),
    ("disclosed", "business", "disclosed"),
    ("partly_disclosed", "natural_person", "partly_disclosed"),
    ("withheld_state_secret", "research", "withheld_state_secret"),
    ("withheld_law_forbids", "natural_person", "withheld_law_forbids"),
    ("withheld_security", "nonprofit", "withheld_security"),
    ("withheld_third_party", "natural_person", "withheld_third_party"),
    ("withheld_internal", "legal_service", "withheld_internal"),
    ("withheld_process", "natural_person", "withheld_process"),
    ("withheld_enforcement_file", "other_organisation", "withheld_enforcement_file"),
    ("withheld_inquiry", "natural_person", "withheld_inquiry"),
    ("unavailable_not_held", "natural_person", "unavailable_not_held"),
    ("unavailable_other_agency", "business", "unavailable_not_held"),
    ("unavailable_needs_production", "natural_person", "unavailable_needs_production"),
    ("unavailable_still_unclear", "natural_person", "unavailable_still_unclear"),
    ("not_processed_petition", "natural_person", "not_processed_petition"),
    ("not_processed_repeat", "natural_person", "not_processed_repeat"),
    ("not_processed_publication", "business", "not_processed_publication"),
    ("not_processed_excessive", "natural_person", "not_processed_excessive"),
    ("not_processed_confirmation", "natural_person", "not_processed_confirmation"),
    ("other_no_correction", "natural_person", "other_no_correction"),
    ("other_fee_unpaid", "business", "other_fee_unpaid"),
    ("other", "natural_person", "other"),
]
NOBODY = dict.fromkeys(APPLICANT_COLUMNS, 0)


def cells(total: int, **by_type: int) -> dict[str, int]:
    row = {**NOBODY, **by_type}
    assert sum(row.values()) == total  # the hand count agrees with itself
    return {**row, "total": total}


def record(agency, applicant_type, received_on, closed_on=None, outcome=""):
    application = make_application(agency, received_on=received_on, applicant_type=applicant_type)
    if closed_on:
        status = "abandoned" if outcome in ("other_no_correction", "other_fee_unpaid") else "replied"
        Application.objects.filter(pk=application.pk).update(status=status, closed_on=closed_on, outcome=outcome)
    return application


@pytest.fixture
def records(world):
    """Three applications of 2025 (one answered in 2026, one still open), the 23 answered in
    2026, and two of 2026 still open at its end (one answered on 6 January 2027)."""
    agency = world.township
    with time_machine.travel("2027-01-15 10:00 +0800", tick=False):  # every receipt date is past
        record(agency, "natural_person", date(2025, 3, 3), date(2025, 3, 20), "disclosed")
        record(agency, "business", date(2025, 12, 22), date(2026, 1, 12), "partly_disclosed")
        record(agency, "natural_person", date(2025, 12, 29))
        for i, (outcome, applicant_type, _row) in enumerate(ANSWERED_IN_2026):
            received = date(2026, 3, 2 + i % 4)  # 2–5 March 2026, working days
            record(agency, applicant_type, received, date(2026, 4, 1 + i), outcome)
        record(agency, "legal_service", date(2026, 12, 28), date(2027, 1, 6), "disclosed")
        record(agency, "research", date(2026, 11, 30))
    return agency


@time_machine.travel("2027-01-15 10:00 +0800", tick=False)
def test_every_cell_of_the_2026_table_matches_the_hand_count(records):
    table = build(records, 2026).section_3
    assert table["new"] == cells(25, natural_person=15, business=4, research=2, nonprofit=1, legal_service=2,
                                 other_organisation=1)  # fmt: skip
    assert table["carried_over"] == cells(2, natural_person=1, business=1)
    assert table["carried_forward"] == cells(3, natural_person=1, research=1, legal_service=1)
    assert table["results_total"] == cells(24, natural_person=15, business=5, research=1, nonprofit=1,
                                           legal_service=1, other_organisation=1)  # fmt: skip
    expected = Counter((row, kind) for _outcome, kind, row in ANSWERED_IN_2026)
    expected["partly_disclosed", "business"] += 1  # the 2025 application answered on 12 January 2026
    for key in RESULT_ROWS:
        by_type = {kind: expected[key, kind] for kind in APPLICANT_COLUMNS if expected[key, kind]}
        assert table[key] == cells(sum(by_type.values()), **by_type), key
    assert table["unavailable_not_held"] == cells(2, natural_person=1, business=1)
    assert build(records, 2026).passes


@time_machine.travel("2027-01-15 10:00 +0800", tick=False)
def test_what_one_year_carries_forward_the_next_carries_over(records):
    r2025, r2026, r2027 = (build(records, year).section_3 for year in (2025, 2026, 2027))
    assert r2025["new"] == cells(3, natural_person=2, business=1)
    assert r2025["disclosed"] == cells(1, natural_person=1)
    assert r2025["carried_forward"] == cells(2, natural_person=1, business=1) == r2026["carried_over"]
    assert r2026["carried_forward"] == r2027["carried_over"] == cells(3, natural_person=1, research=1, legal_service=1)
    assert r2027["disclosed"] == cells(1, legal_service=1)  # received 28 Dec 2026, answered 6 Jan 2027
    assert r2027["new"] == cells(0)


def test_every_outcome_has_exactly_one_row_of_the_form():
    from gongkai.applications.choices import REPORT_ROW

    assert set(REPORT_ROW) == set(Outcome.values)
    assert set(REPORT_ROW.values()) == set(RESULT_ROWS)  # and every row can be reached


@pytest.mark.parametrize(
    ("damage", "rule", "words"),
    [
        ({"outcome": ""}, "section_3.results_total", "结果行合计为 23，但本年办结 24 件"),
        ({"applicant_type": "government"}, "section_3.columns_total", "申请人类型"),
        ({"closed_on": date(2025, 12, 1)}, "section_3.balance", "不等于"),
    ],
)
@time_machine.travel("2027-01-15 10:00 +0800", tick=False)
def test_a_record_that_has_no_place_in_the_table_breaks_a_rule_and_the_command_fails(records, damage, rule, words):
    """Data that came in wrong (an import, an edit in the database) cannot yield a tidy report."""
    target = Application.objects.filter(agency=records, outcome="withheld_inquiry").get()
    Application.objects.filter(pk=target.pk).update(**damage)
    report = build(records, 2026)
    assert rule in {b.rule for b in report.broken}
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("annual_report", agency="maoshe", year=2026, stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert words in err.getvalue()
    printed = json.loads(out.getvalue())
    assert printed["rules"]["passed"] is False
    assert rule in {b["rule"] for b in printed["rules"]["broken"]}


@time_machine.travel("2027-01-15 10:00 +0800", tick=False)
def test_the_command_prints_the_documented_json(records):
    out = io.StringIO()
    call_command("annual_report", agency="maoshe", year=2026, format="json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["agency"] == {"slug": "maoshe", "name": records.name}
    assert (printed["year"], printed["as_of"], printed["year_ended"]) == (2026, "2026-12-31", True)
    assert printed["section_3"]["columns"] == [*APPLICANT_COLUMNS, "total"]
    assert list(printed["section_3"]["rows"]) == [key for key, _label in ROWS]
    assert printed["section_3"]["rows"]["new"]["total"] == 25
    assert printed["rules"] == {"passed": True, "broken": []}


@time_machine.travel("2026-12-03 10:00 +0800", tick=False)
def test_a_year_still_running_says_so(records):
    assert build(records, 2026).year_ended is False


def test_an_unknown_agency_or_year_is_refused_in_chinese(world):
    with pytest.raises(CommandError, match="没有简称为“nowhere”的机关"):
        call_command("annual_report", agency="nowhere", year=2026)
    with pytest.raises(CommandError, match="年份须在 2008 至 2999 之间"):
        call_command("annual_report", agency="maoshe", year=1999)
    with pytest.raises(CommandError, match="年份须为数字"):
        call_command("annual_report", "--agency", "maoshe", "--year", "二〇二六")
    with pytest.raises(CommandError, match="须指定 --output"):
        call_command("annual_report", "--agency", "maoshe", "--year", "2026", "--format", "docx")
    with pytest.raises(CommandError, match="格式只能是 json、docx 或 xlsx"):
        call_command("annual_report", "--agency", "maoshe", "--year", "2026", "--format", "pdf")


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_a_reply_recorded_through_the_services_is_counted_in_its_row(world, django_capture_on_commit_callbacks):
    """The table reads what the ordinary handling writes: the receipt date and the closing date
    and outcome the reply records (no report-only field)."""
    from gongkai.accounts.choices import Role
    from tests.applications.factories import reply_through_services

    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    answered = make_application(world.township, received_on=date(2026, 9, 28), applicant_type="nonprofit")
    make_application(world.township, received_on=date(2026, 9, 29))
    with django_capture_on_commit_callbacks(execute=True):
        reply_through_services(answered, officer=officer, leader=leader, on=date(2026, 10, 9), outcome="disclosed")
    table = build(world.township, 2026).section_3
    assert table["new"] == cells(2, natural_person=1, nonprofit=1)
    assert table["disclosed"] == table["results_total"] == cells(1, nonprofit=1)
    assert table["carried_forward"] == cells(1, natural_person=1)
