"""Rule sets (考评细则): install a preset for a year, copy one (to another year, or to adjust),
save changes (validated), put one in effect, retire one. Every change to the rules in effect
starts a recomputation of that year for the whole committee in the background
(services.years.recompute_start); a closed year's rules cannot change."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from ..models import DutyYear, RuleSetKind, RuleSetStatus, ScoringRuleSet
from ..permissions import can_manage
from ..rules.items import item_labels
from ..rules.library import preset_get
from ..rules.schema import RuleDefinition, definition_from_dict, definition_to_dict
from ..rules.validate import Problem, validate_definition
from ..sources import adoption_levels_of
from .filings import activity_types_for
from .years import recompute_start

OFFICE = Role.LIAISON_OFFICE.value
YEAR_MIN, YEAR_MAX = 2000, 2100


def _require(user: User, committee_id: int) -> None:
    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以修改考评细则。"))


def _require_open(committee_id: int, year: int) -> None:
    if DutyYear.objects.filter(committee_id=committee_id, year=year, closed=True).exists():
        raise Conflict(
            _("%(year)d年度的考评已经结束，考评细则和结果已冻结，不能再修改。") % {"year": year}
        )


def _check_year(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        message = _("年度应在%(min)d至%(max)d之间。") % {"min": YEAR_MIN, "max": YEAR_MAX}
        raise ValidationFailed(message, extra={"errors": {"year": message}})


def committee_labels(committee_id: int) -> dict[str, str]:
    """The item codes (and labels) of the committee's rules: its activity types and its
    adoption levels included."""
    return item_labels(
        {t.code: t.name for t in activity_types_for(committee_id, include_inactive=True)},
        adoption_levels_of(committee_id),
    )


def problems_of(definition: RuleDefinition, *, committee_id: int, kind: str) -> list[Problem]:
    return validate_definition(
        definition, labels=committee_labels(committee_id), checklist=kind == RuleSetKind.CHECKLIST
    )


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise ValidationFailed(
            problems[0].message,
            extra={
                "errors": {problem.key: problem.message for problem in reversed(problems)},
                "problems": [problem.message for problem in problems],
            },
        )


def lock_rule_set(rule_set_id: int, user: User) -> ScoringRuleSet:
    rule_set = ScoringRuleSet.objects.select_for_update().filter(pk=rule_set_id).first()
    if rule_set is None or not can_manage(user, rule_set.committee_id):
        from ..permissions import can_view_committee

        if rule_set is not None and can_view_committee(user, rule_set.committee_id):
            raise PermissionDenied(_("只有本级委员联络处可以修改考评细则。"))
        raise NotFound(_("未找到该考评细则。"))
    return rule_set


@transaction.atomic
def rule_set_install(
    *, user: User, committee_id: int, year: int, preset_key: str, name: str = ""
) -> ScoringRuleSet:
    """Install a preset as the committee's rule set (a draft) for `year`. Who: the 委员联络处."""
    _require(user, committee_id)
    _check_year(year)
    _require_open(committee_id, year)
    preset = preset_get(preset_key)
    if preset is None:
        raise ValidationFailed(
            _("请选择要使用的预置细则。"), extra={"errors": {"preset": _("请选择预置细则。")}}
        )
    definition = definition_from_dict(preset.definition)
    _refuse(problems_of(definition, committee_id=committee_id, kind=preset.kind))
    rule_set = ScoringRuleSet.objects.create(
        committee_id=committee_id,
        year=year,
        kind=preset.kind,
        name=(name or "").strip()[:100] or preset.name,
        preset=preset.key,
        definition=definition_to_dict(definition),
        updated_by=user,
    )
    audit_record(
        verb="duty_rules_install",
        actor=user,
        obj=rule_set,
        role=OFFICE,
        data={"preset": preset.key, "year": year},
    )
    return rule_set


@transaction.atomic
def rule_set_copy(*, user: User, rule_set_id: int, year: int | None = None) -> ScoringRuleSet:
    """Copy a rule set as a new draft (the same year to adjust it, or another year). Who: the
    委员联络处."""
    source = lock_rule_set(rule_set_id, user)
    target_year = year or source.year
    _check_year(target_year)
    _require_open(source.committee_id, target_year)
    copy = ScoringRuleSet.objects.create(
        committee_id=source.committee_id,
        year=target_year,
        kind=source.kind,
        name=_("%(name)s（副本）") % {"name": source.name}
        if target_year == source.year
        else source.name,
        preset=source.preset,
        definition=dict(source.definition),
        updated_by=user,
    )
    audit_record(
        verb="duty_rules_copy",
        actor=user,
        obj=copy,
        role=OFFICE,
        data={"from": source.pk, "year": target_year},
    )
    return copy


@transaction.atomic
def rule_set_save(
    *, user: User, rule_set_id: int, name: str, definition: dict[str, Any]
) -> ScoringRuleSet:
    """Save changed rules, validated: every problem is refused with its Chinese message on the
    field it belongs to (extra["errors"], keyed like the rule page's fields) and nothing saved.
    When the rules are in effect, the year is recomputed for the whole committee. Who: the
    委员联络处, while the year is open."""
    rule_set = lock_rule_set(rule_set_id, user)
    _require_open(rule_set.committee_id, rule_set.year)
    if rule_set.status == RuleSetStatus.RETIRED:
        raise Conflict(_("已停用的细则不能修改；请复制后再调整。"))
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationFailed(
            _("请填写细则名称。"), extra={"errors": {"name": _("请填写细则名称。")}}
        )
    parsed = definition_from_dict(definition)
    _refuse(problems_of(parsed, committee_id=rule_set.committee_id, kind=rule_set.kind))
    stored = definition_to_dict(parsed)
    if stored == rule_set.definition and name == rule_set.name:
        return rule_set
    rule_set.definition = stored
    rule_set.name = name
    rule_set.version += 1
    rule_set.updated_by = user
    rule_set.save(update_fields=["definition", "name", "version", "updated_by", "updated_at"])
    audit_record(
        verb="duty_rules_save",
        actor=user,
        obj=rule_set,
        role=OFFICE,
        data={"version": rule_set.version},
    )
    if rule_set.status == RuleSetStatus.ACTIVE:
        recompute_start(committee_id=rule_set.committee_id, year=rule_set.year)
    return rule_set


@transaction.atomic
def rule_set_activate(*, user: User, rule_set_id: int) -> ScoringRuleSet:
    """Put a rule set in effect for its year (the one of its kind in effect before is retired)
    and recompute the year for the whole committee. Who: the 委员联络处, while the year is open.
    Activating the one in effect changes nothing."""
    rule_set = lock_rule_set(rule_set_id, user)
    if rule_set.status == RuleSetStatus.ACTIVE:
        return rule_set
    _require_open(rule_set.committee_id, rule_set.year)
    _refuse(
        problems_of(
            definition_from_dict(rule_set.definition),
            committee_id=rule_set.committee_id,
            kind=rule_set.kind,
        )
    )
    previous = list(
        ScoringRuleSet.objects.select_for_update().filter(
            committee_id=rule_set.committee_id,
            year=rule_set.year,
            kind=rule_set.kind,
            status=RuleSetStatus.ACTIVE,
        )
    )
    for old in previous:
        old.status = RuleSetStatus.RETIRED
        old.save(update_fields=["status", "updated_at"])
        audit_record(
            verb="duty_rules_retire",
            actor=user,
            obj=old,
            role=OFFICE,
            from_state="active",
            to_state="retired",
        )
    from_state = rule_set.status
    rule_set.status = RuleSetStatus.ACTIVE
    rule_set.save(update_fields=["status", "updated_at"])
    audit_record(
        verb="duty_rules_activate",
        actor=user,
        obj=rule_set,
        role=OFFICE,
        from_state=from_state,
        to_state=RuleSetStatus.ACTIVE,
    )
    recompute_start(committee_id=rule_set.committee_id, year=rule_set.year)
    return rule_set


@transaction.atomic
def rule_set_retire(*, user: User, rule_set_id: int) -> ScoringRuleSet:
    """Stop using a rule set (a retired one is kept for the record); when it was in effect the
    year is recomputed without it. Who: the 委员联络处, while the year is open."""
    rule_set = lock_rule_set(rule_set_id, user)
    if rule_set.status == RuleSetStatus.RETIRED:
        return rule_set
    _require_open(rule_set.committee_id, rule_set.year)
    was_active = rule_set.status == RuleSetStatus.ACTIVE
    from_state = rule_set.status
    rule_set.status = RuleSetStatus.RETIRED
    rule_set.save(update_fields=["status", "updated_at"])
    audit_record(
        verb="duty_rules_retire",
        actor=user,
        obj=rule_set,
        role=OFFICE,
        from_state=from_state,
        to_state="retired",
    )
    if was_active:
        recompute_start(committee_id=rule_set.committee_id, year=rule_set.year)
    return rule_set
