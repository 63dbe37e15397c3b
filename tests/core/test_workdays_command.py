"""`manage.py workdays`: its output format is an interface scripts rely on (issue 2)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.calendar import parse_arrangement, save_calendar_year

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("add", "2026-09-28", "20"), "2026-10-30\n"),
        (("add", "2026-02-13", "1"), "2026-02-14\n"),
        (("add", "2026-12-30", "3"), "2027-01-05 provisional\n"),  # 2027-01-01 estimated a holiday
        (("between", "2026-09-30", "2026-10-09"), "2\n"),
        (("info", "2026-10-10"), "makeup-workday\n"),
        (("info", "2026-10-03"), "holiday\n"),
        (("info", "2026-10-11"), "weekend\n"),
        (("info", "2026-10-12"), "workday\n"),
    ],
)
def test_workdays_command_prints_the_documented_format(args, output):
    assert run(*args) == output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-02-30", "3"), "不是有效日期"),
        (("add", "28/09/2026", "3"), "YYYY-MM-DD"),
        (("add", "2026-09-28", "-1"), "不能为负数"),
        (("add", "2026-09-28", "x"), "不是整数"),
        (("between", "2026-10-09", "2026-09-30"), "结束日期早于开始日期"),
    ],
)
def test_invalid_input_fails_with_a_chinese_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_2027_stops_being_provisional_once_imported():
    assert run("add", "2027-01-29", "5").endswith("provisional\n")
    arrangement = parse_arrangement(
        year=2027,
        source="国务院办公厅关于2027年部分节假日安排的通知（测试）",
        published_on=None,
        holidays_text="春节 2027-02-06 2027-02-13",
        makeup_text="2027-01-31 2027-02-20",
    )
    save_calendar_year(arrangement, actor_label="test")
    # 01-30 Sat, 01-31 Sun worked, 02-01..05, then the festival: 5 WD after 01-29 is 02-04.
    assert run("add", "2027-01-29", "5") == "2027-02-04\n"
    assert run("info", "2027-02-08") == "holiday\n"
