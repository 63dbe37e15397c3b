"""Rendering a notice as PDF (Chinese font embedded) and DOCX, laid out after GB/T 9704.

The PDF embeds a subset of Noto Serif SC (SIL OFL 1.1, from the PyPI package
``pylopdf-fonts-zh-cn``), so it renders the same on any machine with no system font. The DOCX
names the official fonts (仿宋_GB2312 body, 方正小标宋简体 title, 黑体 headings) that a Word or
WPS installation in a government office has; Word substitutes when they are missing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pylopdf_fonts_zh_cn
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run
from fpdf import FPDF

FONT_DIR = Path(pylopdf_fonts_zh_cn.__file__).resolve().parent
SERIF = FONT_DIR / "NotoSerifSC-Regular.otf"
RED = (204, 0, 0)
SEAL = "（盖章）"


@dataclass(frozen=True)
class Letter:
    issuer: str  # the agency: the red heading and the signature
    document_number: str  # 文号
    title: str
    addressee: str
    paragraphs: tuple[str, ...]
    signed_on: date


# Chinese line breaking (GB/T 15834 punctuation; the 禁则 of JIS X 4051 / W3C clreq): no line
# starts with a closing mark and none ends with an opening one; a run of Latin letters and digits
# (a number, a date, an application or document code) is never split.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-./:_%]*[A-Za-z0-9%]|[A-Za-z0-9]")


def _units(text: str) -> list[str]:
    """The pieces a line may break between: one CJK character, or one whole Latin/digit run."""
    units: list[str] = []
    position = 0
    for match in UNBREAKABLE.finditer(text):
        units.extend(text[position : match.start()])
        units.append(match.group())
        position = match.end()
    units.extend(text[position:])
    return units


def break_lines(text: str, width: Callable[[str], float], first: float, rest: float) -> list[str]:
    """Split a paragraph into lines at most ``first`` (the indented first line), then ``rest``
    wide, measured by ``width``. A closing mark that does not fit hangs at the end of its line
    (行尾悬挂) rather than starting the next; an opening mark that would end a line moves down."""
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    limit = first
    for unit in _units(text):
        w = width(unit)
        if line and used + w > limit and unit[0] not in NO_LINE_START:
            carried: list[str] = []
            while line and line[-1][-1] in NO_LINE_END:
                carried.insert(0, line.pop())
            if not line:  # a line of opening marks only: keep them where they are
                line, carried = carried, []
            lines.append("".join(line))
            line, limit = carried, rest
            used = sum(width(u) for u in line)
        line.append(unit)
        used += w
    if line:
        lines.append("".join(line))
    return lines


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_pdf(letter: Letter) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(left=28, top=37, right=26)
    pdf.set_auto_page_break(auto=True, margin=35)
    pdf.set_title(letter.title)
    pdf.set_creator("Gongkai")
    pdf.add_font("serif", fname=str(SERIF))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    # 版头: issuing agency in red, the document number, a red rule.
    pdf.set_text_color(*RED)
    pdf.set_font("serif", size=24)
    pdf.multi_cell(width, 12, letter.issuer, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("serif", size=14)
    pdf.cell(width, 8, letter.document_number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(10)
    pdf.set_font("serif", size=20)
    pdf.multi_cell(width, 11, letter.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("serif", size=15)
    pdf.multi_cell(width, 9, f"{letter.addressee}：", new_x="LMARGIN", new_y="NEXT")
    indent = 2 * pdf.font_size  # the first line is indented by two characters
    for paragraph in letter.paragraphs:
        for i, line in enumerate(break_lines(paragraph, pdf.get_string_width, width - indent, width)):
            pdf.set_x(pdf.l_margin + (indent if i == 0 else 0))
            pdf.cell(pdf.get_string_width(line), 9, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    # The seal goes over the agency's name and the date (GB/T 9704 §7.3.5).
    pdf.multi_cell(width - 12, 9, SEAL, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width - 12, 9, letter.issuer, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width - 12, 9, chinese_date(letter.signed_on), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _font(run: Run, name: str, size: int, *, color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def render_docx(letter: Letter) -> bytes:
    document = DocxDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    document.core_properties.author = letter.issuer
    document.core_properties.title = letter.title
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(letter.issuer), "方正小标宋简体", 26, color=RGBColor(0xCC, 0, 0))
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(letter.document_number), "仿宋_GB2312", 16)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(letter.title), "方正小标宋简体", 22)
    _font(document.add_paragraph().add_run(f"{letter.addressee}："), "仿宋_GB2312", 16)
    for text in letter.paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _font(paragraph.add_run(text), "仿宋_GB2312", 16)
    for text in ("", SEAL, letter.issuer, chinese_date(letter.signed_on)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(paragraph.add_run(text), "仿宋_GB2312", 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
