"""The JSON API (django-ninja). Its OpenAPI document is served at /api/v1/openapi.json.

Foundation endpoints: the working-day calendar, for integrators who must compute the same legal
deadlines as the platform.
"""

from __future__ import annotations

import json
from datetime import date

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Header, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
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


def _strings(value):
    """Every string in a decoded JSON document, keys included (without recursion: a deeply
    nested document must not exhaust the stack)."""
    stack = [value]
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

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json":
            raise BodyRefused(415, _("Send the request body as JSON (Content-Type: application/json)."))
        try:
            data = json.loads(request.body)
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
}


def _message(error_type: str) -> str:
    for prefix, message in VALIDATION_MESSAGES.items():
        if error_type.startswith(prefix):  # e.g. date_from_datetime_parsing, int_parsing, json_invalid
            return str(message)
    return str(gettext_lazy("The value is not valid."))


@api.exception_handler(ValidationError)
def chinese_validation_errors(request: HttpRequest, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("query", "body", "payload", "path")]
        field = location[-1] if location else "__all__"
        errors.setdefault(field, []).append(_message(str(error.get("type", ""))))
    return api.create_response(request, {"errors": errors}, status=400)


@api.exception_handler(HttpError)
def chinese_http_errors(request: HttpRequest, exc: HttpError):
    # django-ninja wraps whatever the parser raised in HttpError(400, "Cannot parse request body").
    cause = exc.__cause__
    if isinstance(cause, BodyRefused):
        return api.create_response(request, {"detail": cause.message}, status=cause.status)
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def chinese_not_found(request: HttpRequest, exc: Http404):
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
def workdays_add(request: HttpRequest, query: Query[AddQuery]):
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
def workdays_between_view(request: HttpRequest, start: date, end: date):
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
def workdays_info(request: HttpRequest, query: Query[InfoQuery]):
    calendar = get_calendar()
    return {
        "date": query.day,
        "kind": calendar.classify(query.day).value,
        "name": calendar.holidays.get(query.day, ""),
        "provisional": calendar.is_provisional(query.day),
    }


# ---------------------------------------------------------------------------------------------
# Applications for disclosure (依申请公开)


class ApplicationIn(Schema):
    agency: str = Field(description="机关网址标识，如 maoshe")
    idempotency_key: str = Field(
        min_length=16,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description=(
            "客户端为每份申请生成的随机键（16–64 位字母、数字、- 或 _，如 UUID）。"
            "同一键、同一内容重复提交返回同一申请；同一键、不同内容返回 422。"
        ),
    )
    applicant_type: str = Field(
        description="natural_person、business、research、nonprofit、legal_service、other_organisation"
    )
    applicant_name: str
    id_type: str = Field(description="resident_id、passport、other、credit_code")
    id_number: str
    phone: str
    email: str = ""
    address: str = ""
    info_title: str
    info_document_number: str = ""
    info_description: str
    requested_form: str = Field(description="paper、electronic、inspection")
    delivery: str = Field(description="post、email、pickup、online")


class ApplicationCreated(Schema):
    number: str
    query_code: str
    received_on: date
    due_on: date | None
    due_on_provisional: bool


class ApplicationErrors(Schema):
    errors: dict[str, list[str]]


class TimelineItem(Schema):
    on: date
    event: str


class ApplicationStatusOut(Schema):
    number: str
    agency: str
    status: str
    status_label: str
    received_on: date
    due_on: date | None
    due_on_provisional: bool
    due_explanation: list[str]
    timeline: list[TimelineItem]


@api.post(
    "/applications",
    response={
        201: ApplicationCreated,
        200: ApplicationCreated,
        400: ApplicationErrors,
        404: ApplicationErrors,
        422: ApplicationErrors,
        429: ApplicationErrors,
    },
    summary="提交政府信息公开申请",
    operation_id="applications_create",
)
def applications_create(request: HttpRequest, payload: ApplicationIn):
    from gongkai.accounts.models import Agency
    from gongkai.applications import spam
    from gongkai.applications.forms import ApplicationForm
    from gongkai.applications.services import IdempotencyConflict, find_repeat, submit_application
    from gongkai.core.request_context import client_ip

    agency = Agency.objects.filter(slug=payload.agency, is_active=True).first()
    if agency is None:
        return Status(404, {"errors": {"agency": [_("There is no such agency.")]}})
    form = ApplicationForm(payload.dict())
    if not form.is_valid():
        return Status(400, {"errors": {field: list(messages) for field, messages in form.errors.items()}})
    # The key is the client's, scoped to the agency and bound to the request (AC-02): the same key
    # with the same request is a retry (200, same answer); with another request it is refused.
    request_parts = {
        "agency": agency,
        "idempotency_key": payload.idempotency_key,
        "fields": {**form.cleaned_data, "has_identity_proof": False},
        "channel": "online",
    }
    try:
        repeat = find_repeat(**request_parts)
        if repeat is None and spam.over_limit(client_ip(request), form.cleaned_data["id_number"]):
            return Status(
                429, {"errors": {"__all__": [_("Too many applications in a short time; please try again later.")]}}
            )
        submission = submit_application(received_on=timezone.localdate(), **request_parts)
    except IdempotencyConflict as exc:
        return Status(422, {"errors": {"idempotency_key": [str(exc)]}})
    application = submission.application
    body = {
        "number": application.number,
        "query_code": submission.query_code,
        "received_on": application.received_on,
        "due_on": application.due_on,
        "due_on_provisional": application.due_on_provisional,
    }
    return Status(201 if submission.created else 200, body)


@api.get(
    "/applications/{number}",
    response={200: ApplicationStatusOut, 400: ApplicationErrors, 404: ApplicationErrors, 429: ApplicationErrors},
    summary="申请人查询申请办理情况",
    description=(
        "查询码放在请求头 X-Query-Code 中，不得放在网址里（网址会进入访问日志）；"
        "网址带 query_code 参数的请求返回 400。查询失败次数按申请编号和来源地址限制，超过返回 429。"
    ),
    operation_id="applications_status",
)
def applications_status(
    request: HttpRequest,
    number: str,
    query_code: str = Header("", alias="X-Query-Code", description="申请时取得的查询码"),
):
    from gongkai.applications import spam
    from gongkai.applications.clock import Kind
    from gongkai.applications.services import find_for_applicant
    from gongkai.core.request_context import client_ip

    if "query_code" in request.GET:
        # PI-05: a code in the URL lands in access logs; refuse it so clients move to the header.
        message = _("Send the query code in the X-Query-Code header, never in the address.")
        return Status(400, {"errors": {"query_code": [message]}})
    number, ip = number[:40], client_ip(request)
    if spam.tracking_refused(ip, number):
        return Status(
            429, {"errors": {"__all__": [_("Too many unsuccessful lookups. Please wait an hour and try again.")]}}
        )
    application = find_for_applicant(number, query_code[:40])
    if application is None:
        return Status(404, {"errors": {"__all__": [_("No application matches this number and query code.")]}})
    spam.tracking_succeeded(ip, number)
    return Status(
        200,
        {
            "number": application.number,
            "agency": application.agency.name,
            "status": application.status,
            "status_label": str(application.get_status_display()),
            "received_on": application.received_on,
            "due_on": application.due_on,
            "due_on_provisional": application.due_on_provisional,
            "due_explanation": application.due_explanation,
            "timeline": [
                {"on": e.on, "event": str(e.get_kind_display())}
                for e in application.clock_events.exclude(kind__in=Kind.INTERNAL)
            ],
        },
    )


# ---------------------------------------------------------------------------------------------
# The disclosure catalog (issue 3)
from gongkai.catalog.api import router as catalog_router  # noqa: E402

api.add_router("/catalog", catalog_router)
