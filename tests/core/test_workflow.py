"""The shared workflow helper (core/workflow.py): one wrapper for every move of every process.

A tiny process over catalog entries (its own codes, not the catalog's table) exercises each
refusal path, the audit row with before/after values, the rollback and the on-commit effects.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.choices import Role
from gongkai.catalog import services
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Entry
from gongkai.core import workflow as wf
from gongkai.core.models import AuditEvent
from gongkai.core.workflow import Change, Transition, TransitionError, Workflow
from tests.catalog.conftest import content

SEND = Transition(
    name="send",
    label="Send",
    sources=frozenset({Status.DRAFT}),
    target=Status.OFFICE_REVIEW,
    roles=frozenset({Role.CLERK}),
    audit="catalog.entry.test_sent",
    refusal="Only a draft can be sent.",
)
SORT = Transition(
    name="sort",
    label="Sort",
    sources=frozenset({Status.OFFICE_REVIEW}),
    target=None,
    targets=frozenset({Status.PUBLISHED, Status.REGISTERED}),
    roles=frozenset({Role.OFFICE_HEAD}),
    audit="catalog.entry.test_sorted",
    refusal="Only an item at the office can be sorted.",
    denied="Only the office head sorts.",
)


def refuse_secret_titles(actor, obj, transition):
    if "secret" in obj.title:
        raise TransitionError("A secret title cannot move.")


TINY = Workflow(
    code="test.tiny",
    label="Tiny process",
    model=Entry,
    states=Status,
    transitions=[SEND, SORT],
    check=refuse_secret_titles,
    select_related=("agency",),
    initial=Status.DRAFT,
)


@pytest.fixture
def clerk(world):
    return world.person(world.township, Role.CLERK)


@pytest.fixture
def entry(clerk):
    office = clerk.role_assignments.get(role=Role.CLERK).office
    return services.save_draft(actor=clerk, agency=clerk.agency, office=office, values=content())


def events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=code))


def test_a_move_sets_the_state_saves_only_its_fields_and_audits_before_and_after(entry, clerk):
    def write(locked: Entry) -> Change:
        locked.escalated_to = "区保密局"
        locked.title = "not saved: not listed in the change"
        return Change(fields=["escalated_to"], audit_data={"note": "extra"})

    result = TINY.run("send", entry, actor=clerk, write=write)

    assert result.status == Status.OFFICE_REVIEW
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.status, stored.escalated_to, stored.title) == (Status.OFFICE_REVIEW, "区保密局", entry.title)
    assert stored.updated_at > entry.updated_at  # auto_now fields are saved with every move
    [event] = events("catalog.entry.test_sent")
    assert event.data == {
        "before": {"status": "draft", "escalated_to": ""},
        "after": {"status": "office_review", "escalated_to": "区保密局"},
        "note": "extra",
    }
    assert (event.actor_id, event.object_id, event.agency_id) == (clerk.pk, str(entry.pk), entry.agency_id)


def test_a_write_that_returns_nothing_saves_the_state_alone(entry, clerk):
    TINY.run("send", entry, actor=clerk, write=lambda locked: None)
    assert Entry.objects.get(pk=entry.pk).status == Status.OFFICE_REVIEW
    assert events("catalog.entry.test_sent")[0].data == {
        "before": {"status": "draft"},
        "after": {"status": "office_review"},
    }


def assert_nothing_written(entry: Entry) -> None:
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.status, stored.escalated_to) == (entry.status, entry.escalated_to)
    assert not AuditEvent.objects.filter(event__startswith="catalog.entry.test_").exists()


def must_not_run(locked):
    raise AssertionError("the write must not run when the move is refused")


def test_an_unknown_action_is_refused_with_a_translated_message(entry, clerk):
    with pytest.raises(TransitionError) as caught:
        TINY.run("fly", entry, actor=clerk, write=must_not_run)
    assert caught.value.messages == ["未知操作。"]
    with pytest.raises(TransitionError):
        TINY.get("fly")
    assert_nothing_written(entry)


def test_staff_of_another_agency_are_refused_before_anything_else(entry, world):
    outsider = world.person(world.department, Role.CLERK)
    with pytest.raises(PermissionDenied) as caught:
        TINY.run("send", entry, actor=outsider, write=must_not_run)
    assert str(caught.value) == "该事项属于其他机关。"
    assert_nothing_written(entry)


def test_no_actor_is_refused(entry):
    with pytest.raises(PermissionDenied):
        TINY.run("send", entry, actor=None, write=must_not_run)
    assert_nothing_written(entry)


def test_a_state_outside_the_sources_is_refused_with_the_transitions_message(entry, clerk):
    with pytest.raises(TransitionError) as caught:
        TINY.run("sort", entry, actor=clerk, write=must_not_run)
    assert caught.value.messages == ["Only an item at the office can be sorted."]
    assert_nothing_written(entry)


def test_the_state_is_read_from_the_locked_row_not_the_callers_copy(entry, clerk):
    TINY.run("send", entry, actor=clerk, write=lambda locked: None)
    stale = entry  # still says draft
    assert stale.status == Status.DRAFT
    with pytest.raises(TransitionError, match="Only a draft can be sent"):
        TINY.run("send", stale, actor=clerk, write=must_not_run)
    assert len(events("catalog.entry.test_sent")) == 1


def test_a_person_without_the_role_is_refused_with_the_denied_message(entry, clerk, world):
    head = world.person(world.township, Role.OFFICE_HEAD)
    with pytest.raises(PermissionDenied) as caught:
        TINY.run("send", entry, actor=head, write=must_not_run)
    assert str(caught.value) == "您的角色不允许执行此步骤。"  # the default message
    TINY.run("send", entry, actor=clerk, write=lambda locked: None)
    with pytest.raises(PermissionDenied) as caught:
        TINY.run("sort", entry, actor=clerk, write=must_not_run)
    assert str(caught.value) == "Only the office head sorts."  # the transition's own message


def test_the_process_check_runs_after_the_table_checks(entry, clerk):
    Entry.objects.filter(pk=entry.pk).update(title="a secret title")
    with pytest.raises(TransitionError, match="A secret title cannot move"):
        TINY.run("send", entry, actor=clerk, write=must_not_run)
    assert_nothing_written(entry)


def test_nothing_is_saved_when_the_write_raises(entry, clerk):
    def write(locked: Entry) -> Change:
        locked.escalated_to = "区保密局"
        Entry.objects.filter(pk=locked.pk).update(summary="written inside the transaction")
        raise TransitionError("Refused half-way.")

    with pytest.raises(TransitionError, match="Refused half-way"):
        TINY.run("send", entry, actor=clerk, write=write)
    assert Entry.objects.get(pk=entry.pk).summary == entry.summary
    assert_nothing_written(entry)


def test_side_effects_run_only_after_the_commit(entry, clerk, django_capture_on_commit_callbacks):
    ran: list[str] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        TINY.run("send", entry, actor=clerk, write=lambda locked: Change(on_commit=[lambda: ran.append("sent")]))
        assert ran == []  # still inside the test's transaction: not committed yet
    assert len(callbacks) == 1
    assert ran == ["sent"]


def test_side_effects_of_a_refused_move_never_run(entry, clerk, django_capture_on_commit_callbacks):
    ran: list[str] = []

    def write(locked: Entry) -> Change:
        locked.status = Status.DRAFT
        return Change(on_commit=[lambda: ran.append("sent")])

    # SORT decides its own end state: a write that leaves it elsewhere is a programming error.
    TINY.run("send", entry, actor=clerk, write=lambda locked: None)
    head = entry.agency.staff.get(role_assignments__role=Role.OFFICE_HEAD)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValueError, match="ended in"):
        TINY.run("sort", entry, actor=head, write=write)
    assert (callbacks, ran) == ([], [])
    assert Entry.objects.get(pk=entry.pk).status == Status.OFFICE_REVIEW
    assert not events("catalog.entry.test_sorted")


def test_a_move_without_a_fixed_target_ends_where_the_write_puts_it(entry, clerk):
    TINY.run("send", entry, actor=clerk, write=lambda locked: None)
    head = entry.agency.staff.get(role_assignments__role=Role.OFFICE_HEAD)

    def write(locked: Entry) -> None:
        locked.status = Status.REGISTERED

    TINY.run("sort", entry, actor=head, write=write)
    assert Entry.objects.get(pk=entry.pk).status == Status.REGISTERED
    assert events("catalog.entry.test_sorted")[0].data["after"] == {"status": "registered"}


def test_available_lists_what_the_person_may_do_now(entry, clerk):
    head = entry.agency.staff.get(role_assignments__role=Role.OFFICE_HEAD)
    assert [t.name for t in TINY.available(entry, clerk)] == ["send"]
    assert TINY.available(entry, head) == []
    assert TINY.allows("send", entry, clerk)
    assert not TINY.allows("fly", entry, clerk)
    TINY.run("send", entry, actor=clerk, write=lambda locked: None)
    entry.refresh_from_db()
    assert TINY.available(entry, clerk) == []
    assert [t.name for t in TINY.available(entry, head)] == ["sort"]


def test_transition_error_is_a_validation_error():
    # Views and forms already show ValidationError messages: a refused move reads the same.
    assert issubclass(TransitionError, ValidationError)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roles": frozenset()}, "names no role"),
        ({"sources": frozenset()}, "starts from no state"),
        ({"target": None}, "possible end states"),
        ({"audit": "sent"}, "namespaced"),
    ],
)
def test_a_badly_declared_transition_fails_at_import(changes, message):
    values = {
        "name": "send",
        "label": "Send",
        "sources": frozenset({"draft"}),
        "target": "office_review",
        "roles": frozenset({"clerk"}),
        "audit": "catalog.entry.sent",
        "refusal": "No.",
        **changes,
    }
    with pytest.raises(ValueError, match=message):
        Transition(**values)


def test_a_workflow_refuses_unknown_states_and_duplicate_names():
    bad = Transition(
        name="send",
        label="Send",
        sources=frozenset({"nowhere"}),
        target=Status.DRAFT,
        roles=frozenset({"clerk"}),
        audit="catalog.entry.sent",
        refusal="No.",
    )
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(code="test.bad", label="Bad", model=Entry, states=Status, transitions=[bad])
    with pytest.raises(ValueError, match="share a name"):
        Workflow(code="test.bad", label="Bad", model=Entry, states=Status, transitions=[SEND, SEND])


def test_the_registry_holds_one_process_per_code_and_draws_it():
    try:
        wf.register_workflow(TINY)
        wf.register_workflow(TINY)  # the same object again: harmless
        other = Workflow(code="test.tiny", label="Other", model=Entry, states=Status, transitions=[SEND])
        with pytest.raises(ValueError, match="already registered"):
            wf.register_workflow(other)
        assert TINY in wf.registered_workflows()
        text = wf.render_markdown()
    finally:
        wf.unregister_workflow("test.tiny")
    assert TINY not in wf.registered_workflows()
    assert "## Tiny process (`test.tiny`)" in text
    assert "    [*] --> draft" in text
    assert "    draft --> office_review: send" in text
    assert "    office_review --> published: sort" in text
    assert "    office_review --> registered: sort" in text
    assert (
        "| `send` | Send | `draft` | `office_review` | Drafting clerk (`clerk`) | `catalog.entry.test_sent` "
        "| Only a draft can be sent. |"
    ) in text
    assert wf.as_mapping(TINY) == {
        "draft": frozenset({"office_review"}),
        "office_review": frozenset({"published", "registered"}),
    }
