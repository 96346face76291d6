"""Duty records (履职档案): one row per fact a source app reported (谁组织谁记录), one summary
row per member (membership, i.e. per term) and year with the score and its breakdown, and the
state of each committee's year (closed or open, the background recomputation's progress).

Designed for ~1,000,000 records: the records are read per member and year (an index on
membership, year, date), the member's pages read the one summary row, staff lists read summaries
by committee and year ordered by score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class RecordKind(models.TextChoices):
    PROPOSAL = "proposal", _("提案")
    MEETING = "meeting", _("会议活动")
    SPEECH = "speech", _("会议发言")
    ONLINE = "online", _("网络议政")
    STUDIO = "studio", _("委员工作室值班")
    OPINION = "opinion", _("社情民意信息")
    STUDY = "study", _("学习培训")
    ACTIVITY = "activity", _("履职活动")


class DutyRecord(models.Model):
    """One duty of one member in one year as its source reported it, with the link back to the
    record that earned it. Written only by apps.duties.services.refresh (upserted by
    membership, year and source key); the points come from the rules at scoring time."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=16, choices=RecordKind.choices)
    source_key = models.CharField(_("来源"), max_length=64)
    source_url = models.CharField(_("来源链接"), max_length=300, blank=True)
    date = models.DateField(_("日期"))
    label = models.CharField(_("内容"), max_length=200)
    role = models.CharField(_("身份"), max_length=16, blank=True)
    meeting_type = models.CharField(_("会议类别"), max_length=16, blank=True)
    attendance = models.CharField(_("出勤"), max_length=10, blank=True)
    level = models.CharField(_("方式"), max_length=40, blank=True)
    accepted = models.BooleanField(_("立案或编发"), default=False)
    is_key = models.BooleanField(_("重点提案"), default=False)
    is_excellent = models.BooleanField(_("优秀提案"), default=False)
    adopted = models.JSONField(_("采用层级"), default=list, blank=True)
    instructions = models.PositiveSmallIntegerField(_("批示"), default=0)
    signers = models.PositiveSmallIntegerField(_("署名人数"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["membership_id", "year", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year", "source_key"], name="duty_record_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="duty_record_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "year", "-date"], name="duty_record_member"),
            models.Index(fields=["committee", "year", "kind"], name="duty_record_committee"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.label}"


class DutySummary(models.Model):
    """One member's year: the score under the rules in effect, its explained breakdown (every
    line traces to a record; caps and splits are lines of their own), the minimums met and
    open, the grade and the rank band, counts by kind and the month-by-month progress. The
    member's home reads this one row."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rule_set = models.ForeignKey(
        "duties.ScoringRuleSet",
        verbose_name=_("考评细则"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rule_version = models.PositiveIntegerField(_("细则版本"), default=0)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True)
    passed = models.BooleanField(_("达到合格线"), null=True, blank=True)
    minimums_met = models.BooleanField(_("完成最低要求"), null=True, blank=True)
    rank_band = models.CharField(_("排名区间"), max_length=12, blank=True)
    records = models.PositiveIntegerField(_("记录数"), default=0)
    counts = models.JSONField(_("分类计数"), default=dict, blank=True)
    breakdown = models.JSONField(_("得分明细"), default=dict, blank=True)
    checklist = models.JSONField(_("清单完成情况"), default=list, blank=True)
    progress = models.JSONField(_("逐月进度"), default=list, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度履职汇总")
        verbose_name_plural = _("年度履职汇总")
        ordering = ["committee_id", "year", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="duty_summary_unique"),
        ]
        indexes = [
            models.Index(fields=["committee", "year", "-score"], name="duty_summary_rank"),
            models.Index(fields=["committee", "year", "grade"], name="duty_summary_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.year}: {self.score}"


class RecomputeStatus(models.TextChoices):
    IDLE = "idle", _("无")
    RUNNING = "running", _("正在计算")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")


class DutyYear(TimeStampedModel):
    """A committee's assessment year: whether it is closed (frozen: records and scores no longer
    follow their sources, rules cannot change) and the progress of the last recomputation."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    closed = models.BooleanField(_("已结束考评"), default=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recompute_status = models.CharField(
        _("重新计算"),
        max_length=10,
        choices=RecomputeStatus.choices,
        default=RecomputeStatus.IDLE,
    )
    recompute_token = models.CharField(_("计算批次"), max_length=32, blank=True)
    recompute_total = models.PositiveIntegerField(_("需计算人数"), default=0)
    recompute_done = models.PositiveIntegerField(_("已计算人数"), default=0)
    # The chunks of the batch already counted (each by its first membership id), so a chunk a
    # restarted worker runs twice is counted once.
    recompute_chunks_done = models.JSONField(_("已完成的计算分段"), default=list, blank=True)
    recompute_started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    recompute_finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("全面更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考评年度")
        verbose_name_plural = _("考评年度")
        ordering = ["committee_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="duty_year_unique"),
            models.CheckConstraint(
                condition=Q(recompute_status__in=RecomputeStatus.values),
                name="duty_year_recompute_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"
