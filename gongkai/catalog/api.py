"""The catalog's JSON API: anonymous, published items only (issue 3 "Interfaces")."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from gongkai.catalog.choices import Category, Validity
from gongkai.catalog.views import published_entries, run_search

router = Router(tags=["公开目录"])


class SearchQuery(Schema):
    q: str = Field("", max_length=1000, description="关键词（中文自动分词，多个词同时满足）")
    agency: str = Field("", max_length=40, description="机关网址标识，如 maoshe")
    category: Category | None = Field(None, description="主题分类代码")
    year: int | None = Field(None, ge=1990, le=2100, description="发布年份")
    validity: Validity | None = Field(None, description="有效性：current、amended、repealed")
    order: str = Field("relevance", pattern="^(relevance|date)$", description="relevance（相关度）或 date（最新）")
    page: int = Field(1, ge=1, le=500)


class SearchHit(Schema):
    index_number: str
    title: str
    agency: str
    published_on: date
    url: str
    snippet: str = Field(description="摘要片段（HTML 已转义，命中词以 <mark> 标出）")


class SearchOut(Schema):
    count: int
    results: list[SearchHit]
    notes: list[str] = Field(description="对查询所做调整的说明")


class EntryOut(Schema):
    index_number: str
    title: str
    agency: str
    document_number: str
    written_on: date | None
    issued_on: date | None = Field(description="印发日期（公文）")
    published_on: date
    formed_on: date
    attribute: str
    scope: str
    category: str
    category_label: str
    validity: str
    validity_label: str
    channels: list[str]
    summary: str
    body: str
    url: str
    attachments: list[dict]


@router.get("/search", response=SearchOut, summary="检索已发布的公开目录", operation_id="catalog_search")
def catalog_search(request: HttpRequest, query: Query[SearchQuery]):
    values = {k: v for k, v in query.dict().items() if v not in (None, "")}
    count, entries, _terms, notes = run_search(values)
    return {
        "count": count,
        "notes": notes,
        "results": [
            {
                "index_number": e.index_number,
                "title": e.title,
                "agency": e.agency_name,
                "published_on": e.published_on,
                "url": request.build_absolute_uri(e.url),
                "snippet": str(e.snippet),
            }
            for e in entries
        ],
    }


@router.get("/{path:index_number}", response=EntryOut, summary="一条已发布信息的元数据", operation_id="catalog_item")
def catalog_item(request: HttpRequest, index_number: str):
    entry = get_object_or_404(published_entries(), index_number=index_number)
    return {
        "index_number": entry.index_number,
        "title": entry.title,
        "agency": entry.agency.name,
        "document_number": entry.document_number,
        "written_on": entry.written_on,
        "issued_on": entry.issued_on,
        "published_on": entry.published_on,
        "formed_on": entry.formed_on,
        "attribute": entry.attribute,
        "scope": entry.scope,
        "category": entry.category,
        "category_label": entry.get_category_display(),
        "validity": entry.validity,
        "validity_label": entry.get_validity_display(),
        "channels": entry.channels,
        "summary": entry.summary,
        "body": entry.body,
        "url": request.build_absolute_uri(entry.get_absolute_url()),
        "attachments": [
            {
                "name": a.name,
                "size": a.size,
                "url": request.build_absolute_uri(reverse("catalog:attachment", args=[a.pk])),
            }
            for a in entry.attachments.all()
        ],
    }
