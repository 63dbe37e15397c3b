"""The catalog in a real browser: a document from draft through every review step to publication,
then found by the public search; public pages pass axe and fit a phone (issue 3)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.browser.test_staff_and_portal import assert_no_axe_violations, sign_in


def approve_current_step(page, base_url, credentials, username, detail_url, **choices):
    sign_in(page, base_url, username, credentials[username])
    page.goto(detail_url)
    assert page.locator("h2#act").inner_text().startswith("您的环节")  # the step is this person's
    panel = page.locator("section.action-panel")
    for field_id, value in choices.items():
        panel.locator(f"#{field_id}").select_option(value)
    if panel.locator("#id_comment").count():
        panel.locator("#id_comment").first.fill("同意。")
    panel.get_by_role("button", name="同意").click()
    page.wait_for_load_state()
    assert page.get_by_text("您的意见已记录").is_visible()


def test_a_document_from_draft_to_the_public_search(page, live_site):
    base_url, credentials = live_site
    title = "茅畲乡关于2026年冬季农村宅基地审批工作的通知"
    sign_in(page, base_url, "maoshe.clerk", credentials["maoshe.clerk"])
    page.goto(f"{base_url}/staff/maoshe/catalog/new/")
    page.locator("#id_title").fill(title)
    # formed a few days ago, whatever today is (the browser's clock is the machine's)
    page.locator("#id_formed_on").fill((timezone.localdate() - timedelta(days=6)).isoformat())
    page.locator("#id_category").select_option("a21_homestead")
    page.locator("#id_summary").fill("冬季宅基地审批工作安排。")
    page.locator("#id_body").fill("各村要做好宅基地审批材料的收集和公示工作。")
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("草稿已保存").is_visible()
    detail_url = page.url
    assert_no_axe_violations(page)
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_text("已提交审核").is_visible()

    approve_current_step(page, base_url, credentials, "maoshe.head", detail_url, id_classification="not_secret")
    approve_current_step(page, base_url, credentials, "maoshe.secrecy", detail_url)
    approve_current_step(page, base_url, credentials, "maoshe.leader", detail_url)
    approve_current_step(page, base_url, credentials, "maoshe.disclosure", detail_url)

    sign_in(page, base_url, "maoshe.web", credentials["maoshe.web"])
    page.goto(detail_url)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="发布", exact=True).click()
    assert page.get_by_text("已发布。").is_visible()

    page.context.clear_cookies()
    page.goto(f"{base_url}/catalog/")
    page.get_by_label("关键词").fill("宅基地审批")
    page.get_by_role("button", name="检索").click()
    link = page.get_by_role("link", name=title)
    assert link.is_visible()
    assert page.locator("mark").first.is_visible()
    assert_no_axe_violations(page)
    link.click()
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.get_by_text("索引号").first.is_visible()
    assert_no_axe_violations(page)


def test_catalog_pages_fit_a_phone(browser, live_site):
    base_url, _ = live_site
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    for path in ("/catalog/?q=宅基地审批", "/agencies/maoshe/catalog/"):
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.locator("ol.results a").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "item page"
    context.close()
