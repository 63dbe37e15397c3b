"""Letters are laid out like official documents (issue 10): Chinese line breaking and a seal
area above the agency's name and date."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from gongkai.core.letters import NO_LINE_END, NO_LINE_START, Letter, break_lines, render_docx, render_pdf


def width(unit: str) -> float:
    """A CJK character is 1 wide, a Latin letter or digit 0.5."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in unit)


@pytest.mark.parametrize(
    ("text", "limit", "lines"),
    [
        # Plain: five characters a line.
        ("一二三四五六七八九十", 5, ["一二三四五", "六七八九十"]),
        # The comma would start the second line: it hangs at the end of the first.
        ("一二三四五，六七", 5, ["一二三四五，", "六七"]),
        # An opening bracket would end the first line: it moves down with what it opens.
        ("一二三四（五六）", 5, ["一二三四", "（五六）"]),
        # A code is never split: MAOSHE-2026-00001 (8.5 wide) moves down whole.
        ("申请编号MAOSHE-2026-00001已收到", 6, ["申请编号", "MAOSHE-2026-00001", "已收到"]),
        # Nor a date's digits: 2026 stays with itself.
        ("于二〇二六年即2026年", 8, ["于二〇二六年即", "2026年"]),
    ],
)
def test_break_lines(text, limit, lines):
    assert break_lines(text, width, limit, limit) == lines
    assert "".join(lines) == text


def letter(paragraph: str) -> Letter:
    return Letter(
        issuer="台州市黄岩区茅畲乡人民政府",
        document_number="茅政信复〔2026〕4号",
        title="政府信息公开申请答复书",
        addressee="测试金丝雀",
        paragraphs=(paragraph,),
        signed_on=date(2026, 10, 20),
    )


def test_no_line_of_a_real_letter_starts_with_a_closing_mark_or_ends_with_an_opening_one():
    paragraph = (
        "本机关于2026年9月28日收到您提出的政府信息公开申请（申请编号：MAOSHE-2026-00001），所申请信息为："
        "茅畲乡2026年宅基地审批结果。经审查，根据《中华人民共和国政府信息公开条例》第三十六条第一项、第二项的规定，"
        "答复如下：您申请的政府信息属于公开范围，本机关予以公开，" * 3
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(letter(paragraph)))).pages)
    lines = [line.replace("\x00", "").strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 8
    assert [line for line in lines if line[0] in NO_LINE_START] == []
    assert [line for line in lines if line[-1] in NO_LINE_END] == []
    assert any("MAOSHE-2026-00001" in line for line in lines)
    # The seal area sits above the agency's name and the date, at the end.
    assert lines[-3:] == ["（盖章）", "台州市黄岩区茅畲乡人民政府", "2026年10月20日"]


def test_the_docx_has_the_seal_area_too():
    from docx import Document

    document = Document(io.BytesIO(render_docx(letter("正文。"))))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[-3:] == ["（盖章）", "台州市黄岩区茅畲乡人民政府", "2026年10月20日"]
