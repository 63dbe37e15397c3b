"""No public 500s (security.md WEB-05): each input that used to crash a page now gets a 4xx with
a Chinese message. The NUL-byte cases matter on PostgreSQL, which refuses NUL in text (SQLite
stores it): CI runs this file on both databases."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.accounts.choices import Role
from tests.applications.factories import applicant_fields

pytestmark = pytest.mark.django_db

CJK = re.compile("[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    return CJK.search(text) is not None


def api_detail(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["detail"]


def api_application_body(**overrides):
    body = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    body.update({"agency": "maoshe", "idempotency_key": "robust-key-0001"})
    body.update(overrides)
    return body


@pytest.fixture
def tracked(world):
    """An application with its query code, as the applicant holds them."""
    from django.utils import timezone

    from gongkai.applications.services import submit_application

    # A letter registered by the office: received on the day (an online one waits for its
    # confirmation, art. 31(三)).
    submission = submit_application(
        agency=world.township,
        fields=applicant_fields(),
        channel="registered_post",
        received_on=timezone.localdate(),
        idempotency_key="robust-tracked-0001",
        actor=world.person(world.township, Role.DISCLOSURE_OFFICER),
    )
    return submission.application.number, submission.query_code


# --- The date overflow: 9999-12-31 + 20 working days passed date.max ---------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/workdays/add", {"start": "9999-12-31", "days": "20"}),
        ("/api/v1/workdays/add", {"start": "9999-12-01", "days": "1000"}),
        ("/api/v1/workdays/between", {"start": "0001-01-01", "end": "9999-12-31"}),
    ],
)
def test_api_dates_beyond_the_computable_range_are_a_chinese_400(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 400
    assert "日期超出可计算的范围" in api_detail(response)


def test_the_staff_calculator_explains_a_date_beyond_the_range(client, world):
    client.force_login(world.person(world.township, Role.CLERK))
    url = reverse("core:workday-calculator")
    add = client.get(url, {"mode": "add", "start": "9999-12-31", "working_days": "20"})
    assert add.status_code == 200
    assert "日期超出可计算的范围" in add.content.decode()
    assert "add_result" not in add.context
    between = client.get(url, {"mode": "between", "start": "0001-01-01", "end": "9999-12-31"})
    assert between.status_code == 200
    assert "日期超出可计算的范围" in between.content.decode()


def test_the_workdays_command_refuses_a_date_beyond_the_range():
    with pytest.raises(CommandError, match="日期超出可计算的范围"):
        call_command("workdays", "add", "9999-12-31", "20")


def test_the_pure_functions_refuse_dates_outside_the_range():
    from gongkai.core.workdays import WorkdayCalendar, WorkdayRangeError, add_workdays, workdays_between

    with pytest.raises(WorkdayRangeError):
        add_workdays(date(9999, 12, 31), 20, WorkdayCalendar())
    with pytest.raises(WorkdayRangeError):
        workdays_between(date(1, 1, 1), date(2026, 1, 1), WorkdayCalendar())


def test_a_staff_form_date_beyond_the_range_is_a_field_error(client, world, tracked):
    """A clock event on 9999-12-31 would overflow the deadline it moves."""
    number, _code = tracked
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    url = reverse("applications:staff-event", args=["maoshe", number, "correction_requested"])
    response = client.post(url, {"on": "9999-12-31", "period_end": "9999-12-31"})
    assert response.status_code < 500
    assert "日期超出可计算的范围" in response.content.decode()


# --- notice=abc on the applicant's download -------------------------------------------------


def test_a_non_numeric_notice_id_is_not_found(client, tracked):
    number, code = tracked
    url = reverse("applications:track-notice")
    for notice in ("abc", "１２", "²", "-1", "1e3", ""):
        response = client.post(url, {"number": number, "query_code": code, "notice": notice})
        assert response.status_code == 404, notice
        assert "页面不存在" in response.content.decode()


# --- NUL and other control characters (PostgreSQL: "A string literal cannot contain NUL") ---


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/catalog/search?agency=mao%00she",
        "/api/v1/catalog/search?q=%E6%94%BF%00%E5%BA%9C",
        "/api/v1/catalog/HY%00-2026",
        "/api/v1/applications/GK%00-2026?query_code=abc",
        "/api/v1/workdays/info?date=2026-01-01%00",
        "/api/v1/catalog/search?agency=%01",
    ],
)
def test_a_control_character_in_an_api_url_is_a_chinese_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "不允许的字符" in api_detail(response)


@pytest.mark.parametrize(
    "path", ["/catalog/items/HY%00-2026/", "/catalog/?q=%00", "/catalog/?agency=%00", "/agencies/maoshe/apply/?x=%1b"]
)
def test_a_control_character_in_a_page_url_is_a_chinese_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "请求中含有不允许的字符" in response.content.decode()
    assert response["Content-Security-Policy"]  # the error page carries the usual headers


def test_a_nul_in_the_trackers_form_is_a_chinese_400(client, tracked):
    number, code = tracked
    for data in ({"number": number + "\x00", "query_code": code}, {"number": number, "query_code": "\x00"}):
        response = client.post(reverse("applications:track"), data)
        assert response.status_code == 400
        assert "请求中含有不允许的字符" in response.content.decode()
    notice = client.post(reverse("applications:track-notice"), {"number": number, "query_code": code, "notice": "\x00"})
    assert notice.status_code == 400


def test_tab_and_line_breaks_in_a_form_are_ordinary_text(client, tracked):
    number, code = tracked
    response = client.post(reverse("applications:track"), {"number": number, "query_code": code + "\r\n\t"})
    assert response.status_code in (200, 404)  # looked up as usual (the code no longer matches)


@pytest.mark.parametrize(
    "field",
    ["idempotency_key", "agency", "applicant_name", "info_description"],
)
@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\ud800"])
def test_a_control_character_in_the_json_body_is_a_chinese_400(client, world, field, bad):
    from gongkai.applications.models import Application

    body = api_application_body(**{field: f"robust{bad}key-0001"})
    response = client.post("/api/v1/applications", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "不允许的字符" in api_detail(response)
    assert not Application.objects.exists()


def test_a_nul_in_a_json_key_is_refused(client, world):
    body = {**api_application_body(), "x\x00": 1}
    response = client.post("/api/v1/applications", json.dumps(body), content_type="application/json")
    assert response.status_code == 400


def test_a_forged_session_cookie_is_ignored_not_a_500(client, world):
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def"
    assert client.get("/api/v1/workdays/info", {"date": "2026-10-01"}).status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200
    staff = client.get(reverse("accounts:dashboard"))
    assert staff.status_code == 302  # signed out: to the sign-in page


# --- The body of an API request: JSON, said so ------------------------------------------------


@pytest.mark.parametrize("body", ["{bad", '{"agency": ', "\xff\xfe", "[" * 100_000])
def test_malformed_json_is_a_chinese_400(client, world, body):
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 400
    assert api_detail(response) == "请求内容不是有效的 JSON。"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
)
def test_a_body_that_is_not_declared_json_is_a_415_and_not_parsed(client, world, content_type):
    from gongkai.applications.models import Application

    response = client.generic("POST", "/api/v1/applications", json.dumps(api_application_body()), content_type)
    assert response.status_code == 415
    assert chinese(api_detail(response))
    assert not Application.objects.exists()


@pytest.mark.parametrize("body", ['"x"', "[]", "null", "1", '{"agency": 1}', '{"agency": ["maoshe"]}'])
def test_json_of_the_wrong_shape_is_a_chinese_400(client, world, body):
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 400
    messages = [m for ms in response.json()["errors"].values() for m in ms]
    assert messages
    assert all(chinese(m) for m in messages)


# --- Wrong methods, unknown addresses -----------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("put", "/api/v1/applications"), ("post", "/api/v1/workdays/add")])
def test_a_wrong_method_on_the_api_is_a_chinese_405(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert chinese(api_detail(response))
    assert response["Allow"]


@pytest.mark.parametrize("name", ["applications:track-notice", "accounts:logout"])
def test_a_wrong_method_on_a_page_is_a_chinese_405_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 405
    assert "不接受此类请求" in response.content.decode()
    assert "POST" in response["Allow"]


def test_an_unknown_api_address_is_a_chinese_json_404(client):
    for path in ("/api/v1/nothing-here", "/api/v1/catalog/NO-SUCH-ITEM"):
        response = client.get(path)
        assert response.status_code == 404
        assert chinese(api_detail(response))
