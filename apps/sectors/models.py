from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class Sector(TimeStampedModel):
    """A 界别. Every member sits in exactly one per term. Seeded from a standard list."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="sectors",
    )
    name = models.CharField(_("名称"), max_length=60)
    # The national-list name this sector was seeded from (blank for local additions), so
    # re-seeding recognises a renamed or deactivated standard sector instead of re-adding it.
    standard_name = models.CharField(_("标准界别名称"), max_length=60, blank=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="sector_unique"),
            models.UniqueConstraint(
                fields=["committee", "standard_name"],
                condition=~Q(standard_name=""),
                name="sector_standard_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name
