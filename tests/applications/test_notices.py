"""Notices (issue 4): generated from the agency's template with the ledger's facts, as a PDF that
embeds its Chinese font and a DOCX that Word/LibreOffice open; frozen with their hash."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from gongkai.accounts.choices import Role
from gongkai.applications.choices import CLOCK_OUTCOMES, REPLY_KIND_BY_OUTCOME, Outcome
from gongkai.applications.clock import ClockError
from gongkai.applications.models import Notice, NoticeTemplate
from gongkai.applications.notices import NoticeError, notice_path, save_template, template_for
from gongkai.applications.services import record_clock_event
from gongkai.core.models import AuditEvent
from tests.applications.factories import REPLY_DETAILS, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def officer(client, world):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    return client


@pytest.fixture
def application(world):
    with time_machine.travel("2026-09-28 10:00 +0800"):
        return make_application(world.township, received_on=date(2026, 9, 28))


def serve(client, application, kind, **extra):
    url = reverse("applications:staff-notice", args=["maoshe", application.number])
    data = {"kind": kind, "served_on": "2026-10-13", "served_by": "email", **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files are moved into place on commit
        return client.post(url, data)


def pdf_text_and_fonts(data: bytes) -> tuple[str, list[dict]]:
    reader = PdfReader(io.BytesIO(data))
    # pypdf returns this font's two-byte codes with NUL padding; pdftotext (below) reads it cleanly.
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts.append(descendant["/FontDescriptor"].get_object())
    return text, fonts


@time_machine.travel("2026-10-13 10:00 +0800")
def test_correction_notice_carries_the_ledgers_facts_in_pdf_and_docx(officer, world, application):
    record_clock_event(
        application,
        actor=world.person(world.township, Role.DISCLOSURE_OFFICER),
        kind="correction_requested",
        on=date(2026, 10, 13),
        data={"period_end": date(2026, 10, 23)},
    )
    response = serve(officer, application, "correction", note="请写明所需信息的时间范围和文号。")
    assert response.status_code == 302
    notice = Notice.objects.get()
    pdf = officer.get(reverse("applications:staff-notice-file", args=["maoshe", application.number, notice.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    text, fonts = pdf_text_and_fonts(pdf.content)
    compact = text.replace("\n", "")
    for expected in (
        "台州市黄岩区茅畲乡人民政府",
        "政府信息公开申请补正告知书",
        "测试金丝雀",
        "2026年10月23日",
        "第三十条",
        "时间范围和文号",
    ):
        assert expected in compact
    if shutil.which("pdftotext"):
        extracted = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
        assert "政府信息公开申请补正告知书" in extracted.decode().replace("\n", "")
    assert fonts
    assert all("/FontFile3" in f or "/FontFile2" in f for f in fonts)  # embedded, not referenced
    assert any("NotoSerifSC" in str(f["/FontName"]) for f in fonts)
    docx = officer.get(
        reverse("applications:staff-notice-file", args=["maoshe", application.number, notice.pk, "docx"])
    )
    paragraphs = "".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "政府信息公开申请补正告知书" in paragraphs
    assert "2026年10月23日" in paragraphs
    assert AuditEvent.objects.filter(event="applications.notice.served").exists()


# Every reply outcome: the letter's article and ground as the applicant reads it, and the
# remedies — reconsideration first for anything not given (行政复议法 art. 23 ¶1(四), then 15 days
# to sue, 行政诉讼法 art. 45), the choice of 60 days or six months otherwise (art. 46).
REPLIES = [
    (Outcome.DISCLOSED, ["第三十六条第二项", "本机关向您提供该政府信息：以电子文件形式随本答复书发送"], "either"),
    (Outcome.PARTLY_DISCLOSED, ["第三十七条", "可以公开的部分（可以公开的部分随本答复书发送）"], "first"),
    (Outcome.WITHHELD_STATE_SECRET, ["第三十六条第三项", "国家秘密", "第十四条"], "first"),
    (Outcome.WITHHELD_LAW_FORBIDS, ["第三十六条第三项", "法律、行政法规禁止公开", "第十四条"], "first"),
    (Outcome.WITHHELD_SECURITY, ["第三十六条第三项", "社会稳定", "第十四条"], "first"),
    (Outcome.WITHHELD_THIRD_PARTY, ["第三十六条第三项", "第三方合法权益", "第十五条"], "first"),
    (Outcome.WITHHELD_INTERNAL, ["第三十六条第三项", "内部事务信息", "第十六条第一款"], "first"),
    (Outcome.WITHHELD_PROCESS, ["第三十六条第三项", "过程性信息", "第十六条第二款"], "first"),
    (Outcome.WITHHELD_ENFORCEMENT_FILE, ["第三十六条第三项", "行政执法案卷信息", "第十六条第二款"], "first"),
    (Outcome.WITHHELD_INQUIRY, ["行政查询事项", "第三十六条第七项"], "first"),
    (
        Outcome.UNAVAILABLE_NOT_HELD,
        ["经检索（检索了本机关2024年以来的收发文登记和档案目录）", "不存在", "第三十六条第四项"],
        "first",
    ),
    (
        Outcome.UNAVAILABLE_OTHER_AGENCY,
        ["不属于本机关负责公开", "第三十六条第五项", "台州市黄岩区自然资源和规划局", "联系方式：0576-84111111"],
        "first",
    ),
    (Outcome.UNAVAILABLE_NEEDS_PRODUCTION, ["加工、分析", "第三十八条"], "first"),
    (Outcome.UNAVAILABLE_STILL_UNCLEAR, ["经补正后内容仍不明确", "第三十条"], "first"),
    (Outcome.NOT_PROCESSED_PETITION, ["信访、投诉、举报", "第三十九条第一款"], "first"),
    (Outcome.NOT_PROCESSED_REPEAT, ["重复申请", "第三十六条第六项", "茅政信复〔2026〕3号"], "first"),
    (Outcome.NOT_PROCESSED_PUBLICATION, ["公开出版物", "第三十九条第二款"], "first"),
    (
        Outcome.NOT_PROCESSED_EXCESSIVE,
        ["明显超过合理范围", "第三十五条", "您说明的理由为：为研究乡村治理需要全部资料"],
        "first",
    ),
    (Outcome.NOT_PROCESSED_CONFIRMATION, ["确认或者重新出具"], "first"),
    (Outcome.OTHER, [], "either"),
]
FIRST = (
    "六十日内向台州市黄岩区人民政府申请行政复议；根据《中华人民共和国行政复议法》第二十三条第一款第四项的规定，"
    "应当先申请行政复议。对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内"
)
EITHER = "六十日内向台州市黄岩区人民政府申请行政复议，或者自收到本答复之日起六个月内"


def test_every_reply_outcome_is_in_the_table():
    assert {o for o, _words, _remedy in REPLIES} == set(Outcome) - CLOCK_OUTCOMES


def reply(application, world, outcome, reason="所申请信息经本机关审查，理由如前所述。"):
    """The draft with what its article asks for and the leader's signature: the reply letter can
    be generated now, and serving it (``serve_reply``) is the last step."""
    officer_user = world.person(world.township, Role.DISCLOSURE_OFFICER)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    day = date(2026, 10, 20)
    record_clock_event(
        application,
        actor=officer_user,
        kind="draft_submitted",
        on=day,
        outcome=outcome,
        reason=reason,
        data=dict(REPLY_DETAILS.get(outcome, {})),
    )
    record_clock_event(application, actor=leader, kind="draft_signed", on=day)


def serve_reply(application, world, on=date(2026, 10, 20)):
    officer_user = world.person(world.township, Role.DISCLOSURE_OFFICER)
    record_clock_event(application, actor=officer_user, kind="replied", on=on, data={"served_by": "email"})


@time_machine.travel("2026-10-20 10:00 +0800")
@pytest.mark.parametrize(("outcome", "words", "remedy"), REPLIES)
def test_each_reply_states_its_article_its_ground_and_the_right_remedy(
    officer, world, application, outcome, words, remedy
):
    reason = "所申请信息经本机关审查，理由如前所述。"
    reply(application, world, outcome, reason)
    assert serve(officer, application, REPLY_KIND_BY_OUTCOME[outcome], served_on="2026-10-20").status_code == 302
    serve_reply(application, world)
    notice = Notice.objects.get()
    assert notice.served_on == date(2026, 10, 20)
    text, _fonts = pdf_text_and_fonts(notice_path(notice.pdf_name).read_bytes())
    text = "".join(text.split())  # the PDF breaks lines anywhere
    for word in [*words, reason]:
        assert word in text, word
    assert (FIRST if remedy == "first" else EITHER) in text
    assert (EITHER if remedy == "first" else FIRST) not in text
    assert not re.search(r"（[一二三四五六]）\d", text)  # never the annual report's row code
    assert "${" not in notice.text


@time_machine.travel("2026-10-20 10:00 +0800")
def test_the_configured_organ_and_court_are_named(officer, world, application):
    agency = world.township
    agency.reconsideration_organ = "台州市黄岩区人民政府（区司法局承办）"
    agency.competent_court = "台州市椒江区人民法院"
    agency.save(update_fields=["reconsideration_organ", "competent_court"])
    reply(application, world, Outcome.WITHHELD_INTERNAL)
    serve(officer, application, "reply_withheld", served_on="2026-10-20")
    serve_reply(application, world)
    text = Notice.objects.get().text
    assert "六十日内向台州市黄岩区人民政府（区司法局承办）申请行政复议" in text
    assert "十五日内向台州市椒江区人民法院提起行政诉讼" in text


def test_a_notice_that_does_not_fit_the_ledger_is_refused(officer, application):
    response = serve(officer, application, "extension")
    assert response.status_code == 400
    assert Notice.objects.count() == 0


@time_machine.travel("2026-10-13 10:00 +0800")
def test_an_altered_file_is_withheld_and_audited(officer, application):
    serve(officer, application, "receipt")
    notice = Notice.objects.get()
    path = notice_path(notice.pdf_name)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    response = officer.get(
        reverse("applications:staff-notice-file", args=["maoshe", application.number, notice.pk, "pdf"])
    )
    assert response.status_code == 409
    assert AuditEvent.objects.filter(event="applications.notice.integrity_failed", result="failure").exists()


@time_machine.travel("2026-10-13 10:00 +0800")
def test_the_applicant_downloads_notices_with_number_and_code_only(client, world):
    response = client.post(
        "/api/v1/applications", api_body_for_notices("notice-key-0000000001"), content_type="application/json"
    )
    number, code = response.json()["number"], response.json()["query_code"]
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    from gongkai.applications.models import Application
    from gongkai.applications.services import confirm_submission

    submitted = Application.objects.get(number=number)
    # Before the office confirms the submission (art. 31(三)) there is nothing to acknowledge.
    assert serve(client, submitted, "receipt").status_code == 400
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    confirm_submission(submitted, actor=officer, on=date(2026, 10, 13))
    serve(client, submitted, "receipt")
    assert "本机关于2026年10月13日收到您提出的政府信息公开申请" in Notice.objects.get().text
    client.logout()
    notice = Notice.objects.get()
    url = reverse("applications:track-notice")
    ok = client.post(url, {"number": number, "query_code": code, "notice": notice.pk, "format": "pdf"})
    assert ok.status_code == 200
    assert ok.content.startswith(b"%PDF")
    assert client.post(url, {"number": number, "query_code": "WRONGWRONG", "notice": notice.pk}).status_code == 404


def test_agency_templates_replace_the_default_and_unknown_fields_are_refused(officer, application):
    url = reverse("applications:template-edit", args=["maoshe", "receipt"])
    bad = officer.post(url, {"title": "受理回执", "body": "您好 ${applicant} ${secret_key}"})
    assert "未知字段" in bad.content.decode()
    good = officer.post(url, {"title": "茅畲乡受理回执", "body": "${applicant_name}：您的申请 ${number} 已收到。"})
    assert good.status_code == 302
    with time_machine.travel("2026-10-13 10:00 +0800"):
        serve(officer, application, "receipt")
    notice = Notice.objects.get()
    assert notice.title == "茅畲乡受理回执"
    assert notice.text == f"测试金丝雀：您的申请 {application.number} 已收到。"


@time_machine.travel("2026-10-13 10:00 +0800")
def test_letters_are_numbered_per_kind_and_year_in_the_agencys_style(officer, world, application):
    """Issue 10: 茅政信复〔2026〕4号, not the internal application number; each kind counts on
    its own, and a new year starts again at 1."""
    world.township.document_prefix = "茅政"
    world.township.save(update_fields=["document_prefix"])
    with time_machine.travel("2026-10-08 10:00 +0800"):
        other = make_application(world.township, received_on=date(2026, 10, 8))
    for served in (application, application, other):
        assert serve(officer, served, "receipt").status_code == 302
    record_clock_event(
        application,
        actor=world.person(world.township, Role.DISCLOSURE_OFFICER),
        kind="correction_requested",
        on=date(2026, 10, 13),
        data={"period_end": date(2026, 10, 23)},
    )
    assert serve(officer, application, "correction", note="请写明文号。").status_code == 302
    numbers = list(Notice.objects.order_by("id").values_list("document_number", flat=True))
    assert numbers == ["茅政信收〔2026〕1号", "茅政信收〔2026〕2号", "茅政信收〔2026〕3号", "茅政信补〔2026〕1号"]
    assert application.number not in "".join(numbers)
    with time_machine.travel("2027-01-05 10:00 +0800"):
        officer.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))  # the session expired
        assert serve(officer, other, "receipt", served_on="2027-01-05").status_code == 302
    assert Notice.objects.latest("id").document_number == "茅政信收〔2027〕1号"


@time_machine.travel("2026-12-15 10:00 +0800")
def test_a_deadline_in_a_year_not_imported_is_marked_provisional_in_the_letter(client, world):
    # 20 working days from 2026-12-14: 13 left in December, 2027-01-01 estimated a holiday
    # (元旦), then 2027-01-04 … 01-12. 2027's arrangement is not imported: provisional.
    application = make_application(world.township, received_on=date(2026, 12, 14))
    assert application.due_on == date(2027, 1, 12)
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))  # signed in that day
    assert serve(client, application, "receipt", served_on="2026-12-15").status_code == 302
    text = Notice.objects.get().text
    assert "答复期限至2027年1月12日（暂定）" in text
    assert "2026年12月14日收到" in text  # the receipt date is a fact, never provisional


# Issue 10: no letter with a hole in it.
@time_machine.travel("2026-10-20 10:00 +0800")
def test_a_fee_notice_re_issued_after_payment_still_states_its_window_and_how_to_pay(officer, world, application):
    officer_person = world.person(world.township, Role.DISCLOSURE_OFFICER)
    record_clock_event(
        application,
        actor=officer_person,
        kind="fee_notice_served",
        on=date(2026, 9, 30),
        data={"mode": "per_page", "pages": 120},
    )
    record_clock_event(application, actor=officer_person, kind="fee_paid", on=date(2026, 10, 14))
    assert serve(officer, application, "fee", served_on="2026-10-20").status_code == 302
    text = Notice.objects.get().text
    assert "$" not in text
    # 20 WD from 09-30 (10-01..07 off, 10-10 worked): 11-03.
    assert "即2026年11月3日前" in text
    assert "缴费方式：通过浙江政务服务网“非税缴费”以缴款码缴纳" in text


@time_machine.travel("2026-10-13 10:00 +0800")
def test_no_fee_notice_without_how_to_pay(world, application):
    world.township.fee_payment_method = ""
    world.township.save(update_fields=["fee_payment_method"])
    with pytest.raises(ClockError, match="缴纳方式"):
        record_clock_event(
            application,
            actor=world.person(world.township, Role.DISCLOSURE_OFFICER),
            kind="fee_notice_served",
            on=date(2026, 10, 13),
            data={"mode": "per_page", "pages": 120},
        )
    assert application.clock_events.filter(kind="fee_notice_served").count() == 0


@time_machine.travel("2026-10-13 10:00 +0800")
def test_a_correction_notice_names_the_items_to_correct(officer, world, application):
    record_clock_event(
        application,
        actor=world.person(world.township, Role.DISCLOSURE_OFFICER),
        kind="correction_requested",
        on=date(2026, 10, 13),
        data={"period_end": date(2026, 10, 23)},
    )
    refused = serve(officer, application, "correction")
    assert refused.status_code == 400
    assert "请列明申请人需要补正的事项" in refused.content.decode()
    assert Notice.objects.count() == 0
    assert serve(officer, application, "correction", note="所需信息的形成时间。").status_code == 302
    assert "所需信息的形成时间。" in Notice.objects.get().text


@pytest.mark.parametrize(
    "reason", ["需要调取档案室的纸质档案", "因需要调取档案室的纸质档案。", "由于需要调取档案室的纸质档案"]
)
@time_machine.travel("2026-10-20 10:00 +0800")
def test_an_extension_notice_gives_its_reason_once(officer, world, application, reason):
    record_clock_event(
        application,
        actor=world.person(world.township, Role.LEADER_IN_CHARGE),
        kind="extension_approved",
        on=date(2026, 10, 20),
        data={"working_days": 20},
    )
    assert serve(officer, application, "extension", served_on="2026-10-20").status_code == 400
    assert serve(officer, application, "extension", served_on="2026-10-20", note=reason).status_code == 302
    text = Notice.objects.get().text
    assert "因需要调取档案室的纸质档案，不能在规定期限内作出答复" in text
    assert "因因" not in text
    assert "由于" not in text
    # 10-30 + 20 WD → 11-27.
    assert "至2026年11月27日前作出答复" in text


def test_an_agency_template_cannot_drop_what_the_law_makes_a_letter_say(officer, world):
    url = reverse("applications:template-edit", args=["maoshe", "fee"])
    response = officer.post(
        url, {"title": "收费通知", "body": "请缴纳${fee_amount}元，依据${fee_basis}，期限${payment_deadline}。"}
    )
    assert response.status_code == 400
    assert "缴费方式" in response.content.decode()
    assert AuditEvent.objects.filter(event="applications.notice_template.updated").count() == 0


CONSULTED = [
    # party, letter kind, addressee, what the letter must say (arts. 32, 34), its title
    ("third_party", "third_party", "某农业开发有限公司", ["第三十二条", "15个工作日内（即2026年11月3日前）"], "征询函"),
    (
        "other_agency",
        "other_agency",
        "台州市黄岩区农业农村和水利局",
        ["第三十四条", "共同制作", "15个工作日内（即2026年11月3日前）", "逾期未提出意见的，视为同意公开"],
        "征求意见函",
    ),
]


@time_machine.travel("2026-10-13 10:00 +0800")
@pytest.mark.parametrize(("party", "kind", "addressee", "words", "title"), CONSULTED)
def test_a_consultation_letter_goes_to_the_consulted_party_and_the_applicant_never_sees_it(
    client, world, party, kind, addressee, words, title
):
    """Arts. 32 and 34: the consultation letter is addressed to the third party or the other
    agency; it names what the applicant asked for, so the applicant neither sees it on the
    tracking page nor downloads it. 2026-10-13 + 15 WD crosses no holiday: 11-03."""
    response = client.post(
        "/api/v1/applications", api_body_for_notices(f"{party}-key-0001"), content_type="application/json"
    )
    number, code = response.json()["number"], response.json()["query_code"]
    from gongkai.applications.models import Application
    from gongkai.applications.services import confirm_submission

    application = Application.objects.get(number=number)
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    confirm_submission(application, actor=officer, on=date(2026, 10, 13))
    client.force_login(officer)
    assert serve(client, application, "receipt").status_code == 302
    url = reverse("applications:staff-event", args=["maoshe", number, "consultation_started"])
    # Without the party the letter could not be addressed: the form refuses.
    refused = client.post(url, {"on": "2026-10-13", "party": party})
    assert refused.status_code == 400
    assert application.clock_events.filter(kind="consultation_started").count() == 0
    done = client.post(
        url,
        {"on": "2026-10-13", "party": party, "party_name": addressee, "party_contact": "黄岩区某路 8 号"},
    )
    assert done.status_code == 302
    other = "other_agency" if kind == "third_party" else "third_party"
    assert serve(client, application, other).status_code == 400  # only the letter to who is consulted
    assert serve(client, application, kind, note="请就是否同意公开提出意见。").status_code == 302
    letter = Notice.objects.get(kind=kind)
    pdf_text, _fonts = pdf_text_and_fonts(notice_path(letter.pdf_name).read_bytes())
    compact = "".join(pdf_text.split())
    assert addressee in compact
    assert "测试金丝雀" not in compact
    for word in words:
        assert word in compact, word
    assert title in letter.title
    client.logout()
    tracked = client.post(reverse("applications:track"), {"number": number, "query_code": code})
    page = tracked.content.decode()
    assert "受理回执" in page
    assert title not in page
    download = reverse("applications:track-notice")
    assert client.post(download, {"number": number, "query_code": code, "notice": letter.pk}).status_code == 404
    receipt = Notice.objects.get(kind="receipt")
    assert client.post(download, {"number": number, "query_code": code, "notice": receipt.pk}).status_code == 200


def api_body_for_notices(idempotency_key: str) -> dict[str, str]:
    """An application as a client of the API sends it."""
    return {
        "agency": "maoshe",
        "idempotency_key": idempotency_key,
        "applicant_type": "natural_person",
        "applicant_name": "测试金丝雀",
        "id_type": "resident_id",
        "id_number": "110101199003074573",
        "phone": "13800138000",
        "info_title": "宅基地审批结果",
        "info_description": "2026 年宅基地审批结果。",
        "requested_form": "electronic",
        "delivery": "online",
    }


def test_editing_a_notice_template_is_audited_with_the_wording_before_and_after(officer, world):
    default_title, default_body = template_for(world.township, "receipt")
    url = reverse("applications:template-edit", args=["maoshe", "receipt"])
    body = "${applicant_name}：您的申请 ${number} 已收到。"
    assert officer.post(url, {"title": "茅畲乡受理回执", "body": body}).status_code == 302
    template = NoticeTemplate.objects.get(agency=world.township, kind="receipt")
    event = AuditEvent.objects.get(event="applications.notice_template.updated")
    officer_user = world.person(world.township, Role.DISCLOSURE_OFFICER)
    assert (event.result, event.actor_username, event.agency_id) == (
        "success",
        officer_user.username,
        world.township.pk,
    )
    assert (event.object_type, event.object_id) == ("applications.noticetemplate", str(template.pk))
    assert event.data == {
        "before": {"title": default_title, "body": default_body},
        "after": {"title": "茅畲乡受理回执", "body": body},
    }


def test_a_template_with_unknown_fields_is_refused_audited_and_not_saved(world):
    # The form refuses it as an input mistake (no refusal row); the service refuses any other caller.
    officer = world.person(world.township, Role.DISCLOSURE_OFFICER)
    with pytest.raises(NoticeError):
        save_template(agency=world.township, kind="receipt", title="受理回执", body="您好 ${secret_key}", actor=officer)
    assert not NoticeTemplate.objects.exists()
    refusal = AuditEvent.objects.get(event="applications.notice_template.action_refused")
    assert (refusal.result, refusal.actor_username, refusal.object_id) == (
        "refused",
        officer.username,
        str(world.township.pk),
    )
    assert refusal.data == {
        "action": "save_template",
        "reason": "未知字段：secret_key。请只使用下列字段。",
        "kind": "receipt",
    }
    assert not AuditEvent.objects.filter(event="applications.notice_template.updated").exists()


@pytest.mark.parametrize("who", ["clerk", "another agency's officer"])
def test_a_refused_template_edit_is_audited_and_changes_nothing(world, who):
    actor = {
        "clerk": world.person(world.township, Role.CLERK),
        "another agency's officer": world.person(world.department, Role.DISCLOSURE_OFFICER),
    }[who]
    with pytest.raises(PermissionDenied):
        save_template(agency=world.township, kind="receipt", title="改写", body="${number}", actor=actor)
    assert not NoticeTemplate.objects.exists()
    refusal = AuditEvent.objects.get(event="applications.notice_template.action_refused")
    assert (refusal.result, refusal.actor_username) == ("refused", actor.username)
    assert (refusal.object_type, refusal.object_id) == ("accounts.agency", str(world.township.pk))
    assert refusal.data == {
        "action": "save_template",
        "reason": "只有本机关的政务公开专员才能修改通知书模板。",
        "kind": "receipt",
    }


@time_machine.travel("2026-10-20 10:00 +0800")
def test_the_reply_letter_is_made_after_the_signature_and_serving_it_is_the_last_step(client, world):
    """Issue 10: draft, signature, the letter generated (the applicant does not see it yet), then
    the reply served; a letter made before a newer draft cannot be served."""
    with time_machine.travel("2026-10-12 10:00 +0800"):
        response = client.post(
            "/api/v1/applications", api_body_for_notices("reply-order-key-0001"), content_type="application/json"
        )
    number, code = response.json()["number"], response.json()["query_code"]
    from gongkai.applications.models import Application
    from gongkai.applications.services import confirm_submission

    application = Application.objects.get(number=number)
    officer_user = world.person(world.township, Role.DISCLOSURE_OFFICER)
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    confirm_submission(application, actor=officer_user, on=date(2026, 10, 13))
    client.force_login(officer_user)
    day = date(2026, 10, 19)
    details = dict(REPLY_DETAILS["unavailable_not_held"])
    reason = "经检索本机关未制作该信息，特此告知。"
    record_clock_event(
        application,
        actor=officer_user,
        kind="draft_submitted",
        on=day,
        outcome="unavailable_not_held",
        reason=reason,
        data=dict(details),
    )
    # No letter before the leader signs the draft.
    assert serve(client, application, "reply_not_held", served_on="2026-10-19").status_code == 400
    record_clock_event(application, actor=leader, kind="draft_signed", on=date(2026, 10, 20))
    # Not dated before the signature.
    assert serve(client, application, "reply_not_held", served_on="2026-10-19").status_code == 400
    assert serve(client, application, "reply_not_held", served_on="2026-10-20").status_code == 302
    stale = Notice.objects.get()
    assert stale.served_on is None
    assert AuditEvent.objects.filter(event="applications.notice.generated").count() == 1
    # A new draft (another outcome) and its signature: the earlier letter no longer fits.
    record_clock_event(
        application,
        actor=officer_user,
        kind="draft_submitted",
        on=date(2026, 10, 20),
        outcome="unavailable_other_agency",
        reason="该信息由区自然资源和规划局制作并保存。",
        data=dict(REPLY_DETAILS["unavailable_other_agency"]),
    )
    record_clock_event(application, actor=leader, kind="draft_signed", on=date(2026, 10, 20))
    with pytest.raises(ClockError, match="生成答复书"):
        record_clock_event(
            application, actor=officer_user, kind="replied", on=date(2026, 10, 20), data={"served_by": "post"}
        )
    assert serve(client, application, "reply_not_held", served_on="2026-10-20").status_code == 302
    letter = Notice.objects.exclude(pk=stale.pk).get()
    assert "第三十六条第五项" in letter.text
    # The applicant sees neither letter before it is served.
    client.logout()
    page = client.post(reverse("applications:track"), {"number": number, "query_code": code}).content.decode()
    assert letter.document_number not in page
    download = reverse("applications:track-notice")
    assert client.post(download, {"number": number, "query_code": code, "notice": letter.pk}).status_code == 404
    record_clock_event(
        application, actor=officer_user, kind="replied", on=date(2026, 10, 20), data={"served_by": "post"}
    )
    letter.refresh_from_db()
    stale.refresh_from_db()
    assert (letter.served_on, letter.served_by, stale.served_on) == (date(2026, 10, 20), "post", None)
    application.refresh_from_db()
    assert (application.status, application.outcome) == ("replied", "unavailable_other_agency")
    page = client.post(reverse("applications:track"), {"number": number, "query_code": code}).content.decode()
    assert letter.document_number in page
    assert stale.document_number not in page
    assert client.post(download, {"number": number, "query_code": code, "notice": letter.pk}).status_code == 200


@time_machine.travel("2026-10-20 10:00 +0800")
@pytest.mark.parametrize(
    ("outcome", "missing", "message"),
    [
        ("disclosed", "disclosure_route", "是否已主动公开"),
        ("disclosed", "how_to_obtain", "获取该信息的方式、途径和时间"),
        ("partly_disclosed", "how_to_obtain", "获取该信息的方式、途径和时间"),
        ("unavailable_not_held", "search_description", "检索的范围和方式"),
        ("unavailable_other_agency", "responsible_agency", "负责公开该信息的行政机关"),
        ("unavailable_other_agency", "responsible_contact", "该机关的联系方式"),
        ("not_processed_repeat", "previous_reply", "此前对相同申请的答复"),
        ("not_processed_excessive", "applicant_reasons", "申请人说明的理由"),
    ],
)
def test_a_draft_must_state_what_its_article_asks_for(world, application, outcome, missing, message):
    """Arts. 35–37: each reply states its own facts, from fields, not free text."""
    officer_user = world.person(world.township, Role.DISCLOSURE_OFFICER)
    details = {**REPLY_DETAILS[outcome], missing: ""}
    with pytest.raises(ClockError, match=message):
        record_clock_event(
            application,
            actor=officer_user,
            kind="draft_submitted",
            on=date(2026, 10, 20),
            outcome=outcome,
            reason="依据条例的规定，理由如下所述。",
            data=details,
        )
    assert application.clock_events.filter(kind="draft_submitted").count() == 0


@time_machine.travel("2026-10-09 10:00 +0800")
def test_a_letter_applicants_receipt_carries_the_query_code_once_and_only_on_their_copy(
    client, world, django_capture_on_commit_callbacks
):
    """Issue 10: post is a letter applicant's only channel, so the receipt gives them the query
    code; it is printed once, on the applicant's copy, and the copy on file never shows it."""
    from tests.applications.factories import applicant_fields

    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    data = dict(applicant_fields(has_identity_proof="on"), channel="registered_post", received_on="2026-09-28")
    response = client.post(reverse("applications:staff-create", args=["maoshe"]), data, follow=True)
    code = client.session["applications.receipt_code"]["code"]
    application = response.context["application"]
    print_url = reverse("applications:staff-receipt-with-code", args=["maoshe", application.number])
    assert print_url in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(print_url, {"served_on": "2026-10-09", "served_by": "post"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    applicant_copy = re.sub(r"\s", "", pdf_text_and_fonts(response.content)[0])
    assert f"查询码：{code[:5]}-{code[5:]}" in applicant_copy
    assert "本机关不留存" in applicant_copy
    # The copy on file (PDF, Word, the stored text) says where the code went, not what it is.
    notice = application.notices.get()
    stored = re.sub(r"\s", "", pdf_text_and_fonts(notice_path(notice.pdf_name).read_bytes())[0])
    word = "".join(p.text for p in Document(io.BytesIO(notice_path(notice.docx_name).read_bytes())).paragraphs)
    for text in (stored, word, notice.text):
        assert code not in text.replace("-", "")
    assert "存档联" in notice.text
    assert (notice.served_on, notice.served_by) == (date(2026, 10, 9), "post")
    event = AuditEvent.objects.filter(event="applications.notice.served").latest("id")
    assert event.data["query_code_printed"] is True
    assert code not in str(event.data)
    # Once: the code is gone from the session and a second print is refused in Chinese.
    assert "applications.receipt_code" not in client.session
    again = client.post(print_url, {"served_on": "2026-10-09", "served_by": "post"})
    assert again.status_code == 400
    assert "查询码只在登记后打印一次" in again.content.decode()
    assert application.notices.count() == 1
    # The tracker accepts the code as printed, hyphen and all.
    client.logout()
    typed = {"number": application.number, "query_code": f"{code[:5]}-{code[5:]}"}
    page = client.post(reverse("applications:track"), typed)
    assert notice.document_number in page.content.decode()


@time_machine.travel("2026-10-13 10:00 +0800")
def test_the_query_code_is_never_printed_for_an_online_applicant_or_after_another_receipt(world, application):
    from gongkai.applications.services import print_receipt_with_code

    officer_user = world.person(world.township, Role.DISCLOSURE_OFFICER)
    with pytest.raises(NoticeError, match="在线申请人"):
        print_receipt_with_code(
            application, actor=officer_user, query_code="X", served_on=date(2026, 10, 13), served_by="post"
        )
    application.channel = "in_person"
    application.save(update_fields=["channel"])
    with pytest.raises(NoticeError, match="查询码与本申请不符"):
        print_receipt_with_code(
            application, actor=officer_user, query_code="WRONGCODE1", served_on=date(2026, 10, 13), served_by="post"
        )
    from gongkai.applications.notices import issue_notice

    issue_notice(application, actor=officer_user, kind="receipt", served_on=date(2026, 10, 13), served_by="post")
    with pytest.raises(NoticeError, match="只打印一次"):
        print_receipt_with_code(
            application, actor=officer_user, query_code="X", served_on=date(2026, 10, 13), served_by="post"
        )
