"""Regenerate gongkai/core/data/cn_calendar.json from the `holidays` package.

The project owns the resulting file; this script is how it was made. Run it when adding a
year that the package covers, then check the result against the official notice (the 2026
arrangement is checked day by day in tests/core/test_calendar_seed.py).

    .venv/bin/python scripts/build_calendar_seed.py 2023 2026
"""

import json
import sys
from pathlib import Path

import holidays

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gongkai.core.workdays import holiday_periods

# The official notices' names for the periods; a day named "休息日（…调休）" takes the period's name.
CANONICAL = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
ALIASES = {"农历除夕": "春节"}
# Notice numbers verified in ../shared/reference/regulations.md §4.1.
SOURCES = {
    2023: ("国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）", "2022-12-08"),
    2024: ("国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）", "2023-10-25"),
    2025: ("国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）", "2024-11-12"),
    2026: ("国务院办公厅关于2026年部分节假日安排的通知", "2025-11-04"),
}


def canonical(name: str) -> str:
    for alias, target in ALIASES.items():
        if alias in name:
            return target
    return next((c for c in CANONICAL if c.replace("节", "") in name), "")


def build(year: int) -> dict:
    cn = holidays.China(years=[year - 1, year, year + 1], language="zh_CN")
    statutory = {d: canonical(n) for d, n in cn.items()}
    makeup = sorted(d for d in cn.weekend_workdays if d.year == year)
    periods = holiday_periods(year, statutory, cn.weekend_workdays)
    source, published = SOURCES[year]
    return {
        "year": year,
        "source": source,
        "published_on": published,
        "holidays": [[name, first.isoformat(), last.isoformat()] for name, first, last in periods],
        "makeup_workdays": [d.isoformat() for d in makeup],
    }


if __name__ == "__main__":
    first, last = int(sys.argv[1]), int(sys.argv[2])
    data = [build(y) for y in range(first, last + 1)]
    out = Path(__file__).resolve().parent.parent / "gongkai/core/data/cn_calendar.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
