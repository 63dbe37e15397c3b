"""The JSON API (django-ninja). Its OpenAPI document is served at /api/v1/openapi.json.

Foundation endpoints: the working-day calendar, for integrators who must compute the same legal
deadlines as the platform.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from pydantic import Field

from gongkai.core.calendar import due_date, explain, get_calendar
from gongkai.core.workdays import MAX_WORKING_DAYS, WorkdayError, workdays_between

api = NinjaAPI(
    title="Gongkai 政府信息公开平台 API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    description="公开的只读接口。日期均按北京时间，工作日按平台维护的节假日安排计算。",
)


class AddQuery(Schema):
    start: date = Field(description="起算日（不计入）")
    days: int = Field(ge=0, le=MAX_WORKING_DAYS, description="工作日数")


class AddOut(Schema):
    start: date
    days: int
    due_on: date
    provisional: bool = Field(description="所涉年份的节假日安排尚未导入，结果为暂定")
    explanation: list[str]


class BetweenOut(Schema):
    start: date
    end: date
    working_days: int
    provisional: bool


class InfoOut(Schema):
    date: date
    kind: str = Field(description="workday、weekend、holiday 或 makeup-workday")
    name: str
    provisional: bool


@api.get("/workdays/add", response=AddOut, summary="若干工作日之后的日期", operation_id="workdays_add")
def workdays_add(request: HttpRequest, query: Query[AddQuery]):
    result = due_date(query.start, query.days)
    return {
        "start": query.start,
        "days": query.days,
        "due_on": result.due,
        "provisional": result.provisional,
        "explanation": explain(result),
    }


@api.get("/workdays/between", response=BetweenOut, summary="两个日期之间的工作日数", operation_id="workdays_between")
def workdays_between_view(request: HttpRequest, start: date, end: date):
    try:
        result = workdays_between(start, end, get_calendar())
    except WorkdayError:
        raise HttpError(400, "结束日期早于开始日期。") from None
    return {"start": start, "end": end, "working_days": result.working_days, "provisional": result.provisional}


class InfoQuery(Schema):
    day: date = Field(alias="date", description="要查询的日期")


@api.get("/workdays/info", response=InfoOut, summary="某日的类型", operation_id="workdays_info")
def workdays_info(request: HttpRequest, query: Query[InfoQuery]):
    calendar = get_calendar()
    return {
        "date": query.day,
        "kind": calendar.classify(query.day).value,
        "name": calendar.holidays.get(query.day, ""),
        "provisional": calendar.is_provisional(query.day),
    }
