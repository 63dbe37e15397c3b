"""The JSON API (django-ninja). Its OpenAPI document is served at /api/v1/openapi.json.

Foundation endpoints: the working-day calendar, for integrators who must compute the same legal
deadlines as the platform.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny
from pydantic import Field

from gongkai.core.calendar import due_date, explain, get_calendar
from gongkai.core.middleware import has_unsafe_text
from gongkai.core.workdays import MAX_WORKING_DAYS, WorkdayError, WorkdayRangeError, workdays_between


class BodyRefused(Exception):
    """Why a request body is not read; the API answers with this status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _strings(value: object) -> Iterator[str]:
    """Every string in a decoded JSON document, keys included (without recursion: a deeply
    nested document must not exhaust the stack)."""
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class JSONOnlyParser(Parser):
    """Request bodies are JSON, said so by Content-Type, and hold no character a text column or
    a generated document cannot keep (gongkai.core.middleware.UNSAFE_TEXT). A text/plain or form
    body is refused with 415 and never parsed (WEB-05)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        if request.content_type != "application/json":
            raise BodyRefused(415, _("Send the request body as JSON (Content-Type: application/json)."))
        try:
            data: DictStrAny = json.loads(request.body)
        except (ValueError, RecursionError):  # also UnicodeDecodeError
            raise BodyRefused(400, _("The request body is not valid JSON.")) from None
        if any(has_unsafe_text(text) for text in _strings(data)):
            raise BodyRefused(400, _("The request contains characters that are not allowed."))
        return data


api = NinjaAPI(
    title="Gongkai 政府信息公开平台 API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    description="公开的只读接口。日期均按北京时间，工作日按平台维护的节假日安排计算。",
    parser=JSONOnlyParser(),
)


# Schema-level errors (a missing field, a malformed date or number) answer like the forms do:
# 400 with a Chinese message per field, never pydantic's English.
VALIDATION_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "date": gettext_lazy("Enter a valid date written as YYYY-MM-DD."),
    "int": gettext_lazy("Enter a whole number."),
    "greater_than_equal": gettext_lazy("The value is too small."),
    "less_than_equal": gettext_lazy("The value is too large."),
    "string_too_short": gettext_lazy("The value is too short."),
    "string_too_long": gettext_lazy("The value is too long."),
    "string": gettext_lazy("Enter text."),
    "json": gettext_lazy("The request body is not valid JSON."),
    "enum": gettext_lazy("Choose one of the values the schema lists."),
    "literal_error": gettext_lazy("Choose one of the values the schema lists."),
}


def _message(error_type: str) -> str:
    for prefix, message in VALIDATION_MESSAGES.items():
        if error_type.startswith(prefix):  # e.g. date_from_datetime_parsing, int_parsing, json_invalid
            return str(message)
    return str(gettext_lazy("The value is not valid."))


@api.exception_handler(ValidationError)
def chinese_validation_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("query", "body", "payload", "path")]
        field = location[-1] if location else "__all__"
        errors.setdefault(field, []).append(_message(str(error.get("type", ""))))
    return api.create_response(request, {"errors": errors}, status=400)


@api.exception_handler(HttpError)
def chinese_http_errors(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja wraps whatever the parser raised in HttpError(400, "Cannot parse request body").
    cause = exc.__cause__
    if isinstance(cause, BodyRefused):
        return api.create_response(request, {"detail": cause.message}, status=cause.status)
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def chinese_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("There is nothing at this address.")}, status=404)


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
def workdays_add(request: HttpRequest, query: Query[AddQuery]) -> dict[str, object]:
    try:
        result = due_date(query.start, query.days)
    except WorkdayRangeError:
        raise HttpError(400, _("The date is outside the range that can be calculated.")) from None
    return {
        "start": query.start,
        "days": query.days,
        "due_on": result.due,
        "provisional": result.provisional,
        "explanation": explain(result),
    }


@api.get("/workdays/between", response=BetweenOut, summary="两个日期之间的工作日数", operation_id="workdays_between")
def workdays_between_view(request: HttpRequest, start: date, end: date) -> dict[str, object]:
    try:
        result = workdays_between(start, end, get_calendar())
    except WorkdayRangeError:
        raise HttpError(400, _("The date is outside the range that can be calculated.")) from None
    except WorkdayError:
        raise HttpError(400, _("The end date is before the start date.")) from None
    return {"start": start, "end": end, "working_days": result.working_days, "provisional": result.provisional}


class InfoQuery(Schema):
    day: date = Field(alias="date", description="要查询的日期")


@api.get("/workdays/info", response=InfoOut, summary="某日的类型", operation_id="workdays_info")
def workdays_info(request: HttpRequest, query: Query[InfoQuery]) -> dict[str, object]:
    calendar = get_calendar()
    return {
        "date": query.day,
        "kind": calendar.classify(query.day).value,
        "name": calendar.holidays.get(query.day, ""),
        "provisional": calendar.is_provisional(query.day),
    }


# ---------------------------------------------------------------------------------------------
# Each app adds its own endpoints from its AppConfig.ready() (issue 9): applications, catalog…


def register_router(prefix: str, router: Router) -> None:
    """Mount an app's router under /api/v1/<prefix>; call it from the app's ready()."""
    api.add_router(prefix, router)
