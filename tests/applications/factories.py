"""Applications for tests, made through the real intake service."""

from __future__ import annotations

import itertools
from datetime import date

from gongkai.applications.services import submit_application

CANARY_ID = "110101199003074573"  # synthetic, valid check digit (security.md)
CANARY_PHONE = "13800138000"
_keys = itertools.count(1)


def applicant_fields(**overrides):
    fields = {
        "applicant_type": "natural_person",
        "applicant_name": "测试金丝雀",
        "id_type": "resident_id",
        "id_number": CANARY_ID,
        "phone": CANARY_PHONE,
        "email": "canary@example.com",
        "address": "浙江省台州市黄岩区茅畲乡某村 1 号",
        "info_title": "茅畲乡 2026 年宅基地审批结果",
        "info_document_number": "",
        "info_description": "请公开 2026 年茅畲乡农村宅基地审批结果清单。",
        "requested_form": "electronic",
        "delivery": "email",
        "has_identity_proof": True,
    }
    fields.update(overrides)
    return fields


def make_application(agency, *, received_on: date | None = None, confirmed: bool = True, **overrides):
    """An online application sent on ``received_on`` and, unless ``confirmed=False``, confirmed
    by the disclosure office the same day (art. 31(三)). By default it is sent on the last working
    day up to today, so the suite passes on a weekend or a holiday too."""
    from datetime import timedelta

    from django.utils import timezone

    from gongkai.accounts.choices import Role
    from gongkai.accounts.models import User
    from gongkai.applications.services import confirm_submission
    from gongkai.core.calendar import get_calendar

    sent_on = received_on
    if sent_on is None:
        sent_on, calendar = timezone.localdate(), get_calendar()
        while confirmed and not calendar.is_workday(sent_on):
            sent_on -= timedelta(days=1)  # stepping back through days, not a deadline
    application = submit_application(
        agency=agency,
        fields=applicant_fields(**overrides),
        channel="online",
        received_on=sent_on,
        idempotency_key=f"test-key-{next(_keys)}-{agency.pk}",
    ).application
    if not confirmed:
        return application
    officer = User.objects.filter(agency=agency, role_assignments__role=Role.DISCLOSURE_OFFICER).first()
    return confirm_submission(application, actor=officer, on=sent_on)


def make_notice(application, kind: str = "receipt"):
    """A served notice with small stand-in files (rendering is tested in test_notices.py)."""
    import hashlib

    from gongkai.applications.models import Notice
    from gongkai.applications.notices import notice_path

    data = b"%PDF-1.4 stand-in"
    path = notice_path(f"stand-in-{application.pk}.pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    return Notice.objects.create(
        application=application,
        kind=kind,
        document_number=f"{application.number}-01",
        title="受理回执",
        text="",
        issued_on=application.received_on or application.submitted_on,
        served_on=application.received_on or application.submitted_on,
        served_by="email",
        pdf_name=path.name,
        pdf_sha256=digest,
        docx_name=path.name,
        docx_sha256=digest,
    )


def make_archive(agency, year: int = 2025):
    """An archive package with a small stand-in ZIP."""
    import hashlib

    from gongkai.applications.archive import archive_path
    from gongkai.applications.models import ApplicationArchive

    data = b"PK\x05\x06" + b"\x00" * 18  # an empty ZIP
    package = ApplicationArchive(agency=agency, year=year, file_name=f"stand-in-{agency.pk}-{year}.zip")
    path = archive_path(package)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    package.sha256 = hashlib.sha256(data).hexdigest()
    package.save()
    return package


def make_attachment(application, kind: str = "identity_proof"):
    """An identity proof (or another kind of file) with a small stand-in PNG."""
    import hashlib

    from gongkai.applications.models import Attachment
    from gongkai.core.uploads import for_disk, stored_path

    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    name = f"stand-in-{application.pk}{'' if kind == 'identity_proof' else '-' + kind}.png"
    path = stored_path("attachments", name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(for_disk("attachments", data))
    return Attachment.objects.create(
        application=application,
        kind=kind,
        original_name="proof.png",
        content_type="image/png",
        size=len(data),
        stored_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
    )


# What each reply's article makes it state (issue 10), for tests that need a reply of any outcome.
REPLY_DETAILS = {
    "disclosed": {"disclosure_route": "provided", "how_to_obtain": "以电子文件形式随本答复书发送"},
    "partly_disclosed": {"how_to_obtain": "可以公开的部分随本答复书发送"},
    "unavailable_not_held": {"search_description": "检索了本机关 2024 年以来的收发文登记和档案目录"},
    "unavailable_other_agency": {
        "responsible_agency": "台州市黄岩区自然资源和规划局",
        "responsible_contact": "0576-84111111",
    },
    "not_processed_repeat": {"previous_reply": "茅政信复〔2026〕3号，2026年9月10日"},
    "not_processed_excessive": {"applicant_reasons": "为研究乡村治理需要全部资料"},
}


def reply_through_services(application, *, officer, leader, on, outcome="disclosed", reason="", served_by="email"):
    """Draft (with what its article asks for), the leader's signature, the letter made from it,
    then the reply served: the whole of seed E5 on one day."""
    from gongkai.applications.choices import REPLY_KIND_BY_OUTCOME
    from gongkai.applications.notices import issue_notice
    from gongkai.applications.services import record_clock_event

    record_clock_event(
        application,
        actor=officer,
        kind="draft_submitted",
        on=on,
        outcome=outcome,
        reason=reason,
        data=dict(REPLY_DETAILS.get(outcome, {})),
    )
    record_clock_event(application, actor=leader, kind="draft_signed", on=on)
    issue_notice(application, actor=officer, kind=REPLY_KIND_BY_OUTCOME[outcome], served_on=on, served_by=served_by)
    return record_clock_event(application, actor=officer, kind="replied", on=on, data={"served_by": served_by})
