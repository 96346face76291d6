"""Extension seams: what each app plugs into the portal, registered from its own `apps.py`.

An app's `AppConfig.ready()` calls the `register_*` functions below. The portal shell
(apps.dashboards: navigation, home pages, 我的待办), the audit log page, the Celery beat
schedule, the API and `seed_demo` iterate the registry; none of them names a domain app. A
navigation or card entry whose URL name does not resolve is a start-up error (apps.core.checks).

Roles are given by their string values (apps.accounts.roles.Role is a str enum), so this bottom
layer needs no import of the apps above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

Label = str | Promise  # a plain or a lazily translated string


def _roles(roles: Iterable[str] | None) -> frozenset[str] | None:
    return None if roles is None else frozenset(str(role) for role in roles)


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation. Shown when the user holds one of `roles` (None: every
    signed-in user), has `permission` and passes `check` (a predicate on the user)."""

    label: Label
    url_name: str
    roles: frozenset[str] | None = None
    permission: str | None = None
    check: Callable[[Any], bool] | None = None
    order: int = 100
    app: str = ""


@dataclass(frozen=True)
class HomeCard:
    """A card on the home page of each role in `roles`. `context(request, role)` (a signed-in
    apps.accounts.requests.AuthenticatedRequest and the role's value) returns the template's
    context (a small fixed number of queries); `url_names` are the pages it links to,
    checked at start-up."""

    key: str
    roles: frozenset[str]
    template: str
    context: Callable[[Any, str], Mapping[str, Any]]
    order: int = 100
    url_names: tuple[str, ...] = ()
    app: str = ""


@dataclass(frozen=True)
class TodoItem:
    """One line of 我的待办 or of a staff work queue: what to do, where, how many, by when."""

    label: Label
    url: str = ""
    count: int | None = None
    detail: Label = ""
    due: dt.date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class TodoProvider:
    """Work waiting for a user in one role: `items(request, role)` returns the lines (a fixed
    number of queries). Member providers fill 我的待办; office providers fill the queues of the
    office home."""

    key: str
    roles: frozenset[str]
    items: Callable[[Any, str], Iterable[TodoItem]]
    order: int = 100
    app: str = ""


@dataclass(frozen=True)
class ReminderJob:
    """A periodic Celery task (beat schedule entry `name`)."""

    name: str
    task: str
    schedule: Any  # celery.schedules.crontab or datetime.timedelta
    description: str = ""
    app: str = ""


@dataclass(frozen=True)
class DemoSeeder:
    """Fills the demo with an app's data. `seed(run)` gets the apps.core.demo.DemoRun of the
    command; seeders run by `order` (organisation before members before proposals)."""

    name: str
    seed: Callable[[Any], None]
    order: int = 100
    app: str = ""


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja Router mounted at /api/v1/<prefix>."""

    prefix: str
    router: Any
    order: int = 100
    app: str = ""


@dataclass(frozen=True)
class RelatedLink:
    """A link one app adds to another app's record page ("已转为社情民意信息 2027年第12期")."""

    label: Label
    url: str
    detail: Label = ""


@dataclass(frozen=True)
class Handoff:
    """A domain app taking over something another app hands on (e.g. a proposal the proposer
    agreed to pass on as a social-opinion report). `handle(**payload)` runs in the handing app's
    transaction; peers never import each other."""

    name: str
    handle: Callable[..., Any]
    app: str = ""


@dataclass(frozen=True)
class DutyFact:
    """One duty a member did or missed, as the app that organised it records it (谁组织谁记录).
    The duties app stores one record per fact and scores it by the committee's rules; it never
    reads the organising app's tables.

    - `kind`: "proposal", "meeting", "speech", "online", "studio", "opinion", "study",
      "activity";
    - `source_key`: unique per membership and year within the source ("proposal:12");
    - `source_url`: the page of the record that earned it (a path on this site);
    - `role`: proposals "first" / "cosigner" / "collective"; opinions "first" / "co" / "merged";
    - `meeting_type`: "plenary" / "standing" / "other" / "activity" (meetings and speeches);
    - `attendance`: "present" / "leave" / "absent" / "late" / "early" (meetings, studio duties);
    - `level`: speeches "oral" / "written"; studio duties "studio" / "reception"; study texts
      "compiled" once in a compilation (汇编);
      activities their type code ("research", "inspection", …);
    - `accepted`: a proposal 立案; an opinion report used (编发) in the committee's bulletin; a
      study text adopted (采用) by the 委员联络处;
    - `is_key`, `is_excellent`: 重点提案, 优秀提案;
    - `adopted`: the levels an opinion report was adopted at above the committee's bulletin;
    - `instructions`: leader instructions (批示) the record drew;
    - `signers`: how many members signed a joint proposal (the first proposer included).
    """

    membership_id: int
    year: int
    kind: str
    source_key: str
    date: dt.date
    label: str
    source_url: str = ""
    role: str = ""
    meeting_type: str = ""
    attendance: str = ""
    level: str = ""
    accepted: bool = False
    is_key: bool = False
    is_excellent: bool = False
    adopted: tuple[str, ...] = ()
    instructions: int = 0
    signers: int = 1


@dataclass(frozen=True)
class DutySource:
    """Where duty facts of one kind come from: the app that organises the work.

    - `facts(membership_ids, year)`: every fact of those memberships in that calendar year
      (Asia/Shanghai), in a fixed number of queries whatever the number of ids;
    - `affected(event)`: the membership ids an audit event (apps.core.models.AuditEvent) may
      change facts of; called after the event's transaction committed;
    - `models`: the model labels ("proposals.Proposal") whose audit events may concern the
      source — a cheap filter applied inside the transaction, before anything is queued.
    """

    kind: str
    facts: Callable[[Sequence[int], int], Iterable[DutyFact]]
    affected: Callable[[Any], set[int]]
    models: frozenset[str] = frozenset()
    app: str = ""


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    home_cards: list[HomeCard] = field(default_factory=list)
    todo_providers: list[TodoProvider] = field(default_factory=list)
    audit_labels: dict[str, Label] = field(default_factory=dict)
    reminder_jobs: dict[str, ReminderJob] = field(default_factory=dict)
    demo_seeders: dict[str, DemoSeeder] = field(default_factory=dict)
    api_routers: list[ApiRouter] = field(default_factory=list)
    handoffs: dict[str, Handoff] = field(default_factory=dict)
    related_links: dict[str, list[Callable[[Any, Any], Iterable[RelatedLink]]]] = field(
        default_factory=dict
    )
    duty_sources: dict[str, DutySource] = field(default_factory=dict)
    audit_observers: list[Callable[[Any], None]] = field(default_factory=list)

    def nav_items(self) -> list[NavItem]:
        return sorted(self.nav, key=lambda item: item.order)

    def cards_for(self, role: str) -> list[HomeCard]:
        return sorted(
            (card for card in self.home_cards if role in card.roles), key=lambda c: c.order
        )

    def todo_providers_for(self, role: str) -> list[TodoProvider]:
        return sorted((p for p in self.todo_providers if role in p.roles), key=lambda p: p.order)

    def seeders(self) -> list[DemoSeeder]:
        return sorted(self.demo_seeders.values(), key=lambda seeder: seeder.order)

    def routers(self) -> list[ApiRouter]:
        return sorted(self.api_routers, key=lambda item: item.order)


registry = Registry()


def register_nav(
    label: Label,
    url_name: str,
    *,
    roles: Iterable[str] | None = None,
    permission: str | None = None,
    check: Callable[[Any], bool] | None = None,
    order: int = 100,
    app: str = "",
) -> NavItem:
    """Add a main-navigation entry (see NavItem). Registering the same URL name twice is an
    error: two apps would be fighting over one menu entry."""
    if any(item.url_name == url_name for item in registry.nav):
        raise ValueError(f"navigation entry {url_name!r} is registered twice")
    item = NavItem(label, url_name, _roles(roles), permission, check, order, app)
    registry.nav.append(item)
    return item


def register_home_card(
    key: str,
    *,
    roles: Iterable[str],
    template: str,
    context: Callable[[Any, str], Mapping[str, Any]],
    order: int = 100,
    url_names: Iterable[str] = (),
    app: str = "",
) -> HomeCard:
    """Add a card to the home page of each role in `roles` (see HomeCard)."""
    if any(card.key == key for card in registry.home_cards):
        raise ValueError(f"home card {key!r} is registered twice")
    card = HomeCard(
        key, frozenset(map(str, roles)), template, context, order, tuple(url_names), app
    )
    registry.home_cards.append(card)
    return card


def register_todo_provider(
    key: str,
    *,
    roles: Iterable[str],
    items: Callable[[Any, str], Iterable[TodoItem]],
    order: int = 100,
    app: str = "",
) -> TodoProvider:
    """Add a source of to-dos for the given roles (see TodoProvider)."""
    if any(provider.key == key for provider in registry.todo_providers):
        raise ValueError(f"to-do provider {key!r} is registered twice")
    provider = TodoProvider(key, frozenset(map(str, roles)), items, order, app)
    registry.todo_providers.append(provider)
    return provider


def register_audit_labels(labels: Mapping[str, Label]) -> None:
    """Chinese labels for the audit verbs an app writes (shown on the audit log page). A verb
    owned by another app with a different label is an error."""
    for verb, label in labels.items():
        known = registry.audit_labels.get(verb)
        if known is not None and str(known) != str(label):
            raise ValueError(f"audit verb {verb!r} already has the label {known!r}")
        registry.audit_labels[verb] = label


def audit_label(verb: str) -> str:
    """The label of an audit verb, or the verb itself when no app registered one."""
    return str(registry.audit_labels.get(verb, verb))


def register_reminder_job(
    name: str, *, task: str, schedule: Any, description: str = "", app: str = ""
) -> ReminderJob:
    """Schedule a periodic task on Celery beat (zhengxie.celery reads the registry)."""
    job = ReminderJob(name, task, schedule, description, app)
    if name in registry.reminder_jobs and registry.reminder_jobs[name] != job:
        raise ValueError(f"reminder job {name!r} is registered twice")
    registry.reminder_jobs[name] = job
    return job


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The registered jobs as a Celery `beat_schedule` mapping."""
    return {
        job.name: {"task": job.task, "schedule": job.schedule}
        for job in registry.reminder_jobs.values()
    }


def register_demo_seeder(
    name: str, seed: Callable[[Any], None], *, order: int = 100, app: str = ""
) -> DemoSeeder:
    """Add an app's demo data to `seed_demo` (see DemoSeeder)."""
    seeder = DemoSeeder(name, seed, order, app)
    if name in registry.demo_seeders and registry.demo_seeders[name] != seeder:
        raise ValueError(f"demo seeder {name!r} is registered twice")
    registry.demo_seeders[name] = seeder
    return seeder


def register_api_router(prefix: str, router: Any, *, order: int = 100, app: str = "") -> None:
    """Mount an app's django-ninja Router at /api/v1/<prefix> (zhengxie.api reads this)."""
    if any(item.router is router for item in registry.api_routers):
        return
    registry.api_routers.append(ApiRouter(prefix, router, order, app))


def register_handoff(name: str, handle: Callable[..., Any], *, app: str = "") -> None:
    """Take over the hand-off `name` (one receiver each)."""
    known = registry.handoffs.get(name)
    if known is not None and known.handle is not handle:
        raise ValueError(f"hand-off {name!r} already has a receiver ({known.app})")
    registry.handoffs[name] = Handoff(name, handle, app)


def handoff(name: str, **payload: Any) -> Any:
    """Hand something on to whichever app registered for `name`; None when no app did (the
    handing app then keeps it as it is)."""
    receiver = registry.handoffs.get(name)
    return receiver.handle(**payload) if receiver is not None else None


def register_related_links(
    model_label: str, provider: Callable[[Any, Any], Iterable[RelatedLink]]
) -> None:
    """Add links to the record pages of `model_label` ("proposals.Proposal"):
    `provider(obj, user)` returns the RelatedLinks the user may follow (one query at most)."""
    providers = registry.related_links.setdefault(model_label, [])
    if provider not in providers:
        providers.append(provider)


def related_links_for(obj: Any, user: Any) -> list[RelatedLink]:
    """What other apps link from this record's page, for this user."""
    links: list[RelatedLink] = []
    for provider in registry.related_links.get(obj._meta.label, []):
        links.extend(provider(obj, user))
    return links


def register_duty_source(
    kind: str,
    *,
    facts: Callable[[Sequence[int], int], Iterable[DutyFact]],
    affected: Callable[[Any], set[int]],
    models: Iterable[str] = (),
    app: str = "",
) -> DutySource:
    """Offer an app's duty facts of `kind` to the duties app (see DutySource). One source per
    kind; registering the same functions again (a second `ready()`) changes nothing."""
    source = DutySource(kind, facts, affected, frozenset(models), app)
    known = registry.duty_sources.get(kind)
    if known is not None and (known.facts is not facts or known.affected is not affected):
        raise ValueError(f"duty source {kind!r} is registered twice")
    registry.duty_sources[kind] = source
    return source


def register_audit_observer(observer: Callable[[Any], None]) -> None:
    """Be told of every audit event as it is written: `observer(event)` runs inside the
    transaction of the change (apps.core.audit.audit_record), so it must be cheap and must not
    fail; work that needs the committed state belongs in `transaction.on_commit`."""
    if observer not in registry.audit_observers:
        registry.audit_observers.append(observer)


def audit_observers() -> tuple[Callable[[Any], None], ...]:
    return tuple(registry.audit_observers)


def audit_event_label(event: Any) -> str:
    """The model label ("proposals.Proposal") of an audit event's object, "" when it has none
    (content types are cached: no query after the first)."""
    if not getattr(event, "content_type_id", None):
        return ""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(event.content_type_id).model_class()
    return model._meta.label if model is not None else ""
