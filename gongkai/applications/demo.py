"""Demo applications in every state of the clock, dated relative to today, made through the
real services so that every due date comes from the ledger (issue 4, "Demo")."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, User
from gongkai.applications.choices import REPLY_KIND_BY_OUTCOME
from gongkai.applications.clock import Kind
from gongkai.applications.notices import issue_notice
from gongkai.applications.services import confirm_submission, record_clock_event, submit_application
from gongkai.core.calendar import due_date, get_calendar
from gongkai.core.pii import resident_id_check_character

DAY = timedelta(days=1)  # stepping through calendar dates, not counting a deadline


def _person(n: int) -> dict:
    body = f"33100319{80 + n % 15:02d}0{1 + n % 9}1{n % 10}{(n * 7) % 1000:03d}"
    return {
        "applicant_type": "natural_person",
        "applicant_name": ["王建华", "李秀英", "张伟", "刘洋", "陈静", "杨勇", "黄磊", "周敏", "吴芳", "徐强"][n % 10],
        "id_type": "resident_id",
        "id_number": body + resident_id_check_character(body),
        "phone": f"1380013{8000 + n:04d}",
        "email": f"applicant{n}@example.com",
        "address": f"浙江省台州市黄岩区茅畲乡茅畲村 {n} 号",
        "has_identity_proof": n % 4 != 0,
    }


def _organisation(n: int, kind: str) -> dict:
    return {
        "applicant_type": kind,
        "applicant_name": ORGANISATIONS[kind],
        "id_type": "credit_code",
        "id_number": f"91331003MA2{n:03d}X{n % 10}Q",
    }


TOPICS = [
    ("茅畲乡 2026 年农村宅基地审批结果", "请提供 2026 年以来茅畲乡宅基地审批的结果清单。"),
    ("茅畲村土地承包经营权流转情况", "茅畲村 2025 年土地承包经营权流转的面积、受让方和期限。"),
    ("茅畲乡 2025 年财政预算执行情况", "2025 年乡级财政预算执行和决算的说明。"),
    ("农田水利工程建设项目招标文件", "2026 年茅畲乡农田水利改造项目的招标公告和中标结果。"),
    ("社会救助对象公示名单", "2026 年第三季度最低生活保障对象的公示名单。"),
    ("征地补偿安置方案", "茅畲乡某地块征收的补偿安置方案。"),
    ("筹资筹劳使用情况", "2025 年村级筹资筹劳项目的资金使用情况。"),
    ("乡政府机构设置和职能", "茅畲乡人民政府内设机构及其职能。"),
    ("道路改造工程环境影响评价", "乡道改造工程的环境影响评价材料。"),
    ("2025 年行政处罚决定", "茅畲乡 2025 年作出的具有一定社会影响的行政处罚决定。"),
    ("村务公开栏建设情况", "各村村务公开栏的建设和更新情况。"),
]


def _received_for_due_in(today: date, working_days_left: int) -> date:
    """A receipt date whose 20-WD reply falls about ``working_days_left`` working days ahead."""
    target = due_date(today, working_days_left).due
    day = today - 40 * DAY
    while due_date(day, 20).due < target:
        day += DAY
    return day


def load_demo_applications(agency: Agency, today: date) -> list[str]:
    """Create the demo set for one agency; return lines naming one application and its code."""
    officer = User.objects.get(agency=agency, role_assignments__role=Role.DISCLOSURE_OFFICER)
    leader = User.objects.get(agency=agency, role_assignments__role=Role.LEADER_IN_CHARGE)
    made = []
    calendar = get_calendar()

    def new(n: int, received_on: date, channel: str = "online", confirm: bool = True, applicant="natural_person"):
        title, description = TOPICS[n % len(TOPICS)]
        while confirm and not calendar.is_workday(received_on):
            # The demo's dates are relative to today: keep each on a working day, so the office
            # confirms or registers it the day it came and the later steps stay in order.
            received_on -= DAY
        fields = {
            **_person(n),
            **(_organisation(n, applicant) if applicant != "natural_person" else {}),
            "info_title": title,
            "info_description": description,
            "requested_form": "electronic",
            "delivery": "email",
        }
        submission = submit_application(
            agency=agency,
            fields=fields,
            channel=channel,
            received_on=received_on,
            actor=officer if channel != "online" else None,
        )
        made.append(submission)
        application = submission.application
        if channel == "online" and confirm:
            # Art. 31(三): the office confirms it the day it came.
            application = confirm_submission(application, actor=officer, on=received_on)
        return application

    def event(application, kind, on, actor=officer, **kwargs):
        record_clock_event(application, actor=actor, kind=kind, on=on, **kwargs)

    def reply(application, on, outcome, reason="", served_by="email", **details):
        """Draft with the outcome and what its article asks it to state, the leader's signature,
        the letter made from it, then the reply served (seed E5; issue 10)."""
        event(application, Kind.DRAFT_SUBMITTED, on - 2 * DAY, outcome=outcome, reason=reason, data=details)
        event(application, Kind.DRAFT_SIGNED, on - 1 * DAY, actor=leader)
        kind = REPLY_KIND_BY_OUTCOME[outcome]
        issue_notice(application, actor=officer, kind=kind, served_on=on - 1 * DAY, served_by=served_by)
        event(application, Kind.REPLIED, on, data={"served_by": served_by})

    new(0, _received_for_due_in(today, 2))  # due within 3 working days
    new(1, today - 40 * DAY)  # overdue for some days
    fresh = new(2, today - 2 * DAY)  # just received, assigned to the office that holds it
    office = agency.offices.exclude(is_disclosure_office=True).first() or agency.offices.first()
    assert office is not None  # every demo agency has its offices
    event(fresh, Kind.ASSIGNED, today - 1 * DAY, data={"office": office.pk})
    new(3, today - 1 * DAY, channel="registered_post")  # a letter, signed for yesterday
    corrected = new(4, today - 4 * DAY)
    event(corrected, Kind.CORRECTION_REQUESTED, today - 2 * DAY, data={"period_end": today + 10 * DAY})
    consulted = new(5, today - 16 * DAY)
    third_party = {
        "party": "third_party",
        "party_name": "台州市黄岩区某农业开发有限公司",
        "party_contact": "茅畲乡工业园区 8 号",
    }
    event(consulted, Kind.CONSULTATION_STARTED, today - 6 * DAY, data=third_party)
    extended = new(6, _received_for_due_in(today, 1))
    event(extended, Kind.EXTENSION_APPROVED, today, actor=leader, data={"working_days": 15})
    disclosed = new(7, today - 60 * DAY)
    event(disclosed, Kind.ASSIGNED, today - 59 * DAY, data={"office": office.pk})
    event(
        disclosed,
        Kind.PROPOSAL_SUBMITTED,
        today - 52 * DAY,
        actor=officer,
        note="经检索，该信息由本办制作并保存，可以公开。",
    )
    reply(
        disclosed,
        today - 45 * DAY,
        "disclosed",
        disclosure_route="provided",
        how_to_obtain="以电子文件形式随本答复书通过电子邮件发送",
    )
    partly = new(8, today - 50 * DAY)
    reply(
        partly,
        today - 30 * DAY,
        "partly_disclosed",
        "所申请信息中涉及个人身份信息的部分属于个人隐私，依据条例第十五条、第三十七条作区分处理，其余部分予以公开。",
        how_to_obtain="可以公开的部分以电子文件形式随本答复书发送",
    )
    refused = new(9, today - 55 * DAY)
    event(refused, Kind.CONSULTATION_STARTED, today - 50 * DAY, data=third_party)
    event(refused, Kind.CONSULTATION_ENDED, today - 42 * DAY)
    reply(
        refused,
        today - 35 * DAY,
        "withheld_third_party",
        "经书面征求第三方意见，第三方以涉及商业秘密为由不同意公开，依据条例第十五条、第三十二条不予公开。",
        served_by="post",
    )
    # Signed by the leader, its letter made: serving it is the last step (issue 10).
    signed = new(12, today - 12 * DAY)
    event(
        signed,
        Kind.DRAFT_SUBMITTED,
        today - 3 * DAY,
        outcome="unavailable_other_agency",
        reason="所申请信息系区自然资源和规划局在其职责范围内制作并保存，本机关不负责公开。",
        data={"responsible_agency": "台州市黄岩区自然资源和规划局", "responsible_contact": "0576-84111111"},
    )
    event(signed, Kind.DRAFT_SIGNED, today - 2 * DAY, actor=leader)
    issue_notice(signed, actor=officer, kind="reply_not_held", served_on=today - 2 * DAY, served_by="post")
    # Consulting another agency that made the information with this one (art. 34).
    co_made = new(13, today - 9 * DAY)
    other_agency = {
        "party": "other_agency",
        "party_name": "台州市黄岩区财政局",
        "party_contact": "黄岩区财政局办公室，0576-84222222",
    }
    event(co_made, Kind.CONSULTATION_STARTED, today - 3 * DAY, data=other_agency)
    issue_notice(co_made, actor=officer, kind="other_agency", served_on=today - 3 * DAY, served_by="post")
    new(11, today, confirm=False)  # sent online today: the office is to confirm it (art. 31(三))
    lapsed = new(10, today - 45 * DAY)
    event(lapsed, Kind.CORRECTION_REQUESTED, today - 43 * DAY, data={"period_end": today - 25 * DAY})
    event(lapsed, Kind.CORRECTION_LAPSED, today - 20 * DAY)
    # Notices served on the way, as PDF and Word files (issue 4).
    issue_notice(fresh, actor=officer, kind="receipt", served_on=today - 1 * DAY, served_by="email")
    issue_notice(
        corrected,
        actor=officer,
        kind="correction",
        served_on=today - 2 * DAY,
        served_by="email",
        note="请写明所需信息的时间范围，并提供身份证件复印件。",
    )
    issue_notice(consulted, actor=officer, kind="third_party", served_on=today - 6 * DAY, served_by="post")
    _last_year(agency, today, new, reply)
    first = made[2]
    return [f"{agency.name}\t申请查询演示\t{first.application.number}\t{first.query_code}"]


# Last year's applications, so that the annual report (issue 11) has a year to compare with and
# a carry-over: (applicant, month and day received, days to the reply, outcome, what it states).
ORGANISATIONS = {
    "business": "台州市黄岩区某农业开发有限公司",
    "research": "浙江某农业科学研究所",
    "nonprofit": "黄岩区某乡村振兴公益服务中心",
    "legal_service": "浙江某律师事务所",
    "other_organisation": "茅畲村股份经济合作社",
}
PUBLIC = {"disclosure_route": "already_public"}
LAST_YEAR = [
    ("natural_person", (3, 3), 12, "disclosed", {**PUBLIC, "how_to_obtain": "见本乡政府网站"}),
    ("business", (4, 7), 15, "disclosed", {"disclosure_route": "provided", "how_to_obtain": "随本答复书发送"}),
    ("natural_person", (5, 12), 18, "partly_disclosed", {"how_to_obtain": "可以公开的部分随本答复书发送"}),
    ("research", (6, 2), 14, "withheld_process", {}),
    ("legal_service", (6, 16), 10, "withheld_enforcement_file", {}),
    ("natural_person", (7, 7), 16, "unavailable_not_held", {"search_description": "检索了本乡档案室和办公系统"}),
    ("nonprofit", (8, 4), 12, "unavailable_needs_production", {}),
    ("natural_person", (9, 8), 9, "not_processed_repeat", {"previous_reply": "茅政信复〔2025〕2号"}),
    ("other_organisation", (10, 13), 15, "disclosed", {**PUBLIC, "how_to_obtain": "见公开栏"}),
]
REASON = "经审查，依据《中华人民共和国政府信息公开条例》的相关规定作出本答复。"


def _last_year(agency: Agency, today: date, new, reply) -> None:
    year = today.year - 1
    for n, (kind, (month, day), days, outcome, details) in enumerate(LAST_YEAR, start=40):
        application = new(n, date(year, month, day), applicant=kind)
        reply(application, application.received_on + days * DAY, outcome, REASON, **details)
    # Received in late December, answered in January: carried over into this year's report.
    carried = new(60, date(year, 12, 23), applicant="business")
    answer_on = date(today.year, 1, 14)
    if answer_on <= today:
        reply(carried, answer_on, "disclosed", disclosure_route="provided", how_to_obtain="随本答复书发送")


def load_demo() -> list[str]:
    """The demo applications of every township and department (registered in ready())."""
    today = timezone.localdate()
    lines: list[str] = []
    for agency in Agency.objects.exclude(parent=None).order_by("pk"):
        lines += load_demo_applications(agency, today)
    return lines
