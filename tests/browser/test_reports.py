"""The disclosure officer works on the annual reports in a real browser (issue 11): this year's
draft lists what stops it, last year's correction goes on to the leader; the page reads on a
phone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.browser.test_staff_and_portal import assert_no_axe_violations, sign_in


def test_the_officer_sees_the_rules_of_a_draft_and_sends_a_correction_to_the_leader(page, live_site):
    base_url, credentials = live_site
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    sign_in(page, base_url, "maoshe.disclosure", credentials["maoshe.disclosure"])
    page.get_by_role("link", name="年度报告").first.click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=str(year), exact=True).click()
    broken = page.get_by_test_id("broken-rules").inner_text()
    assert "【请补充…】" in broken  # the starting text's marks are still there
    assert f"{year}年度尚未结束" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="提交审核").count() == 0
    page.get_by_label("五、存在的主要问题及改进情况").fill("无")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    assert "第五部分不能只写“无”" in page.get_by_test_id("broken-rules").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name=str(year - 1), exact=True).click()
    assert page.get_by_test_id("report-status").inner_text() == "政务公开办公室审核"
    assert "更正原因：补充第六部分信息处理费收取情况的说明。" in page.locator("main").inner_text()
    page.get_by_role("button", name="审核通过，报送领导").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("report-status").inner_text() == "领导审批"
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the tables scroll, the page reads
    assert page.get_by_test_id("table-3").is_visible()
    assert_no_axe_violations(page)
