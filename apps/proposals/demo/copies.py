"""Volume for the demo: copies of a walked proposal, bulk-inserted.

A proposal walked through the real workflow (apps.proposals.demo.walk) is the template: every
row it left — the proposal, co-signers, assignments, contact records, co-unit views, replies,
ratings, audit events and notices — is copied for another author and co-signers, another text
and theme (so other units), and moved back in time by whole weeks (weekdays and working days
stay where the rules put them). The numbers continue the template's series, and the session
(大会 / 平时) is decided again for the moved submission time. Only the template knows the rules;
a copy knows nothing of the workflow, so it cannot drift from it.

A copy may keep fewer co-signers than its template: whatever concerns a dropped co-signer (their
invitation, rating, notices, events) is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.members.models import Membership
from apps.notifications.demo import SeedNotice, notices_seed_delivered
from apps.notifications.models import OutboxMessage
from apps.organisation.models import HandlingUnit

from ..models import (
    Assignment,
    ContactRecord,
    Cosigner,
    CoUnitOpinion,
    Evaluation,
    Proposal,
    ProposalKind,
    ProposalNumberSeries,
    Reply,
    Satisfaction,
    UnitRating,
)
from ..selectors import proposal_settings_for, session_for
from ..services import proposal_text_index_refresh
from ..workflow.numbering import series_for

# The rows of one proposal, in the order they are copied (each refers only to earlier ones).
CHILDREN: tuple[tuple[type[models.Model], str], ...] = (
    (Cosigner, "proposal_id"),
    (Assignment, "proposal_id"),
    (ContactRecord, "assignment_id"),
    (CoUnitOpinion, "assignment_id"),
    (Reply, "assignment_id"),
    (Evaluation, "proposal_id"),
    (UnitRating, "evaluation_id"),
)
PARENTS: dict[str, type[models.Model]] = {
    "proposal_id": Proposal,
    "assignment_id": Assignment,
    "evaluation_id": Evaluation,
}
# Ids found in audit data and notice keys, by the word in front of them.
ID_WORDS: dict[str, type[models.Model]] = {
    "proposal": Proposal,
    "assignment": Assignment,
    "reply": Reply,
    "cosign": Cosigner,
    "cosigner": Cosigner,
    "cosigners": Cosigner,
    "memberships": Membership,
    "leader": User,
}
DATE_FORMATS = ("%Y年%m月%d日", "%Y-%m-%d")


@dataclass
class Template:
    """A walked proposal and everything it left behind."""

    state: str
    theme_index: int
    proposal: Proposal
    rows: dict[type[models.Model], list[Any]]
    events: list[AuditEvent]
    messages: list[OutboxMessage]

    @property
    def cosigners(self) -> list[Cosigner]:
        return self.rows[Cosigner]


def template_load(proposal_id: int, *, state: str, theme_index: int) -> Template:
    """Read a walked proposal's rows, audit events and notices (a dozen queries)."""
    proposal = Proposal.objects.get(pk=proposal_id)
    rows: dict[type[models.Model], list[Any]] = {Proposal: [proposal]}
    ids: dict[type[models.Model], list[int]] = {Proposal: [proposal.pk]}
    for model, parent in CHILDREN:
        parent_model = PARENTS[parent]
        found = list(
            model._default_manager.filter(**{f"{parent}__in": ids[parent_model]}).order_by(
                *(["sort_order"] if model is Cosigner else []), "pk"
            )
        )
        rows[model] = found
        ids[model] = [row.pk for row in found]
    types = ContentType.objects.get_for_models(*ids)
    events = Q()
    for model, pks in ids.items():
        if pks:
            events |= Q(content_type=types[model], object_id__in=[str(pk) for pk in pks])
    keys = Q(key__startswith=f"proposal:{proposal.pk}:")
    for word, model in (("assignment", Assignment), ("reply", Reply)):
        for pk in ids[model]:
            keys |= Q(key__startswith=f"{word}:{pk}:")
    return Template(
        state=state,
        theme_index=theme_index,
        proposal=proposal,
        rows=rows,
        events=list(AuditEvent.objects.filter(events).order_by("pk")),
        messages=list(OutboxMessage.objects.filter(keys).order_by("pk")),
    )


@dataclass
class CopyPlan:
    """What is new about one copy."""

    template: Template
    author: Membership
    cosigners: list[Membership]  # replaces the template's first len(cosigners) co-signers
    units: list[HandlingUnit]  # replaces the template's units, in assignment order
    unit_users: dict[int, list[User]]
    text: dict[str, str]
    category_id: int
    weeks_back: int
    lead_id: int | None = None  # for a copy of a merged proposal: the proposal it joins
    pick: Callable[[list[str], list[int]], str] | None = None  # variety in results, ratings
    proposal: Proposal | None = None  # set once created
    ids: dict[type[models.Model], dict[int, int]] = field(default_factory=dict)
    dropped: dict[type[models.Model], set[int]] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    pattern: re.Pattern[str] | None = None
    results: dict[int, str] = field(default_factory=dict)  # new assignment id → result class
    ratings: dict[int, str] = field(default_factory=dict)  # rater id → result rating

    @property
    def delta(self) -> dt.timedelta:
        return dt.timedelta(weeks=-self.weeks_back)


def _people_maps(plan: CopyPlan) -> None:
    """Who is who in the copy: author, kept co-signers, the units' users."""
    template = plan.template
    first = template.proposal.first_proposer
    users: dict[int, int] = {}
    memberships: dict[int, int] = {}
    if first is not None and first.member.user_id is not None:
        users[first.member.user_id] = plan.author.member.user_id or 0
        memberships[first.pk] = plan.author.pk
    dropped_users: set[int] = set()
    dropped_memberships: set[int] = set()
    for index, cosigner in enumerate(template.cosigners):
        old_user = cosigner.membership.member.user_id
        if index < len(plan.cosigners):
            memberships[cosigner.membership_id] = plan.cosigners[index].pk
            if old_user is not None:
                users[old_user] = plan.cosigners[index].member.user_id or 0
        else:
            dropped_memberships.add(cosigner.membership_id)
            if old_user is not None:
                dropped_users.add(old_user)
    old_units = list(dict.fromkeys(a.handling_unit_id for a in template.rows[Assignment]))
    units = {old: new.pk for old, new in zip(old_units, plan.units, strict=False)}
    for old, new in units.items():
        for before, after in zip(
            plan.unit_users.get(old, []), plan.unit_users.get(new, []), strict=False
        ):
            users[before.pk] = after.pk
    plan.ids = {User: users, Membership: memberships, HandlingUnit: units, Proposal: {}}
    plan.dropped = {User: dropped_users, Membership: dropped_memberships}


def _copy_row(row: models.Model, plan: CopyPlan, **overrides: Any) -> models.Model | None:
    """A copy of `row` with its dates moved and its references mapped, or None when it
    concerns a dropped co-signer."""
    model = type(row)
    values: dict[str, Any] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or getattr(model_field, "auto_now", False):
            continue
        if getattr(model_field, "auto_now_add", False):
            continue
        value = getattr(row, model_field.attname)
        if isinstance(model_field, models.FileField):
            value = value.name if value else ""
        elif isinstance(model_field, models.DateField) and value is not None:
            value = value + plan.delta
        elif model_field.is_relation and value is not None:
            target = model_field.related_model
            if value in plan.dropped.get(target, ()):  # type: ignore[arg-type]
                return None
            value = plan.ids.get(target, {}).get(value, value)  # type: ignore[arg-type]
        values[model_field.attname] = value
    values.update(overrides)
    return model(**values)


def _words(plan: CopyPlan, names: dict[int, str], labels: dict[int, str]) -> None:
    """Old text → new text for titles, numbers, unit and person names and dates."""
    template, copy = plan.template, plan.proposal
    assert copy is not None
    words = {template.proposal.title: copy.title}
    if template.proposal.number_label and copy.number_label:
        words[template.proposal.number_label] = copy.number_label
    lead = template.proposal.merged_into_id
    if lead and plan.lead_id and lead in labels and plan.lead_id in labels:
        words[labels[lead]] = labels[plan.lead_id]
    for old, new in plan.ids[HandlingUnit].items():
        words[names[-old]] = names[-new]
    for old, new in plan.ids[User].items():
        if names.get(old) and names.get(new):
            words[names[old]] = names[new]
    for rows in template.rows.values():
        for row in rows:
            for model_field in type(row)._meta.concrete_fields:
                value = getattr(row, model_field.attname)
                if type(value) is dt.date:
                    for fmt in DATE_FORMATS:
                        words[value.strftime(fmt)] = (value + plan.delta).strftime(fmt)
    plan.words = {old: new for old, new in words.items() if old and old != new}
    if plan.words:  # longest first, so a title wins over a name inside it
        alternatives = sorted(plan.words, key=len, reverse=True)
        plan.pattern = re.compile("|".join(re.escape(old) for old in alternatives))


def _replace(text: str, plan: CopyPlan) -> str:
    if plan.pattern is None or not text:
        return text
    return plan.pattern.sub(lambda match: plan.words[match.group(0)], text)


class _Dropped(Exception):
    """The item concerns a co-signer the copy does not have."""


# Rows every copy has its own of: an id of one the copy has no copy of is left out with it.
OWN_ROWS = frozenset({Proposal, Membership, *(model for model, _parent in CHILDREN)})


def _map_id(plan: CopyPlan, model: type[models.Model] | None, value: Any) -> Any:
    if model is None or not isinstance(value, int) or isinstance(value, bool):
        return value
    if value in plan.dropped.get(model, ()):
        raise _Dropped
    mapped = plan.ids.get(model, {})
    if model in OWN_ROWS and value not in mapped:
        raise _Dropped
    return mapped.get(value, value)


def _data(value: Any, plan: CopyPlan, word: str = "") -> Any:
    """Audit data with ids mapped and texts replaced."""
    if isinstance(value, dict):
        return {key: _data(item, plan, key) for key, item in value.items()}
    if isinstance(value, list):
        items = []
        for item in value:
            try:
                items.append(_data(item, plan, word))
            except _Dropped:
                continue
        if value and not items:
            raise _Dropped
        return items
    if isinstance(value, str):
        return _replace(value, plan)
    if word in ID_WORDS:
        return _map_id(plan, ID_WORDS[word], value)
    return value


def _key(key: str, plan: CopyPlan) -> str:
    """A notice key with its ids mapped (…:u<user id>, rating:<round>:<user id>)."""
    parts = key.split(":")
    for index, part in enumerate(parts):
        if index == 0:
            continue
        before = parts[index - 1]
        if part.isdigit():
            if index >= 2 and parts[index - 2] == "rating":
                parts[index] = str(_map_id(plan, User, int(part)))
            elif before in ID_WORDS:
                parts[index] = str(_map_id(plan, ID_WORDS[before], int(part)))
            elif before == "key-leader":
                parts[index] = str(_map_id(plan, User, int(part)))
        elif part.startswith("u") and part[1:].isdigit():
            parts[index] = f"u{_map_id(plan, User, int(part[1:]))}"
    new = ":".join(parts)
    assert plan.proposal is not None
    return new if new != key else f"{key}:copy{plan.proposal.pk}"


_URL = re.compile(r"/proposals/(assignments/)?(\d+)/")


def _url(url: str, plan: CopyPlan) -> str:
    def mapped(match: re.Match[str]) -> str:
        model = Assignment if match.group(1) else Proposal
        return f"/proposals/{match.group(1) or ''}{_map_id(plan, model, int(match.group(2)))}/"

    return _URL.sub(mapped, url)


def _numbers(plans: list[CopyPlan]) -> None:
    """Session type, plenary session and the next numbers of the series for the copies that
    are numbered like their template."""
    if not plans:
        return
    committee_id = plans[0].template.proposal.committee_id
    window = proposal_settings_for(committee_id).plenary_window_months
    last = dict(
        ProposalNumberSeries.objects.filter(committee_id=committee_id).values_list(
            "key", "last_number"
        )
    )
    used: set[str] = set()
    for plan in plans:
        copy = plan.proposal
        assert copy is not None
        if copy.submitted_at is None:
            continue
        copy.session_type, session = session_for(
            committee_id=committee_id, when=copy.submitted_at, window_months=window
        )
        copy.plenary_session = session
        if plan.template.proposal.number is None:
            continue
        key, prefix = series_for(copy)
        last[key] = last.get(key, 0) + 1
        used.add(key)
        copy.number_series, copy.number = key, last[key]
        copy.number_label = f"{prefix} 第{last[key]:04d}号"
    for key in used:
        ProposalNumberSeries.objects.update_or_create(
            committee_id=committee_id, key=key, defaults={"last_number": last[key]}
        )


def copies_create(plans: list[CopyPlan], labels: dict[int, str]) -> list[Proposal]:
    """Bulk-insert the copies; `labels` (proposal id → number label) gains theirs."""
    for plan in plans:
        _people_maps(plan)
        template = plan.template.proposal
        kind = template.kind
        if kind == ProposalKind.JOINT and not plan.cosigners:
            kind = ProposalKind.INDIVIDUAL
        if plan.lead_id is not None and template.merged_into_id is not None:
            plan.ids[Proposal][template.merged_into_id] = plan.lead_id
        plan.proposal = _copy_row(  # type: ignore[assignment]
            template,
            plan,
            kind=kind,
            category_id=plan.category_id,
            keyword_vector={},
            search_vector=None,
            **plan.text,
        )
    _numbers(plans)
    created = Proposal.objects.bulk_create([plan.proposal for plan in plans])  # type: ignore[misc]
    for plan in plans:  # the template's own times, moved like its dates (auto_now skipped them)
        assert plan.proposal is not None
        plan.proposal.created_at = plan.template.proposal.created_at + plan.delta
        plan.proposal.updated_at = plan.template.proposal.updated_at + plan.delta
    Proposal.objects.bulk_update(created, ["created_at", "updated_at"], batch_size=500)
    for plan in plans:
        assert plan.proposal is not None
        plan.ids[Proposal][plan.template.proposal.pk] = plan.proposal.pk
        if plan.proposal.number_label:
            labels[plan.proposal.pk] = plan.proposal.number_label
    for model, _parent in CHILDREN:
        batch: list[tuple[CopyPlan, Any, models.Model]] = []
        for plan in plans:
            for row in plan.template.rows[model]:
                copy = _copy_row(row, plan, **_varied(row, plan))
                if copy is not None:
                    batch.append((plan, row, copy))
        model._default_manager.bulk_create([copy for _plan, _row, copy in batch])
        for plan, row, copy in batch:
            plan.ids.setdefault(model, {})[row.pk] = copy.pk
            if isinstance(copy, Reply):
                plan.results[copy.assignment_id] = copy.result_class
            if isinstance(copy, Evaluation):
                plan.ratings[copy.rater_id] = copy.result_rating
    names = _names(plans)
    for plan in plans:
        _words(plan, names, labels)
    _events(plans, names)
    notices_seed_delivered(_notices(plans))
    for proposal in created:
        proposal_text_index_refresh(proposal=proposal)
    return created


def _varied(row: models.Model, plan: CopyPlan) -> dict[str, Any]:
    """What differs from the template besides people and dates: result classes and ratings."""
    if plan.pick is None:
        return {}
    if isinstance(row, Reply):
        return {"result_class": plan.pick(["A", "B", "C"], [5, 4, 1])}
    if (
        isinstance(row, Evaluation)
        and not row.timed_out
        and Satisfaction.DISSATISFIED not in (row.process_rating, row.result_rating)
    ):
        rating = plan.pick([Satisfaction.SATISFIED, Satisfaction.BASIC], [7, 3])
        return {"result_rating": rating}
    if isinstance(row, UnitRating):
        # A unit rated as the whole proposal was keeps following the (varied) overall rating.
        evaluation = next(e for e in plan.template.rows[Evaluation] if e.pk == row.evaluation_id)
        rater = plan.ids[User].get(evaluation.rater_id, evaluation.rater_id)
        if row.result_rating == evaluation.result_rating and rater in plan.ratings:
            return {"result_rating": plan.ratings[rater]}
    return {}


def _names(plans: list[CopyPlan]) -> dict[int, str]:
    """Display names of the people (user id) and units (-unit id) the copies mention."""
    users: set[int] = set()
    units: set[int] = set()
    for plan in plans:
        users |= set(plan.ids[User]) | set(plan.ids[User].values())
        units |= set(plan.ids[HandlingUnit]) | set(plan.ids[HandlingUnit].values())
    names = {
        pk: name or username
        for pk, name, username in User.objects.filter(pk__in=users).values_list(
            "pk", "name", "username"
        )
    }
    for pk, name in HandlingUnit.objects.filter(pk__in=units).values_list("pk", "name"):
        names[-pk] = name
    return names


def _events(plans: list[CopyPlan], names: dict[int, str]) -> None:
    types = {ct.pk: ct.model_class() for ct in ContentType.objects.all()}
    new: list[AuditEvent] = []
    moments: list[dt.datetime] = []
    for plan in plans:
        for event in plan.template.events:
            model = types.get(event.content_type_id or 0)
            try:
                object_id = str(_map_id(plan, model, int(event.object_id)))
                actor_id = _map_id(plan, User, event.actor_id) if event.actor_id else None
                data = _data(event.data, plan)
            except _Dropped:
                continue
            if "result_class" in data and model is Assignment:
                data["result_class"] = plan.results.get(int(object_id), data["result_class"])
            if "session_type" in data and model is Proposal:
                data["session_type"] = plan.proposal.session_type  # type: ignore[union-attr]
            if "result" in data and actor_id in plan.ratings:
                data["result"] = plan.ratings[actor_id]
            repr_ = str(plan.proposal) if model is Proposal else _replace(event.object_repr, plan)
            new.append(
                AuditEvent(
                    actor_id=actor_id,
                    actor_label=names.get(actor_id, event.actor_label)
                    if actor_id
                    else event.actor_label,
                    role=event.role,
                    committee_id=event.committee_id,
                    content_type_id=event.content_type_id,
                    object_id=object_id,
                    object_repr=repr_[:200],
                    verb=event.verb,
                    from_state=event.from_state,
                    to_state=event.to_state,
                    data=data,
                )
            )
            moments.append(event.occurred_at + plan.delta)
    # Each when it happened, moved like the record's dates. Audit events are append-only and
    # their time is stamped on insert unless the row is saved as it is (raw), as a fixture is.
    for event, moment in zip(new, moments, strict=True):
        event.occurred_at = moment
        event.save_base(raw=True)


def _notices(plans: list[CopyPlan]) -> Iterable[SeedNotice]:
    for plan in plans:
        for message in plan.template.messages:
            try:
                recipient = _map_id(plan, User, message.recipient_id)
                key = _key(message.key, plan)
                url = _url(message.url, plan)
            except _Dropped:
                continue
            yield SeedNotice(
                key=key,
                recipient_id=recipient,
                title=_replace(message.title, plan),
                body=_replace(message.body, plan),
                url=url,
                kind=message.kind,
                committee_id=message.committee_id,
            )
