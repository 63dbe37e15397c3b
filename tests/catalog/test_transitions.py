"""The review chain's transition table, row by row (issue 9; B1, B3–B5, B8, D1–D3, G5–G8).

Each row of ``gongkai.catalog.transitions.REVIEW`` is taken here through its service function:
from every status it does not start from (the refusal message of that row, nothing changed, the
refusal audited), by a person without its roles (refused, nothing changed), and from a status it
starts from (the row's audit code with the status before and after). ``MOVES`` names the service
call of every row; a row added to the table without one fails ``test_every_row_is_exercised``.

Entries reach each status through the services only (``reach``), never by assigning ``status``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.catalog import services
from gongkai.catalog.choices import Attribute, Classification, Ground, Status, Step, Validity
from gongkai.catalog.models import Entry
from gongkai.catalog.transitions import REVIEW
from gongkai.core.models import AuditEvent
from tests.catalog.conftest import STEPS, approve_until


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        yield


# ---------------------------------------------------------------------------------------------
# Reaching every status through the services


def reach(cast, draft, status: str) -> Entry:
    """A fresh entry of the township in ``status``, by the people whose step it is."""
    if status == Status.DRAFT:
        return draft()
    if status == Status.REGISTERED:
        withheld = draft(
            attribute=Attribute.WITHHELD, ground=Ground.ENFORCEMENT_FILE, ground_note="行政执法案卷，依法不予公开。"
        )
        return approve_until(cast, services.submit(withheld, actor=cast.clerk), Step.DISCLOSURE)
    important = status == Status.RELEASE_APPROVAL
    entry = services.submit(draft(is_important=important), actor=cast.clerk)
    if status == Status.OFFICE_REVIEW:
        return entry
    if status == Status.ESCALATED:
        entry = services.approve(
            entry, actor=cast.head, step=Step.OFFICE, comment="涉密性不明。", classification=Classification.UNCLEAR
        )
        return services.escalate(entry, actor=cast.secrecy, authority="黄岩区国家保密局", comment="附图是否涉密不明确")
    until = {
        Status.CONFIDENTIALITY_REVIEW: Step.OFFICE,
        Status.LEADER_CONFIDENTIALITY: Step.CONFIDENTIALITY,
        Status.DISCLOSURE_CHECK: Step.LEADER_CONFIDENTIALITY,
        Status.RELEASE_APPROVAL: Step.DISCLOSURE,
    }.get(status, Step.DISCLOSURE)
    entry = approve_until(cast, entry, until)
    if status == Status.SCHEDULED:
        return services.publish(entry, actor=cast.web, at=timezone.now() + timedelta(days=2))
    if status in (Status.PUBLISHED, Status.WITHDRAWN):
        entry = services.publish(entry, actor=cast.web)
    if status == Status.WITHDRAWN:
        entry = services.withdraw(entry, actor=cast.disclosure, reason="内容已过时，撤回。")
    return entry


def test_reach_gives_every_status(cast, draft):
    assert {s: reach(cast, draft, s).status for s in Status.values} == {s: s for s in Status.values}


# ---------------------------------------------------------------------------------------------
# The service call of every row, and the person it is for


def _step_of(name: str) -> str:
    return name.split("_", 1)[1]


STEP_PEOPLE = {s: who for s, who, _data in STEPS} | {Step.ESCALATION: "secrecy", Step.PUBLICATION: "web"}
STEP_DATA = {s: data for s, _who, data in STEPS}
ACTOR = {
    "submit": "clerk",
    "correct": "clerk",
    "consent": "co_head",
    "escalate": "secrecy",
    "answer": "secrecy",
    "publish": "web",
    "schedule": "web",
    "cancel": "web",
    "withdraw": "disclosure",
    "validity": "disclosure",
    **{t.name: STEP_PEOPLE[_step_of(t.name)] for t in REVIEW.transitions if t.name.startswith(("approve_", "return_"))},
}


def _approval(step: str):
    return lambda e, who, cast: services.approve(e, actor=who, step=step, comment="同意。", **STEP_DATA.get(step, {}))


def _return(step: str):
    return lambda e, who, cast: services.return_for_revision(e, actor=who, step=step, reason="请补充发布依据。")


MOVES = {
    "submit": lambda e, who, cast: services.submit(e, actor=who),
    "consent": lambda e, who, cast: services.consent(e, actor=who, office=cast.co_office, comment="本办同意公开。"),
    "escalate": lambda e, who, cast: services.escalate(
        e, actor=who, authority="黄岩区国家保密局", comment="附图是否涉密不明确"
    ),
    "answer": lambda e, who, cast: services.record_authority_answer(
        e, actor=who, secret=False, reference="黄保审〔2026〕12号"
    ),
    "publish": lambda e, who, cast: services.publish(e, actor=who),
    "schedule": lambda e, who, cast: services.publish(e, actor=who, at=timezone.now() + timedelta(days=1)),
    "cancel": lambda e, who, cast: services.cancel_schedule(e, actor=who),
    "withdraw": lambda e, who, cast: services.withdraw(e, actor=who, reason="内容已过时，撤回。"),
    "validity": lambda e, who, cast: services.set_validity(
        e, actor=who, validity=Validity.REPEALED, reason="已被新文件废止。"
    ),
    "correct": lambda e, who, cast: services.start_rectification(e, actor=who),
    **{t.name: _approval(_step_of(t.name)) for t in REVIEW.transitions if t.name.startswith("approve_")},
    **{t.name: _return(_step_of(t.name)) for t in REVIEW.transitions if t.name.startswith("return_")},
}


def take(name: str, entry: Entry, cast, who=None):
    """The row's service call, by the person it is for unless ``who`` is given."""
    return MOVES[name](entry, who or getattr(cast, ACTOR[name]), cast)


@pytest.fixture
def crew(cast, make_user):
    """The cast, plus the head of a second (co-producing) office."""
    cast.co_office = cast.agency.offices.exclude(pk=cast.office.pk).exclude(is_disclosure_office=True).first()
    cast.co_head = make_user(cast.agency, "co.head", Role.OFFICE_HEAD, office=cast.co_office)
    return cast


def reach_for(name: str, cast, draft) -> Entry:
    """An entry at the first status the row starts from (co-produced for the consent)."""
    if name == "consent":
        return services.submit(draft(co_offices=[cast.co_office]), actor=cast.clerk)
    transition = REVIEW.get(name)
    return reach(cast, draft, next(s for s in Status.values if s in transition.sources))


def test_every_row_is_exercised():
    assert set(MOVES) == set(ACTOR) == {t.name for t in REVIEW.transitions}


def _expected_refusal(transition, status: str) -> str:
    text = str(transition.refusal)
    if "%(" in text:
        text %= {"status": Status(status).label, **{k: str(v) for k, v in transition.params}}
    return text


def _events(entry, code, result="success") -> int:
    return AuditEvent.objects.filter(event=code, object_id=str(entry.pk), result=result).count()


def _row(entry) -> dict:
    entry.refresh_from_db()
    return {f.name: f.value_from_object(entry) for f in Entry._meta.concrete_fields}


@pytest.mark.parametrize("status", Status.values)
def test_every_row_refuses_every_status_it_does_not_start_from(crew, draft, status):
    """One entry per status; every row that does not start there is refused with its own message
    (for "approve" and "return", the step the entry is not at), audited, and changes nothing."""
    entry = reach(crew, draft, status)
    before, written = _row(entry), AuditEvent.objects.filter(result="success").count()
    forbidden = [t for t in REVIEW.transitions if status not in t.sources]
    assert forbidden
    for transition in forbidden:
        with pytest.raises(ValidationError) as caught:
            take(transition.name, entry, crew)
        assert caught.value.messages == [_expected_refusal(transition, status)], transition.name
    assert _events(entry, "catalog.entry.action_refused", "refused") == len(forbidden)
    assert _row(entry) == before
    assert AuditEvent.objects.filter(result="success").count() == written


@pytest.mark.parametrize("name", [t.name for t in REVIEW.transitions])
def test_every_row_refuses_a_person_without_its_roles(crew, draft, name):
    transition = REVIEW.get(name)
    entry = reach_for(name, crew, draft)
    outsider = crew.web if Role.CLERK in transition.roles else crew.clerk
    assert not transition.roles & set(outsider.role_assignments.values_list("role", flat=True))
    before, written = _row(entry), AuditEvent.objects.filter(result="success").count()
    with pytest.raises(PermissionDenied) as caught:
        take(name, entry, crew, who=outsider)
    assert str(caught.value) == REVIEW.message(transition, transition.denied, entry)
    assert _row(entry) == before
    assert AuditEvent.objects.filter(result="success").count() == written
    assert _events(entry, "catalog.entry.action_refused", "refused") == 1


@pytest.mark.parametrize("name", [t.name for t in REVIEW.transitions])
def test_every_row_writes_its_audit_code_with_the_status_before_and_after(crew, draft, name):
    transition = REVIEW.get(name)
    entry = reach_for(name, crew, draft)
    source, actor = entry.status, getattr(crew, ACTOR[name])
    result = take(name, entry, crew)
    if name == "correct":  # the rectification is a new draft; the published entry stays as it is
        assert (result.status, result.related_to_id) == (Status.DRAFT, entry.pk)
        assert _events(result, "catalog.entry.created") == 1
        assert _row(entry)["status"] == Status.PUBLISHED
        return
    status = _row(result)["status"]
    assert status in transition.end_states
    event = AuditEvent.objects.filter(object_id=str(entry.pk)).exclude(event="catalog.entry.registered").first()
    assert (event.event, event.result, event.actor_id) == (transition.audit, "success", actor.pk)
    if status != source:
        assert (event.data["before"]["status"], event.data["after"]["status"]) == (source, status)


# ---------------------------------------------------------------------------------------------
# The guards inside the rows (each fails a test when removed)


def test_withdraw_needs_a_reason_and_keeps_the_entry_published(crew, draft):
    entry = reach(crew, draft, Status.PUBLISHED)
    with pytest.raises(ValidationError, match="请填写撤回理由"):
        services.withdraw(entry, actor=crew.disclosure, reason="不要")
    entry.refresh_from_db()
    assert (entry.status, entry.withdrawn_at) == (Status.PUBLISHED, None)
    assert _events(entry, "catalog.entry.withdrawn") == 0


def test_a_withdrawal_records_its_reason_and_index_number(crew, draft):
    entry = reach(crew, draft, Status.PUBLISHED)
    services.withdraw(entry, actor=crew.disclosure, reason="内容已过时，撤回。")
    event = AuditEvent.objects.get(event="catalog.entry.withdrawn", object_id=str(entry.pk))
    assert event.data["reason"] == "内容已过时，撤回。"
    assert event.data["index_number"] == entry.index_number
    entry.refresh_from_db()
    assert (entry.status, entry.withdrawal_reason) == (Status.WITHDRAWN, "内容已过时，撤回。")


def test_an_escalation_records_the_authority(crew, draft):
    entry = reach(crew, draft, Status.ESCALATED)
    event = AuditEvent.objects.get(event="catalog.entry.escalated", object_id=str(entry.pk))
    assert event.data["authority"] == "黄岩区国家保密局"
    assert event.actor_id == crew.secrecy.pk
    assert entry.escalated_to == "黄岩区国家保密局"


def test_cancelling_a_schedule_clears_the_time_and_only_the_web_administrator_may(crew, draft):
    entry = reach(crew, draft, Status.SCHEDULED)
    assert entry.publish_at is not None
    with pytest.raises(PermissionDenied):
        services.cancel_schedule(entry, actor=crew.disclosure)
    entry = services.cancel_schedule(entry, actor=crew.web)
    entry.refresh_from_db()
    assert (entry.status, entry.publish_at) == (Status.READY, None)
    assert _events(entry, "catalog.entry.schedule_cancelled") == 1
    with pytest.raises(ValidationError, match="取消定时发布"):
        services.cancel_schedule(entry, actor=crew.web)


def test_an_office_consents_once_per_version(crew, draft):
    entry = reach_for("consent", crew, draft)
    services.consent(entry, actor=crew.co_head, office=crew.co_office, comment="本办同意公开。")
    with pytest.raises(ValidationError, match="已对此版本表示同意"):
        services.consent(entry, actor=crew.co_head, office=crew.co_office, comment="再次同意。")
    assert entry.opinions.filter(step=Step.CO_CONSENT).count() == 1
    assert _events(entry, "catalog.entry.consented") == 1


def test_a_validity_change_needs_a_known_validity_and_a_reason(crew, draft):
    entry = reach(crew, draft, Status.PUBLISHED)
    with pytest.raises(ValidationError, match="请填写修改理由"):
        services.set_validity(entry, actor=crew.disclosure, validity=Validity.REPEALED, reason="废止")
    with pytest.raises(ValidationError):
        services.set_validity(entry, actor=crew.disclosure, validity="gone", reason="已被新文件废止。")
    entry.refresh_from_db()
    assert entry.validity == Validity.CURRENT
    assert _events(entry, "catalog.entry.validity_changed") == 0
    services.set_validity(entry, actor=crew.disclosure, validity=Validity.REPEALED, reason="已被新文件废止。")
    event = AuditEvent.objects.get(event="catalog.entry.validity_changed", object_id=str(entry.pk))
    assert event.data["before"]["validity"] == Validity.CURRENT
    assert event.data["after"]["validity"] == Validity.REPEALED
    assert event.data["reason"] == "已被新文件废止。"


def test_a_return_records_the_step_and_reason(crew, draft):
    entry = reach(crew, draft, Status.CONFIDENTIALITY_REVIEW)
    services.return_for_revision(entry, actor=crew.secrecy, step=Step.CONFIDENTIALITY, reason="请补充发布依据。")
    event = AuditEvent.objects.get(event="catalog.entry.returned", object_id=str(entry.pk))
    assert event.data["step"] == Step.CONFIDENTIALITY
    assert event.data["reason"] == "请补充发布依据。"
    assert event.data["after"]["status"] == Status.DRAFT


def test_a_change_to_a_draft_is_audited_with_its_version(crew, draft):
    entry = draft()
    values = {name: getattr(entry, name) for name in services.CONTENT_FIELDS}
    values["title"] = "茅畲乡关于宅基地使用审批有关事项的通知（修订）"
    services.save_draft(actor=crew.clerk, agency=crew.agency, office=crew.office, values=values, entry=entry)
    event = AuditEvent.objects.filter(event="catalog.entry.updated", object_id=str(entry.pk)).get()
    assert (event.actor_id, event.data["title"], event.data["version"]) == (crew.clerk.pk, values["title"], 2)
