"""The consistency rules of a report version beyond the tables' own (annual.py): section 二 as
entered, the rules across years, and the texts (issue 11, "Consistency rules").

Each rule returns ``Broken`` items with a stable key and a Chinese message for the office; a
version that breaks any rule cannot be submitted, reviewed, approved or published."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from gongkai.reports.annual import Broken
from gongkai.reports.tables import DISPUTE_GROUPS, SECTION_2_ITEMS

# An answer that says nothing: section 五 must name problems and what was done about them.
EMPTY_ANSWERS = frozenset({"无", "没有", "暂无", "无问题", "不存在", "无此情况", "none", "na", "n/a"})
PLACEHOLDER = "【请补充"  # the starting text marks what the office must still write


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def check_section_two(section_2: Mapping[str, Any], previous_in_force: Mapping[str, int | None]) -> list[Broken]:
    """Every cell filled (0 is written as 0), whole non-negative numbers (the fee amount in 万元 with
    at most four decimals), a source for every item, and the stock rule: last year's 现行有效 +
    本年制发 − 本年废止 = this year's 现行有效 (``previous_in_force``: None when unknown)."""
    broken = []
    for item in SECTION_2_ITEMS:
        values = section_2.get(item.key) or {}
        blank = [label for cell, label in item.cells if values.get(cell) is None or values.get(cell) == ""]
        if blank:
            message = _("Section 2, “%(item)s”: %(cells)s left blank; write 0 when there were none.")
            broken.append(Broken("section_2.blank", message % {"item": item.label, "cells": "、".join(blank)}))
        for cell, cell_label in item.cells:
            value = values.get(cell)
            label = {"item": item.label, "cell": cell_label}
            if value is None or value == "":
                continue
            number = decimal_or_none(value)
            whole = cell != "amount"
            if number is None or number < 0 or (whole and number != number.to_integral_value()):
                broken.append(
                    Broken(
                        "section_2.number",
                        _("Section 2, “%(item)s”, “%(cell)s”: write a whole number of 0 or more.") % label
                        if whole
                        else _("Section 2, “%(item)s”, “%(cell)s”: write an amount in 万元 of 0 or more.") % label,
                    )
                )
            elif not whole and -number.as_tuple().exponent > 4:  # type: ignore[operator]
                broken.append(
                    Broken(
                        "section_2.number",
                        _("Section 2, “%(item)s”: give the amount in 万元 with at most four decimals.") % label,
                    )
                )
        if not str(values.get("source") or "").strip():
            broken.append(
                Broken(
                    "section_2.source",
                    _("Section 2, “%(item)s”: say where the figures come from.") % {"item": item.label},
                )
            )
        if item.is_stock:
            broken += _stock_rule(item.label, values, previous_in_force.get(item.key))
    return broken  # fmt: skip


def _stock_rule(label: str, values: Mapping[str, Any], previous: int | None) -> list[Broken]:
    numbers = [decimal_or_none(values.get(cell)) for cell in ("issued", "repealed", "in_force")]
    if previous is None or any(n is None for n in numbers):
        return []
    issued, repealed, in_force = (int(n) for n in numbers)  # type: ignore[arg-type]
    if previous + issued - repealed == in_force:
        return []
    return [
        Broken(
            "section_2.stock",
            _(
                "Section 2, “%(item)s”: in force at the end of last year (%(previous)d) plus issued "
                "(%(issued)d) minus repealed (%(repealed)d) is %(expected)d, but %(in_force)d are given "
                "as in force."
            )
            % {
                "item": label,
                "previous": previous,
                "issued": issued,
                "repealed": repealed,
                "expected": previous + issued - repealed,
                "in_force": in_force,
            },
        )
    ]


def check_carry_over(section_3: Mapping[str, Mapping[str, int]], previous: Mapping[str, Any] | None) -> list[Broken]:
    """This year's 上年结转 equals last year's 结转下年度, column by column, when the platform holds
    last year's report (``previous``: its figures' JSON)."""
    if not previous:
        return []
    last = previous["section_3"]["rows"]["carried_forward"]
    broken = []
    for column, count in section_3["carried_over"].items():
        if last.get(column, 0) != count:
            broken.append(
                Broken(
                    "cross_year.carry_over",
                    _(
                        "Table 3, column “%(column)s”: %(now)d applications are carried over from last "
                        "year, but last year's report carried %(then)d forward. An application of last "
                        "year was changed after that report was frozen: publish a corrected version of "
                        "last year's report first."
                    )
                    % {"column": _column_label(column), "now": count, "then": last.get(column, 0)},
                )
            )
    return broken


def _column_label(column: str) -> str:
    from gongkai.reports.tables import COLUMNS

    return dict(COLUMNS).get(column, column)


# The phrases whose numbers must match the tables. Each pattern takes the figure in Arabic digits
# (the form's own digits); a figure written in Chinese numerals is not checked.
QUOTED: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # Each phrase as the starting text writes it; ordinary wording around it is not read as a
    # figure ("予以公开12件" is not the 办结 total, "行政复议、行政诉讼共3件" names neither).
    ("new", re.compile(r"(?:新收|收到)政府信息公开申请\s*(\d+)\s*件"), "本年新收申请"),
    ("carried_over", re.compile(r"上年结转(?:政府信息公开申请)?\s*(\d+)\s*件"), "上年结转申请"),
    ("results_total", re.compile(r"办结(?:政府信息公开申请)?\s*(\d+)\s*件"), "本年办结申请"),
    ("carried_forward", re.compile(r"结转下年度(?:继续办理)?\s*(\d+)\s*件"), "结转下年度申请"),
    ("reconsideration", re.compile(r"行政复议\s*(\d+)\s*(?:件|起)"), "行政复议案件"),
    ("lawsuits", re.compile(r"行政诉讼\s*(\d+)\s*(?:件|起)"), "行政诉讼案件"),
    ("catalog_published", re.compile(r"主动公开政府信息\s*(\d+)\s*条"), "主动公开政府信息条数"),
    ("fees", re.compile(r"行政事业性收费(?:金额)?\s*(\d+(?:\.\d+)?)\s*万元"), "行政事业性收费金额"),
    ("processing_fees", re.compile(r"信息处理费\s*(\d+(?:\.\d+)?)\s*元"), "信息处理费"),
)


def table_figures(figures: Mapping[str, Any], section_2: Mapping[str, Any]) -> dict[str, Decimal | None]:
    rows = figures["section_3"]["rows"]
    groups = figures["section_4"]["groups"]
    return {
        "new": Decimal(rows["new"]["total"]),
        "carried_over": Decimal(rows["carried_over"]["total"]),
        "results_total": Decimal(rows["results_total"]["total"]),
        "carried_forward": Decimal(rows["carried_forward"]["total"]),
        "reconsideration": Decimal(groups["reconsideration"]["total"]),
        "lawsuits": Decimal(sum(groups[key]["total"] for key, _label in DISPUTE_GROUPS if key != "reconsideration")),
        "fees": decimal_or_none((section_2.get("fees") or {}).get("amount")),
        "processing_fees": decimal_or_none(figures.get("fees_collected")),
        "catalog_published": decimal_or_none(figures.get("catalog_published")),
    }


TEXT_LABELS = {
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}


def _written(texts: Mapping[str, str]) -> list[Broken]:
    """一 and 五 written, 五 not a bare "无", no 【请补充…】 mark of the starting text left."""
    broken = []
    for key in ("overview", "problems"):
        if not texts.get(key, "").strip():
            broken.append(Broken(f"text.{key}_empty", _("%(section)s is empty.") % {"section": TEXT_LABELS[key]}))
    bare = re.sub(r"[\s。.，,！!、；;：:（）()“”\"'-]", "", texts.get("problems", "")).lower()
    if bare in EMPTY_ANSWERS:
        message = _(
            "Section 5 cannot say only “无”: name the main problems of the year and what was done or is "
            "planned about them."
        )
        broken.append(Broken("text.problems_none", message))
    for key, label in TEXT_LABELS.items():
        if PLACEHOLDER in texts.get(key, ""):
            message = _("%(section)s still has a “【请补充…】” mark of the starting text: write that part.")
            broken.append(Broken("text.placeholder", message % {"section": label}))
    return broken


def _quoted(texts: Mapping[str, str], known: Mapping[str, Decimal | None]) -> list[Broken]:
    """Every figure quoted in the texts equal to the table's."""
    broken = []
    for key, label in TEXT_LABELS.items():
        for figure, pattern, what in QUOTED:
            expected = known[figure]
            for match in pattern.finditer(texts.get(key, "")):
                quoted = Decimal(match.group(1))
                if expected is None or quoted == expected:
                    continue
                message = _("%(section)s quotes %(what)s as %(quoted)s but the tables give %(expected)s: “%(phrase)s”.")
                values = {"section": label, "what": what, "quoted": quoted, "expected": expected}
                broken.append(Broken("text.figure", message % {**values, "phrase": match.group(0)}))
    return broken


def check_texts(texts: Mapping[str, str], figures: Mapping[str, Any], section_2: Mapping[str, Any]) -> list[Broken]:
    """Sections 一, 五 and 六: written (``_written``), the information-processing fees collected
    said in 六, and every figure quoted in the text equal to the table's."""
    broken = _written(texts)
    known = table_figures(figures, section_2)
    fees = known["processing_fees"]
    other = texts.get("other_matters", "")
    collected = fees is not None and fees > 0
    if "信息处理费" not in other or (collected and re.search(r"未收取信息处理费|未收费", other)):
        message = (
            _("Information-processing fees of %(amount)s yuan were collected this year: section 6 must say so.")
            if collected
            else _("Section 6 must say whether information-processing fees were collected (none this year).")
        )
        broken.append(Broken("text.fees", message % {"amount": fees}))
    return broken + _quoted(texts, known)
