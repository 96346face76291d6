"""The plenary's 会务: discussion groups, the seat chart, hotel rooms, buses and meal tables
per invitee (one Arrangement row each), read back as each member's 参会指南."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class DiscussionGroup(TimeStampedModel):
    """A 分组讨论 group of one meeting, with its room and convener."""

    meeting = models.ForeignKey(
        "consultations.Meeting",
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="discussion_groups",
    )
    name = models.CharField(_("组名"), max_length=60)
    room = models.CharField(_("讨论地点"), max_length=100, blank=True)
    convener = models.CharField(_("召集人"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("讨论组")
        verbose_name_plural = _("讨论组")
        ordering = ["meeting_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="discussion_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Arrangement(TimeStampedModel):
    """Where one invitee sits, discusses, sleeps, rides and eats during the meeting."""

    invitation = models.OneToOneField(
        "consultations.Invitation",
        verbose_name=_("参会委员"),
        on_delete=models.CASCADE,
        related_name="arrangement",
    )
    meeting = models.ForeignKey(
        "consultations.Meeting",
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="arrangements",
    )
    discussion_group = models.ForeignKey(
        DiscussionGroup,
        verbose_name=_("讨论组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrangements",
    )
    seat_row = models.PositiveSmallIntegerField(_("座次排"), null=True, blank=True)
    seat_number = models.PositiveSmallIntegerField(_("座号"), null=True, blank=True)
    seat_manual = models.BooleanField(_("座次已人工调整"), default=False)
    hotel = models.CharField(_("驻地"), max_length=60, blank=True)
    room = models.CharField(_("房间"), max_length=20, blank=True)
    bus = models.CharField(_("乘车"), max_length=20, blank=True)
    meal_table = models.CharField(_("就餐桌号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("会务安排")
        verbose_name_plural = _("会务安排")
        ordering = ["meeting_id", "seat_row", "seat_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat_row", "seat_number"],
                condition=Q(seat_row__isnull=False),
                name="arrangement_seat_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation}"

    @property
    def seat_label(self) -> str:
        if self.seat_row is None:
            return ""
        return f"{self.seat_row}排{self.seat_number}号"
