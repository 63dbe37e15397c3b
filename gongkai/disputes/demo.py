"""Demo disputes in every state (issue 11, "Demo"), made through the services, dated relative to
today, on the demo applications (registered after them in apps.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, User
from gongkai.applications.selectors import closed_applications_of
from gongkai.disputes.choices import Kind, Outcome, Procedure
from gongkai.disputes.models import DisputeEvent
from gongkai.disputes.services import record_dispute_event, register_dispute

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
    if date(today.year, 2, 20) <= today:
        step(later, E.DECIDED, date(today.year, 2, 20), outcome=Outcome.CORRECTED)
    return made


def load_demo() -> list[str]:
    today = timezone.localdate()
    for agency in Agency.objects.exclude(parent=None).order_by("pk"):
        load_demo_disputes(agency, today)
    return []
