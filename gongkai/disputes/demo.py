"""Demo disputes in every state (issue 11, "Demo"), made through the services, dated relative to
today, on the demo applications (registered after them in apps.py)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.utils import timezone
from fpdf import FPDF

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, User
from gongkai.applications.selectors import closed_applications_of
from gongkai.core.letters import SERIF
from gongkai.core.uploads import CheckedFile
from gongkai.disputes.choices import Kind, Outcome, Procedure
from gongkai.disputes.models import DisputeEvent
from gongkai.disputes.services import add_document, record_dispute_event, register_dispute

DAY = timedelta(days=1)  # stepping through calendar dates for the demo, not a deadline
E = DisputeEvent.EventKind
ORGAN = "台州市黄岩区人民政府"
COURT = "台州市椒江区人民法院"  # Zhejiang concentrates administrative cases in designated courts


def _by_outcome(agency: Agency) -> dict[str, object]:
    found: dict[str, object] = {}
    for application in closed_applications_of(agency):
        found.setdefault(application.outcome, application)
    return found


def load_demo_disputes(agency: Agency, today: date) -> int:
    officer = User.objects.filter(agency=agency, role_assignments__role=Role.DISCLOSURE_OFFICER).first()
    office = agency.offices.exclude(is_disclosure_office=True).first()
    applications = _by_outcome(agency)
    needed = ("withheld_third_party", "partly_disclosed", "disclosed", "withheld_process", "withheld_enforcement_file")
    if officer is None or office is None or any(o not in applications for o in needed):
        return 0
    made = 0

    def register(outcome: str, kind: str, received_on: date, **extra):
        nonlocal made
        made += 1
        application = applications[outcome]
        return register_dispute(
            actor=officer,
            agency=agency,
            application_number=application.number,  # type: ignore[attr-defined]
            kind=kind,
            organ=extra.pop("organ", ORGAN),
            received_on=received_on,
            **extra,
        )

    def step(dispute, kind, on, note="", **data):
        return record_dispute_event(dispute, actor=officer, kind=kind, on=on, note=note, data=data)

    # Copy received three days ago, forwarded to the office that holds the records.
    waiting = register(
        "withheld_third_party",
        Kind.RECONSIDERATION,
        today - 3 * DAY,
        procedure=Procedure.ORDINARY,
        case_number=f"黄政复〔{today.year}〕18号",
    )
    step(waiting, E.FORWARDED, today - 2 * DAY, office=office.pk)
    # Simplified procedure (disclosure cases qualify): 5 working days, the page warns.
    register(
        "partly_disclosed",
        Kind.RECONSIDERATION,
        today - 3 * DAY,
        procedure=Procedure.SIMPLIFIED,
        case_number=f"黄政复〔{today.year}〕21号",
    )
    # A lawsuit filed directly: the answer and evidence are with the court, waiting for judgment.
    sued = register(
        "disclosed",
        Kind.LAWSUIT,
        today - 40 * DAY,
        organ=COURT,
        answer_days=15,
        case_number=f"（{today.year}）浙1002行初45号",
    )
    _documents(sued, officer, today - 40 * DAY)
    step(sued, E.FORWARDED, today - 39 * DAY, office=office.pk)
    step(sued, E.EVIDENCE_RECEIVED, today - 35 * DAY)
    step(sued, E.MEETING_HELD, today - 34 * DAY, "乡党政办、承办科室、法律顾问参加，确定答辩要点。")
    step(sued, E.ANSWERED, today - 30 * DAY)
    step(
        sued,
        E.HEARING_SCHEDULED,
        today - 20 * DAY,
        "椒江区人民法院第三法庭；委托代理人：党政办王某、法律顾问李律师。",
        hearing_on=today + 10 * DAY,
    )
    # Simplified at first, moved to the ordinary procedure (行政复议法 art. 55), then answered.
    moved = register(
        "withheld_process", Kind.RECONSIDERATION, today - 12 * DAY, procedure=Procedure.SIMPLIFIED,
        case_number=f"黄政复〔{today.year}〕25号",
    )  # fmt: skip
    step(moved, E.PROCEDURE_CHANGED, today - 11 * DAY, "复议机构负责人批准转为普通程序审理。")
    step(moved, E.ANSWERED, today - 5 * DAY)
    # Decided against the agency: a new reply ordered, still to be made (F6).
    ordered = register(
        "withheld_third_party", Kind.RECONSIDERATION, today - 45 * DAY, procedure=Procedure.ORDINARY,
        case_number=f"黄政复〔{today.year}〕11号",
    )  # fmt: skip
    step(ordered, E.ANSWERED, today - 40 * DAY)
    step(ordered, E.DECIDED, today - 10 * DAY, "撤销原答复，责令十五个工作日内重新答复。", outcome=Outcome.CORRECTED)
    step(ordered, E.REPLY_ORDERED, today - 8 * DAY, days=15, unit="working")
    # Last year: a reconsideration upheld, and a lawsuit after reconsideration decided this year.
    year = today.year - 1
    upheld = register(
        "withheld_process", Kind.RECONSIDERATION, date(year, 7, 1), procedure=Procedure.SIMPLIFIED,
        case_number=f"黄政复〔{year}〕33号",
    )  # fmt: skip
    step(upheld, E.ANSWERED, date(year, 7, 6))
    step(upheld, E.DECIDED, date(year, 8, 20), outcome=Outcome.UPHELD)
    later = register(
        "withheld_enforcement_file", Kind.LAWSUIT_AFTER_RECONSIDERATION, date(year, 11, 2), organ=COURT,
        answer_days=15, case_number=f"（{year}）浙1002行初88号",
    )  # fmt: skip
    step(later, E.ANSWERED, date(year, 11, 12))
    if date(today.year, 3, 31) <= today:
        step(
            later, E.DECIDED, date(today.year, 2, 20), "判决撤销答复，责令三十日内重新答复。", outcome=Outcome.CORRECTED
        )
        step(later, E.REPLY_ORDERED, date(today.year, 3, 9), days=30, unit="calendar")
        step(
            later,
            E.CARRIED_OUT,
            date(today.year, 3, 27),
            "已重新作出答复并送达。",
            document_number="茅政信复〔2026〕2号",
        )
    return made


def _copy_pdf(title: str, lines: list[str]) -> CheckedFile:
    """A stand-in for a scanned copy: a one-page PDF with the court's heading and a few lines."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("serif", fname=str(SERIF))
    pdf.add_page()
    pdf.set_font("serif", size=18)
    pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    return CheckedFile(data=data, kind="pdf", original_name=f"{title}.pdf", sha256=hashlib.sha256(data).hexdigest())


def _documents(dispute, officer, received_on: date) -> None:
    """The court's notice and the complaint received with the lawsuit, and one listed only."""
    add_document(
        dispute, actor=officer, kind="court_notice", title="应诉通知书", received_on=received_on,
        checked=_copy_pdf("台州市椒江区人民法院 应诉通知书", [
            f"案号：{dispute.case_number}", "你单位应当在收到起诉状副本之日起十五日内，向本院提交作出行政行为的证据"
            "和所依据的规范性文件，并提出答辩状。"]),
    )  # fmt: skip
    add_document(
        dispute, actor=officer, kind="complaint_copy", title="起诉状副本", received_on=received_on,
        checked=_copy_pdf("行政起诉状（副本）", ["诉讼请求：撤销被告作出的政府信息公开答复，责令重新答复。"]),
    )  # fmt: skip
    add_document(
        dispute, actor=officer, kind="evidence", title="涉密会议纪要（摘录）", received_on=received_on,
        purpose="证明所申请信息的形成过程",
        secret_explanation="属于国家秘密（秘密级），依法不得提交电子版；可应法院要求由专人送交原件查阅。",  # noqa: S106
    )  # fmt: skip


def load_demo() -> list[str]:
    today = timezone.localdate()
    for agency in Agency.objects.exclude(parent=None).order_by("pk"):
        load_demo_disputes(agency, today)
    return []
