"""The fixed structure of the national annual report format (国办公开办函〔2021〕30号), table 三:
its rows and applicant columns with their stable keys and the labels printed in the official
form (regulations.md §2.2). The labels are data, not interface text: they are never translated.

Seed F-rules and the 条例 art. 50 list what the report contains; docs/annual-report.md documents
the keys."""

from __future__ import annotations

from dataclasses import dataclass

# 申请人情况: the data columns, in the form's order. The form has no subtotal for organisations.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_organisation", "其他"),
    ("total", "总计"),
)
APPLICANT_COLUMNS = tuple(key for key, _label in COLUMNS if key != "total")


@dataclass(frozen=True)
class Group:
    """A result heading of 三、本年度办理结果 and its numbered sub-rows (none for (一), (二))."""

    key: str
    label: str
    rows: tuple[tuple[str, str], ...]


RESULT_GROUPS: tuple[Group, ...] = (
    Group("disclosed", "（一）予以公开", (("disclosed", "（一）予以公开"),)),
    Group(
        "partly_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        (("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),),
    ),
    Group(
        "withheld",
        "（三）不予公开",
        (
            ("withheld_state_secret", "1.属于国家秘密"),
            ("withheld_law_forbids", "2.其他法律行政法规禁止公开"),
            ("withheld_security", "3.危及“三安全一稳定”"),
            ("withheld_third_party", "4.保护第三方合法权益"),
            ("withheld_internal", "5.属于三类内部事务信息"),
            ("withheld_process", "6.属于四类过程性信息"),
            ("withheld_enforcement_file", "7.属于行政执法案卷"),
            ("withheld_inquiry", "8.属于行政查询事项"),
        ),
    ),
    Group(
        "unavailable",
        "（四）无法提供",
        (
            ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
            ("unavailable_needs_production", "2.没有现成信息需要另行制作"),
            ("unavailable_still_unclear", "3.补正后申请内容仍不明确"),
        ),
    ),
    Group(
        "not_processed",
        "（五）不予处理",
        (
            ("not_processed_petition", "1.信访举报投诉类申请"),
            ("not_processed_repeat", "2.重复申请"),
            ("not_processed_publication", "3.要求提供公开出版物"),
            ("not_processed_excessive", "4.无正当理由大量反复申请"),
            ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    Group(
        "other",
        "（六）其他处理",
        (
            ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other", "3.其他"),
        ),
    ),
)
RESULT_ROWS: tuple[str, ...] = tuple(key for group in RESULT_GROUPS for key, _label in group.rows)

# The table's rows in order, with the label the form prints in its first column(s).
ROWS: tuple[tuple[str, str], ...] = (
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    *((key, label) for group in RESULT_GROUPS for key, label in group.rows),
    ("results_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)
ROW_LABELS = dict(ROWS)

# Section 四: reconsideration, and lawsuits without and after reconsideration, each with its
# five cells (regulations.md §2.3). The keys are the disputes' kinds and results.
DISPUTE_GROUPS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("lawsuit", "行政诉讼·未经复议直接起诉"),
    ("lawsuit_after_reconsideration", "行政诉讼·复议后起诉"),
)
DISPUTE_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
DISPUTE_COLUMNS = (*DISPUTE_RESULTS, ("total", "总计"))

# Section 二: the four caption rows of the form (regulations.md §2.1) and their items, each with
# the cells it asks for. ``stock`` items carry 本年制发 / 本年废止 / 现行有效; the others one figure.
STOCK_CELLS: tuple[tuple[str, str], ...] = (
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
)


@dataclass(frozen=True)
class Item:
    """One row of section 二: its key, the form's label, its caption row and its cells."""

    key: str
    label: str
    caption: str
    cells: tuple[tuple[str, str], ...]

    @property
    def is_stock(self) -> bool:
        return self.cells == STOCK_CELLS


SECTION_2_ITEMS: tuple[Item, ...] = (
    Item("regulations", "规章", "第二十条第（一）项", STOCK_CELLS),
    Item("normative_documents", "行政规范性文件", "第二十条第（一）项", STOCK_CELLS),
    Item("licensing", "行政许可", "第二十条第（五）项", (("decisions", "本年处理决定数量"),)),
    Item("penalties", "行政处罚", "第二十条第（六）项", (("decisions", "本年处理决定数量"),)),
    Item("compulsion", "行政强制", "第二十条第（六）项", (("decisions", "本年处理决定数量"),)),
    Item("fees", "行政事业性收费", "第二十条第（八）项", (("amount", "本年收费金额（单位：万元）"),)),
)
SECTION_2_KEYS = {item.key: item for item in SECTION_2_ITEMS}

# The six sections of the format (regulations.md §2.0); 一, 五 and 六 are text written by staff.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("section_2", "二、主动公开政府信息情况"),
    ("section_3", "三、收到和处理政府信息公开申请情况"),
    ("section_4", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)
SECTION_LABELS = dict(SECTIONS)
