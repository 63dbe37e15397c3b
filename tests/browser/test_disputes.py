"""The disclosure officer follows the agency's administrative disputes and registers a new one,
in a real browser (issue 11; seed F1–F3)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.browser.test_staff_and_portal import assert_no_axe_violations, sign_in


def test_the_officer_sees_the_answer_dates_and_registers_a_reconsideration(page, live_site):
    base_url, credentials = live_site
    sign_in(page, base_url, "maoshe.disclosure", credentials["maoshe.disclosure"])
    page.get_by_role("link", name="行政争议").first.click()
    assert_no_axe_violations(page)
    rows = page.get_by_role("row").filter(has_text="MAOSHE-ZY-")
    assert rows.count() == 4  # the demo's open cases: three reconsiderations and a lawsuit
    page.get_by_role("row").filter(has_text="简易程序").get_by_role("link").first.click()
    text = page.locator("main").inner_text()
    assert "第五十四条" in text
    assert "视为该行政行为没有证据、依据" in text  # due within the warning window
    assert_no_axe_violations(page)
    number = page.get_by_role("link", name=re.compile("^MAOSHE-\\d{4}-\\d{5}$")).inner_text()
    page.get_by_role("link", name="行政争议").first.click()
    page.get_by_role("link", name="登记行政复议或行政诉讼").click()
    page.get_by_label(re.compile("^所涉申请")).fill(number)
    page.get_by_label(re.compile("^争议类型")).select_option("reconsideration")
    page.get_by_label(re.compile("^复议机关或人民法院")).fill("台州市黄岩区人民政府")
    page.get_by_label(re.compile("^审理程序")).select_option("ordinary")
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "已登记。答复截止日期为" in page.locator(".messages").inner_text()
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert f"自 {today} 收到副本之日起 10 个工作日" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the page still reads
    assert page.get_by_test_id("answer-due").is_visible()
    assert_no_axe_violations(page)
