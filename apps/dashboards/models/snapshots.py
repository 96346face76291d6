"""The leadership dashboard's maintained aggregates: one row per committee, year and slice.

A refresh (apps.dashboards.leadership.services.snapshot_refresh: a periodic task and the
"立即更新" button) recomputes a committee's year from the source apps' rows and rewrites every
slice's row in one transaction; the dashboard reads one or two of these rows and never
aggregates the records themselves. `figures` holds every chart's data for the slice
(apps.dashboards.leadership.compute documents its shape).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SliceKind(models.TextChoices):
    ALL = "all", _("全体委员")
    SECTOR = "sector", _("界别")
    SPECIAL = "special", _("专门委员会")
    PARTY = "party", _("党派")


class LeadershipSnapshot(models.Model):
    """The dashboard's figures for one committee's year, for all members or one slice of them
    (a sector, a special committee, a party)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    slice_kind = models.CharField(_("范围"), max_length=10, choices=SliceKind.choices)
    slice_key = models.CharField(_("范围对象"), max_length=40, blank=True)
    label = models.CharField(_("名称"), max_length=100)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    refreshed_at = models.DateTimeField(_("更新时间"))
    # The newest audit event of the committee the refresh had seen (a later one marks it stale).
    source_mark = models.BigIntegerField(_("数据标记"), default=0)

    class Meta:
        verbose_name = _("领导看板统计")
        verbose_name_plural = _("领导看板统计")
        ordering = ["committee_id", "-year", "slice_kind", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "slice_kind", "slice_key"],
                name="leadership_snapshot_unique",
            ),
            models.CheckConstraint(
                condition=Q(slice_kind__in=SliceKind.values), name="leadership_snapshot_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "year", "slice_kind"], name="leadership_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year} {self.slice_kind}:{self.slice_key}"
