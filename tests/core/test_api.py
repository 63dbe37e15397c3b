"""The JSON API of the working-day calendar and its OpenAPI document."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_add_returns_the_due_date_with_its_explanation(client):
    data = client.get("/api/v1/workdays/add", {"start": "2026-09-28", "days": "20"}).json()
    assert data["due_on"] == "2026-10-30"
    assert data["provisional"] is False
    assert any("国庆节" in line for line in data["explanation"])
    assert any("2026-10-10" in line for line in data["explanation"])


def test_add_into_a_missing_year_is_provisional(client):
    # 2027's New Year's Day is estimated as a holiday until the year's notice is imported
    data = client.get("/api/v1/workdays/add", {"start": "2026-12-30", "days": "3"}).json()
    assert data == {**data, "due_on": "2027-01-05", "provisional": True}
    assert any("元旦（预估）" in line for line in data["explanation"])


def test_between_and_info(client):
    assert (
        client.get("/api/v1/workdays/between", {"start": "2026-09-30", "end": "2026-10-09"}).json()["working_days"] == 2
    )
    info = client.get("/api/v1/workdays/info", {"date": "2026-10-03"}).json()
    assert info == {"date": "2026-10-03", "kind": "holiday", "name": "国庆节", "provisional": False}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/workdays/add", {"start": "2026-02-30", "days": "3"}),
        ("/api/v1/workdays/add", {"start": "2026-09-28", "days": "-1"}),
        ("/api/v1/workdays/add", {"start": "2026-09-28", "days": "100000"}),
        ("/api/v1/workdays/between", {"start": "2026-10-09", "end": "2026-09-30"}),
        ("/api/v1/workdays/info", {}),
    ],
)
def test_bad_input_is_a_400_with_chinese_messages(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 400
    messages = [
        m for ms in response.json().get("errors", {"detail": [response.json().get("detail", "")]}).values() for m in ms
    ]
    assert messages
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages


def test_openapi_document_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/workdays/add", "/api/v1/workdays/between", "/api/v1/workdays/info"} <= set(spec["paths"])


def test_an_application_body_missing_fields_gets_per_field_chinese_errors(client, db):
    from gongkai.applications.models import Application

    response = client.post("/api/v1/applications", {"agency": "maoshe"}, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["idempotency_key"] == ["这个字段是必填项。"]
    assert errors["info_title"] == ["这个字段是必填项。"]
    assert Application.objects.count() == 0
    broken = client.post("/api/v1/applications", "{not json", content_type="application/json")
    assert broken.status_code == 400
