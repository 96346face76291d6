"""Warnings (履职预警) from each committee's warning rules, evaluated whenever a member's
records are refreshed. A warning is found again by its key (rule, member, period), so it is
raised — and the 委员联络处 told — once; when the records no longer meet the rule (an
attendance corrected, say) it is cleared.

Rules (DOMAIN.md §6, a committee's defaults on first use, editable by the 委员联络处):
- meeting absences in a term: 全体会议 or 常委会议, unexcused only or leave included;
- below the pass mark N complete years running;
- no proposal and no social-opinion report N complete years running.
A "complete" year is one before the current year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.services import model_update
from apps.members.models import Membership

from ..models import (
    DutyRecord,
    DutySummary,
    DutyWarning,
    WarningKind,
    WarningMeetingType,
    WarningRule,
    WarningStatus,
)
from ..permissions import can_manage

# (kind, label, meeting type, threshold, leave counts, years, consequence): every committee's
# rules on first use (DOMAIN.md §6).
DEFAULT_WARNING_RULES: tuple[tuple[str, str, str, int, bool, int, str], ...] = (
    (
        WarningKind.MEETING_ABSENCE,
        "一届内无故缺席全体会议2次",
        WarningMeetingType.PLENARY,
        2,
        False,
        0,
        "按章程撤销委员资格（湖南）",
    ),
    (
        WarningKind.MEETING_ABSENCE,
        "一届内缺席全体会议3次",
        WarningMeetingType.PLENARY,
        3,
        True,
        0,
        "劝其辞去委员（山东）",
    ),
    (
        WarningKind.MEETING_ABSENCE,
        "一届内缺席常委会议7次",
        WarningMeetingType.STANDING,
        7,
        True,
        0,
        "劝其辞去常委（山东）",
    ),
    (
        WarningKind.BELOW_PASS,
        "连续两年考评低于合格线",
        "",
        0,
        False,
        2,
        "谈话提醒，仍不改进的劝退（济南、东城）",
    ),
    (
        WarningKind.NO_OUTPUT,
        "连续两年无提案、无社情民意信息",
        "",
        0,
        False,
        2,
        "不再推荐连任（宜良）",
    ),
)


def warning_rules_for(committee_id: int) -> list[WarningRule]:
    """The committee's warning rules, with the defaults created on first use."""
    rules = list(WarningRule.objects.filter(committee_id=committee_id))
    if rules:
        return rules
    WarningRule.objects.bulk_create(
        [
            WarningRule(
                committee_id=committee_id,
                kind=kind,
                label=label,
                meeting_type=meeting_type,
                threshold=threshold,
                include_leave=leave,
                years=years,
                consequence=consequence,
                sort_order=index,
            )
            for index, (
                kind,
                label,
                meeting_type,
                threshold,
                leave,
                years,
                consequence,
            ) in enumerate(DEFAULT_WARNING_RULES)
        ],
        ignore_conflicts=True,
    )
    return list(WarningRule.objects.filter(committee_id=committee_id))


@dataclass(frozen=True)
class Finding:
    rule: WarningRule
    membership_id: int
    period: str
    summary: str
    evidence: list[dict[str, Any]]

    @property
    def key(self) -> str:
        return f"duty-warning:{self.rule.pk}:{self.membership_id}:{self.period}"


def _evidence(record: DutyRecord) -> dict[str, Any]:
    return {
        "label": record.label,
        "date": record.date.isoformat(),
        "url": record.source_url,
        "year": record.year,
        "attendance": record.attendance,
    }


def _absences(
    rule: WarningRule, membership: Membership, records: Sequence[DutyRecord]
) -> Finding | None:
    wanted = {"absent", "leave"} if rule.include_leave else {"absent"}
    types = (
        {"plenary", "standing", "other"}
        if rule.meeting_type == WarningMeetingType.ANY
        else {rule.meeting_type}
    )
    missed = [r for r in records if r.meeting_type in types and r.attendance in wanted]
    if rule.threshold < 1 or len(missed) < rule.threshold:
        return None
    summary = _("%(term)s已缺席%(meeting)s%(count)d次（达到%(threshold)d次）") % {
        "term": membership.term,
        "meeting": WarningMeetingType(rule.meeting_type).label,
        "count": len(missed),
        "threshold": rule.threshold,
    }
    return Finding(
        rule, membership.pk, f"term{membership.term_id}", summary, [_evidence(r) for r in missed]
    )


def _complete_run(
    rule: WarningRule, membership: Membership, summaries: dict[int, DutySummary], test: Any
) -> tuple[list[int], list[DutySummary]] | None:
    """The last `rule.years` complete years of the membership's term, if every one of them has
    a summary that meets `test`."""
    years = rule.years
    last = clock.today().year - 1
    run = list(range(last - years + 1, last + 1))
    if years < 1 or run[0] < membership.term.start_date.year:
        return None
    rows = [summaries.get(year) for year in run]
    if any(row is None or not test(row) for row in rows):
        return None
    return run, [row for row in rows if row is not None]


def _below_pass(
    rule: WarningRule, membership: Membership, summaries: dict[int, DutySummary]
) -> Finding | None:
    found = _complete_run(rule, membership, summaries, lambda row: row.passed is False)
    if found is None:
        return None
    run, rows = found
    summary = _("%(first)d至%(last)d年连续%(years)d年考评低于合格线") % {
        "first": run[0],
        "last": run[-1],
        "years": len(run),
    }
    evidence = [
        {
            "label": _("%(year)d年度考评：%(score)s分 %(grade)s")
            % {"year": row.year, "score": row.score, "grade": row.grade},
            "date": "",
            "url": reverse("duties:member_year", args=[membership.pk, row.year]),
            "year": row.year,
            "attendance": "",
        }
        for row in rows
    ]
    return Finding(rule, membership.pk, f"{run[0]}-{run[-1]}", summary, evidence)


def _no_output(
    rule: WarningRule, membership: Membership, summaries: dict[int, DutySummary]
) -> Finding | None:
    found = _complete_run(
        rule,
        membership,
        summaries,
        lambda row: (
            not (row.counts or {}).get("proposal") and not (row.counts or {}).get("opinion")
        ),
    )
    if found is None:
        return None
    run, rows = found
    summary = _("%(first)d至%(last)d年连续%(years)d年没有提案，也没有社情民意信息") % {
        "first": run[0],
        "last": run[-1],
        "years": len(run),
    }
    evidence = [
        {
            "label": _("%(year)d年度：%(records)d条履职记录，提案0件，社情民意信息0篇")
            % {"year": row.year, "records": row.records},
            "date": "",
            "url": reverse("duties:member_year", args=[membership.pk, row.year]),
            "year": row.year,
            "attendance": "",
        }
        for row in rows
    ]
    return Finding(rule, membership.pk, f"{run[0]}-{run[-1]}", summary, evidence)


def warnings_evaluate(*, membership_ids: Iterable[int]) -> list[DutyWarning]:
    """Evaluate the warning rules for these members (in the caller's transaction): raise new
    warnings (telling the 委员联络处 once each), refresh the records behind open ones and clear
    those that no longer hold. Returns the warnings raised now. A fixed number of queries."""
    memberships = list(
        Membership.objects.filter(pk__in=set(membership_ids)).select_related("term", "member")
    )
    if not memberships:
        return []
    rules: dict[int, list[WarningRule]] = {}
    for committee_id in {m.committee_id for m in memberships}:
        rules[committee_id] = [rule for rule in warning_rules_for(committee_id) if rule.is_active]
    ids = [m.pk for m in memberships]
    absences: dict[int, list[DutyRecord]] = defaultdict(list)
    for record in DutyRecord.objects.filter(
        membership_id__in=ids, kind="meeting", attendance__in=["absent", "leave"]
    ).order_by("date", "id"):
        absences[record.membership_id].append(record)
    summaries: dict[int, dict[int, DutySummary]] = defaultdict(dict)
    for row in DutySummary.objects.filter(membership_id__in=ids):
        summaries[row.membership_id][row.year] = row
    findings: dict[str, Finding] = {}
    for membership in memberships:
        for rule in rules.get(membership.committee_id, []):
            if rule.kind == WarningKind.MEETING_ABSENCE:
                finding = _absences(rule, membership, absences.get(membership.pk, []))
            elif rule.kind == WarningKind.BELOW_PASS:
                finding = _below_pass(rule, membership, summaries.get(membership.pk, {}))
            else:
                finding = _no_output(rule, membership, summaries.get(membership.pk, {}))
            if finding is not None:
                findings[finding.key] = finding
    existing = {
        warning.key: warning
        for warning in DutyWarning.objects.filter(membership_id__in=ids).select_related("rule")
    }
    now = clock.now()
    raised: list[DutyWarning] = []
    for key, finding in findings.items():
        warning = existing.get(key)
        if warning is None:
            warning = DutyWarning.objects.create(
                committee_id=finding.rule.committee_id,
                membership_id=finding.membership_id,
                rule=finding.rule,
                key=key,
                period=finding.period,
                summary=finding.summary[:200],
                evidence=finding.evidence,
                raised_at=now,
            )
            audit_record(
                verb="duty_warning_raise",
                obj=warning,
                committee=warning.committee,
                role="system",
                data={"rule": finding.rule.label, "membership": finding.membership_id},
            )
            raised.append(warning)
        else:
            model_update(
                instance=warning,
                data={
                    "status": WarningStatus.OPEN,
                    "cleared_at": None,
                    "summary": finding.summary[:200],
                    "evidence": finding.evidence,
                },
                validate=False,
            )
    for key, warning in existing.items():
        if key not in findings and warning.status == WarningStatus.OPEN:
            model_update(
                instance=warning,
                data={"status": WarningStatus.CLEARED, "cleared_at": now},
                validate=False,
            )
            audit_record(
                verb="duty_warning_clear", obj=warning, committee=warning.committee, role="system"
            )
    _notify_office(raised, {m.pk: m for m in memberships})
    return raised


def _notify_office(warnings: Sequence[DutyWarning], memberships: dict[int, Membership]) -> None:
    """Tell the 委员联络处 of each new warning, once (the outbox key names the warning)."""
    if not warnings:
        return
    from apps.notifications.services import notify

    committees = {warning.committee_id for warning in warnings}
    staff: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        committee_id__in=committees, is_active=True, groups__name=Role.LIAISON_OFFICE.value
    ).distinct():
        assert user.committee_id is not None
        staff[user.committee_id].append(user)
    now = clock.now()
    for warning in warnings:
        member = memberships[warning.membership_id].member
        for user in staff.get(warning.committee_id, []):
            notify(
                recipient=user,
                key=f"{warning.key}:u{user.pk}",
                title=_("履职预警：%(name)s %(rule)s")
                % {"name": member.name, "rule": warning.rule.label},
                body=warning.summary,
                url=reverse("duties:warning", args=[warning.pk]),
                kind="duty_warning",
                committee=warning.committee,
            )
        DutyWarning.objects.filter(pk=warning.pk).update(notified_at=now)


@transaction.atomic
def warning_rule_save(
    *, user: User, committee_id: int, rule_id: int | None, data: dict[str, Any]
) -> WarningRule:
    """Add or change one warning rule. Who: the 委员联络处 of the committee. A rule's numbers are
    checked (a threshold of at least 1 for absences, at least 1 year otherwise); the committee's
    members are evaluated again on the next refresh."""
    from apps.core.errors import NotFound, PermissionDenied

    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以修改预警规则。"))
    warning_rules_for(committee_id)
    kind = data.get("kind") or ""
    if kind not in WarningKind.values:
        raise ValidationFailed(
            _("请选择预警类型。"), extra={"errors": {"kind": _("请选择预警类型。")}}
        )
    label = " ".join(str(data.get("label") or "").split())[:100]
    if not label:
        raise ValidationFailed(
            _("请填写规则名称。"), extra={"errors": {"label": _("请填写规则名称。")}}
        )
    values: dict[str, Any] = {
        "kind": kind,
        "label": label,
        "meeting_type": data.get("meeting_type") or "",
        "threshold": int(data.get("threshold") or 0),
        "include_leave": bool(data.get("include_leave")),
        "years": int(data.get("years") or 0),
        "consequence": str(data.get("consequence") or "")[:200],
        "is_active": bool(data.get("is_active", True)),
    }
    if kind == WarningKind.MEETING_ABSENCE:
        if values["meeting_type"] not in WarningMeetingType.values:
            message = _("请选择会议类别。")
            raise ValidationFailed(message, extra={"errors": {"meeting_type": message}})
        if values["threshold"] < 1:
            message = _("缺席次数至少为1次。")
            raise ValidationFailed(message, extra={"errors": {"threshold": message}})
    elif values["years"] < 1 or values["years"] > 5:
        message = _("连续年数应在1至5年之间。")
        raise ValidationFailed(message, extra={"errors": {"years": message}})
    if rule_id is None:
        created = WarningRule.objects.create(committee_id=committee_id, **values)
        audit_record(
            verb="duty_warning_rule_save", actor=user, obj=created, role=Role.LIAISON_OFFICE.value
        )
        return created
    rule = (
        WarningRule.objects.select_for_update()
        .filter(pk=rule_id, committee_id=committee_id)
        .first()
    )
    if rule is None:
        raise NotFound(_("未找到该预警规则。"))
    if model_update(instance=rule, data=values, validate=True):
        audit_record(
            verb="duty_warning_rule_save", actor=user, obj=rule, role=Role.LIAISON_OFFICE.value
        )
    return rule
