"""Maintained aggregates for the statistics page, the year-end 通报 and the duties app.

Services mark a committee's year dirty when a report changes; a periodic task (and the office's
"立即更新" button) recomputes the year's rows in one transaction. Pages read these rows and show
when they were computed; they never aggregate the reports themselves.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class StatDimension(models.TextChoices):
    TOTAL = "total", "合计"
    MEMBER = "member", "委员"
    SECTOR = "sector", "界别"
    PARTY = "party", "党派"
    UNIT = "unit", "报送单位"
    LIAISON = "liaison", "信息联络员"
    CATEGORY = "category", "类别"


class OpinionStatsState(models.Model):
    """When the rows of one committee's year were computed, whether they are stale, and the
    year's funnel."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年份")
    dirty = models.BooleanField("待更新", default=True)
    refreshed_at = models.DateTimeField("更新时间", null=True, blank=True)
    funnel = models.JSONField("漏斗", default=dict, blank=True)

    class Meta:
        verbose_name = "社情民意统计状态"
        verbose_name_plural = "社情民意统计状态"
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="opinion_stats_state_unique")
        ]
        indexes = [models.Index(fields=["dirty"], condition=Q(dirty=True), name="opinion_dirty")]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"


class OpinionStatRow(models.Model):
    """One line of the statistics: a member, sector, party, organisation, liaison or category
    of one committee's year, with submitted, used (编发), adopted by level and 批示 counts."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年份")
    dimension = models.CharField("维度", max_length=10, choices=StatDimension.choices)
    key = models.CharField("对象", max_length=40)
    label = models.CharField("名称", max_length=100)
    detail = models.CharField("说明", max_length=100, blank=True)
    submitted = models.PositiveIntegerField("报送", default=0)
    used = models.PositiveIntegerField("编发", default=0)
    adopted = models.JSONField("各层级采用", default=dict, blank=True)  # {level id: count}
    adopted_upper = models.PositiveIntegerField("上级采用", default=0)
    instructions = models.PositiveIntegerField("批示", default=0)

    class Meta:
        verbose_name = "社情民意统计"
        verbose_name_plural = "社情民意统计"
        ordering = ["committee_id", "year", "dimension", "-submitted", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "dimension", "key"], name="opinion_stat_row_unique"
            )
        ]
        indexes = [models.Index(fields=["committee", "year", "dimension"], name="opinion_stats")]

    def __str__(self) -> str:
        return f"{self.year} {self.dimension} {self.label}"
