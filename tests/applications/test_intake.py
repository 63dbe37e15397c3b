"""Intake (条例 art. 29, 31; seed E1): the public form, the JSON API and staff registration.
One application per submission whatever the retries (REL-02); spam resistance (ABUSE-01);
bad input gets Chinese messages and saves nothing; the applicant sees only their own."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.applications import spam
from gongkai.applications.models import Application, ClockEvent
from gongkai.applications.services import confirm_submission
from gongkai.applications.validators import resident_id_check_character, validate_resident_id
from gongkai.core.models import AuditEvent
from tests.applications.factories import CANARY_ID, applicant_fields, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def form_data(**overrides):
    data = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    data.update(
        {
            "started": signing.dumps(time.time() - 60, salt=spam.SALT),
            "idempotency_key": "form-key-0001",
            "confirm": "on",
            "website": "",
        }
    )
    data.update(overrides)
    return data


def apply_url():
    return reverse("applications:apply", args=["maoshe"])


# --- identity numbers (GB 11643) ------------------------------------------------------------


def test_canary_id_is_valid_and_a_changed_check_digit_is_not():
    assert validate_resident_id(CANARY_ID) == CANARY_ID
    wrong = CANARY_ID[:17] + ("0" if CANARY_ID[17] != "0" else "1")
    with pytest.raises(Exception, match="校验码"):
        validate_resident_id(wrong)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("99010119900307457X", "地区代码"),
        ("110101199002304573", "出生日期不存在"),
        ("1101011990030745", "18 位"),
    ],
)
def test_bad_identity_numbers_are_explained(number, message):
    body17 = number[:17]
    if len(number) == 18 and number[:2] != "99":
        number = body17 + resident_id_check_character(body17)
    with pytest.raises(Exception, match=message):
        validate_resident_id(number)


# --- the public form --------------------------------------------------------------------------


@time_machine.travel("2026-10-09 10:00 +0800", tick=False)
def test_a_person_applies_online_and_gets_number_code_and_the_confirmation_day(client, world):
    response = client.post(apply_url(), form_data())
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    application = Application.objects.get()
    body = receipt.content.decode()
    assert application.number in body
    code = receipt.context["query_code"]
    assert code
    assert code in body
    assert application.channel == "online"
    # Art. 31(三): received on the day the office confirms it; until then no clock runs.
    assert (application.status, application.submitted_on, application.received_on) == (
        "submitted",
        date(2026, 10, 9),
        None,
    )
    assert application.due_on is None
    assert code not in application.query_code_hash
    assert not ClockEvent.objects.filter(application=application).exists()
    assert AuditEvent.objects.filter(event="applications.application.submitted").count() == 1
    # 1 working day after Friday 10-09 is Saturday 10-10, a make-up working day.
    assert "将于 2026-10-10 前确认收到您的申请" in body


def test_double_submission_creates_one_application_with_the_same_receipt(client, world):
    first = client.post(apply_url(), form_data())
    code = client.get(first["Location"]).context["query_code"]
    second = client.post(apply_url(), form_data())
    assert second.status_code == 302
    assert client.get(second["Location"]).context["query_code"] == code
    assert Application.objects.count() == 1


def test_bad_input_gets_chinese_messages_and_saves_nothing(client, world):
    data = form_data(id_number=CANARY_ID[:17] + "0", phone="12345", delivery="post", address="", info_title="")
    response = client.post(apply_url(), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验码不正确" in body
    assert "11 位手机号码" in body
    assert "请填写通信地址" in body
    assert "这个字段是必填项" in body
    assert Application.objects.count() == 0


def test_honeypot_saves_nothing(client, world):
    response = client.post(apply_url(), form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_too_fast_a_submission_is_refused(client, world):
    response = client.post(apply_url(), form_data(started=spam.form_token()))
    assert "提交过快" in response.content.decode()
    assert Application.objects.count() == 0


def answered(client, **overrides):
    """The form data with the check question answered, as a person would."""
    from gongkai.applications.spam import CAPTCHA_SALT

    page = client.get(apply_url())
    data = form_data(**overrides)
    token = page.context.get("challenge_token")
    if token:
        data.update(challenge_token=token, challenge_answer=str(signing.loads(token, salt=CAPTCHA_SALT)["a"]))
    return data


def test_the_fourth_application_in_an_hour_from_one_address_is_refused(client, world):
    for i in range(3):
        assert client.post(apply_url(), answered(client, idempotency_key=f"key-{i}-abcdef")).status_code == 302
    response = client.post(apply_url(), answered(client, idempotency_key="key-4-abcdef"))
    assert response.status_code == 429
    assert Application.objects.count() == 3


def test_application_numbers_are_sequential_per_agency_and_year(world):
    first = make_application(world.township)
    second = make_application(world.township)
    other = make_application(world.department)
    year = timezone.localdate().year
    assert first.number == f"MAOSHE-{year}-00001"
    assert second.number == f"MAOSHE-{year}-00002"
    assert other.number == f"HUANGYAN-AGRI-{year}-00001"


# --- tracking -----------------------------------------------------------------------------


@time_machine.travel("2026-10-09 10:00 +0800", tick=False)
def test_the_applicant_tracks_with_number_and_code_and_nobody_else_can(client, world):
    response = client.post(apply_url(), form_data())
    code = client.get(response["Location"]).context["query_code"]
    number = Application.objects.get().number
    found = client.post(reverse("applications:track"), {"number": number, "query_code": code})
    assert found.status_code == 200
    assert "已提交，待政府信息公开工作机构确认收到" in found.content.decode()
    assert "2026-10-10" in found.content.decode()  # the day the office confirms by
    wrong = client.post(reverse("applications:track"), {"number": number, "query_code": "WRONGCODE1"})
    assert wrong.status_code == 404
    assert "茅畲乡 2026 年宅基地审批结果" not in wrong.content.decode()
    other = make_application(world.township, applicant_name="另一申请人")
    assert client.post(reverse("applications:track"), {"number": other.number, "query_code": code}).status_code == 404


# --- the JSON API -----------------------------------------------------------------------------


def api_body(**overrides):
    body = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    body.update({"agency": "maoshe", "idempotency_key": "api-key-0000000001"})
    body.update(overrides)
    return body


@time_machine.travel("2026-10-09 10:00 +0800", tick=False)
def test_api_creates_once_per_idempotency_key(client, world):
    first = client.post("/api/v1/applications", api_body(), content_type="application/json")
    assert first.status_code == 201
    data = first.json()
    assert set(data) == {
        "number",
        "query_code",
        "status",
        "submitted_on",
        "received_on",
        "due_on",
        "due_on_provisional",
    }
    assert (data["status"], data["submitted_on"], data["received_on"]) == ("submitted", "2026-10-09", None)
    again = client.post("/api/v1/applications", api_body(), content_type="application/json")
    assert again.status_code == 200
    assert again.json() == data
    assert Application.objects.count() == 1
    confirm_submission(
        Application.objects.get(), actor=world.person(world.township, Role.DISCLOSURE_OFFICER), on=date(2026, 10, 9)
    )
    status = client.get(f"/api/v1/applications/{data['number']}", headers={"X-Query-Code": data["query_code"]})
    assert status.status_code == 200
    assert status.json()["timeline"][0]["event"] == "收到申请"
    assert client.get(f"/api/v1/applications/{data['number']}").status_code == 404
    assert (
        client.get(f"/api/v1/applications/{data['number']}", headers={"X-Query-Code": "XXXXXXXXXX"}).status_code == 404
    )


def test_api_returns_per_field_chinese_errors(client, world):
    response = client.post(
        "/api/v1/applications", api_body(id_number="110101199003074570", phone="abc"), content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "校验码" in errors["id_number"][0]
    assert "手机号码" in errors["phone"][0]
    assert Application.objects.count() == 0


# --- staff registration (art. 31) -----------------------------------------------------------


def test_staff_register_a_letter_with_its_signed_for_date(client, world):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    data = {k: v for k, v in applicant_fields(has_identity_proof="on").items()}
    data.update({"channel": "registered_post", "received_on": "2026-09-28"})
    with time_machine.travel("2026-10-09 10:00 +0800"):
        response = client.post(reverse("applications:staff-create", args=["maoshe"]), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.received_on == date(2026, 9, 28)
    assert application.due_on == date(2026, 10, 30)
    assert application.channel == "registered_post"


def test_staff_cannot_date_a_receipt_in_the_future(client, world):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    data = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    data.update({"channel": "in_person", "received_on": (timezone.localdate() + timedelta(days=1)).isoformat()})
    response = client.post(reverse("applications:staff-create", args=["maoshe"]), data)
    assert "收到日期不能晚于今天" in response.content.decode()
    assert Application.objects.count() == 0


def test_near_the_limit_a_check_question_is_asked_and_must_be_right(client, world):
    from gongkai.applications.spam import CAPTCHA_SALT

    for i in range(2):
        assert client.post(apply_url(), form_data(idempotency_key=f"near-{i}-abcdef")).status_code == 302
    page = client.get(apply_url())
    question = page.context["challenge_question"]
    assert "加" in question
    token = page.context["challenge_token"]
    wrong = client.post(
        apply_url(), form_data(idempotency_key="near-3-abcdef", challenge_token=token, challenge_answer="99")
    )
    assert "答案不正确" in wrong.content.decode()
    assert Application.objects.count() == 2
    answer = signing.loads(token, salt=CAPTCHA_SALT)["a"]
    ok = client.post(
        apply_url(), form_data(idempotency_key="near-3-abcdef", challenge_token=token, challenge_answer=str(answer))
    )
    assert ok.status_code == 302
    assert Application.objects.count() == 3


# --- API conventions (issue 10) -----------------------------------------------------------------


def test_the_openapi_document_declares_every_closed_set_as_an_enum_with_its_labels(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    def enum_of(model: str, field: str) -> tuple[list[str], str]:
        prop = components[model]["properties"][field]
        target = components[prop["$ref"].rsplit("/", 1)[-1]] if "$ref" in prop else prop
        return target["enum"], prop.get("description", "")

    values, description = enum_of("ApplicationIn", "id_type")
    assert values == ["resident_id", "passport", "other", "credit_code"]
    assert "resident_id：居民身份证" in description
    for field, expected in {
        "applicant_type": {
            "natural_person",
            "business",
            "research",
            "nonprofit",
            "legal_service",
            "other_organisation",
        },
        "requested_form": {"paper", "electronic", "inspection"},
        "delivery": {"post", "email", "pickup", "online"},
    }.items():
        assert set(enum_of("ApplicationIn", field)[0]) == expected, field
    assert "submitted" in enum_of("ApplicationStatusOut", "status")[0]


def test_a_value_outside_the_set_gets_a_chinese_message_and_saves_nothing(client, world):
    response = client.post("/api/v1/applications", api_body(delivery="pigeon"), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"delivery": ["请从接口文档列出的值中选择。"]}}
    assert Application.objects.count() == 0


def test_the_agencies_that_take_applications_are_listed(client, world):
    agencies = client.get("/api/v1/agencies").json()
    township = next(a for a in agencies if a["slug"] == "maoshe")
    assert township["name"] == "台州市黄岩区茅畲乡人民政府"
    assert township["disclosure_office"] == "茅畲乡党政综合办公室（党政办）"
    assert township["phone"] == "0576-84010000"
    assert {a["slug"] for a in agencies} == {"huangyan", "maoshe", "huangyan-agri"}
