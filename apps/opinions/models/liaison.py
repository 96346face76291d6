"""Organisations that report through their information liaisons (信息联络员), and their quotas.

A special committee, a party, a people's organisation or a member group reports as an
organisation (报送单位); the people who file for it are its liaisons — rows, not Groups, since
"liaison of 民盟市委" is a fact about one organisation, not a capability.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    SPECIAL_COMMITTEE = "special_committee", "专门委员会"
    PARTY = "party", "民主党派"
    ORGANISATION = "organisation", "人民团体"
    GROUP = "group", "委员小组"
    SECTOR = "sector", "界别"
    OTHER = "other", "其他"


class ReportingUnit(TimeStampedModel):
    """An organisation that reports social opinion (报送单位) with its monthly quota."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    name = models.CharField("名称", max_length=60)
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        verbose_name="专门委员会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    member_group = models.ForeignKey(
        "organisation.MemberGroup",
        verbose_name="委员小组",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    monthly_quota = models.PositiveSmallIntegerField(
        "每月报送任务",
        null=True,
        blank=True,
        help_text="留空时按本级设置（默认每月1条）；0 为不设任务。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "报送单位"
        verbose_name_plural = "报送单位"
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="reporting_unit_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values), name="reporting_unit_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InformationLiaison(TimeStampedModel):
    """A person who files reports for an organisation (信息联络员)."""

    unit = models.ForeignKey(
        ReportingUnit, verbose_name="报送单位", on_delete=models.CASCADE, related_name="liaisons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联络员",
        on_delete=models.PROTECT,
        related_name="opinion_liaisons",
    )
    is_active = models.BooleanField("在任", default=True)
    appointed_on = models.DateField("任职日期", null=True, blank=True)

    class Meta:
        verbose_name = "信息联络员"
        verbose_name_plural = "信息联络员"
        ordering = ["unit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="information_liaison_unique")
        ]
        indexes = [models.Index(fields=["user", "is_active"], name="liaison_user")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user}"
