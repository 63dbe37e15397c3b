"""Processes declared as data: states, the transitions between them, who may take each one.

Every process of the platform (the catalog's review chain, an application's handling, and the
processes still to come) declares its moves as a table of ``Transition`` rows on one
``Workflow``. ``Workflow.run`` is the one wrapper every move goes through (style.md §3):

    lock the row → same agency → state allows the move → actor holds a role → process check →
    write → set the target state → save with ``update_fields`` → one audit event with the
    before and after values → side effects on commit.

A refused move raises ``TransitionError`` (the state does not allow it; a translated message)
or ``PermissionDenied`` (another agency, a missing role). ``docs/workflows.md`` is drawn from
the registered tables (``manage.py workflows_doc``).

This module is the ground floor: it imports nothing from the business apps. Role codes are plain
strings; apps pass their ``Role`` values (whose ``label`` the documentation shows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeAlias, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core.access import user_roles
from gongkai.core.audit import record_event

StrOrPromise: TypeAlias = str | Promise
M = TypeVar("M", bound=models.Model)


class TransitionError(ValidationError):
    """A step that the object's state (or a rule of the process) does not allow. The one error
    type for a refused move of any process; its message is translated and shown as is."""

    def __str__(self) -> str:
        """The message itself (a plain ValidationError prints a list)."""
        return " ".join(str(message) for message in self.messages)


DENIED: StrOrPromise = _("Your roles do not allow this step.")
OTHER_AGENCY: StrOrPromise = _("This belongs to another agency.")


@dataclass(frozen=True)
class Transition:
    """One move of a process, as data. ``target`` is None when the write function decides the
    end state; ``targets`` then lists the possible ones (for the documentation and a check)."""

    name: str  # e.g. "submit"; also the value of the form's ``action`` field
    label: StrOrPromise
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    audit: str  # the audit event code it writes, ``app.model.past_tense_verb``
    refusal: StrOrPromise  # the message when the current state does not allow the move
    form: type[forms.Form] | None = None
    targets: frozenset[str] = frozenset()
    denied: StrOrPromise = DENIED
    keeps_state: bool = False  # an internal step: each source state is its own end state
    # Named values for ``%(name)s`` placeholders in ``refusal`` and ``denied``, besides the label of
    # the current state (``%(state)s``, also under the state field's name, e.g. ``%(status)s``).
    params: tuple[tuple[str, StrOrPromise], ...] = ()

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError(f"transition {self.name!r} starts from no state")
        if not self.roles:
            raise ValueError(f"transition {self.name!r} names no role: say who may take it")
        if self.target is None and not self.targets and not self.keeps_state:
            raise ValueError(f"transition {self.name!r}: list the possible end states in `targets`")
        if "." not in self.audit:
            raise ValueError(f"transition {self.name!r}: audit codes are namespaced, e.g. 'catalog.entry.submitted'")

    @property
    def end_states(self) -> frozenset[str]:
        """Every state the move may end in."""
        if self.keeps_state:
            return self.sources
        return frozenset({self.target}) if self.target is not None else self.targets


@dataclass
class Change:
    """What a write function changed besides the state: the fields to save, what the audit
    event adds, and the side effects to run once the transaction has committed."""

    fields: list[str] = field(default_factory=list)
    audit_data: dict[str, Any] = field(default_factory=dict)
    on_commit: list[Callable[[], None]] = field(default_factory=list)


def _agency_id(obj: Any) -> Any:
    return obj.agency_id


class Workflow(Generic[M]):
    """A process: its states (a ``TextChoices`` class), its transitions and how to run them.

    ``agency_of(obj)`` gives the id of the agency the object belongs to; ``check(actor, obj,
    transition)`` adds the process's own rules (raise ``TransitionError`` or
    ``PermissionDenied``); ``select_related`` names relations loaded with the locked row;
    ``initial`` is the state a new object starts in (drawn in the documentation); in a
    ``closed`` state every move is refused with ``closed_refusal``, except the moves that name
    it among their sources (what follows a closed case: carrying out a judgment);
    ``other_agency`` is the message for someone of another agency; ``error`` is the app's own
    subclass of ``TransitionError`` that refusals raise."""

    def __init__(
        self,
        *,
        code: str,
        label: StrOrPromise,
        model: type[M],
        states: type[models.TextChoices],
        transitions: Sequence[Transition],
        state_field: str = "status",
        agency_of: Callable[[M], Any] = _agency_id,
        check: Callable[[Any, M, Transition], None] | None = None,
        select_related: Sequence[str] = (),
        initial: str | None = None,
        other_agency: StrOrPromise = OTHER_AGENCY,
        error: type[TransitionError] = TransitionError,
        closed: Iterable[str] = (),
        closed_refusal: StrOrPromise = "",
    ) -> None:
        self.code = code
        self.label = label
        self.model = model
        self.states = states
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.state_field = state_field
        self.agency_of = agency_of
        self.check = check
        self.select_related = tuple(select_related)
        self.initial = initial
        self.other_agency = other_agency
        # States in which nothing more happens: every move is refused with one message.
        self.closed = frozenset(closed)
        self.closed_refusal = closed_refusal
        self.error = error
        self._by_name = {t.name: t for t in self.transitions}
        if len(self._by_name) != len(self.transitions):
            raise ValueError(f"workflow {code!r}: two transitions share a name")
        known = set(states.values)
        for t in self.transitions:
            unknown = (t.sources | t.end_states) - known
            if unknown:
                raise ValueError(f"workflow {code!r}, transition {t.name!r}: unknown states {sorted(unknown)}")
        if initial is not None and initial not in known:
            raise ValueError(f"workflow {code!r}: unknown initial state {initial!r}")

    def __repr__(self) -> str:
        return f"<Workflow {self.code}>"

    # -----------------------------------------------------------------------------------------
    # Reading the table

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise self.error(gettext("Unknown action.")) from None

    def state_of(self, obj: M) -> str:
        return str(getattr(obj, self.state_field))

    def ensure_allowed(self, transition: Transition, obj: M, actor: Any) -> None:
        """Raise when ``actor`` may not take ``transition`` on ``obj`` now; the checks run in the
        order of the class docstring, the process check last."""
        if actor is None or getattr(actor, "agency_id", None) is None or actor.agency_id != self.agency_of(obj):
            raise PermissionDenied(str(self.other_agency))
        state = self.state_of(obj)
        if state in self.closed and self.closed_refusal and state not in transition.sources:
            raise self.error(self.message(transition, self.closed_refusal, obj))
        if state not in transition.sources:
            raise self.error(self.message(transition, transition.refusal, obj))
        if not transition.roles & user_roles(actor):
            raise PermissionDenied(self.message(transition, transition.denied, obj))
        if self.check is not None:
            self.check(actor, obj, transition)

    def allows(self, name: str, obj: M, actor: Any) -> bool:
        """Whether ``actor`` may take the named move on ``obj`` now (no exception)."""
        try:
            self.ensure_allowed(self.get(name), obj, actor)
        except (PermissionDenied, ValidationError):
            return False
        return True

    def available(self, obj: M, actor: Any) -> list[Transition]:
        """The moves the page offers this person now, in table order."""
        return [t for t in self.transitions if self.allows(t.name, obj, actor)]

    def message(self, transition: Transition, text: StrOrPromise, obj: M | None) -> str:
        """``text`` in the current language, its placeholders filled (see ``Transition.params``)."""
        result = str(text)
        if "%(" not in result:
            return result
        state = self.state_label(self.state_of(obj)) if obj is not None else "…"
        return result % {"state": state, self.state_field: state, **{k: str(v) for k, v in transition.params}}

    # -----------------------------------------------------------------------------------------
    # Running a move

    def lock(self, obj: M) -> M:
        """The object's row, locked until the transaction ends, freshly read."""
        # Lock the object's own row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # an outer join (a select_related of a nullable foreign key, e.g. the assigned office).
        of = ("self",) if self.select_related and connection.features.has_select_for_update_of else ()
        queryset = self.model._default_manager.select_for_update(of=of)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.get(pk=obj.pk)

    def run(self, name: str, obj: M, *, actor: Any, write: Callable[[M], Change | None]) -> M:
        """Take the move ``name`` on ``obj`` for ``actor`` (see the class docstring); returns the
        locked and saved object. ``write`` changes the locked object (and may create related
        rows); it must not save the object itself. The row is saved (the state, ``change.fields``
        and any ``auto_now`` field) only when one of those fields changed; the audit event is
        always written. Nothing is kept when anything raises."""
        transition = self.get(name)
        with transaction.atomic():
            locked = self.lock(obj)
            self.ensure_allowed(transition, locked, actor)
            before = _values(locked)
            change = write(locked) or Change()
            if transition.target is not None:
                setattr(locked, self.state_field, transition.target)
            state = self.state_of(locked)
            if state not in transition.end_states or (transition.keeps_state and state != before[self.state_field]):
                raise ValueError(f"{self.code}.{name} ended in {state!r}, not one of {sorted(transition.end_states)}")
            saved = _unique([self.state_field, *change.fields])
            after = _values(locked)
            if any(before[k] != after[k] for k in saved):  # a move that changes nothing saves nothing
                locked.save(update_fields=[*saved, *_auto_now_fields(locked, saved)])
            record_event(
                transition.audit,
                actor=actor,
                obj=locked,
                agency=getattr(actor, "agency", None),  # the same agency, checked above
                data={
                    "before": {k: before[k] for k in saved},
                    "after": {k: after[k] for k in saved},
                    **change.audit_data,
                },
            )
            for effect in change.on_commit:
                transaction.on_commit(effect)
        return locked

    # -----------------------------------------------------------------------------------------
    # Documentation

    def state_label(self, state: str) -> str:
        return str(self.states(state).label)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _auto_now_fields(obj: models.Model, saved: Sequence[str]) -> list[str]:
    """``updated_at``-style fields: saved with every move, as a plain ``save()`` would."""
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False) and f.name not in saved]


def _values(obj: models.Model) -> dict[str, Any]:
    return {f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields}


# ---------------------------------------------------------------------------------------------
# The registry: each app registers its processes in its AppConfig.ready()

_registry: dict[str, Workflow[Any]] = {}


def register_workflow(workflow: Workflow[Any]) -> Workflow[Any]:
    """Add a process to the registry (for the documentation); one code, one process."""
    existing = _registry.get(workflow.code)
    if existing is not None and existing is not workflow:
        raise ValueError(f"a workflow with the code {workflow.code!r} is already registered")
    _registry[workflow.code] = workflow
    return workflow


def unregister_workflow(code: str) -> None:
    """For tests that register a process of their own."""
    _registry.pop(code, None)


def registered_workflows() -> list[Workflow[Any]]:
    return [_registry[code] for code in sorted(_registry)]


# ---------------------------------------------------------------------------------------------
# docs/workflows.md

HEADER = """# Workflows

<!-- Generated by `manage.py workflows_doc` from the transition tables registered in
gongkai/core/workflow.py. Do not edit by hand: tests/core/test_workflows_doc.py fails when
this file is stale. -->

Each process is declared as a table of transitions on `gongkai.core.workflow.Workflow`; every
move runs through `Workflow.run`: lock the row, check the agency, the state and the actor's
roles, write, save with `update_fields`, record the audit event with the before and after
values, then run side effects on commit. A move the state does not allow is refused with the
message shown in the last column.
"""


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _role_label(role: str) -> str:
    label = getattr(role, "label", None)
    return f"{label} (`{role}`)" if label is not None else f"`{role}`"


def _render(workflow: Workflow[Any]) -> list[str]:
    model = workflow.model
    lines = [
        f"## {workflow.label} (`{workflow.code}`)",
        "",
        f"Model `{model._meta.label}`, state field `{workflow.state_field}`.",
        "",
        "```mermaid",
        "stateDiagram-v2",
    ]
    for value, label in workflow.states.choices:
        lines.append(f'    state "{_cell(label)}" as {value}')
    if workflow.initial is not None:
        lines.append(f"    [*] --> {workflow.initial}")
    order = {value: i for i, value in enumerate(workflow.states.values)}
    for t in workflow.transitions:
        for source in sorted(t.sources, key=order.__getitem__):
            for target in [source] if t.keeps_state else sorted(t.end_states, key=order.__getitem__):
                lines.append(f"    {source} --> {target}: {t.name}")
    lines += ["```", "", "| State | Label |", "|---|---|"]
    lines += [f"| `{value}` | {_cell(label)} |" for value, label in workflow.states.choices]
    lines += [
        "",
        "| Action | Label | From | To | Roles | Audit code | Refusal |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in workflow.transitions:
        sources = ", ".join(f"`{s}`" for s in sorted(t.sources, key=order.__getitem__))
        targets = ", ".join(f"`{s}`" for s in sorted(t.end_states, key=order.__getitem__))
        roles = ", ".join(_role_label(r) for r in sorted(t.roles, key=str))
        lines.append(
            f"| `{t.name}` | {_cell(t.label)} | {sources} | {targets} | {_cell(roles)} | `{t.audit}` "
            f"| {_cell(workflow.message(t, t.refusal, None))} |"
        )
    return [*lines, ""]


def render_markdown(workflows: Iterable[Workflow[Any]] | None = None) -> str:
    """The text of docs/workflows.md, in English (the msgids), for every registered process."""
    chosen = registered_workflows() if workflows is None else list(workflows)
    lines = [HEADER]
    with translation.override("en"):
        for workflow in chosen:
            lines += _render(workflow)
    return "\n".join(lines).rstrip("\n") + "\n"


def as_mapping(workflow: Workflow[Any]) -> Mapping[str, frozenset[str]]:
    """The allowed moves as ``{source: {targets}}`` (style.md §3's ``ALLOWED_TRANSITIONS``)."""
    moves: dict[str, set[str]] = {}
    for t in workflow.transitions:
        for source in t.sources:
            moves.setdefault(source, set()).update(t.end_states)
    return {source: frozenset(targets) for source, targets in sorted(moves.items())}
