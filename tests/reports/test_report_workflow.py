"""The annual report as a document (issue 11): its rules, its way to publication, its frozen
figures and its corrections; the files and the district's roll-up. 条例 art. 49–50."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.applications.models import Application
from gongkai.catalog.models import Entry
from gongkai.core.models import AuditEvent
from gongkai.reports import services
from gongkai.reports.choices import Status
from gongkai.reports.models import Report, ReportSetting, YearFigures
from gongkai.reports.reminders import report_due
from gongkai.reports.transitions import REPORT, ReportError
from tests.applications.factories import make_application

AFTER = "2027-01-10 10:00 +0800"  # the year 2026 has ended; its report is due on 31 January


def record(agency, applicant_type, received_on, closed_on=None, outcome=""):
    application = make_application(agency, received_on=received_on, applicant_type=applicant_type)
    if closed_on:
        Application.objects.filter(pk=application.pk).update(status="replied", closed_on=closed_on, outcome=outcome)
    return application


def good_section_2(first_year: bool = True, in_force: int = 12) -> dict:
    data = {
        "regulations": {"issued": "0", "repealed": "0", "in_force": "0", "source": "乡镇无规章"},
        "normative_documents": {"issued": "3", "repealed": "1", "in_force": str(in_force), "source": "文件目录"},
        "licensing": {"decisions": "5", "source": "政务服务网"},
        "penalties": {"decisions": "0", "source": "执法台账"},
        "compulsion": {"decisions": "0", "source": "执法台账"},
        "fees": {"amount": "1.2500", "source": "财政所报表"},
    }
    if first_year:
        data["first_year"] = {"regulations": "0", "normative_documents": str(in_force - 2)}
    return data


OVERVIEW = (
    "本年度新收政府信息公开申请3件，上年结转0件，办结2件，结转下年度1件。"
    "本年度因政府信息公开引发行政复议0件，行政诉讼0件。"
)
PROBLEMS = "一是信息更新不够及时；二是答复文书不够规范。下一步将加强培训。"
OTHER = "本年度未收取信息处理费。无其他需要报告的事项。"


@pytest.fixture
def township(world):
    agency = world.township
    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        record(agency, "natural_person", date(2026, 3, 2), date(2026, 3, 20), "disclosed")
        record(agency, "business", date(2026, 5, 6), date(2026, 5, 25), "withheld_process")
        record(agency, "natural_person", date(2026, 12, 18))  # open at the year's end
    return agency


def written(world, agency, **overrides) -> Report:
    officer = world.person(agency, Role.DISCLOSURE_OFFICER)
    report = services.start_report(actor=officer, agency=agency, year=2026)
    fields = {"overview": OVERVIEW, "problems": PROBLEMS, "other_matters": OTHER, "section_2": good_section_2()}
    fields.update(overrides)
    return services.save_report(report, actor=officer, **fields)


def walk(world, report, *steps):
    actors = {"submit": Role.DISCLOSURE_OFFICER, "review": Role.DISCLOSURE_OFFICER,
              "approve": Role.LEADER_IN_CHARGE, "publish": Role.WEB_ADMINISTRATOR}  # fmt: skip
    for step in steps:
        report = services.act(report, actor=world.person(report.agency, actors[step]), action=step)
    return report


@time_machine.travel(AFTER, tick=False)
def test_a_report_that_keeps_every_rule_goes_from_draft_to_the_catalogs_annual_report_column(world, township):
    report = walk(world, written(world, township), "submit", "review", "approve", "publish")
    assert report.status == Status.PUBLISHED
    entry = Entry.objects.get(index_number=report.index_number)
    assert entry.title == "台州市黄岩区茅畲乡人民政府2026年政府信息公开工作年度报告"
    assert (entry.status, entry.subcategory.name) == ("published", "政府信息公开工作年度报告")
    assert "（一）予以公开：1 0 0 0 0 0 1" in entry.body  # the tables travel with the text
    codes = set(AuditEvent.objects.filter(object_id=str(report.pk)).values_list("event", flat=True))
    assert {"reports.report.started", "reports.report.saved", "reports.report.submitted", "reports.report.reviewed",
            "reports.report.approved", "reports.report.published"} <= codes  # fmt: skip


@time_machine.travel(AFTER, tick=False)
@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"problems": "无。"}, "text.problems_none"),
        ({"problems": ""}, "text.problems_empty"),
        ({"overview": OVERVIEW.replace("新收政府信息公开申请3件", "新收政府信息公开申请4件")}, "text.figure"),
        ({"overview": OVERVIEW + "【请补充：平台建设】"}, "text.placeholder"),
        ({"overview": "本年度主动公开政府信息5条。" + OVERVIEW}, "text.figure"),  # the catalog holds none
        ({"other_matters": "无其他需要报告的事项。"}, "text.fees"),  # 六 says nothing of 信息处理费
        ({"section_2": {**good_section_2(), "licensing": {"decisions": "", "source": "网"}}}, "section_2.blank"),
        ({"section_2": {**good_section_2(), "penalties": {"decisions": "2", "source": ""}}}, "section_2.source"),
        ({"section_2": good_section_2(in_force=13) | {"first_year": {"regulations": "0", "normative_documents": "10"}}},
         "section_2.stock"),
        ({"section_2": {k: v for k, v in good_section_2().items() if k != "first_year"}}, "section_2.first_year"),
    ],
)  # fmt: skip
def test_a_report_that_breaks_a_rule_cannot_be_submitted(world, township, overrides, rule):
    report = written(world, township, **overrides)
    assert rule in {b.rule for b in services.broken_rules(report)}
    with pytest.raises(ReportError, match="不能继续"):
        walk(world, report, "submit")
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert report.figures is None
    assert AuditEvent.objects.filter(event="reports.report.action_refused", object_id=str(report.pk)).exists()


@time_machine.travel(AFTER, tick=False)
def test_ordinary_wording_around_the_figures_is_not_read_as_a_figure(world, township):
    text = OVERVIEW + "其中予以公开1件，被申请行政复议、提起行政诉讼共5件，办结的申请均在期限内答复。"
    assert services.broken_rules(written(world, township, overview=text)) == []


@time_machine.travel("2026-12-28 10:00 +0800", tick=False)
def test_a_report_is_not_submitted_while_its_year_runs(world, township):
    report = written(world, township)
    officer = world.person(township, Role.DISCLOSURE_OFFICER)
    assert "submit" not in [t.name for t in REPORT.available(report, officer)]  # the page offers no button
    with pytest.raises(ReportError, match="尚未结束"):
        walk(world, report, "submit")


@time_machine.travel(AFTER, tick=False)
def test_information_processing_fees_collected_must_be_reported_in_section_six(world, township, monkeypatch):
    monkeypatch.setattr(services, "fees_collected", lambda agency, year: __import__("decimal").Decimal("30"))
    report = written(world, township)
    assert "text.fees" in {b.rule for b in services.broken_rules(report)}
    officer = world.person(township, Role.DISCLOSURE_OFFICER)
    fixed = services.save_report(report, actor=officer, overview=OVERVIEW, problems=PROBLEMS,
                                 other_matters="本年度收取信息处理费30元。", section_2=good_section_2())  # fmt: skip
    assert services.broken_rules(fixed) == []
    wrong = services.save_report(fixed, actor=officer, overview=OVERVIEW, problems=PROBLEMS,
                                 other_matters="本年度收取信息处理费45元。", section_2=good_section_2())  # fmt: skip
    assert [b.rule for b in services.broken_rules(wrong)] == ["text.figure"]


@time_machine.travel(AFTER, tick=False)
def test_the_figures_are_frozen_and_a_later_edit_shows_but_changes_nothing_until_a_corrected_version(world, township):
    report = walk(world, written(world, township), "submit", "review", "approve", "publish")
    frozen = report.figures.data["section_3"]["rows"]["disclosed"]["total"]
    assert frozen == 1
    Application.objects.filter(agency=township, outcome="withheld_process").update(outcome="disclosed")
    report.refresh_from_db()
    assert services.figures_of(report)["section_3"]["rows"]["disclosed"]["total"] == 1  # unchanged
    assert services.changed_cells(report) == ["三 · （一）予以公开", "三 · 6.属于四类过程性信息"]
    officer = world.person(township, Role.DISCLOSURE_OFFICER)
    with pytest.raises(ReportError, match="更正原因"):
        services.start_correction(report, actor=officer, reason=" ", refreeze=True)
    correction = services.start_correction(report, actor=officer, reason="更正一件申请的处理结果", refreeze=True)
    assert (correction.version, correction.status) == (2, Status.DRAFT)
    assert correction.figures.data["section_3"]["rows"]["disclosed"]["total"] == 2
    assert Report.objects.get(pk=report.pk).status == Status.PUBLISHED  # stays public meanwhile
    correction = walk(world, correction, "submit", "review", "approve", "publish")
    assert Report.objects.get(pk=report.pk).status == Status.SUPERSEDED
    corrected = Entry.objects.get(index_number=correction.index_number)
    assert "更正版，第2版" in corrected.title
    earlier = Entry.objects.get(index_number=report.index_number)
    assert (corrected.related_to, corrected.relation) == (earlier, "corrects")
    assert (earlier.status, earlier.validity) == ("published", "amended")  # public, marked, linked
    assert YearFigures.objects.filter(agency=township, year=2026).count() == 2
    started = AuditEvent.objects.get(event="reports.report.correction_started")
    assert (started.data["version"], started.data["reason"], started.data["refrozen"]) == (
        2,
        "更正一件申请的处理结果",
        True,
    )


@time_machine.travel(AFTER, tick=False)
def test_a_leader_returns_the_report_with_a_reason_and_the_office_edits_it_again(world, township):
    report = walk(world, written(world, township), "submit", "review")
    leader = world.person(township, Role.LEADER_IN_CHARGE)
    with pytest.raises(ReportError, match="退回原因"):
        services.act(report, actor=leader, action="return", reason="")
    with pytest.raises(ReportError, match="只有草稿可以修改"):
        services.save_report(report, actor=world.person(township, Role.DISCLOSURE_OFFICER), overview=OVERVIEW,
                             problems=PROBLEMS, other_matters=OTHER, section_2=good_section_2())  # fmt: skip
    returned = services.act(report, actor=leader, action="return", reason="第五部分请写具体")
    assert returned.status == Status.DRAFT
    event = AuditEvent.objects.get(event="reports.report.returned")
    assert event.data["reason"] == "第五部分请写具体"
    clerk = world.person(township, Role.CLERK)
    with pytest.raises(PermissionDenied):
        services.act(returned, actor=clerk, action="submit")


@time_machine.travel(AFTER, tick=False)
def test_this_years_carry_over_must_equal_last_years_published_carry_forward(world, township):
    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        last = services.start_report(actor=world.person(township, Role.DISCLOSURE_OFFICER), agency=township, year=2025)
        last = services.save_report(last, actor=world.person(township, Role.DISCLOSURE_OFFICER),
                                    overview="本年度新收政府信息公开申请0件。", problems=PROBLEMS, other_matters=OTHER,
                                    section_2=good_section_2(in_force=10))  # fmt: skip
        walk(world, last, "submit", "review", "approve", "publish")
    # An application of 2025 appears after last year's report was frozen: it is carried over now.
    record(township, "research", date(2025, 12, 29))
    report = written(world, township, section_2={**good_section_2(first_year=False)},
                     overview=OVERVIEW.replace("上年结转0件", "上年结转1件")
                                      .replace("结转下年度1件", "结转下年度2件"))  # fmt: skip
    broken = services.broken_rules(report)
    assert [b.rule for b in broken] == ["cross_year.carry_over", "cross_year.carry_over"]  # 科研机构 and 总计
    assert "上年报告结转下年度 0 件" in broken[0].message


@time_machine.travel(AFTER, tick=False)
def test_the_docx_has_the_official_tables_with_merged_headers_and_the_xlsx_opens(world, township, tmp_path):
    import docx
    import openpyxl

    written(world, township)
    path = tmp_path / "r.docx"
    call_command("annual_report", agency="maoshe", year="2026", format="docx", output=str(path), stdout=io.StringIO())
    document = docx.Document(str(path))
    headings = [
        p.text for p in document.paragraphs if p.text.startswith(("一、", "二、", "三、", "四、", "五、", "六、"))
    ]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    two, three, four = document.tables
    assert len(three.rows) == 28
    assert len(three.columns) == 10
    assert three.cell(0, 0).text.startswith("（本列数据的勾稽关系为")
    assert three.cell(2, 2)._tc is three.cell(0, 0)._tc
    assert three.cell(0, 3).text == "申请人情况"
    assert three.cell(0, 9)._tc is three.cell(0, 3)._tc
    assert three.cell(1, 4).text == "法人或其他组织"
    assert three.cell(2, 3).text == "自然人"
    assert [three.cell(3, c).text for c in range(3, 10)] == ["2", "1", "0", "0", "0", "0", "3"]
    assert three.cell(12, 0).text == "三、本年度办理结果"
    assert three.cell(12, 2).text == "6.属于四类过程性信息"
    assert three.cell(27, 0).text == "四、结转下年度继续办理"
    assert three.cell(27, 9).text == "1"
    assert len(four.columns) == 15
    assert four.cell(0, 0).text == "行政复议"
    assert four.cell(0, 14).text == "行政诉讼"
    assert [row.cells[0].text for row in two.rows if row.cells[0].text in ("规章", "行政事业性收费")] == [
        "规章",
        "行政事业性收费",
    ]
    xlsx = tmp_path / "r.xlsx"
    call_command("annual_report", agency="maoshe", year="2026", format="xlsx", output=str(xlsx), stdout=io.StringIO())
    book = openpyxl.load_workbook(str(xlsx))
    sheet = book["三、依申请公开"]
    assert "A1:C3" in {str(r) for r in sheet.merged_cells.ranges}
    assert (sheet["D4"].value, sheet["J4"].value, sheet["J28"].value) == (2, 3, 1)
    assert zipfile.is_zipfile(path)
    assert zipfile.is_zipfile(xlsx)


@time_machine.travel(AFTER, tick=False)
def test_the_pages_show_the_rules_save_a_draft_refuse_bad_numbers_in_chinese_and_stay_in_the_agency(
    world, township, client
):
    report = written(world, township, problems="无")
    officer = world.person(township, Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    url = reverse("reports:staff-detail", args=["maoshe", 2026])
    page = client.get(url).content.decode()
    assert "第五部分不能只写“无”" in page
    assert "三、收到和处理政府信息公开申请情况" in page
    bad = client.post(reverse("reports:staff-edit", args=["maoshe", 2026]),
                      {"overview": OVERVIEW, "problems": PROBLEMS, "other_matters": OTHER,
                       "s2_licensing_decisions": "五"})  # fmt: skip
    assert bad.status_code == 400
    assert "请填写 0 或以上的数字" in bad.content.decode()
    report.refresh_from_db()
    assert report.problems == "无"  # nothing saved half-way
    data = client.get(reverse("reports:staff-json", args=["maoshe", 2026])).json()
    assert data["section_3"]["rows"]["new"]["total"] == 3
    assert data["rules"]["passed"] is False
    response = client.get(reverse("reports:staff-download", args=["maoshe", 2026, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert client.get(url + "?version=²").status_code == 404  # a digit that is not 0-9: not a 500
    other = world.person(world.department, Role.DISCLOSURE_OFFICER)
    client.force_login(other)
    assert client.get(url).status_code in (403, 404)


@time_machine.travel(AFTER, tick=False)
def test_the_staff_api_gives_the_documented_json_to_the_agencys_own_staff_only(world, township, client):
    written(world, township, problems="无")
    url = "/api/v1/reports/maoshe/2026"
    assert client.get(url).status_code in (302, 401, 403)  # not signed in
    client.force_login(world.person(township, Role.LEADER_IN_CHARGE))
    data = client.get(url).json()
    assert (data["year"], data["version"], data["status"], data["frozen"]) == (2026, 1, "draft", False)
    assert data["section_3"]["rows"]["carried_forward"]["total"] == 1
    assert data["texts"]["problems"] == "无"
    assert "text.problems_none" in {b["rule"] for b in data["rules"]["broken"]}
    assert client.get(url + "?version=7").status_code == 404
    assert "/api/v1/reports/{agency_slug}/{year}" in client.get("/api/v1/openapi.json").json()["paths"]
    client.force_login(world.person(world.department, Role.DISCLOSURE_OFFICER))
    assert client.get(url).status_code in (403, 404)  # another agency's report


@time_machine.travel(AFTER, tick=False)
def test_the_district_supervisor_sees_each_agencys_state_and_the_consolidated_tables(world, township, client):
    walk(world, written(world, township), "submit")
    record(world.department, "legal_service", date(2026, 6, 1), date(2026, 6, 20), "disclosed")
    with time_machine.travel("2027-02-03 10:00 +0800", tick=False):
        client.force_login(world.person(world.district, Role.DISTRICT_SUPERVISOR))
        response = client.get(reverse("reports:district") + "?year=2026")
        states = {s.agency.slug: s for s in response.context["states"]}
        assert states["maoshe"].report.status == Status.OFFICE_REVIEW
        assert states["maoshe"].late
        assert states["huangyan-agri"].report is None
        assert states["huangyan-agri"].late
        rows = {key: cells for key, _label, cells in response.context["tables"]["rows"]}
        assert rows["new"][-1] == 4
        assert rows["disclosed"][4] == 1
        assert "3 家逾期" in response.content.decode()
        walk(world, Report.objects.get(agency=township, year=2026), "review", "approve", "publish")
        page = client.get(reverse("reports:district") + "?year=2026").content.decode()
        assert "已发布（第1版）" in page
        assert "2 家逾期" in page
        bad = client.get(reverse("reports:district") + "?year=二〇二六")
        assert "请填写年份数字" in bad.content.decode()  # and last year is shown instead
        assert bad.context["year"] == 2026
    client.force_login(world.person(township, Role.DISCLOSURE_OFFICER))
    assert client.get(reverse("reports:district")).status_code == 403


def test_the_office_is_reminded_before_31_january_and_after_it_when_unpublished(world):
    ReportSetting.objects.create(agency=world.township, remind_days_before=10)
    found = {d.item: d for d in report_due(date(2027, 1, 15), date(2027, 1, 15))}
    assert f"report:{world.district.pk}:2026" in found
    assert f"report:{world.township.pk}:2026" not in found
    soon = {d.item: d for d in report_due(date(2027, 1, 21), date(2027, 1, 21))}
    assert soon[f"report:{world.township.pk}:2026"].threshold == "due_soon"
    late = {d.item: d for d in report_due(date(2027, 2, 1), date(2027, 2, 1))}
    assert late[f"report:{world.township.pk}:2026"].threshold == "overdue"
    assert late[f"report:{world.township.pk}:2026"].recipients == ["maoshe.disclosure@example.gov.cn"]


def test_the_new_years_job_waits_for_januarys_first_working_days_then_freezes_once(world, township):
    """Seed E1: a letter of 31 December may be registered on the next working days with its own
    date; the year is frozen (as at 24:00 on 31 December) after the third working day of January."""
    from gongkai.reports.tasks import freeze_last_year

    with time_machine.travel("2027-01-06 00:05 +0800", tick=False):  # 元旦 1 January; 4, 5, 6 January
        assert freeze_last_year.call_local() == 0
        record(township, "business", date(2026, 12, 31))  # registered late, with its own date
    with time_machine.travel("2027-01-07 00:05 +0800", tick=False):
        assert freeze_last_year.call_local() == 3  # the district, the township, the department
        assert freeze_last_year.call_local() == 0
    frozen = services.frozen_figures(township, 2026)
    assert frozen.data["section_3"]["rows"]["carried_forward"]["total"] == 2
    assert AuditEvent.objects.filter(event="reports.figures.frozen").count() == 3
