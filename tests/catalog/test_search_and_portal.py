"""Public catalog, Chinese full-text search, the JSON API, and withdrawal from every public
surface (issue 3 "The public portal", "Interfaces"; B8)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.catalog import search, services
from gongkai.catalog.choices import Category, Validity
from tests.catalog.factories import make_entry, make_entry_attachment, publish_draft


def found(client, **params):
    response = client.get(reverse("api:catalog_search"), params)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def catalog(world):
    t = world.township
    return {
        "split": make_entry(
            t,
            status="published",
            title="茅畲乡农村建房管理公告",
            body="村民申请宅基地的，经村委会同意后，报乡人民政府审批。",
        ),
        "title": make_entry(t, status="published", title="关于宅基地审批的通知", body="详见附件。"),
        "other": make_entry(t, status="published", title="2026年部门预算公开", body="预算收支总表。"),
        "dept": make_entry(world.department, status="published", title="宅基地审批政策解读", body="农业农村局解读。"),
        "draft": make_entry(t, title="宅基地审批草稿", body="宅基地 审批 草稿"),
    }


def test_a_segmented_query_finds_documents_with_the_words_apart(client, catalog):
    result = found(client, q="宅基地审批")
    titles = {r["title"] for r in result["results"]}
    assert titles == {"茅畲乡农村建房管理公告", "关于宅基地审批的通知", "宅基地审批政策解读"}
    assert result["count"] == 3
    assert "宅基地审批草稿" not in titles  # drafts are never searchable


def test_relevance_puts_title_matches_first_and_date_order_is_newest_first(client, world):
    t = world.township
    body_only = make_entry(t, status="published", title="农村建房", body="宅基地 审批", published_on=date(2026, 11, 1))
    in_title = make_entry(t, status="published", title="宅基地审批办法", body="办法全文", published_on=date(2025, 1, 1))
    by_relevance = [r["index_number"] for r in found(client, q="宅基地审批")["results"]]
    assert by_relevance == [in_title.index_number, body_only.index_number]
    by_date = [r["index_number"] for r in found(client, q="宅基地审批", order="date")["results"]]
    assert by_date == [body_only.index_number, in_title.index_number]


def test_filters_narrow_the_results(client, world, catalog):
    assert {r["agency"] for r in found(client, q="宅基地", agency="huangyan-agri")["results"]} == {
        world.department.name
    }
    assert found(client, q="宅基地", category=Category.BUDGET)["count"] == 0
    assert found(client, q="预算", category=Category.HOMESTEAD)["count"] == 1
    assert found(client, q="宅基地", year=2020)["count"] == 0
    services.set_validity(
        catalog["title"],
        actor=world.person(world.township, "disclosure_officer"),
        validity=Validity.REPEALED,
        reason="已被新文件替代。",
    )
    assert [r["title"] for r in found(client, q="宅基地", validity="repealed")["results"]] == ["关于宅基地审批的通知"]


def test_attachment_text_is_searchable(client, world):
    entry = make_entry(world.township, status="draft", title="公示", body="")
    attachment = make_entry_attachment(entry)
    attachment.text = "征地补偿安置方案明细表"
    attachment.save()
    publish_draft(entry)
    assert [r["title"] for r in found(client, q="安置方案")["results"]] == ["公示"]


HOMESTEAD = ["关于宅基地审批的通知", "宅基地审批政策解读", "茅畲乡农村建房管理公告"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ('"宅基地', HOMESTEAD),  # the stray quote is punctuation
        ("宅基地*", HOMESTEAD),
        ("宅基地 OR 预算", []),  # every word must match, "OR" included: no operator syntax
        ("NEAR(宅基地 审批)", []),
        ("{title}: 预算", []),
        ("'; DROP TABLE catalog_entry; --", []),
    ],
)
def test_malformed_queries_are_searched_as_words_and_never_fail(client, catalog, query, titles):
    result = found(client, q=query)
    assert sorted(r["title"] for r in result["results"]) == titles
    assert result["count"] == len(titles)


def test_empty_huge_and_punctuation_queries(client, catalog):
    assert found(client, q="")["count"] == 4  # browse: every published item
    punctuation = found(client, q="！！？。")
    assert punctuation["count"] == 0
    assert "请输入" in punctuation["notes"][0]
    long = found(client, q="宅基地" * 300)  # 900 characters: searched on its first 100
    assert sorted(r["title"] for r in long["results"]) == HOMESTEAD
    assert "截取" in long["notes"][0]
    huge = client.get(reverse("api:catalog_search"), {"q": "宅基地" * 2000})
    assert huge.status_code == 400
    assert huge.json()["errors"]["q"] == ["内容过长。"]
    page = client.get(reverse("catalog:index"), {"q": "宅基地" * 300, "year": "abc", "page": "-3"})
    assert page.status_code == 200
    assert "部分筛选条件无法识别" in page.content.decode()


def test_the_api_refuses_bad_parameters_in_chinese(client):
    response = client.get(reverse("api:catalog_search"), {"year": "abc", "page": "0"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year", "page"}


def test_snippets_highlight_terms_and_escape_markup(client, world):
    make_entry(world.township, status="published", title="公告", body="<script>alert(1)</script>宅基地审批须知")
    snippet = found(client, q="宅基地")["results"][0]["snippet"]
    assert "<mark>宅基地</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet


def test_pages_list_every_match_once(client, world):
    t = world.township
    made = [
        make_entry(t, status="published", title=f"宅基地公告{i}", body="宅基地", published_on=date(2026, 1, i + 1))
        for i in range(7)
    ]
    seen = []
    for page in (1, 2, 3, 4):
        request = search.SearchRequest(terms=["宅基地"], page=page, page_size=2)
        seen += search.search(request).entry_ids
    assert sorted(seen) == sorted(e.pk for e in made)  # every match once, none repeated


def test_the_item_page_shows_the_catalog_metadata(client, catalog):
    entry = catalog["title"]
    page = client.get(reverse("catalog:item", kwargs={"index_number": entry.index_number})).content.decode()
    for text in (entry.index_number, "发布机构", "公开方式", "主动公开", "宅基地使用审核", "现行有效", entry.title):
        assert text in page


def test_unpublished_items_and_their_files_are_not_reachable(client, world, catalog):
    draft = catalog["draft"]
    attachment = make_entry_attachment(draft)
    assert client.get(reverse("catalog:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("api:catalog_item", kwargs={"index_number": "none/2026-00001"})).status_code == 404


def test_a_withdrawn_item_is_gone_from_every_public_surface(client, world, catalog):
    entry = catalog["title"]
    attachment = make_entry_attachment(entry)
    item_url = reverse("catalog:item", kwargs={"index_number": entry.index_number})
    assert client.get(item_url).status_code == 200
    assert client.get(reverse("catalog:attachment", args=[attachment.pk])).status_code == 200
    services.withdraw(entry, actor=world.person(world.township, "web_administrator"), reason="内容有误，予以撤回。")
    assert client.get(item_url).status_code == 404
    assert client.get(reverse("catalog:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("api:catalog_item", kwargs={"index_number": entry.index_number})).status_code == 404
    assert entry.title not in [r["title"] for r in found(client, q="宅基地审批")["results"]]
    assert entry.title not in [r["title"] for r in found(client, q="")["results"]]
    for url in (
        reverse("catalog:index") + "?q=宅基地",
        reverse("catalog:agency-catalog", args=["maoshe"]),
        reverse("catalog:feed"),
        reverse("catalog:sitemap"),
    ):
        assert entry.index_number not in client.get(url).content.decode(), url
    assert search.search(search.SearchRequest(terms=["宅基地"])).count == 2  # the index followed


def test_feed_and_sitemap_list_published_items(client, catalog):
    feed = client.get(reverse("catalog:feed")).content.decode()
    sitemap = client.get(reverse("catalog:sitemap")).content.decode()
    for key in ("split", "title", "other", "dept"):
        assert catalog[key].title in feed
        assert catalog[key].index_number in sitemap
    assert catalog["draft"].title not in feed


def test_the_agency_catalog_page_lists_only_that_agency(client, world, catalog):
    page = client.get(reverse("catalog:agency-catalog", args=["maoshe"])).content.decode()
    assert catalog["title"].title in page
    assert catalog["dept"].title not in page
    assert "政府信息公开目录" in page


def test_the_api_item_returns_public_metadata(client, catalog):
    entry = catalog["title"]
    data = client.get(reverse("api:catalog_item", kwargs={"index_number": entry.index_number})).json()
    assert data["index_number"] == entry.index_number
    assert data["category_label"] == "宅基地使用审核"
    assert data["attribute"] == "proactive"
    assert "created_by" not in data


def test_the_openapi_document_describes_the_catalog_endpoints(client):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    assert "/api/v1/catalog/search" in paths
    assert any(p.startswith("/api/v1/catalog/{") for p in paths)


def test_rebuilding_the_index_restores_it_and_shows_progress(client, catalog, settings):
    import shutil

    from gongkai.catalog.engine import engine

    assert found(client, q="宅基地审批")["count"] == 3
    shutil.rmtree(settings.CATALOG_SEARCH_INDEX_DIR)  # the index is lost (a new server, a disk)
    engine()._index = None
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert found(client, q="宅基地审批")["count"] == 3
    assert "4/4" in out.getvalue()


def test_another_worker_sees_publication_and_withdrawal_at_its_next_search(world, settings):
    """Each web worker has its own engine object on the shared index; changes reach it through
    the database's change log before it answers (no stale results after a withdrawal)."""
    from pathlib import Path

    from gongkai.catalog.engine import Engine

    other_worker = Engine(Path(settings.CATALOG_SEARCH_INDEX_DIR))
    query = search.build_query(other_worker.schema, search.SearchRequest(terms=["宅基地"]))
    assert other_worker.searcher().search(query, 10).count == 0
    entry = make_entry(world.township, status="published", title="宅基地审批公告")
    assert other_worker.searcher().search(query, 10).count == 1
    services.withdraw(entry, actor=world.person(world.township, "web_administrator"), reason="内容有误，予以撤回。")
    assert other_worker.searcher().search(query, 10).count == 0


def test_an_index_from_another_database_is_rebuilt(client, catalog, settings):
    """A copied or restored index directory that is ahead of this database is not trusted."""
    import json

    from gongkai.catalog.engine import STATE_FILE, engine

    assert found(client, q="宅基地审批")["count"] == 3
    state = settings.CATALOG_SEARCH_INDEX_DIR / STATE_FILE
    state.write_text(json.dumps({"generation": 10**6, "schema": 1}))
    engine()._state_seen = None
    assert found(client, q="宅基地审批")["count"] == 3
    assert json.loads(state.read_text())["generation"] < 10**6


def test_category_counts_follow_publication(client, world, catalog):
    page = client.get(reverse("catalog:index")).content.decode()
    assert '宅基地使用审核</a> <span class="muted">(4)</span>' in page
    services.withdraw(
        catalog["title"], actor=world.person(world.township, "web_administrator"), reason="内容有误，撤回。"
    )
    page = client.get(reverse("catalog:index")).content.decode()
    assert '宅基地使用审核</a> <span class="muted">(3)</span>' in page
