"""The 保密审查表 (G7): the review form sent to the competent authority when the classification
of an item is unclear. Rendered from the recorded opinions, with the font embedded (as notices,
docs/decisions/0011), and blank rows for the authority's opinion, seal and date."""

from __future__ import annotations

from django.utils import timezone

from gongkai.catalog.choices import Decision, Step
from gongkai.catalog.models import Entry
from gongkai.core.letters import SERIF, chinese_date


def review_form_rows(entry: Entry) -> list[tuple[str, str]]:
    opinions = list(entry.opinions.order_by("at", "id"))

    def latest(step, decision=Decision.APPROVE):
        found = [o for o in opinions if o.step == step and o.decision == decision]
        return found[-1] if found else None

    office = latest(Step.OFFICE)
    escalation = latest(Step.CONFIDENTIALITY, Decision.ESCALATE)
    return [
        ("报送机关", entry.agency.name),
        ("事项名称", entry.title),
        ("文号", entry.document_number or "无"),
        ("主办科室", entry.office.name),
        ("生成日期", entry.formed_on.isoformat()),
        ("拟公开方式", entry.get_attribute_display()),
        ("内容概述", entry.summary),
        ("审查版本", f"第 {entry.revision} 版"),
        (
            "主办科室定密审核意见",
            f"{office.get_data_display()}{office.comment}（{office.actor_name}，{office.at:%Y-%m-%d}）"
            if office
            else "",
        ),
        (
            "保密工作机构意见",
            f"{escalation.comment}（{escalation.actor_name}，{escalation.at:%Y-%m-%d}）" if escalation else "",
        ),
        ("报请审查的主管部门", entry.escalated_to),
        ("主管部门审查意见", "\n\n\n\n"),
        ("审查结论", "□ 不属于国家秘密    □ 属于国家秘密（密级：________）"),
        ("主管部门（盖章）", "\n\n"),
        ("日期", "        年    月    日"),
    ]


def render_review_form(entry: Entry) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(left=20, top=20, right=20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title("保密审查表")
    pdf.set_creator("Gongkai")
    pdf.add_font("serif", fname=str(SERIF))
    pdf.add_page()
    pdf.set_font("serif", size=20)
    pdf.cell(0, 14, "政府信息公开保密审查表", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", size=10)
    pdf.cell(0, 8, f"填表日期：{chinese_date(timezone.localdate())}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", size=12)
    with pdf.table(
        col_widths=(45, 125), line_height=8, text_align=("CENTER", "LEFT"), first_row_as_headings=False
    ) as table:
        for label, value in review_form_rows(entry):
            row = table.row()
            row.cell(label)
            row.cell(value or " ")
    return bytes(pdf.output())
