"""The transition skeleton every state machine uses, and "what may this user do now".

A `Workflow` holds one entity's transition table and its actions. Every verb of the entity runs
the same sequence through `Workflow.step`, inside the verb's transaction and on a row the verb
has locked (SELECT … FOR UPDATE):

    permission predicate → harmless no-op when already in the target state → the transition
    table → the action's guards → the verb's own checks → save the changed fields → audit event
    → notices

so a verb states only what is its own: its guards, its checks, its fields and its recipients.
`Workflow.actions_for(user, obj)` answers which actions are open to the user now from the same
table, predicates and guards, so pages, templates and the API never re-decide it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .audit import audit_record
from .errors import Conflict, DomainError, PermissionDenied
from .services import model_update

Label = str | Promise


@dataclass(frozen=True)
class Transition:
    """One allowed step: what it is called ("立案"), the states it may start from, the state it
    leads to. `system` steps are taken by the workflow itself as a consequence of another step."""

    label: Label
    sources: frozenset[str]
    target: str
    system: bool = False


def transition(label: Label, sources: set[str], target: str, *, system: bool = False) -> Transition:
    return Transition(label, frozenset(sources), target, system)


Predicate = Callable[[Any, Any], bool]  # (user, obj) -> may they?
Guard = Callable[[Any, Any], None]  # (user, obj) -> raises DomainError when not possible now


@dataclass(frozen=True)
class ActionSpec:
    """Something a person may do with an entity. A transition action takes its states from the
    table (`transition` names the table entry); other actions (edit, rate, mark) list `states`
    (empty: any state). `allowed` is the permission predicate. `conditions` and `guards` both
    raise a DomainError when the action is not possible now, and the verb runs both; they differ
    only in `actions_for`: an unmet condition hides the action (it does not apply: a reply to
    review when none was sent), an unmet guard lists it as blocked with the reason (submit while
    an invitation is unanswered)."""

    name: str
    label: Label
    allowed: Predicate
    transition: str | None = None
    states: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()
    denied: Label = ""  # the PermissionDenied message (default: the generic one)
    conditions: tuple[Guard, ...] = ()


@dataclass(frozen=True)
class Action:
    """An action open to a user now. `reason` is set when a guard blocks it for the moment
    (the button can be shown disabled with the reason)."""

    name: str
    label: str
    reason: str = ""

    @property
    def enabled(self) -> bool:
        return not self.reason


class Actions(Mapping[str, Action]):
    """The actions a user may take on one object now, by name. Only enabled actions are keys,
    so a template can write `{% if actions.withdraw %}`; `blocked` holds the ones a guard stops
    for the moment, with their reasons."""

    def __init__(self, items: list[Action]):
        self._enabled = {item.name: item for item in items if item.enabled}
        self.blocked = {item.name: item for item in items if not item.enabled}
        self.all = items

    def __getitem__(self, name: str) -> Action:
        return self._enabled[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._enabled)

    def __len__(self) -> int:
        return len(self._enabled)

    def names(self) -> list[str]:
        return list(self._enabled)

    def as_list(self) -> list[dict[str, Any]]:
        """For API schemas: every action with whether it is enabled and why not."""
        return [
            {"name": a.name, "label": a.label, "enabled": a.enabled, "reason": a.reason}
            for a in self.all
        ]


_WORKFLOWS: dict[str, Workflow[Any]] = {}


def audit_state_label(verb: str, state: str) -> str:
    """The Chinese name of `state` in the audit event `verb` ("proposal_accept", "submitted" →
    "已提交"): the state machine whose name prefixes the verb says; otherwise the state as is."""
    if not state:
        return ""
    for name in sorted(_WORKFLOWS, key=len, reverse=True):
        if verb.startswith(f"{name}_"):
            return _WORKFLOWS[name].state_label(state)
    return state


class Workflow[ModelT: models.Model]:
    """One entity's state machine: `name` prefixes its audit verbs ("proposal" →
    "proposal_accept"), `noun` names it in messages ("提案"), `labels` are the state labels."""

    def __init__(
        self,
        *,
        name: str,
        noun: Label,
        labels: Mapping[str, Label],
        transitions: Mapping[str, Transition],
        status_field: str = "status",
    ):
        unknown = {
            state
            for t in transitions.values()
            for state in (*t.sources, t.target)
            if state not in labels
        }
        if unknown:
            raise ValueError(f"{name}: transitions name unknown states {sorted(unknown)}")
        self.name = name
        self.noun = noun
        self.labels = labels
        self.transitions = transitions
        self.status_field = status_field
        self.specs: dict[str, ActionSpec] = {}
        _WORKFLOWS[name] = self

    # The table ---------------------------------------------------------------------------

    def state_label(self, state: str) -> str:
        return str(self.labels.get(state, state))

    def needed(self, verb: str, current: str) -> bool:
        """Check one step against the table: already in the target state → False (a harmless
        no-op); in a source state → True; anything else → Conflict, nothing changed."""
        step = self.transitions[verb]
        if current == step.target:
            return False
        if current in step.sources:
            return True
        raise Conflict(
            _("%(noun)s当前状态为“%(state)s”，不能%(action)s。")
            % {"noun": self.noun, "state": self.state_label(current), "action": step.label},
            extra={"verb": verb, "status": current},
        )

    # Actions -----------------------------------------------------------------------------

    def action(
        self,
        name: str,
        *,
        allowed: Predicate,
        label: Label | None = None,
        transition: str | None = None,
        states: set[str] | frozenset[str] = frozenset(),
        guards: tuple[Guard, ...] = (),
        conditions: tuple[Guard, ...] = (),
        denied: Label = "",
    ) -> ActionSpec:
        """Declare an action (a transition when `transition` names a table entry)."""
        if name in self.specs:
            raise ValueError(f"{self.name}: action {name!r} declared twice")
        if transition is not None and transition not in self.transitions:
            raise ValueError(f"{self.name}: action {name!r} names unknown transition")
        if label is None:
            if transition is None:
                raise ValueError(f"{self.name}: action {name!r} needs a label")
            label = self.transitions[transition].label
        spec = ActionSpec(
            name, label, allowed, transition, frozenset(states), guards, denied, conditions
        )
        self.specs[name] = spec
        return spec

    def _states(self, spec: ActionSpec) -> frozenset[str]:
        if spec.transition is not None:
            return self.transitions[spec.transition].sources
        return spec.states

    def _current(self, obj: ModelT) -> str:
        return str(getattr(obj, self.status_field))

    def actions_for(self, user: Any, obj: ModelT) -> Actions:
        """The actions `user` may take on `obj` now: permitted, the state allows it; a guard
        that fails leaves the action listed as blocked with its reason."""
        current = self._current(obj)
        items: list[Action] = []
        for spec in self.specs.values():
            states = self._states(spec)
            if states and current not in states:
                continue
            if not spec.allowed(user, obj):
                continue
            if not self._holds(spec.conditions, user, obj):
                continue
            reason = ""
            for guard in spec.guards:
                try:
                    guard(user, obj)
                except DomainError as error:
                    reason = error.message
                    break
            items.append(Action(spec.name, str(spec.label), reason))
        return Actions(items)

    @staticmethod
    def _holds(conditions: tuple[Guard, ...], user: Any, obj: ModelT) -> bool:
        for condition in conditions:
            try:
                condition(user, obj)
            except DomainError:
                return False
        return True

    def check(self, user: Any, obj: ModelT, action: str) -> None:
        """For actions that are not transitions: permission, state, guards (raises)."""
        spec = self.specs[action]
        self._require(spec, user, obj)
        states = self._states(spec)
        current = self._current(obj)
        if states and current not in states:
            raise Conflict(
                _("%(noun)s当前状态为“%(state)s”，不能%(action)s。")
                % {"noun": self.noun, "state": self.state_label(current), "action": spec.label},
                extra={"verb": action, "status": current},
            )
        for guard in (*spec.conditions, *spec.guards):
            guard(user, obj)

    def require(self, user: Any, obj: ModelT, action: str) -> None:
        """The permission predicate of `action` alone (PermissionDenied), for verbs that must
        refuse outsiders before their own early returns."""
        self._require(self.specs[action], user, obj)

    def _require(self, spec: ActionSpec, user: Any, obj: ModelT) -> None:
        if not spec.allowed(user, obj):
            raise PermissionDenied(str(spec.denied) if spec.denied else None)

    # The skeleton ------------------------------------------------------------------------

    def step(
        self,
        obj: ModelT,
        action: str,
        *,
        actor: Any,
        role: str,
        check: Callable[[], None] | None = None,
        fields: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        notify: Callable[[ModelT], object] | None = None,
    ) -> bool:
        """Run one transition action on a row the caller locked in its transaction: the
        permission predicate, the no-op, the table, the action's guards, the verb's own `check`,
        then save the target state and `fields` (changed ones only), write the audit event
        (with `data`) and send the notices (`notify`). Returns False for the no-op (nothing
        written), True when the row moved. Any DomainError leaves everything unchanged."""
        spec = self.specs[action]
        if spec.transition is None:
            raise ValueError(f"{self.name}: {action!r} is not a transition")
        self._require(spec, actor, obj)
        return self._move(
            obj,
            spec.transition,
            actor=actor,
            role=role,
            guards=(*spec.conditions, *spec.guards),
            check=check,
            fields=fields,
            data=data,
            notify=notify,
        )

    def system_step(
        self,
        obj: ModelT,
        verb: str,
        *,
        actor: Any = None,
        role: str = "system",
        fields: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        notify: Callable[[ModelT], object] | None = None,
    ) -> bool:
        """A step the workflow takes itself as a consequence of another (no permission of its
        own: the step that caused it was checked). Same table check, save and audit."""
        return self._move(
            obj, verb, actor=actor, role=role, guards=(), fields=fields, data=data, notify=notify
        )

    def _move(
        self,
        obj: ModelT,
        verb: str,
        *,
        actor: Any,
        role: str,
        guards: tuple[Guard, ...],
        check: Callable[[], None] | None = None,
        fields: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None,
        data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None,
        notify: Callable[[ModelT], object] | None,
    ) -> bool:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("workflow steps run inside the verb's transaction")
        previous = self._current(obj)
        if not self.needed(verb, previous):
            return False
        for guard in guards:
            guard(actor, obj)
        if check is not None:
            check()
        target = self.transitions[verb].target
        changes = dict(fields() if callable(fields) else fields or {})
        model_update(instance=obj, data={self.status_field: target, **changes}, validate=False)
        details = dict(data() if callable(data) else data or {})
        audit_record(
            verb=f"{self.name}_{verb}",
            actor=actor,
            obj=obj,
            role=role,
            from_state=previous,
            to_state=target,
            data={key: value for key, value in details.items() if value not in (None, "")},
        )
        if notify is not None:
            notify(obj)
        return True
