"""Demo annual reports in every state (issue 11, "Demo"), made through the services: the last
two years published (one corrected, its first version superseded, a further correction under
review), the others on their way, and this year's draft with its figures still running."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency, User
from gongkai.reports import services, starting_text
from gongkai.reports.models import Report
from gongkai.reports.tables import SECTION_2_ITEMS

SOURCES = {
    "regulations": "乡镇无规章制定权，填0",
    "normative_documents": "本机关规范性文件目录（党政办）",
    "licensing": "浙江政务服务网办件统计",
    "penalties": "综合行政执法队案件台账",
    "compulsion": "综合行政执法队案件台账",
    "fees": "财政所非税收入报表",
}


def _person(agency: Agency, role: str) -> User | None:
    return User.objects.filter(agency=agency, role_assignments__role=role, is_active=True).first()


def _section_2(seed: int, first_year: bool) -> dict:
    data: dict = {}
    for n, item in enumerate(SECTION_2_ITEMS):
        if item.is_stock:
            issued, repealed = (0, 0) if item.key == "regulations" else ((seed + n) % 4 + 1, (seed + n) % 2)
            previous = 0 if item.key == "regulations" else 10 + seed
            data[item.key] = {
                "issued": str(issued),
                "repealed": str(repealed),
                "in_force": str(previous + issued - repealed),
            }
            if first_year:
                data.setdefault("first_year", {})[item.key] = str(previous)
        elif item.key == "fees":
            data[item.key] = {"amount": f"{(seed % 3) * 1.25:.2f}"}
        else:
            data[item.key] = {"decisions": str((seed * 7 + n) % 30)}
        data[item.key]["source"] = SOURCES[item.key]
    return data


def _chain_stock(previous: dict, seed: int) -> dict:
    """This year's section 二 from last year's: in force carried on, so the stock rule holds."""
    data = _section_2(seed, first_year=False)
    for item in SECTION_2_ITEMS:
        if item.is_stock:
            cells = data[item.key]
            before = int(previous[item.key]["in_force"])
            cells["in_force"] = str(before + int(cells["issued"]) - int(cells["repealed"]))
    return data


def _complete(report: Report, officer: User, section_2: dict) -> Report:
    figures = services.figures_of(report)
    texts = starting_text.offer(report.agency, report.year, figures)
    overview = texts["overview"].replace(
        "【请补充：主动公开、政府信息管理、平台建设、监督保障等工作情况】",
        "坚持以公开为常态、不公开为例外，通过政府门户网站、政务公开栏等渠道主动公开政府信息，"
        "完善信息发布审查机制，按时更新公开目录",
    )
    problems = (
        "一是部分科室对政府信息公开重视不够，信息更新不够及时；二是依申请公开答复文书的规范性有待提高。"
        "下一步，将加强业务培训，落实信息发布审查和定期检查制度。"
    )
    other = texts["other_matters"].replace(
        "【请补充：其他需要报告的事项；没有的，写明“无其他需要报告的事项”】", "无其他需要报告的事项。"
    )
    return services.save_report(
        report, actor=officer, overview=overview, problems=problems, other_matters=other, section_2=section_2
    )


def _walk(report: Report, people: dict[str, User], until: str) -> Report:
    steps = [("submit", Role.DISCLOSURE_OFFICER), ("review", Role.DISCLOSURE_OFFICER),
             ("approve", Role.LEADER_IN_CHARGE), ("publish", Role.WEB_ADMINISTRATOR)]  # fmt: skip
    for action, role in steps:
        report = services.act(report, actor=people[role], action=action)
        if action == until:
            break
    return report


def load_demo_reports(agency: Agency, today: date, plan: dict[int, str], seed: int) -> int:
    people = {
        role: _person(agency, role) for role in (Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.WEB_ADMINISTRATOR)
    }
    if any(p is None for p in people.values()):
        return 0
    officer = people[Role.DISCLOSURE_OFFICER]
    assert officer is not None
    made = 0
    previous_section_2: dict | None = None
    for year in sorted(plan):
        until = plan[year]
        report = services.start_report(actor=officer, agency=agency, year=year)
        made += 1
        if until == "draft":
            continue  # the starting text as offered, its 【请补充】 marks still to write
        section_2 = (
            _chain_stock(previous_section_2, seed * 10 + year % 10)
            if previous_section_2
            else _section_2(seed * 10 + year % 10, True)
        )
        report = _complete(report, officer, section_2)
        report = _walk(report, people, until)  # type: ignore[arg-type]
        previous_section_2 = report.section_2
        if until == "publish" and year == today.year - 1 and agency.parent_id is not None:
            # A correction: an application's outcome was corrected after the freeze.
            correction = services.start_correction(
                report, actor=officer, reason="更正表三中一件申请的处理结果分类（原误计为“其他处理”）。", refreeze=True
            )
            correction = _walk(correction, people, "publish")  # type: ignore[arg-type]
            services.start_correction(
                correction, actor=officer, reason="补充第六部分信息处理费收取情况的说明。", refreeze=False
            )
            third = Report.objects.get(agency=agency, year=year, version=3)
            _walk(third, people, "submit")  # type: ignore[arg-type]
            made += 2
    return made


def load_demo() -> list[str]:
    today = timezone.localdate()
    last = today.year - 1
    plans = {
        "maoshe": {last - 1: "publish", last: "publish", today.year: "draft"},
        "huangyan-agri": {last - 1: "publish", last: "approve"},
        "huangyan": {last - 1: "publish", last: "review"},
    }
    for seed, (slug, plan) in enumerate(plans.items()):
        agency = Agency.objects.filter(slug=slug).first()
        if agency is not None:
            load_demo_reports(agency, today, plan, seed)
    return []
