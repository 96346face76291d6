"""Guards: the conditions, beyond permission and state, under which an action is possible now.

Each takes (user, report) and raises a DomainError with the reason when the action cannot be
taken at the moment. The verbs run them (through apps.core.workflow.Workflow) and
`report_actions_for` runs the same functions to show a button as available, or blocked with the
reason.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Conflict, ValidationFailed
from apps.core.text import count_chars

from ..models import OpinionCategory, OpinionReport
from ..selectors.config import opinion_settings_for


def _length_problems(report: OpinionReport) -> dict[str, str]:
    settings = opinion_settings_for(report.committee)
    errors: dict[str, str] = {}
    title_chars = count_chars(report.title)
    if title_chars > settings.title_max_chars:
        errors["title"] = _("标题不能超过%(limit)d字（现为%(count)d字）。") % {
            "limit": settings.title_max_chars,
            "count": title_chars,
        }
    body_chars = (
        count_chars(report.situation)
        + count_chars(report.analysis)
        + count_chars(report.suggestion)
    )
    if body_chars > settings.body_max_chars:
        errors["body"] = _(
            "正文（基本情况、问题分析、意见建议合计）不能超过%(limit)d字，现为%(count)d字；"
            "一事一报，更多材料请作为附件上传。"
        ) % {"limit": settings.body_max_chars, "count": body_chars}
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(
            _("信息内容不完整或超出字数限制：%(problems)s")
            % {"problems": "；".join(errors.values())},
            extra={"errors": errors},
        )


def text_complete(user: Any, report: OpinionReport) -> None:
    """Ready to submit: a title, the situation and a suggestion, an active category, within the
    committee's length limits. ValidationFailed names each problem in extra["errors"]."""
    errors: dict[str, str] = {}
    if not report.title.strip():
        errors["title"] = _("请填写标题。")
    if not report.situation.strip():
        errors["situation"] = _("请填写基本情况。")
    if not report.suggestion.strip():
        errors["suggestion"] = _("请填写意见建议。")
    errors.update(_length_problems(report))
    if report.category_id is None:
        errors["category"] = _("请选择信息类别。")
    elif not OpinionCategory.objects.filter(
        pk=report.category_id, committee_id=report.committee_id, is_active=True
    ).exists():
        errors["category"] = _("所选类别已停用，请重新选择。")
    _raise(errors)


def within_limits(user: Any, report: OpinionReport) -> None:
    """The edited text fits the committee's limits (before it goes to the leader)."""
    _raise(_length_problems(report))


def not_leading_a_merge(user: Any, report: OpinionReport) -> None:
    """A report others were merged into cannot itself be merged into another."""
    if OpinionReport.objects.filter(merged_into_id=report.pk).exists():
        raise Conflict(_("已有其他信息合并到这条信息，不能再把它合并到别的信息。"))


def not_in_an_issue(user: Any, report: OpinionReport) -> None:
    if report.issue_id is not None:
        raise Conflict(_("这条信息已编入一期期刊。"))
