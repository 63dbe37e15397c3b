"""Administrative disputes (issue 11; seed F1–F6): the respondent's answer clock on the working-day
calendar (行政复议法 art. 48, 53(四), 54, 88; 行政诉讼法 art. 67, 101), the office's evidence date
inside it (F3), the steps through the pages, and section 四 of the annual report."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.core.calendar import get_calendar
from gongkai.core.models import AuditEvent
from gongkai.disputes.clock import answer_deadline, evidence_deadline
from gongkai.disputes.models import Dispute, DisputeEvent
from gongkai.disputes.services import record_dispute_event, register_dispute
from gongkai.disputes.transitions import DisputeError
from gongkai.reports.annual import build
from tests.applications.factories import make_application

D = date.fromisoformat


@pytest.mark.parametrize(
    ("kind", "procedure", "received", "days", "due", "provisional"),
    [
        # 国庆 1–7 October 2026 and its make-up Saturday 10 October (working days, art. 88).
        ("reconsideration", "ordinary", "2026-09-29", None, "2026-10-19", False),
        ("reconsideration", "simplified", "2026-09-29", None, "2026-10-12", False),
        # 春节 15–23 February 2026; the make-up Saturday 14 February counts.
        ("reconsideration", "simplified", "2026-02-12", None, "2026-02-26", False),
        # Into 2027, not imported: 元旦 estimated, the date provisional.
        ("reconsideration", "ordinary", "2026-12-24", None, "2027-01-08", True),
        # A lawsuit counts calendar days; a last day in a holiday moves to the next working day.
        ("lawsuit", "", "2026-09-16", 15, "2026-10-08", False),
        ("lawsuit", "", "2026-04-20", 15, "2026-05-06", False),  # 5 May: 劳动节 → 6 May
        ("lawsuit_after_reconsideration", "", "2026-06-01", 15, "2026-06-16", False),
        ("lawsuit", "", "2026-06-01", 10, "2026-06-11", False),  # the court's notice said 10 days
    ],
)
def test_the_answer_is_due_as_the_law_counts_it(db, kind, procedure, received, days, due, provisional):
    deadline = answer_deadline(kind, procedure, D(received), days, get_calendar())
    assert (deadline.due, deadline.provisional) == (D(due), provisional)
    assert deadline.explanation[-1].endswith(f"{due}。")


def test_the_explanation_names_the_article_and_the_move_past_a_holiday(db):
    simplified = answer_deadline("reconsideration", "simplified", D("2026-09-29"), None, get_calendar())
    assert "第五十四条" in simplified.explanation[0]
    assert "5 个工作日" in simplified.explanation[0]
    sued = answer_deadline("lawsuit", "", D("2026-09-16"), 15, get_calendar())
    assert any("2026-10-01 不是工作日" in line and "第一百零一条" in line for line in sued.explanation)


def test_the_offices_evidence_date_shrinks_to_the_answer_date_and_says_why(db):
    calendar = get_calendar()
    simplified = answer_deadline("reconsideration", "simplified", D("2026-10-09"), None, calendar)
    assert simplified.due == D("2026-10-15")
    evidence = evidence_deadline(D("2026-10-12"), simplified, calendar)  # 5 WD would be 10-19
    assert (evidence.due, evidence.shortened) == (D("2026-10-15"), True)
    assert "提前至该日" in evidence.explanation[-1]
    ordinary = answer_deadline("reconsideration", "ordinary", D("2026-10-09"), None, calendar)
    evidence = evidence_deadline(D("2026-10-12"), ordinary, calendar)
    assert (evidence.due, evidence.shortened) == (D("2026-10-19"), False)


@pytest.fixture
def officer(world):
    return world.person(world.township, Role.DISCLOSURE_OFFICER)


@pytest.fixture
def answered_application(world):
    with time_machine.travel("2026-09-10 10:00 +0800", tick=False):
        return make_application(world.township, received_on=date(2026, 9, 1))


def simplified_case(officer, application) -> Dispute:
    """A reconsideration under the simplified procedure whose copy came on Friday 9 October 2026:
    the answer is due on 15 October (5 working days)."""
    return register_dispute(
        actor=officer,
        agency=officer.agency,
        application_number=application.number,
        kind="reconsideration",
        organ="黄岩区人民政府",
        received_on=D("2026-10-09"),
        procedure="simplified",
    )


@time_machine.travel("2026-10-12 10:00 +0800", tick=False)
def test_the_office_registers_a_case_through_the_page_and_follows_it_to_the_decision(
    client, world, officer, answered_application
):
    client.force_login(officer)
    create = reverse("disputes:staff-create", args=["maoshe"])
    data = {
        "application_number": answered_application.number,
        "kind": "reconsideration",
        "organ": "台州市黄岩区人民政府",
        "case_number": "黄政复〔2026〕18号",
        "received_on": "2026-10-09",
        "procedure": "simplified",
    }
    response = client.post(create, data, follow=True)
    page = response.content.decode()
    dispute = Dispute.objects.get()
    assert dispute.answer_due_on == D("2026-10-15")
    assert "2026-10-15" in page
    assert "第五十四条" in page
    assert "逾期将视为该行政行为没有证据、依据" in page  # due within the warning window
    detail = reverse("disputes:staff-detail", args=["maoshe", dispute.number])

    def step(kind, **fields):
        payload = {f"{kind}-{k}": v for k, v in fields.items()}
        return client.post(reverse("disputes:staff-event", args=["maoshe", dispute.number, kind]), payload)

    office = world.township.offices.exclude(is_disclosure_office=True).first()
    assert "收到承办科室证据材料" not in client.get(detail).content.decode()  # nothing forwarded yet
    assert step("evidence_received", on="2026-10-12").status_code == 400
    assert step("forwarded", on="2026-10-12", office=office.pk).status_code == 302
    dispute.refresh_from_db()
    assert (dispute.evidence_office, dispute.evidence_due_on) == (office, D("2026-10-15"))
    assert step("meeting_held", on="2026-10-12", note="").status_code == 400  # minutes required
    assert step("evidence_received", on="2026-10-12").status_code == 302
    assert step("meeting_held", on="2026-10-12", note="党政办、承办科室、法律顾问参加。").status_code == 302
    hearing = {"on": "2026-10-12", "hearing_on": "2026-10-30", "note": "区政府复议室；代理人：党政办王某"}
    assert step("hearing_scheduled", **hearing).status_code == 302
    assert step("answered", on="2026-10-12").status_code == 302
    assert step("answered", on="2026-10-12").status_code == 400  # once
    assert step("decided", on="2026-10-12", outcome="").status_code == 400
    assert "登记下一步" in client.get(detail).content.decode()
    assert step("decided", on="2026-10-12", outcome="upheld").status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome) == ("decided", "upheld")
    assert list(dispute.events.values_list("kind", flat=True)) == [
        "registered", "forwarded", "evidence_received", "meeting_held", "hearing_scheduled", "answered", "decided",
    ]  # fmt: skip
    audited = set(AuditEvent.objects.filter(event__startswith="disputes.").values_list("event", flat=True))
    assert audited == {
        "disputes.dispute.registered",
        "disputes.dispute.forwarded",
        "disputes.dispute.evidence_received",
        "disputes.dispute.meeting_held",
        "disputes.dispute.hearing_scheduled",
        "disputes.dispute.answered",
        "disputes.dispute.decided",
        "disputes.dispute.action_refused",  # the second answer, refused by the state
    }
    page = client.get(detail).content.decode()
    assert "结果维持" in page
    assert "登记下一步" not in page  # decided: nothing more to record


@time_machine.travel("2026-10-12 10:00 +0800", tick=False)
def test_a_registration_that_cannot_stand_is_refused_in_chinese_and_saves_nothing(
    client, officer, answered_application
):
    client.force_login(officer)
    create = reverse("disputes:staff-create", args=["maoshe"])
    base = {"kind": "reconsideration", "organ": "黄岩区人民政府", "received_on": "2026-10-09"}
    cases = [
        ({**base, "application_number": "NOPE-1", "procedure": "ordinary"}, "本机关没有该编号的申请"),
        ({**base, "application_number": answered_application.number}, "请选择复议机关适用的审理程序"),
        ({**base, "application_number": answered_application.number, "procedure": "ordinary",
          "received_on": "2026-08-01"}, "收到副本的日期不能早于收到申请的日期"),
        ({**base, "application_number": answered_application.number, "kind": "lawsuit", "answer_days": "0"},
         "确保该值大于或等于1"),
    ]  # fmt: skip
    for data, message in cases:
        response = client.post(create, data)
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert not Dispute.objects.exists()


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_an_answer_due_in_the_past_is_shown_in_red_and_a_late_answer_is_marked(client, officer, answered_application):
    dispute = simplified_case(officer, answered_application)
    client.force_login(officer)
    page = client.get(reverse("disputes:staff-detail", args=["maoshe", dispute.number])).content.decode()
    assert "答复期限已于 2026-10-15 届满" in page
    listing = client.get(reverse("disputes:staff-list", args=["maoshe"])).content.decode()
    assert "1 件答复逾期" in listing
    record_dispute_event(dispute, actor=officer, kind="answered", on=D("2026-10-19"))
    assert DisputeEvent.objects.filter(kind="answered").exists()
    assert AuditEvent.objects.get(event="disputes.dispute.answered").data["late"] is True


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_only_the_disclosure_office_records_steps_and_other_agencies_see_nothing(
    client, world, officer, answered_application
):
    dispute = register_dispute(
        actor=officer,
        agency=officer.agency,
        application_number=answered_application.number,
        kind="lawsuit",
        organ="台州市椒江区人民法院",
        received_on=D("2026-10-09"),
    )
    assert dispute.answer_days == 15  # 行政诉讼法 art. 67 unless the notice says otherwise
    leader = world.person(world.township, Role.LEADER_IN_CHARGE)
    with pytest.raises(PermissionDenied, match="只有政务公开办公室"):
        record_dispute_event(dispute, actor=leader, kind="answered", on=D("2026-10-19"))
    refusal = AuditEvent.objects.get(event="disputes.dispute.action_refused")
    assert refusal.actor_id == leader.pk
    client.force_login(leader)
    assert client.get(reverse("disputes:staff-detail", args=["maoshe", dispute.number])).status_code == 200
    client.force_login(world.person(world.department, Role.DISCLOSURE_OFFICER))
    other = world.department.slug
    assert client.get(reverse("disputes:staff-detail", args=[other, dispute.number])).status_code == 404
    with pytest.raises(Exception, match="其他机关"):
        record_dispute_event(
            dispute, actor=world.person(world.department, Role.DISCLOSURE_OFFICER), kind="answered", on=D("2026-10-19")
        )
    record_dispute_event(dispute, actor=officer, kind="decided", on=D("2026-10-19"), data={"outcome": "other"})
    with pytest.raises(DisputeError, match="已审结"):
        record_dispute_event(dispute, actor=officer, kind="answered", on=D("2026-10-19"))


@time_machine.travel("2027-01-15 10:00 +0800", tick=False)
def test_section_four_counts_each_group_by_its_result_at_the_end_of_the_year(world, officer):
    """Cases received in 2026 by their result at 24:00 on 31 December 2026: decided ones in their
    column, the rest (and one decided in January 2027) 尚未审结."""
    application = make_application(world.township, received_on=date(2026, 3, 2))
    cases = [
        ("reconsideration", "2026-04-01", "2026-05-10", "upheld"),
        ("reconsideration", "2026-06-01", "2026-07-10", "corrected"),
        ("reconsideration", "2026-12-20", None, None),
        ("lawsuit", "2026-05-01", "2026-09-01", "other"),
        ("lawsuit", "2026-11-01", "2027-01-10", "upheld"),  # decided after the year: pending in 2026
        ("lawsuit_after_reconsideration", "2026-08-01", "2026-12-30", "corrected"),
        ("reconsideration", "2025-11-01", "2026-01-10", "upheld"),  # a 2025 case
    ]
    for kind, received, decided, outcome in cases:
        dispute = register_dispute(
            actor=officer,
            agency=officer.agency,
            application_number=application.number,
            kind=kind,
            organ="黄岩区人民政府",
            received_on=D(received) if received >= "2026-03-02" else D("2026-03-02"),
            procedure="ordinary" if kind == "reconsideration" else "",
        )
        if received < "2026-03-02":
            Dispute.objects.filter(pk=dispute.pk).update(received_on=D(received))
            dispute.refresh_from_db()
        if decided:
            record_dispute_event(dispute, actor=officer, kind="decided", on=D(decided), data={"outcome": outcome})
    report = build(world.township, 2026)
    four = report.as_json()["section_4"]
    assert four["columns"] == ["upheld", "corrected", "other", "pending", "total"]
    assert four["groups"] == {
        "reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3},
        "lawsuit": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
        "lawsuit_after_reconsideration": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
    }
    assert report.passes
    assert build(world.township, 2025).section_4["reconsideration"] == {
        "upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1,
    }  # fmt: skip
    Dispute.objects.filter(outcome="other").update(outcome="withdrawn")  # a result the form has no column for
    broken = build(world.township, 2026).broken
    assert [b.rule for b in broken] == ["section_4.group_total"]
    assert re.search("第四部分“行政诉讼·未经复议直接起诉”：各结果之和为 1，但本年收到 2 件", broken[0].message)


@time_machine.travel("2026-10-13 10:00 +0800", tick=False)
def test_the_daily_sweep_warns_of_the_answer_and_the_offices_evidence_once(
    world, officer, answered_application, mailoutbox, django_capture_on_commit_callbacks
):
    from gongkai.disputes.reminders import sweep_dispute_deadlines

    dispute = simplified_case(officer, answered_application)  # due 2026-10-15
    office = world.township.offices.exclude(is_disclosure_office=True).first()
    record_dispute_event(dispute, actor=officer, kind="forwarded", on=D("2026-10-12"), data={"office": office.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_dispute_deadlines(D("2026-10-13")) == 2  # the answer, and the office's evidence
        assert sweep_dispute_deadlines(D("2026-10-13")) == 0  # once
    subjects = {m.subject for m in mailoutbox}
    assert f"行政争议 {dispute.number} 的答复须在 2026-10-15 前提交（3 个工作日内到期）" in subjects
    assert f"行政争议 {dispute.number} 的科室证据材料须在 2026-10-15 前提交" in subjects
    assert all("视为该行政行为没有证据、依据" in m.body for m in mailoutbox)
    record_dispute_event(dispute, actor=officer, kind="answered", on=D("2026-10-13"))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_dispute_deadlines(D("2026-10-16")) == 0  # answered: nothing more to warn of


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_steps_out_of_order_are_refused_and_a_new_forward_awaits_the_new_offices_evidence(
    world, officer, answered_application
):
    dispute = simplified_case(officer, answered_application)
    first, second = world.township.offices.exclude(is_disclosure_office=True)[:2]
    record_dispute_event(dispute, actor=officer, kind="forwarded", on=D("2026-10-12"), data={"office": first.pk})
    with pytest.raises(DisputeError, match="收到证据的日期不能早于转交副本的日期"):
        record_dispute_event(dispute, actor=officer, kind="evidence_received", on=D("2026-10-10"))
    record_dispute_event(dispute, actor=officer, kind="evidence_received", on=D("2026-10-13"))
    with pytest.raises(DisputeError, match="新的转交日期不能早于该日"):
        record_dispute_event(dispute, actor=officer, kind="forwarded", on=D("2026-10-11"), data={"office": second.pk})
    record_dispute_event(dispute, actor=officer, kind="forwarded", on=D("2026-10-14"), data={"office": second.pk})
    dispute.refresh_from_db()
    assert (dispute.evidence_office, dispute.evidence_received_on) == (second, None)  # awaited again
    with pytest.raises(DisputeError, match="开庭（听证）日期不能早于确定日期"):
        record_dispute_event(
            dispute, actor=officer, kind="hearing_scheduled", on=D("2026-10-14"),
            note="区政府复议室", data={"hearing_on": D("2026-10-13")},
        )  # fmt: skip
    record_dispute_event(dispute, actor=officer, kind="answered", on=D("2026-10-15"))
    with pytest.raises(DisputeError, match="审结日期不能早于提交答复的日期"):
        record_dispute_event(dispute, actor=officer, kind="decided", on=D("2026-10-14"), data={"outcome": "upheld"})


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_a_lawsuit_past_its_date_is_warned_in_the_words_of_the_litigation_law(client, officer, answered_application):
    dispute = register_dispute(
        actor=officer,
        agency=officer.agency,
        application_number=answered_application.number,
        kind="lawsuit",
        organ="台州市椒江区人民法院",
        received_on=D("2026-10-01"),
    )  # 15 days: 16 October
    client.force_login(officer)
    page = client.get(reverse("disputes:staff-detail", args=["maoshe", dispute.number])).content.decode()
    assert "举证和答辩期限已于 2026-10-16 届满" in page
    assert "第三人提供证据的除外" in page
    assert "复议机关" not in page.split("举证和答辩期限")[1].split("</p>")[0]


def test_an_online_submission_not_yet_received_cannot_be_disputed(world, officer):
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        waiting = make_application(world.township, received_on=date(2026, 10, 19), confirmed=False)
        with pytest.raises(ValidationError) as refused:
            register_dispute(
                actor=officer,
                agency=officer.agency,
                application_number=waiting.number,
                kind="reconsideration",
                organ="黄岩区人民政府",
                received_on=D("2026-10-20"),
                procedure="ordinary",
            )
    assert "请先确认收到" in refused.value.message_dict["application_number"][0]
    assert not Dispute.objects.exists()


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_the_workbench_shows_the_open_disputes_to_the_office_and_the_leaders_only(
    client, world, officer, answered_application
):
    dashboard = reverse("accounts:dashboard")
    client.force_login(officer)
    assert "行政争议" not in client.get(dashboard).content.decode().split("</nav>")[-1]  # none yet
    simplified_case(officer, answered_application)  # due 15 October: overdue
    page = client.get(dashboard).content.decode().split("</nav>")[-1]
    assert "答复逾期" in page
    assert 'class="big danger-text">1<' in page
    client.force_login(world.person(world.township, Role.LEADER_IN_CHARGE))
    assert "答复逾期" in client.get(dashboard).content.decode()
    client.force_login(world.person(world.township, Role.CLERK))
    assert "答复逾期" not in client.get(dashboard).content.decode()


@time_machine.travel("2026-10-13 10:00 +0800", tick=False)
def test_a_simplified_case_moved_to_the_ordinary_procedure_gets_ten_working_days(officer, answered_application):
    """行政复议法 art. 55; the ordinary 10 working days from the copy (art. 48), over 国庆's make-up day."""
    dispute = simplified_case(officer, answered_application)
    assert dispute.answer_due_on == D("2026-10-15")  # 5 working days (art. 54)
    moved = record_dispute_event(dispute, actor=officer, kind="procedure_changed", on=D("2026-10-12"))
    assert (moved.procedure, moved.procedure_changed_on) == ("ordinary", D("2026-10-12"))
    assert moved.answer_due_on == D("2026-10-22")  # 10 working days from 9 October, Saturday the 10th among them
    assert "第五十五条" in moved.answer_explanation[0]
    assert AuditEvent.objects.filter(event="disputes.dispute.procedure_changed").count() == 1
    with pytest.raises(DisputeError, match="只有适用简易程序"):
        record_dispute_event(moved, actor=officer, kind="procedure_changed", on=D("2026-10-13"))


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_a_switch_after_the_simplified_date_passed_cannot_cure_a_late_answer(officer, answered_application):
    dispute = simplified_case(officer, answered_application)  # due 2026-10-15
    with pytest.raises(DisputeError, match="简易程序的答复期限（2026-10-15）已经届满"):
        record_dispute_event(dispute, actor=officer, kind="procedure_changed", on=D("2026-10-16"))
    dispute.refresh_from_db()
    assert (dispute.procedure, dispute.answer_due_on) == ("simplified", D("2026-10-15"))


def test_a_decision_against_the_agency_orders_a_new_reply_tracked_to_its_carrying_out(
    world, officer, answered_application, mailoutbox, django_capture_on_commit_callbacks
):
    """F6: the new reply's date from the day the decision took effect, on the working-day calendar,
    reminded, then carried out; an upheld decision orders nothing."""
    from gongkai.disputes.reminders import sweep_dispute_deadlines

    with time_machine.travel("2026-10-13 10:00 +0800", tick=False):
        dispute = simplified_case(officer, answered_application)
        record_dispute_event(dispute, actor=officer, kind="answered", on=D("2026-10-13"))
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        decided = record_dispute_event(
            dispute, actor=officer, kind="decided", on=D("2026-11-16"), data={"outcome": "corrected"}
        )
        with pytest.raises(DisputeError, match="生效日期不能早于"):
            record_dispute_event(
                decided, actor=officer, kind="reply_ordered", on=D("2026-11-13"), data={"days": 15, "unit": "working"}
            )
        ordered = record_dispute_event(decided, actor=officer, kind="reply_ordered", on=D("2026-11-18"),
            data={"days": 15, "unit": "working"})  # fmt: skip
        assert ordered.status == "decided"  # the case stays decided; the obligation is tracked
        assert ordered.new_reply_due_on == D("2026-12-09")  # 15 working days after 18 November
        assert ordered.new_reply_explanation[-1] == "重新答复截止日期为 2026-12-09。"
        with pytest.raises(DisputeError, match="已登记责令重新答复"):
            record_dispute_event(ordered, actor=officer, kind="reply_ordered", on=D("2026-11-19"),
                data={"days": 10, "unit": "working"})  # fmt: skip
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False), django_capture_on_commit_callbacks(execute=True):
        assert sweep_dispute_deadlines(D("2026-12-07")) == 1
    assert mailoutbox[-1].subject == f"争议 {dispute.number} 责令的重新答复须于 2026-12-09 前作出"
    assert "第七十七条" in mailoutbox[-1].body
    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        with pytest.raises(DisputeError, match="请写明履行"):
            record_dispute_event(ordered, actor=officer, kind="carried_out", on=D("2026-12-10"))
        done = record_dispute_event(ordered, actor=officer, kind="carried_out", on=D("2026-12-10"),
                                    note="已重新答复并送达",
                                    data={"document_number": "茅政信复〔2026〕9号"})  # fmt: skip
        assert done.carried_out_on == D("2026-12-10")
        assert AuditEvent.objects.get(event="disputes.dispute.carried_out").data["late"] is True  # due on the 9th
        assert AuditEvent.objects.filter(event="disputes.dispute.reply_ordered").count() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_dispute_deadlines(D("2026-12-10")) == 0  # carried out: nothing more to remind


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_an_upheld_decision_orders_nothing_and_leaves_nothing_to_carry_out(officer, answered_application):
    from gongkai.disputes.transitions import DISPUTE

    with time_machine.travel("2026-10-13 10:00 +0800", tick=False):
        dispute = simplified_case(officer, answered_application)
        record_dispute_event(dispute, actor=officer, kind="answered", on=D("2026-10-13"))
    upheld = record_dispute_event(
        dispute, actor=officer, kind="decided", on=D("2026-11-16"), data={"outcome": "upheld"}
    )
    assert DISPUTE.available(upheld, officer) == []
    with pytest.raises(DisputeError, match="维持原行政行为的决定不会责令重新答复"):
        record_dispute_event(upheld, actor=officer, kind="reply_ordered", on=D("2026-11-18"),
            data={"days": 15, "unit": "working"})  # fmt: skip


@time_machine.travel("2026-10-20 10:00 +0800", tick=False)
def test_the_application_page_leads_to_a_registration_naming_it(client, officer, answered_application):
    client.force_login(officer)
    page = client.get(
        reverse("applications:staff-detail", args=["maoshe", answered_application.number])
    ).content.decode()
    link = reverse("disputes:staff-create", args=["maoshe"]) + f"?application={answered_application.number}"
    assert f'href="{link}"' in page
    form = client.get(link).content.decode()
    assert f'value="{answered_application.number}"' in form
