"""The public search resists oversize parameters (security.md ABUSE-02): a 10,000-character
query, page 100000 and page_size 10000 get a 400 or are clamped, never a 5xx or a huge page."""

from __future__ import annotations

import re

import pytest

from gongkai.catalog import search
from tests.catalog.factories import make_entry

pytestmark = pytest.mark.django_db
CJK = re.compile("[\u4e00-\u9fff]")


def test_the_api_refuses_oversize_query_and_page_with_chinese_messages(client, world):
    for params in ({"q": "政" * 10_000}, {"page": "100000"}):
        response = client.get("/api/v1/catalog/search", params)
        assert response.status_code == 400
        messages = [m for ms in response.json()["errors"].values() for m in ms]
        assert messages
        assert all(CJK.search(m) for m in messages)


def test_page_size_is_not_the_callers_choice(client, world):
    for _ in range(search.PAGE_SIZE + 1):
        make_entry(world.township, status="published")
    data = client.get("/api/v1/catalog/search", {"page_size": "10000"}).json()
    assert data["count"] == search.PAGE_SIZE + 1
    assert len(data["results"]) == search.PAGE_SIZE


def test_the_html_search_clamps_instead_of_failing(client, world):
    make_entry(world.township, status="published")
    for params in ({"q": "政" * 10_000}, {"page": "100000"}, {"page_size": "10000"}):
        response = client.get("/catalog/", params)
        assert response.status_code == 200
        assert response.context["pages"]["number"] <= search.MAX_PAGE
        assert len(response.context["entries"]) <= search.PAGE_SIZE
