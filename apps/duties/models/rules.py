"""Scoring rule sets (履职量化考评细则): one committee's rules for one year, kept as a validated
definition (apps.duties.rules.schema) so staff edit them on a page without code, a preset is the
same shape, and a copy is a copy of the document."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class RuleSetKind(models.TextChoices):
    SCORING = "scoring", _("量化考评细则")
    CHECKLIST = "checklist", _("履职清单")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")
    RETIRED = "retired", _("已停用")


class ScoringRuleSet(TimeStampedModel):
    """Rules of one committee and year. At most one of each kind is in effect (执行中) per
    committee and year: the scoring rules, and a checklist (e.g. 党员委员“六个一”) whose
    minimums apply to a group of members. `version` grows with each saved change."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(
        _("类型"), max_length=10, choices=RuleSetKind.choices, default=RuleSetKind.SCORING
    )
    name = models.CharField(_("名称"), max_length=100)
    preset = models.CharField(_("来源预置"), max_length=40, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    definition = models.JSONField(_("细则内容"), default=dict)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考评细则")
        verbose_name_plural = _("考评细则")
        ordering = ["committee_id", "-year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "kind"],
                condition=Q(status="active"),
                name="duty_rule_set_one_active",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RuleSetKind.values), name="duty_rule_set_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RuleSetStatus.values), name="duty_rule_set_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["committee", "year"], name="duty_rule_set_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"
