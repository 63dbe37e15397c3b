"""Issue 8, inputs: idempotency keys that reveal nothing (AC-02), one spelling of every number
(WEB-05, ABUSE-01), query codes kept out of URLs, logs and error reports (PI-05), tracker limits
(ABUSE-01) and a receipt that shows the query code once."""

from __future__ import annotations

import logging
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from gongkai.applications import spam, views
from gongkai.applications.forms import FeeForm
from gongkai.applications.models import Application
from gongkai.core.masking import MaskPersonalDataFilter
from tests.applications.factories import CANARY_ID, CANARY_PHONE, applicant_fields

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def api_body(**overrides):
    body = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    body.update({"agency": "maoshe", "idempotency_key": "client-key-0000000001"})
    body.update(overrides)
    return body


def post_api(client, **overrides):
    return client.post("/api/v1/applications", api_body(**overrides), content_type="application/json")


def form_data(**overrides):
    data = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
    data.update(
        {
            "started": signing.dumps(time.time() - 60, salt=spam.SALT),
            "idempotency_key": "form-key-from-the-page-0001",
            "confirm": "on",
            "website": "",
        }
    )
    data.update(overrides)
    return data


def apply_url():
    return reverse("applications:apply", args=["maoshe"])


def apply_in(client, **overrides):
    """Open the form (as a browser does: it starts the session), then send it."""
    client.get(apply_url())
    return client.post(apply_url(), form_data(**overrides))


def status_url(number):
    return f"/api/v1/applications/{number}"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- AC-02: an idempotency key opens nothing ----------------------------------------------------


def test_a_reused_api_key_with_another_request_is_422_and_reveals_nothing(client, world):
    first = post_api(client).json()
    # given another client that learnt (or guessed) the first one's key
    response = post_api(client, applicant_name="另一申请人", info_title="别的信息")
    assert response.status_code == 422
    body = response.content.decode()
    assert first["number"] not in body
    assert first["query_code"] not in body
    assert has_chinese(response.json()["errors"]["idempotency_key"][0])
    assert Application.objects.count() == 1


def test_the_same_key_and_request_again_is_the_same_application(client, world):
    first = post_api(client)
    # the same request, typed with full-width digits: the parsed, normalised fields are compared
    again = post_api(client, id_number=CANARY_ID.translate(FULL_WIDTH), phone=CANARY_PHONE.translate(FULL_WIDTH))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Application.objects.count() == 1


def test_an_api_key_is_scoped_to_its_agency(client, world):
    ours = post_api(client).json()
    theirs = post_api(client, agency="huangyan-agri")
    assert theirs.status_code == 201
    assert theirs.json()["number"].startswith("HUANGYAN-AGRI-")
    assert ours["query_code"] not in theirs.content.decode()
    assert Application.objects.count() == 2


@pytest.mark.parametrize("key", ["fifteen-chars-1", "a key with spaces!!", "web:" + "a" * 20, "k" * 65])
def test_api_keys_need_16_to_64_plain_characters(client, world, key):
    response = post_api(client, idempotency_key=key)
    assert response.status_code == 400
    assert has_chinese(response.json()["errors"]["idempotency_key"][0])
    assert Application.objects.count() == 0


def test_the_form_key_is_bound_to_the_browser_session(world):
    first, other = Client(), Client()
    assert apply_in(first).status_code == 302
    first_receipt = first.get(reverse("applications:receipt")).context
    # another browser sends the very same form, key included (copied from the page)
    assert apply_in(other).status_code == 302
    other_receipt = other.get(reverse("applications:receipt")).context
    assert other_receipt["application"].number != first_receipt["application"].number
    assert other_receipt["query_code"] != first_receipt["query_code"]


def test_the_form_sent_again_from_the_session_with_other_details_is_refused(client, world):
    assert apply_in(client).status_code == 302
    response = client.post(apply_url(), form_data(info_title="换了一个标题"))
    assert response.status_code == 422
    assert "已用于另一份申请" in response.content.decode()
    assert Application.objects.count() == 1
    # the page now carries a new key: sending it again is a new application
    new_key = response.context["form"].data["idempotency_key"]
    assert new_key != "form-key-from-the-page-0001"
    assert client.post(apply_url(), form_data(info_title="换了一个标题", idempotency_key=new_key)).status_code == 302
    assert Application.objects.count() == 2


# --- WEB-05, ABUSE-01: one spelling of every number ----------------------------------------------


def test_a_mixed_width_identity_number_counts_against_the_same_daily_limit(client, world, settings):
    settings.APPLICATION_LIMIT_PER_IP_HOUR = 100  # isolate the per-ID limit
    for i in range(3):
        assert apply_in(client, idempotency_key=f"limit-key-{i:020d}").status_code == 302
    disguised = CANARY_ID[:2] + CANARY_ID[2:].translate(FULL_WIDTH)  # passes a Unicode \d check
    response = apply_in(client, idempotency_key="limit-key-disguised-0001", id_number=disguised)
    assert response.status_code == 429
    assert Application.objects.count() == 3


def test_full_width_numbers_are_stored_in_ascii_so_the_fee_count_sees_them(client, world):
    post_api(client)
    post_api(
        client,
        idempotency_key="client-key-0000000002",
        id_number=CANARY_ID[:2] + CANARY_ID[2:].translate(FULL_WIDTH),
        phone=CANARY_PHONE.translate(FULL_WIDTH),
    )
    assert Application.objects.with_id_number(CANARY_ID).count() == 2
    assert {a.phone for a in Application.objects.all()} == {CANARY_PHONE}


def test_other_documents_are_normalised_too(client, world):
    post_api(client, id_type="passport", id_number="ｅ１２３４５６７８")
    assert Application.objects.get().id_number == "E12345678"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", CANARY_ID[:2] + CANARY_ID[2:].translate(ARABIC_INDIC)),
        ("phone", CANARY_PHONE[:2] + CANARY_PHONE[2:].translate(ARABIC_INDIC)),
    ],
)
def test_digits_nfkc_cannot_turn_into_0_to_9_are_refused_in_chinese(client, world, field, value):
    response = post_api(client, **{field: value})
    assert response.status_code == 400
    assert "0–9" in response.json()["errors"][field][0]
    assert has_chinese(response.json()["errors"][field][0])
    assert Application.objects.count() == 0


def test_fee_pages_take_full_width_digits_and_refuse_other_scripts():
    base = {"on": "2026-10-12", "mode": "per_page"}
    full_width = FeeForm({**base, "pages": "３５"})
    assert full_width.is_valid(), full_width.errors
    assert full_width.cleaned_data["pages"] == 35
    arabic = FeeForm({**base, "pages": "٣٥"})
    assert not arabic.is_valid()
    assert has_chinese(arabic.errors["pages"][0])


# --- PI-05: the query code travels in a header, never in a URL, log line or error report --------


def test_the_status_api_takes_the_code_in_a_header_and_refuses_it_in_the_url(client, world):
    created = post_api(client).json()
    in_url = client.get(status_url(created["number"]), {"query_code": created["query_code"]})
    assert in_url.status_code == 400
    assert "X-Query-Code" in in_url.json()["errors"]["query_code"][0]
    assert has_chinese(in_url.json()["errors"]["query_code"][0])
    in_header = client.get(status_url(created["number"]), headers={"X-Query-Code": created["query_code"]})
    assert in_header.status_code == 200


def test_the_openapi_document_names_the_header_not_a_query_parameter(client):
    spec = client.get("/api/v1/openapi.json").json()
    parameters = spec["paths"]["/api/v1/applications/{number}"]["get"]["parameters"]
    assert {"in": "header", "name": "X-Query-Code"}.items() <= next(
        p for p in parameters if p["in"] == "header"
    ).items()
    assert not [p for p in parameters if p["in"] == "query"]


def test_the_tracker_page_refuses_a_code_in_the_url(client, world):
    response = client.get(reverse("applications:track"), {"number": "MAOSHE-2026-00001", "query_code": "ABCDEFGH23"})
    assert response.status_code == 400
    assert "不要把查询码放在网址中" in response.content.decode()


def test_log_lines_never_carry_a_query_code(caplog):
    logger = logging.getLogger("gongkai.test.codes")
    logger.addFilter(MaskPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="gongkai.test.codes"):
            logger.info('"GET /api/v1/applications/MAOSHE-2026-00001?query_code=HD283BVMTG HTTP/1.1" 400')
            logger.info("lookup with %s", {"X-Query-Code": "QW3ERT7YUP"})
            logger.info("code %s shown", "ZX9CVB2NMA")
    finally:
        logger.filters.clear()
    assert "MAOSHE-2026-00001" in caplog.text  # numbers are not secret
    for code in ("HD283BVMTG", "QW3ERT7YUP", "ZX9CVB2NMA"):
        assert code not in caplog.text


@pytest.fixture
def crashing_client(settings):
    settings.DEBUG = True  # the technical 500 page, the most talkative report Django makes
    client = Client(raise_request_exception=False)
    return client


def test_the_debug_page_never_shows_the_query_code(crashing_client, world, monkeypatch):
    created = post_api(crashing_client).json()

    def crash(number, query_code):
        raise RuntimeError("lookup failed")

    monkeypatch.setattr(views, "find_for_applicant", crash)
    response = crashing_client.post(
        reverse("applications:track"), {"number": created["number"], "query_code": created["query_code"]}
    )
    assert response.status_code == 500
    assert "RuntimeError" in response.content.decode()
    assert created["query_code"] not in response.content.decode()


def test_the_debug_page_and_error_mail_never_show_identity_number_or_phone(
    crashing_client, world, monkeypatch, settings
):
    def crash(**kwargs):
        raise RuntimeError("storage failed")

    monkeypatch.setattr(views, "submit_application", crash)
    crashing_client.get(apply_url())
    page = crashing_client.post(apply_url(), form_data()).content.decode()
    assert "storage failed" in page
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.gov.cn")]
    crashing_client.post(apply_url(), form_data(idempotency_key="form-key-from-the-page-0002"))
    assert len(mail.outbox) == 1
    for report in (page, mail.outbox[0].body):
        assert CANARY_ID not in report
        assert CANARY_PHONE not in report
        assert "form-key-from-the-page" not in report


# --- ABUSE-01: the tracker cannot be used to guess codes --------------------------------------


def test_failed_lookups_are_limited_per_application_number(client, world, settings):
    settings.APPLICATION_TRACK_FAILURES_PER_NUMBER_HOUR = 3
    created = post_api(client).json()
    track = reverse("applications:track")
    for _ in range(3):
        assert client.post(track, {"number": created["number"], "query_code": "WRONGWRONG"}).status_code == 404
    # the number is locked for the hour, from any address, even with the right code
    other = Client(REMOTE_ADDR="10.0.0.9")
    refused = other.post(track, {"number": created["number"], "query_code": created["query_code"]})
    assert refused.status_code == 429
    assert "查询失败次数过多" in refused.content.decode()
    api = other.get(status_url(created["number"]), headers={"X-Query-Code": created["query_code"]})
    assert api.status_code == 429
    assert has_chinese(api.json()["errors"]["__all__"][0])


def test_failed_lookups_are_limited_per_address_and_right_ones_do_not_count(client, world, settings):
    settings.APPLICATION_TRACK_FAILURES_PER_IP_HOUR = 3
    created = post_api(client).json()
    track = reverse("applications:track")
    for _ in range(5):  # the applicant following their application is never stopped
        assert client.post(track, {"number": created["number"], "query_code": created["query_code"]}).status_code == 200
    for i in range(3):
        assert client.post(track, {"number": f"MAOSHE-2026-0999{i}", "query_code": "WRONGWRONG"}).status_code == 404
    refused = client.get(status_url(created["number"]), headers={"X-Query-Code": created["query_code"]})
    assert refused.status_code == 429


# --- the receipt shows the query code once -------------------------------------------------------


def test_the_receipt_shows_the_query_code_once(client, world):
    assert apply_in(client).status_code == 302
    first = client.get(reverse("applications:receipt"))
    code = first.context["query_code"]
    assert code
    assert code in first.content.decode()
    reloaded = client.get(reverse("applications:receipt"))
    assert reloaded.status_code == 200
    assert code not in reloaded.content.decode()
    assert Application.objects.get().number in reloaded.content.decode()
    assert "查询码只显示一次" in reloaded.content.decode()


def test_a_query_code_copied_in_lower_case_with_spaces_still_finds_the_application(world):
    # People type the code from a letter (browser review): case, spaces and full width don't matter.
    from django.utils import timezone

    from gongkai.applications.services import find_for_applicant, submit_application

    submission = submit_application(
        agency=world.township, fields=applicant_fields(), channel="online", received_on=timezone.localdate()
    )
    code = submission.query_code
    typed = f" {code[:4].lower()} {code[4:].translate(FULL_WIDTH)} "
    assert find_for_applicant(submission.application.number, typed) == submission.application
    wrong = code[:-1] + ("Z" if code[-1] != "Z" else "Y")
    assert find_for_applicant(submission.application.number, wrong) is None
