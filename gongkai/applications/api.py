"""The applications' JSON API: anonymous intake and tracking by number and query code (issue 4).

Mounted on the project API (``gongkai.core.api``) from ApplicationsConfig.ready().
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from pydantic import Field

from gongkai.accounts.models import Agency
from gongkai.applications import spam
from gongkai.applications.choices import ApplicantType, Delivery, IdType, RequestedForm
from gongkai.applications.choices import Status as ApplicationStatus
from gongkai.applications.clock import Kind
from gongkai.applications.forms import ApplicationForm
from gongkai.applications.services import IdempotencyConflict, find_for_applicant, find_repeat, submit_application
from gongkai.core.request_context import client_ip

router = Router()


def _choices(choices: type[models.TextChoices]) -> str:
    """The values of a closed set with their Chinese labels, for the schema's description: a
    generated client fills its form from the schema alone (issue 10)."""
    return "；".join(f"{value}：{label}" for value, label in choices.choices)


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
    applicant_type: ApplicantType = Field(description=_choices(ApplicantType))
    applicant_name: str
    id_type: IdType = Field(description=_choices(IdType))
    id_number: str
    phone: str
    email: str = ""
    address: str = ""
    info_title: str
    info_document_number: str = ""
    info_description: str
    requested_form: RequestedForm = Field(description=_choices(RequestedForm))
    delivery: Delivery = Field(description=_choices(Delivery))


class _RequestParts(TypedDict):
    """What identifies one submission: the keyword arguments of find_repeat and submit_application."""

    agency: Agency
    idempotency_key: str
    fields: dict[str, Any]
    channel: str


class ApplicationCreated(Schema):
    number: str
    query_code: str
    status: ApplicationStatus = Field(description=_choices(ApplicationStatus))
    submitted_on: date | None = Field(description="网上提交之日")
    received_on: date | None = Field(description="收到申请之日：网上申请以双方确认之日为准，确认前为空")
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
    status: ApplicationStatus = Field(description=_choices(ApplicationStatus))
    status_label: str
    submitted_on: date | None = Field(description="网上提交之日")
    received_on: date | None = Field(description="收到申请之日：网上申请以双方确认之日为准，确认前为空")
    due_on: date | None
    due_on_provisional: bool
    due_explanation: list[str]
    suspended_until: date | None = Field(description="对方（补正、征求意见、缴费）的期限，答复期限中止计算期间")
    suspended_until_provisional: bool = Field(description="该期限跨入尚未导入放假安排的年份，为暂定")
    timeline: list[TimelineItem]


@router.post(
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

    agency = Agency.objects.filter(slug=payload.agency, is_active=True).first()
    if agency is None:
        return Status(404, {"errors": {"agency": [_("There is no such agency.")]}})
    form = ApplicationForm(payload.dict())
    if not form.is_valid():
        return Status(400, {"errors": {field: list(messages) for field, messages in form.errors.items()}})
    # The key is the client's, scoped to the agency and bound to the request (AC-02): the same key
    # with the same request is a retry (200, same answer); with another request it is refused.
    request_parts: _RequestParts = {
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
        "status": application.status,
        "submitted_on": application.submitted_on,
        "received_on": application.received_on,
        "due_on": application.due_on,
        "due_on_provisional": application.due_on_provisional,
    }
    return Status(201 if submission.created else 200, body)


@router.get(
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
            "submitted_on": application.submitted_on,
            "received_on": application.received_on,
            "due_on": application.due_on,
            "due_on_provisional": application.due_on_provisional,
            "due_explanation": application.due_explanation,
            "suspended_until": application.suspended_until,
            "suspended_until_provisional": application.suspended_until_provisional,
            "timeline": [
                {"on": e.on, "event": str(e.get_kind_display())}
                for e in application.clock_events.exclude(kind__in=Kind.INTERNAL)
            ],
        },
    )


class AgencyOut(Schema):
    slug: str = Field(description="机关网址标识，提交申请时填入 agency")
    name: str
    disclosure_office: str = Field(description="政府信息公开工作机构")
    address: str
    postcode: str
    office_hours: str
    phone: str = Field(description="申请受理电话")
    fax: str
    email: str


@router.get(
    "/agencies",
    response={200: list[AgencyOut]},
    summary="受理政府信息公开申请的机关",
    description="列出可在本平台提交申请的机关及其政府信息公开工作机构的联系方式（条例第二十四条）。",
    operation_id="agencies_list",
)
def agencies_list(request: HttpRequest):
    return Status(
        200,
        [
            {
                "slug": agency.slug,
                "name": agency.name,
                "disclosure_office": agency.disclosure_office_name,
                "address": agency.address,
                "postcode": agency.postcode,
                "office_hours": agency.office_hours,
                "phone": agency.acceptance_phone or agency.phone,
                "fax": agency.fax,
                "email": agency.email,
            }
            for agency in Agency.objects.filter(is_active=True).order_by("pk")
        ],
    )
