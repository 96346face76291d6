from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .numerals import chinese_number


class CommitteeLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县区")


class Committee(TimeStampedModel):
    """A 政协组织. Every domain row belongs to one; one deployment can host several."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=CommitteeLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级政协"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("政协组织")
        verbose_name_plural = _("政协组织")
        ordering = ["id"]
        # Who may see and maintain a committee's structure (apps.organisation.permissions);
        # the back-office roles are granted them by apps.accounts (seed_roles).
        permissions = [
            ("view_structure", _("查看组织机构")),
            ("change_structure", _("维护本政协组织的机构")),
            ("change_any_structure", _("维护可见政协组织的机构")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=CommitteeLevel.values), name="committee_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeScopeGrant(TimeStampedModel):
    """Lets a user see another committee's data (e.g. a city officer over district committees)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="scope_grants",
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("政协组织"), on_delete=models.CASCADE, related_name="+"
    )
    include_children = models.BooleanField(_("含下级政协"), default=True)

    class Meta:
        verbose_name = _("跨组织查看授权")
        verbose_name_plural = _("跨组织查看授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "committee"], name="scope_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.committee}"


class Term(TimeStampedModel):
    """A 届 (usually five years)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["committee_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="term_number_unique"),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(is_current=True), name="term_one_current"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="term_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return gettext("第%(term)s届") % {"term": chinese_number(self.number)}


class PlenarySession(TimeStampedModel):
    """A 全体会议, 第N届第M次会议, with its proposal deadline."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="plenary_sessions"
    )
    number = models.PositiveSmallIntegerField(_("会次"))
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"))
    proposal_deadline = models.DateTimeField(_("提案截止时间"))

    class Meta:
        verbose_name = _("全体会议")
        verbose_name_plural = _("全体会议")
        ordering = ["term_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="plenary_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="plenary_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return gettext("第%(term)s届第%(number)s次会议") % {
            "term": chinese_number(self.term.number),
            "number": chinese_number(self.number),
        }

    @property
    def short_name(self) -> str:
        """The form used in proposal numbers, e.g. 十四届三次会议."""
        return gettext("%(term)s届%(number)s次会议") % {
            "term": chinese_number(self.term.number),
            "number": chinese_number(self.number),
        }


class SpecialCommittee(TimeStampedModel):
    """A 专门委员会 (e.g. 提案委员会, 经济委员会)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="special_committee_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MemberGroupKind(models.TextChoices):
    GROUP = "group", _("委员小组")
    ACTIVITY = "activity", _("活动组")


class MemberGroup(TimeStampedModel):
    """A 委员小组 or 活动组."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(
        _("类型"), max_length=16, choices=MemberGroupKind.choices, default=MemberGroupKind.GROUP
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("委员小组")
        verbose_name_plural = _("委员小组")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="member_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class UnitSystem(models.TextChoices):
    PARTY = "party", _("党群")
    GOVERNMENT = "government", _("政府")
    CONGRESS = "congress", _("人大")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    OTHER = "other", _("其他")


class HandlingUnit(TimeStampedModel):
    """A 承办单位 that answers proposals, grouped by system."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    system = models.CharField(_("系统"), max_length=16, choices=UnitSystem.choices)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["committee_id", "system", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="handling_unit_unique"),
            models.CheckConstraint(
                condition=Q(system__in=UnitSystem.values), name="handling_unit_system_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
