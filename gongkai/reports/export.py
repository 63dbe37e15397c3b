"""The annual report as the public reads it: DOCX laid out like the official template
(国办公开办函〔2021〕30号: the fixed row and column labels, merged header cells; regulations.md §2),
XLSX with one sheet per table, and plain text for the catalog entry. The labels are the form's
own (tables.py), never translated."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable

from gongkai.reports.tables import (
    APPLICANT_COLUMNS,
    COLUMNS,
    DISPUTE_COLUMNS,
    DISPUTE_GROUPS,
    RESULT_GROUPS,
    ROW_LABELS,
    SECTION_2_ITEMS,
    SECTION_LABELS,
)

BODY_FONT, TITLE_FONT = "仿宋_GB2312", "方正小标宋简体"
THREE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Content:
    """What a report file holds: the agency's name, the year, the staff's texts and section 二,
    and the frozen figures (services.figures_of)."""

    agency_name: str
    year: int
    overview: str
    problems: str
    other_matters: str
    section_2: dict[str, Any]
    figures: dict[str, Any]
    version: int = 1
    correction_reason: str = ""

    @property
    def title(self) -> str:
        return f"{self.agency_name}{self.year}年政府信息公开工作年度报告"


def content_of(report, figures: dict[str, Any]) -> Content:
    return Content(
        agency_name=report.agency.name,
        year=report.year,
        overview=report.overview,
        problems=report.problems,
        other_matters=report.other_matters,
        section_2=report.section_2,
        figures=figures,
        version=report.version,
        correction_reason=report.correction_reason,
    )


def _cell2(content: Content, item: str, cell: str) -> str:
    value = (content.section_2.get(item) or {}).get(cell)
    return "" if value is None else str(value)


def section_three_rows(content: Content) -> list[tuple[str, str, str, list[int]]]:
    """Table 三 as (first label, second label, third label, seven figures) per data row."""
    rows = content.figures["section_3"]["rows"]
    keys = [key for key, _label in COLUMNS]
    out = [
        (ROW_LABELS["new"], "", "", [rows["new"][k] for k in keys]),
        (ROW_LABELS["carried_over"], "", "", [rows["carried_over"][k] for k in keys]),
    ]
    for group in RESULT_GROUPS:
        for key, label in group.rows:
            second, third = (label, "") if len(group.rows) == 1 else (group.label, label)
            out.append(("三、本年度办理结果", second, third, [rows[key][k] for k in keys]))
    out.append(("三、本年度办理结果", ROW_LABELS["results_total"], "", [rows["results_total"][k] for k in keys]))
    out.append((ROW_LABELS["carried_forward"], "", "", [rows["carried_forward"][k] for k in keys]))
    return out


def as_text(report, figures: dict[str, Any]) -> str:
    """The report as plain text, for the catalog entry's body and the portal."""
    content = content_of(report, figures)
    lines = [content.title, "", SECTION_LABELS["overview"], content.overview, "", SECTION_LABELS["section_2"]]
    for item in SECTION_2_ITEMS:
        cells = "；".join(f"{label}：{_cell2(content, item.key, cell)}" for cell, label in item.cells)
        lines.append(f"{item.caption} {item.label}：{cells}")
    lines += ["", SECTION_LABELS["section_3"], "（" + "、".join(label for _k, label in COLUMNS) + "）"]
    for first, second, third, numbers in section_three_rows(content):
        label = third or second or first
        lines.append(f"{label}：" + " ".join(str(n) for n in numbers))
    lines += ["", SECTION_LABELS["section_4"]]
    for group, label in DISPUTE_GROUPS:
        cells = content.figures["section_4"]["groups"][group]
        lines.append(f"{label}：" + "；".join(f"{name} {cells[key]}" for key, name in DISPUTE_COLUMNS))
    lines += [
        "",
        SECTION_LABELS["problems"],
        content.problems,
        "",
        SECTION_LABELS["other_matters"],
        content.other_matters,
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# DOCX


def _run(paragraph, text: str, *, size: float = 12, bold: bool = False, font: str = BODY_FONT) -> None:
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _put(table: DocxTable, row: int, col: int, text: str, *, bold: bool = False, size: float = 9) -> None:
    cell = table.cell(row, col)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, size=size, bold=bold)


def _merge(table: DocxTable, top: int, left: int, bottom: int, right: int, text: str, **style) -> None:
    merged = table.cell(top, left).merge(table.cell(bottom, right))
    for paragraph in merged.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    paragraph = merged.paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, size=style.get("size", 9), bold=style.get("bold", False))


def _widths(table: DocxTable, widths: list[float]) -> None:
    """Fixed column widths in mm (Word and LibreOffice read the cell widths, not the grid)."""
    table.autofit = False
    for index, column in enumerate(table.columns):
        column.width = Mm(widths[index])
    for row in table.rows:
        index = 0
        for tc in row._tr.tc_lst:  # a merged cell spans its grid columns
            span = tc.grid_span
            tc.width = Mm(sum(widths[index : index + span]))
            index += span


def _paragraphs(document, text: str) -> None:
    for line in (text or "").splitlines() or [""]:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _run(paragraph, line, size=16)


def _heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    _run(paragraph, text, size=16, font="黑体")


def _table_two(document, content: Content) -> None:
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for caption, items in _captions().items():
        table.add_row()
        _merge(table, len(table.rows) - 1, 0, len(table.rows) - 1, 3, caption, bold=True)
        table.add_row()
        index = len(table.rows) - 1
        _put(table, index, 0, "信息内容", bold=True)
        if items[0].is_stock:
            for col, (_cell, label) in enumerate(items[0].cells, start=1):
                _put(table, index, col, label, bold=True)
        else:
            _merge(table, index, 1, index, 3, items[0].cells[0][1], bold=True)
        for item in items:
            table.add_row()
            index = len(table.rows) - 1
            _put(table, index, 0, item.label)
            if item.is_stock:
                for col, (cell, _label) in enumerate(item.cells, start=1):
                    _put(table, index, col, _cell2(content, item.key, cell))
            else:
                _merge(table, index, 1, index, 3, _cell2(content, item.key, item.cells[0][0]))
    _widths(table, [46, 40, 40, 40])


def _table_three(document, content: Content) -> None:
    data = section_three_rows(content)
    table = document.add_table(rows=3 + len(data), cols=10)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _merge(table, 0, 0, 2, 2, THREE_NOTE, size=8)
    _merge(table, 0, 3, 0, 9, "申请人情况", bold=True)
    _merge(table, 1, 3, 2, 3, "自然人", bold=True)
    _merge(table, 1, 4, 1, 8, "法人或其他组织", bold=True)
    _merge(table, 1, 9, 2, 9, "总计", bold=True)
    for col, (_key, label) in enumerate(COLUMNS[1:6], start=4):
        _put(table, 2, col, label, bold=True)
    # The label cells: a row of its own spans three columns; a result group spans its sub-rows.
    start = 3
    index = start
    while index < start + len(data):
        _first, _second, _third, numbers = data[index - start]
        for col, number in enumerate(numbers, start=3):
            _put(table, index, col, str(number))
        index += 1
    _merge(table, start, 0, start, 2, data[0][0])
    _merge(table, start + 1, 0, start + 1, 2, data[1][0])
    results_first = start + 2
    results_last = start + len(data) - 2
    _merge(table, results_first, 0, results_last, 0, "三、本年度办理结果")
    index = results_first
    for group in RESULT_GROUPS:
        if len(group.rows) == 1:
            _merge(table, index, 1, index, 2, group.rows[0][1])
            index += 1
            continue
        _merge(table, index, 1, index + len(group.rows) - 1, 1, group.label)
        for offset, (_key, label) in enumerate(group.rows):
            _put(table, index + offset, 2, label)
        index += len(group.rows)
    _merge(table, index, 1, index, 2, ROW_LABELS["results_total"])
    last = start + len(data) - 1
    _merge(table, last, 0, last, 2, data[-1][0])
    _widths(table, [14, 20, 46, *[12.3] * 7])


def _table_four(document, content: Content) -> None:
    table = document.add_table(rows=4, cols=15)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _merge(table, 0, 0, 0, 4, "行政复议", bold=True)
    _merge(table, 0, 5, 0, 14, "行政诉讼", bold=True)
    _merge(table, 1, 5, 1, 9, "未经复议直接起诉", bold=True)
    _merge(table, 1, 10, 1, 14, "复议后起诉", bold=True)
    for col, (_key, label) in enumerate(DISPUTE_COLUMNS):
        _merge(table, 1, col, 2, col, label, bold=True)
        _put(table, 2, 5 + col, label, bold=True)
        _put(table, 2, 10 + col, label, bold=True)
    groups = content.figures["section_4"]["groups"]
    for offset, (group, _label) in enumerate(DISPUTE_GROUPS):
        for col, (key, _name) in enumerate(DISPUTE_COLUMNS):
            _put(table, 3, offset * 5 + col, str(groups[group][key]))
    _widths(table, [11.0] * 15)


def docx_bytes(content: Content) -> bytes:
    document = DocxDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin, section.right_margin = Mm(22), Mm(22)
    document.core_properties.title = content.title
    document.core_properties.author = content.agency_name
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, content.title, size=22, font=TITLE_FONT)
    if content.version > 1:
        note = document.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(note, f"（更正版，第{content.version}版。更正原因：{content.correction_reason}）", size=12)
    _heading(document, SECTION_LABELS["overview"])
    _paragraphs(document, content.overview)
    _heading(document, SECTION_LABELS["section_2"])
    _table_two(document, content)
    _heading(document, SECTION_LABELS["section_3"])
    _table_three(document, content)
    _heading(document, SECTION_LABELS["section_4"])
    _table_four(document, content)
    _heading(document, SECTION_LABELS["problems"])
    _paragraphs(document, content.problems)
    _heading(document, SECTION_LABELS["other_matters"])
    _paragraphs(document, content.other_matters)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# XLSX


def _captions() -> dict[str, list]:
    captions: dict[str, list] = {}
    for item in SECTION_2_ITEMS:
        captions.setdefault(item.caption, []).append(item)
    return captions


def _sheet_two(book, content: Content, head, cell, left) -> None:
    two = book.add_worksheet("二、主动公开")
    two.set_column(0, 0, 22)
    two.set_column(1, 3, 18)
    two.merge_range(0, 0, 0, 3, content.title + " 二、主动公开政府信息情况", head)
    row = 1
    for caption, items in _captions().items():
        two.merge_range(row, 0, row, 3, caption, head)
        two.write(row + 1, 0, "信息内容", head)
        if items[0].is_stock:
            for col, (_c, label) in enumerate(items[0].cells, start=1):
                two.write(row + 1, col, label, head)
        else:
            two.merge_range(row + 1, 1, row + 1, 3, items[0].cells[0][1], head)
        row += 2
        for item in items:
            two.write(row, 0, item.label, left)
            if item.is_stock:
                for col, (c, _label) in enumerate(item.cells, start=1):
                    two.write(row, col, _number(_cell2(content, item.key, c)), cell)
            else:
                two.merge_range(row, 1, row, 3, _number(_cell2(content, item.key, item.cells[0][0])), cell)
            row += 1


def _sheet_three(book, content: Content, head, cell, left) -> None:
    three = book.add_worksheet("三、依申请公开")
    three.set_column(0, 0, 10)
    three.set_column(1, 1, 14)
    three.set_column(2, 2, 30)
    three.set_column(3, 9, 9)
    three.merge_range(0, 0, 2, 2, THREE_NOTE, cell)
    three.merge_range(0, 3, 0, 9, "申请人情况", head)
    three.merge_range(1, 3, 2, 3, "自然人", head)
    three.merge_range(1, 4, 1, 8, "法人或其他组织", head)
    three.merge_range(1, 9, 2, 9, "总计", head)
    for col, (_key, label) in enumerate(COLUMNS[1:6], start=4):
        three.write(2, col, label, head)
    data = section_three_rows(content)
    for offset, (_f, second, third, numbers) in enumerate(data):
        for col, number in enumerate(numbers, start=3):
            three.write_number(3 + offset, col, number, cell)
        label = third or second
        if len(label) > 15:  # xlsxwriter does not fit row heights: about 15 characters a line
            three.set_row(3 + offset, 15 * -(-len(label) // 15))
    start = 3
    three.merge_range(start, 0, start, 2, data[0][0], left)
    three.merge_range(start + 1, 0, start + 1, 2, data[1][0], left)
    three.merge_range(start + 2, 0, start + len(data) - 2, 0, "三、本年度办理结果", cell)
    index = start + 2
    for group in RESULT_GROUPS:
        if len(group.rows) == 1:
            three.merge_range(index, 1, index, 2, group.rows[0][1], left)
            index += 1
            continue
        three.merge_range(index, 1, index + len(group.rows) - 1, 1, group.label, cell)
        for offset, (_key, label) in enumerate(group.rows):
            three.write(index + offset, 2, label, left)
        index += len(group.rows)
    three.merge_range(index, 1, index, 2, ROW_LABELS["results_total"], left)
    last = start + len(data) - 1
    three.merge_range(last, 0, last, 2, data[-1][0], left)


def _sheet_four(book, content: Content, head, cell) -> None:
    four = book.add_worksheet("四、复议诉讼")
    four.set_column(0, 14, 9)
    four.merge_range(0, 0, 0, 4, "行政复议", head)
    four.merge_range(0, 5, 0, 14, "行政诉讼", head)
    four.merge_range(1, 5, 1, 9, "未经复议直接起诉", head)
    four.merge_range(1, 10, 1, 14, "复议后起诉", head)
    groups = content.figures["section_4"]["groups"]
    for col, (_key, label) in enumerate(DISPUTE_COLUMNS):
        four.merge_range(1, col, 2, col, label, head)
        four.write(2, 5 + col, label, head)
        four.write(2, 10 + col, label, head)
    for offset, (group, _label) in enumerate(DISPUTE_GROUPS):
        for col, (key, _name) in enumerate(DISPUTE_COLUMNS):
            four.write_number(3, offset * 5 + col, groups[group][key], cell)


def xlsx_bytes(content: Content) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": content.title, "author": content.agency_name})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    cell = book.add_format({"align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    left = book.add_format({"valign": "vcenter", "border": 1, "text_wrap": True})
    _sheet_two(book, content, head, cell, left)
    _sheet_three(book, content, head, cell, left)
    _sheet_four(book, content, head, cell)
    texts = book.add_worksheet("一、五、六 文字部分")
    texts.set_column(0, 0, 28)
    texts.set_column(1, 1, 100)
    for sheet in book.worksheets():  # printed on A4, one page wide
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        if sheet.name.startswith(("三", "四")):
            sheet.set_landscape()
    for row, (key, text) in enumerate(
        (("overview", content.overview), ("problems", content.problems), ("other_matters", content.other_matters))
    ):
        texts.write(row, 0, SECTION_LABELS[key], head)
        texts.write(row, 1, text, left)
    book.close()
    return buffer.getvalue()


def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


__all__ = ["APPLICANT_COLUMNS", "Content", "as_text", "content_of", "docx_bytes", "xlsx_bytes"]
