"""The pre-publication review chain (issue 3; B1 nothing bypasses it; D1–D3; G5–G8; B3–B5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.catalog import services
from gongkai.catalog.choices import Attribute, Classification, Decision, Ground, Status, Step
from gongkai.catalog.models import Entry
from gongkai.core.models import AuditEvent
from tests.catalog.conftest import content


@pytest.fixture(autouse=True)
def _frozen():
    """The chain's dates (formed, due, published) are read against one "today", whatever the
    machine's date; a test that needs another day travels there itself."""
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        yield


def test_an_item_passes_every_step_in_order_and_is_published(cast, draft):
    entry = draft(is_important=True)
    assert entry.status == Status.DRAFT
    assert entry.revision == 1
    entry = services.submit(entry, actor=cast.clerk)
    assert entry.status == Status.OFFICE_REVIEW
    expected = [
        (Step.OFFICE, cast.head, {"classification": Classification.NOT_SECRET}, Status.CONFIDENTIALITY_REVIEW),
        (Step.CONFIDENTIALITY, cast.secrecy, {}, Status.LEADER_CONFIDENTIALITY),
        (Step.LEADER_CONFIDENTIALITY, cast.leader, {}, Status.DISCLOSURE_CHECK),
        (Step.DISCLOSURE, cast.disclosure, {}, Status.RELEASE_APPROVAL),
        (Step.RELEASE, cast.principal, {}, Status.READY),
    ]
    for step, actor, data, after in expected:
        entry = services.approve(entry, actor=actor, step=step, comment="同意。", **data)
        assert entry.status == after, step
    entry = services.publish(entry, actor=cast.web)
    assert entry.status == Status.PUBLISHED
    assert entry.index_number == f"{cast.agency.index_prefix}/{timezone.localdate().year}-00001"
    assert entry.published_on == timezone.localdate()
    # Every opinion records who, which version, which step (B4).
    opinions = list(entry.opinions.values_list("step", "actor_name", "revision__number", "decision"))
    assert [o[0] for o in opinions] == [
        Step.SUBMITTED,
        Step.OFFICE,
        Step.CONFIDENTIALITY,
        Step.LEADER_CONFIDENTIALITY,
        Step.DISCLOSURE,
        Step.RELEASE,
        Step.PUBLICATION,
    ]
    assert {o[2] for o in opinions} == {1}
    assert opinions[1][1] == cast.head.full_name
    events = list(AuditEvent.objects.filter(object_id=str(entry.pk)).values_list("event", flat=True))
    assert "catalog.entry.published" in events
    assert events.count("catalog.entry.approved") == 5


def test_an_unimportant_item_skips_only_the_release_approval(cast, draft, advance):
    entry = advance(draft(is_important=False), Step.DISCLOSURE)
    assert entry.status == Status.READY


@pytest.mark.parametrize(
    ("step", "who"),
    [
        (Step.CONFIDENTIALITY, "secrecy"),
        (Step.LEADER_CONFIDENTIALITY, "leader"),
        (Step.DISCLOSURE, "disclosure"),
        (Step.PUBLICATION, "web"),
    ],
)
def test_a_later_step_cannot_be_taken_before_its_turn(cast, draft, step, who):
    entry = services.submit(draft(), actor=cast.clerk)  # waits for the office head

    def act():
        if step == Step.PUBLICATION:
            return services.publish(entry, actor=getattr(cast, who))
        return services.approve(entry, actor=getattr(cast, who), step=step, comment="同意")

    with pytest.raises(ValidationError, match="不在"):
        act()
    entry.refresh_from_db()
    assert entry.status == Status.OFFICE_REVIEW


def test_a_draft_cannot_be_published_or_approved_without_submission(cast, draft):
    entry = draft()
    with pytest.raises(ValidationError):
        services.publish(entry, actor=cast.web)
    with pytest.raises(ValidationError):
        services.approve(
            entry, actor=cast.head, step=Step.OFFICE, comment="x", classification=Classification.NOT_SECRET
        )
    assert Entry.objects.get(pk=entry.pk).status == Status.DRAFT


def test_a_role_cannot_take_another_roles_step(cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    with pytest.raises(PermissionDenied):
        services.approve(
            entry, actor=cast.leader, step=Step.OFFICE, comment="x", classification=Classification.NOT_SECRET
        )


def test_the_drafter_cannot_approve_their_own_item(cast, make_user, draft):
    # A clerk who is also the leader in charge drafts an item and then tries to approve it.
    both = make_user(cast.agency, "clerk.leader", Role.CLERK, Role.LEADER_IN_CHARGE, office=cast.office)
    entry = services.save_draft(actor=both, agency=cast.agency, office=cast.office, values=content())
    entry = services.submit(entry, actor=both)
    entry = services.approve(
        entry, actor=cast.head, step=Step.OFFICE, comment="同意", classification=Classification.NOT_SECRET
    )
    entry = services.approve(entry, actor=cast.secrecy, step=Step.CONFIDENTIALITY, comment="同意")
    with pytest.raises(PermissionDenied, match="起草"):
        services.approve(entry, actor=both, step=Step.LEADER_CONFIDENTIALITY, comment="同意")
    assert Entry.objects.get(pk=entry.pk).status == Status.LEADER_CONFIDENTIALITY


def test_a_person_who_edited_the_draft_cannot_approve_it(cast, make_user, draft):
    editor = make_user(cast.agency, "clerk.head", Role.CLERK, Role.OFFICE_HEAD, office=cast.office)
    entry = draft()
    entry = services.save_draft(
        actor=editor, agency=cast.agency, office=cast.office, values=content(title="改过的标题"), entry=entry
    )
    entry = services.submit(entry, actor=cast.clerk)
    with pytest.raises(PermissionDenied):
        services.approve(
            entry, actor=editor, step=Step.OFFICE, comment="同意", classification=Classification.NOT_SECRET
        )


def test_staff_of_another_agency_are_refused(cast, world, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    outsider = world.person(world.department, Role.OFFICE_HEAD)
    with pytest.raises(PermissionDenied, match="其他机关"):
        services.approve(
            entry, actor=outsider, step=Step.OFFICE, comment="同意", classification=Classification.NOT_SECRET
        )
    with pytest.raises(PermissionDenied):
        services.withdraw(entry, actor=world.person(world.department, Role.DISCLOSURE_OFFICER), reason="理由充分的撤回")


def test_returning_with_a_reason_sends_the_item_back_and_a_changed_version_restarts(cast, draft, advance):
    entry = advance(draft(), Step.LEADER_CONFIDENTIALITY)
    assert entry.status == Status.DISCLOSURE_CHECK
    with pytest.raises(ValidationError):
        services.return_for_revision(entry, actor=cast.disclosure, step=Step.DISCLOSURE, reason="")
    entry = services.return_for_revision(
        entry, actor=cast.disclosure, step=Step.DISCLOSURE, reason="公开属性需再核实。"
    )
    assert entry.status == Status.DRAFT
    # Unchanged and resubmitted: the earlier approvals of this very version stand.
    entry = services.submit(entry, actor=cast.clerk)
    assert entry.status == Status.DISCLOSURE_CHECK
    entry = services.return_for_revision(entry, actor=cast.disclosure, step=Step.DISCLOSURE, reason="请修改概述。")
    entry = services.save_draft(
        actor=cast.clerk, agency=cast.agency, office=cast.office, values=content(summary="新的概述。"), entry=entry
    )
    assert entry.revision == 2
    entry = services.submit(entry, actor=cast.clerk)
    assert entry.status == Status.OFFICE_REVIEW  # a changed version starts at the office again
    returned = entry.opinions.filter(decision=Decision.RETURN)
    assert returned.count() == 2
    assert returned.first().comment == "公开属性需再核实。"


def test_only_a_draft_can_be_edited(cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    with pytest.raises(ValidationError):
        services.save_draft(
            actor=cast.clerk, agency=cast.agency, office=cast.office, values=content(title="偷改"), entry=entry
        )
    assert Entry.objects.get(pk=entry.pk).title != "偷改"


def test_not_proactive_needs_a_ground_and_a_reason(cast, draft):
    with pytest.raises(ValidationError) as caught:
        draft(attribute=Attribute.WITHHELD)
    assert set(caught.value.message_dict) == {"ground", "ground_note"}
    with pytest.raises(ValidationError) as caught:
        draft(attribute=Attribute.WITHHELD, ground=Ground.SPECIFIC_PERSONS, ground_note="仅涉及特定对象")
    assert "ground" in caught.value.message_dict
    assert not Entry.objects.exists()


def test_withheld_items_are_registered_with_their_ground_and_never_published(cast, draft, advance, client):
    entry = advance(
        draft(attribute=Attribute.WITHHELD, ground=Ground.ENFORCEMENT_FILE, ground_note="行政执法案卷，依法不予公开。"),
        Step.DISCLOSURE,
    )
    assert entry.status == Status.REGISTERED
    assert entry.ground == Ground.ENFORCEMENT_FILE
    assert entry.index_number is None
    assert entry.publish_due_on is None
    with pytest.raises(ValidationError):
        services.publish(entry, actor=cast.web)
    assert AuditEvent.objects.filter(event="catalog.entry.registered", object_id=str(entry.pk)).exists()


def test_a_secret_classification_cannot_pass_as_proactive(cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    with pytest.raises(ValidationError, match="国家秘密"):
        services.approve(entry, actor=cast.head, step=Step.OFFICE, comment="涉密", classification=Classification.SECRET)


def test_unclear_classification_is_escalated_and_waits_for_the_authority(cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    entry = services.approve(
        entry, actor=cast.head, step=Step.OFFICE, comment="不确定", classification=Classification.UNCLEAR
    )
    with pytest.raises(ValidationError, match="报请主管部门"):
        services.approve(entry, actor=cast.secrecy, step=Step.CONFIDENTIALITY, comment="同意")
    entry = services.escalate(entry, actor=cast.secrecy, authority="黄岩区国家保密局", comment="附图是否涉密不明确")
    assert entry.status == Status.ESCALATED
    with pytest.raises(ValidationError):
        services.approve(entry, actor=cast.leader, step=Step.LEADER_CONFIDENTIALITY, comment="同意")
    entry = services.record_authority_answer(entry, actor=cast.secrecy, secret=False, reference="黄保审〔2026〕12号")
    assert entry.status == Status.LEADER_CONFIDENTIALITY
    assert entry.classification == Classification.NOT_SECRET
    answer = entry.opinions.get(step=Step.ESCALATION)
    assert answer.data["reference"] == "黄保审〔2026〕12号"


def test_a_secret_answer_sends_the_item_back(cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    entry = services.approve(
        entry, actor=cast.head, step=Step.OFFICE, comment="?", classification=Classification.UNCLEAR
    )
    entry = services.escalate(entry, actor=cast.secrecy, authority="黄岩区国家保密局", comment="请审查是否涉密")
    entry = services.record_authority_answer(entry, actor=cast.secrecy, secret=True, reference="黄保审〔2026〕13号")
    assert entry.status == Status.DRAFT
    assert entry.classification == Classification.SECRET


def test_an_expired_secret_needs_an_explicit_re_review(cast, draft):
    entry = services.submit(draft(), actor=cast.clerk)
    entry = services.approve(
        entry,
        actor=cast.head,
        step=Step.OFFICE,
        comment="原为秘密级，已过保密期限",
        classification=Classification.EXPIRED_SECRET,
    )
    with pytest.raises(ValidationError, match="已过保密期限"):
        services.approve(entry, actor=cast.secrecy, step=Step.CONFIDENTIALITY, comment="同意")
    entry = services.approve(
        entry, actor=cast.secrecy, step=Step.CONFIDENTIALITY, comment="已复核解密", declassification_checked=True
    )
    assert entry.status == Status.LEADER_CONFIDENTIALITY


def test_a_jointly_produced_item_needs_each_co_offices_written_consent(cast, make_user, draft):
    co_office = cast.agency.offices.exclude(pk=cast.office.pk).exclude(is_disclosure_office=True).first()
    co_head = make_user(cast.agency, "co.head", Role.OFFICE_HEAD, office=co_office)
    entry = services.submit(draft(co_offices=[co_office]), actor=cast.clerk)
    with pytest.raises(ValidationError, match=co_office.name):
        services.approve(
            entry, actor=cast.head, step=Step.OFFICE, comment="同意", classification=Classification.NOT_SECRET
        )
    with pytest.raises(PermissionDenied):
        services.consent(entry, actor=cast.head, office=co_office, comment="同意")  # not that office's head
    services.consent(entry, actor=co_head, office=co_office, comment="本办同意公开。")
    entry = services.approve(
        entry, actor=cast.head, step=Step.OFFICE, comment="同意", classification=Classification.NOT_SECRET
    )
    assert entry.status == Status.CONFIDENTIALITY_REVIEW


def test_the_leader_approves_routine_items_together_but_not_important_ones(cast, draft, advance):
    routine = [advance(draft(title=f"常规事项{i}"), Step.CONFIDENTIALITY) for i in range(3)]
    important = advance(draft(title="重要事项", is_important=True), Step.CONFIDENTIALITY)
    with pytest.raises(ValidationError):
        services.approve_many([*routine, important], actor=cast.leader, comment="同意")
    assert all(Entry.objects.get(pk=e.pk).status == Status.LEADER_CONFIDENTIALITY for e in routine)  # all or none
    assert services.approve_many(routine, actor=cast.leader, comment="同意") == 3
    assert all(Entry.objects.get(pk=e.pk).status == Status.DISCLOSURE_CHECK for e in routine)


def test_scheduled_publication_goes_out_when_due(cast, draft, advance):
    entry = advance(draft(), Step.DISCLOSURE)
    at = timezone.now() + timedelta(hours=2)
    entry = services.publish(entry, actor=cast.web, at=at)
    assert entry.status == Status.SCHEDULED
    assert entry.index_number is None
    assert services.publish_scheduled(now=timezone.now()) == 0
    assert services.publish_scheduled(now=at + timedelta(minutes=1)) == 1
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert entry.index_number
    assert services.publish_scheduled(now=at + timedelta(minutes=2)) == 0  # idempotent


def test_publish_deadline_follows_the_working_day_calendar(cast, draft):
    from datetime import date

    # A6: 20 working days from formation. 2026-09-28 + 20 WD crosses National Day → 2026-10-30.
    entry = draft(formed_on=date(2026, 9, 28))
    assert entry.publish_due_on == date(2026, 10, 30)


OFFICIAL = {"is_official_document": True, "document_number": "茅政〔2026〕8号"}


@pytest.mark.parametrize(
    ("written", "issued", "due"),
    [
        # Written before 国庆 but issued on its eve: the old count from the date written gave
        # 2026-09-28, two days before the document existed.
        ("2026-09-25", "2026-09-30", "2026-10-08"),
        ("2026-10-08", "2026-10-09", "2026-10-10"),  # the make-up Saturday after 国庆 counts
        ("2026-02-10", "2026-02-13", "2026-02-14"),  # 春节: the make-up Saturday before it counts
        ("2026-02-13", "2026-02-14", "2026-02-24"),  # issued on that Saturday: the holiday is skipped
        ("2026-04-28", "2026-04-30", "2026-05-06"),  # 劳动节 1–5 May
        ("2026-05-07", "2026-05-08", "2026-05-09"),  # its make-up Saturday
    ],
)
def test_an_official_document_is_due_one_working_day_after_it_was_issued(cast, draft, written, issued, due):
    """D4 (issue 10): counted from the issue date (印发), never from the earlier date written."""
    day = date.fromisoformat
    entry = draft(formed_on=day(written), written_on=day(written), issued_on=day(issued), **OFFICIAL)
    assert entry.publish_due_on == day(due)
    assert entry.publish_due_on > entry.issued_on
    assert not entry.publish_due_provisional


def test_an_official_document_issued_on_new_years_eve_is_due_on_a_provisional_date(cast, draft):
    """2027 is not imported: 2027-01-01 is estimated as 元旦 and the date is flagged provisional."""
    with time_machine.travel("2027-01-04 09:00 +0800", tick=False):
        entry = draft(
            formed_on=date(2026, 12, 30), written_on=date(2026, 12, 30), issued_on=date(2026, 12, 31), **OFFICIAL
        )
    assert (entry.publish_due_on, entry.publish_due_provisional) == (date(2027, 1, 4), True)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"written_on": date(2026, 11, 2)}, "issued_on", "公文须填写印发日期"),
        ({"written_on": date(2026, 11, 5), "issued_on": date(2026, 11, 4)}, "issued_on", "印发日期不能早于成文日期"),
        ({"written_on": date(2026, 11, 5), "issued_on": date(2026, 12, 4)}, "issued_on", "日期不能晚于今天"),
    ],
)
def test_an_official_document_without_a_sound_issue_date_is_refused_in_chinese(cast, draft, values, field, message):
    with pytest.raises(ValidationError) as refused:
        draft(title="无印发日期的公文", formed_on=date(2026, 11, 5), **OFFICIAL, **values)
    assert any(message in m for m in refused.value.message_dict[field])
    assert not Entry.objects.filter(title="无印发日期的公文").exists()


def test_an_official_document_on_file_without_an_issue_date_keeps_the_twenty_day_deadline(cast, draft):
    """Documents registered before the issue date existed: A6 from the day formed, not the date
    written (which would again be before the document was issued)."""
    from gongkai.catalog.deadlines import store_deadline

    entry = draft(formed_on=date(2026, 9, 28), written_on=date(2026, 9, 25), issued_on=date(2026, 9, 28), **OFFICIAL)
    Entry.objects.filter(pk=entry.pk).update(issued_on=None)
    entry.refresh_from_db()
    store_deadline(entry)
    assert entry.publish_due_on == date(2026, 10, 30)


def test_the_daily_sweep_reminds_the_next_actor_once(cast, draft, mailoutbox, django_capture_on_commit_callbacks):
    from datetime import date

    from gongkai.catalog.reminders import sweep_publish_deadlines

    late = services.submit(draft(title="宅基地公示事项", formed_on=date(2026, 9, 28)), actor=cast.clerk)  # due 10-30
    draft(title="尚未到期事项", formed_on=date(2026, 11, 27))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_publish_deadlines(today=date(2026, 11, 30)) == 1
        assert sweep_publish_deadlines(today=date(2026, 11, 30)) == 0  # once
    message = mailoutbox[0]
    assert message.subject == "逾期未公开：“宅基地公示事项”应于 2026-10-30 前公开"
    assert {m.to[0] for m in mailoutbox} == {cast.head.email, cast.disclosure.email}
    assert {m.subject for m in mailoutbox} == {message.subject}
    assert "科室负责人定密审核" in message.body
    services.approve(late, actor=cast.head, step=Step.OFFICE, comment="同意", classification=Classification.NOT_SECRET)
    assert sweep_publish_deadlines(today=date(2026, 11, 30)) == 0  # same threshold and date: already told


def test_the_escalated_item_has_a_review_form_with_the_recorded_opinions(client, cast, draft):
    import io

    from pypdf import PdfReader

    entry = services.submit(draft(title="土地征收成片开发方案"), actor=cast.clerk)
    services.approve(entry, actor=cast.head, step=Step.OFFICE, comment="附图涉密性不明", classification="unclear")
    services.escalate(entry, actor=cast.secrecy, authority="黄岩区国家保密局", comment="请审查附图是否涉密")
    client.force_login(cast.secrecy)
    page = client.get(entry.get_staff_url()).content.decode()
    assert "保密审查表" in page
    response = client.get(reverse("catalog:staff-review-form", args=["maoshe", entry.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\x00", "")
    for expected in (
        "政府信息公开保密审查表",
        "土地征收成片开发方案",
        "附图涉密性不明",
        "请审查附图是否涉密",
        "黄岩区国家保密局",
    ):
        assert expected in text.replace(" ", "").replace("\n", ""), expected
