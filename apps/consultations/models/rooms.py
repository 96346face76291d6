"""委员工作室 and 委员接待日: rooms with a duty rota of members, swaps between two members that
staff approve, and each duty recorded like an attendance with a note of what people raised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class StudioKind(models.TextChoices):
    STUDIO = "studio", _("委员工作室")
    RECEPTION = "reception", _("委员接待日")


class Studio(TimeStampedModel):
    """A 委员工作室 (per sector or street) or the room of the 委员接待日."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(
        _("类型"), max_length=12, choices=StudioKind.choices, default=StudioKind.STUDIO
    )
    address = models.CharField(_("地址"), max_length=120, blank=True)
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("界别"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("委员工作室")
        verbose_name_plural = _("委员工作室")
        ordering = ["committee_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="studio_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=StudioKind.values), name="studio_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DutyStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待值班")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class DutySlot(TimeStampedModel):
    """One member on duty in a studio for one period, and how it went."""

    studio = models.ForeignKey(
        Studio, verbose_name=_("工作室"), on_delete=models.CASCADE, related_name="slots"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("值班委员"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("值班情况"), max_length=10, choices=DutyStatus.choices, default=DutyStatus.SCHEDULED
    )
    note = models.TextField(
        _("接待记录"), blank=True, help_text=_("群众反映的问题，可转为社情民意信息。")
    )
    visitors = models.PositiveSmallIntegerField(_("接待人次"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DutyStatus.values), name="duty_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="duty_times_ordered"
            ),
            models.UniqueConstraint(
                fields=["studio", "starts_at", "membership"], name="duty_slot_unique"
            ),
        ]
        indexes = [models.Index(fields=["membership", "starts_at"], name="duty_member")]

    def __str__(self) -> str:
        return f"{self.studio} {self.starts_at:%Y-%m-%d}"


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")
    WITHDRAWN = "withdrawn", _("已撤回")


class SwapRequest(TimeStampedModel):
    """A member asks to swap their duty with another member's; staff decide. Approved, the two
    slots exchange their members."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    slot = models.ForeignKey(
        DutySlot, verbose_name=_("本人值班"), on_delete=models.CASCADE, related_name="+"
    )
    other_slot = models.ForeignKey(
        DutySlot, verbose_name=_("对方值班"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("调班原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调班申请")
        verbose_name_plural = _("调班申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SwapStatus.values), name="swap_status_valid"
            ),
            models.CheckConstraint(condition=~Q(slot=models.F("other_slot")), name="swap_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} ⇄ {self.other_slot}"
