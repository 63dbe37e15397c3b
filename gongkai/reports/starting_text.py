"""The starting text of sections 一, 五 and 六: the figures the platform knows, in the sentences an
office would write, and 【请补充…】 marks where only the office can say what happened. A mark left
in the text stops the report (rules.PLACEHOLDER). Issue 11."""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import Agency


def offer(agency: Agency, year: int, figures: dict[str, Any]) -> dict[str, str]:
    rows = figures["section_3"]["rows"]
    groups = figures["section_4"]["groups"]
    lawsuits = groups["lawsuit"]["total"] + groups["lawsuit_after_reconsideration"]["total"]
    overview = (
        f"{year}年，{agency.name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"本年度主动公开政府信息{figures.get('catalog_published', 0)}条，"
        "【请补充：主动公开、政府信息管理、平台建设、监督保障等工作情况】。\n"
        f"依申请公开方面，本年度新收政府信息公开申请{rows['new']['total']}件，"
        f"上年结转{rows['carried_over']['total']}件，"
        f"办结{rows['results_total']['total']}件，"
        f"结转下年度{rows['carried_forward']['total']}件。\n"
        f"本年度因政府信息公开引发行政复议{groups['reconsideration']['total']}件，"
        f"行政诉讼{lawsuits}件。"
    )
    problems = "【请补充：本年度政府信息公开工作存在的主要问题，以及已经采取或计划采取的改进措施】"
    fees = figures.get("fees_collected") or "0"
    charged = f"本年度收取信息处理费{fees}元。" if fees not in ("0", "0.00") else "本年度未收取信息处理费。"
    other_matters = charged + "【请补充：其他需要报告的事项；没有的，写明“无其他需要报告的事项”】"
    return {"overview": overview, "problems": problems, "other_matters": other_matters}
