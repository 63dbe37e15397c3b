"""A citizen applies online and follows the application; the disclosure officer finds it on
the workbench with its legal clock (issue 4)."""

from __future__ import annotations

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.test_staff_and_portal import assert_no_axe_violations, sign_in


def test_apply_online_then_track_then_staff_see_it(page, live_site):
    base_url, credentials = live_site
    page.goto(f"{base_url}/agencies/maoshe/guide/")
    page.get_by_role("link", name="在线申请").click()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^姓名或名称")).fill("测试金丝雀")
    page.get_by_label(re.compile("^证件号码")).fill("110101199003074573")
    page.get_by_label(re.compile("^联系电话")).fill("13800138000")
    page.get_by_label(re.compile("^电子邮箱")).fill("canary@example.com")
    page.get_by_label(re.compile("^所需信息名称")).fill("茅畲乡 2026 年宅基地审批结果")
    page.get_by_label(re.compile("^内容描述")).fill("请公开 2026 年茅畲乡农村宅基地审批结果清单。")
    page.get_by_label(re.compile("^获取途径")).select_option("email")
    page.get_by_label(re.compile("^本人确认")).check()
    time.sleep(1.2)  # the form refuses submissions faster than a person (1 s on the test server)
    page.get_by_role("button", name="提交申请").dblclick()  # a double click still makes one application
    try:
        page.wait_for_url(re.compile("/applications/receipt/$"), timeout=10000)
    except PlaywrightTimeout:
        raise AssertionError(page.locator("main").inner_text()[:800]) from None
    number = page.get_by_test_id("number").inner_text()
    code = page.get_by_test_id("query-code").inner_text()
    assert number.startswith("MAOSHE-")
    assert len(code) == 10

    page.get_by_role("link", name="申请查询").first.click()
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    text = page.locator("main").inner_text()
    # Art. 31(三): received when the office confirms it; until then the applicant sees so.
    assert "已提交，待政府信息公开工作机构确认收到" in text
    assert "确认收到期限" in text

    sign_in(page, base_url, "maoshe.disclosure", credentials["maoshe.disclosure"])
    page.get_by_role("link", name="依申请公开").first.click()
    row = page.get_by_role("row").filter(has_text=number)
    assert row.count() == 1
    assert "138****8000" in row.inner_text()
    assert "待确认" in row.inner_text()
    row.get_by_role("link", name=number).click()
    assert "1101**********4573" in page.locator("main").inner_text()
    assert "110101199003074573" not in page.content()
    assert_no_axe_violations(page)
    # The site runs on the real date: sent on a working day it is confirmed today; sent on a
    # weekend or a holiday it can be confirmed only from the next working day (art. 31(三)).
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    kind = page.request.get(f"{base_url}/api/v1/workdays/info?date={today}").json()["kind"]
    if kind in ("workday", "makeup-workday"):
        record(page, "确认收到")
        assert "办理中" in page.locator("main").inner_text()
        assert page.get_by_test_id("due").is_visible()
    else:
        form = page.locator("form.panel").filter(has=page.get_by_role("heading", name="确认收到", exact=True))
        form.get_by_role("button", name="登记").click()
        page.wait_for_load_state()
        assert f"该申请于 {today} 提交，最早可于" in page.locator("main").inner_text()
        assert "已提交" in page.locator("main").inner_text()


def record(page, kind_label, **fields):
    """Fill and submit the action form whose heading is ``kind_label`` on the detail page."""
    form = page.locator("form.panel").filter(has=page.get_by_role("heading", name=kind_label, exact=True))
    for label, value in fields.items():
        control = form.get_by_label(re.compile("^" + label))
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value) if not value.isascii() else control.select_option(value)
        else:
            control.fill(value)
    form.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "已登记" in page.locator(".messages").inner_text(), page.locator("main").inner_text()[:500]


def test_the_whole_path_consultation_extension_draft_signature_reply_and_notice(page, live_site):
    base_url, credentials = live_site
    sign_in(page, base_url, "maoshe.disclosure", credentials["maoshe.disclosure"])
    page.goto(f"{base_url}/staff/agencies/maoshe/applications/")
    # The demo's freshly received application (received two days ago).
    # (not the one sent online today, still to be confirmed)
    page.get_by_role("row").filter(has_text="宅基地审批结果", has_not_text="待确认").get_by_role("link").first.click()
    detail_url = page.url
    record(
        page,
        "开始征求意见",
        征求对象="第三方（条例第三十二条）",
        被征求意见方名称="台州市黄岩区某农业开发有限公司",
        征询函送达地址或联系方式="茅畲乡工业园区 8 号",
    )
    assert "征求第三方或其他机关意见" in page.locator("main").inner_text()
    record(page, "征求意见结束")
    # The draft states what art. 36(二) asks for: that it is provided, and how (issue 10).
    record(
        page,
        "答复草稿送签",
        办理结果="（一）予以公开",
        公开答复="provided",
        申请人获取该信息的方式="以电子文件形式随本答复书通过电子邮件发送",
    )
    sign_in(page, base_url, "maoshe.leader", credentials["maoshe.leader"])
    page.goto(detail_url)
    record(page, "批准延期并告知申请人", 工作日数="5")
    record(page, "领导签发答复")
    # Signed: the reply letter is generated from the signed draft, then serving it is the last step.
    sign_in(page, base_url, "maoshe.disclosure", credentials["maoshe.disclosure"])
    page.goto(detail_url)
    notice_form = page.locator("form.panel").filter(has=page.get_by_role("heading", name="生成并送达通知书"))
    notice_form.get_by_role("combobox", name=re.compile("^通知书")).first.select_option("reply_disclosed")
    notice_form.get_by_role("button", name="生成").click()
    assert "已根据签发的草稿生成答复书" in page.locator(".messages").inner_text()
    assert "尚未送达" in page.locator("main").inner_text()
    record(page, "送达答复")
    assert "已答复" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").last.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_no_axe_violations(page)
