from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Party(models.TextChoices):
    CPC = "cpc", _("中共")
    RCCK = "rcckmt", _("民革")
    CDL = "cdl", _("民盟")
    CDNCA = "cdnca", _("民建")
    CAPD = "capd", _("民进")
    CPWDP = "cpwdp", _("农工党")
    CZGP = "czgp", _("致公党")
    JIUSAN = "jiusan", _("九三学社")
    TDSL = "tdsl", _("台盟")
    NONPARTY = "nonparty", _("无党派")
    MASSES = "masses", _("群众")


class Position(models.TextChoices):
    """The member's highest role in the term. 主席/副主席/秘书长 are 主席会议成员 and 常委."""

    MEMBER = "member", _("委员")
    STANDING = "standing", _("常委")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    VICE_CHAIR = "vice_chair", _("副主席")
    CHAIR = "chair", _("主席")


LEADERSHIP_POSITIONS = frozenset({Position.CHAIR, Position.VICE_CHAIR, Position.SECRETARY_GENERAL})
STANDING_POSITIONS = LEADERSHIP_POSITIONS | {Position.STANDING}


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    RESIGNED = "resigned", _("辞去")
    REVOKED = "revoked", _("撤销")


class Member(TimeStampedModel):
    """A person on a committee's roster: identity facts that do not change with the term.

    Unique per committee by ID number, so a roster re-import updates instead of duplicating.
    Phone and ID number are shown masked unless the viewer holds members.unmask_member.
    """

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    photo = models.ImageField(_("照片"), upload_to="members/photos/", blank=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["committee_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "id_number"], name="member_id_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="member_gender_valid"
            ),
        ]
        indexes = [models.Index(fields=["committee", "name"])]
        permissions = [
            ("view_roster", _("查看委员名册")),
            ("manage_roster", _("管理委员名册（编辑、导入）")),
            ("unmask_member", _("查看完整手机号与身份证号")),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A member's profile for one term (届): sector, party, nominating body (推荐单位),
    committees, group, position, status."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("委员"), on_delete=models.CASCADE, related_name="memberships"
    )
    term = models.ForeignKey(
        "organisation.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        "sectors.Sector", verbose_name=_("界别"), on_delete=models.PROTECT, related_name="+"
    )
    party = models.CharField(_("政治面貌"), max_length=16, choices=Party.choices)
    special_committees = models.ManyToManyField(
        "organisation.SpecialCommittee", verbose_name=_("专门委员会"), blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "organisation.MemberGroup",
        verbose_name=_("委员小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.CharField(
        _("职务"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    work_unit = models.CharField(_("工作单位"), max_length=120, blank=True)
    # Per term: a member may be nominated by another body next term. Each year's record is sent
    # back to this body (DOMAIN.md §6); the annual export has one sheet per body.
    nominated_by = models.CharField(_("推荐单位"), max_length=120, blank=True)
    job_title = models.CharField(_("职务职称"), max_length=120, blank=True)
    expertise = models.CharField(_("专业特长"), max_length=200, blank=True)
    focus_areas = models.CharField(_("关注领域"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    status_reason = models.CharField(_("状态原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("届内委员信息")
        verbose_name_plural = _("届内委员信息")
        ordering = ["committee_id", "term_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "term"], name="membership_unique"),
            models.CheckConstraint(condition=Q(party__in=Party.values), name="membership_party"),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="membership_position"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values), name="membership_status"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "term", "status"]),
            models.Index(fields=["term", "sector"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.term}"

    @property
    def is_standing(self) -> bool:
        return self.position in STANDING_POSITIONS

    @property
    def is_leadership(self) -> bool:
        return self.position in LEADERSHIP_POSITIONS


class ContactDutyKind(models.TextChoices):
    LEADER_STANDING = "leader_standing", _("主席会议成员联系常委")
    STANDING_MEMBER = "standing_member", _("常委联系委员")
    PARTY_NONPARTY = "party_nonparty", _("党员委员联系党外委员")


class ContactDuty(TimeStampedModel):
    """A standing contact duty between two members in a term."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.ForeignKey(
        "organisation.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ContactDutyKind.choices)
    contact = models.ForeignKey(
        Membership, verbose_name=_("联系人"), on_delete=models.CASCADE, related_name="contacts_made"
    )
    contacted = models.ForeignKey(
        Membership,
        verbose_name=_("被联系人"),
        on_delete=models.CASCADE,
        related_name="contacted_by",
    )

    class Meta:
        verbose_name = _("联系制度")
        verbose_name_plural = _("联系制度")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind", "contact", "contacted"], name="contact_duty_unique"
            ),
            models.CheckConstraint(
                condition=~Q(contact=models.F("contacted")), name="contact_duty_not_self"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContactDutyKind.values), name="contact_duty_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact.member} → {self.contacted.member}（{self.get_kind_display()}）"


class ConvenedBody(models.TextChoices):
    """The bodies in whose name a collective proposal (集体提案) is filed."""

    PARTY = "party", _("民主党派")
    ORGANISATION = "organisation", _("人民团体")
    SECTOR = "sector", _("界别")
    GROUP = "group", _("委员小组")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")


# Parties a collective proposal may be filed for (the democratic parties and 无党派人士).
COLLECTIVE_PARTIES = frozenset(
    {
        Party.RCCK,
        Party.CDL,
        Party.CDNCA,
        Party.CAPD,
        Party.CPWDP,
        Party.CZGP,
        Party.JIUSAN,
        Party.TDSL,
        Party.NONPARTY,
    }
)


class Convener(TimeStampedModel):
    """A member who convenes (召集人) a party, people's organisation, sector, member group or
    special committee in a term, and so may file collective proposals in its name."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.ForeignKey(
        "organisation.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("召集人"), on_delete=models.CASCADE, related_name="convenes"
    )
    body = models.CharField(_("召集的组织类型"), max_length=20, choices=ConvenedBody.choices)
    party = models.CharField(_("民主党派"), max_length=16, choices=Party.choices, blank=True)
    organisation_name = models.CharField(_("人民团体名称"), max_length=60, blank=True)
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("界别"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        "organisation.MemberGroup",
        verbose_name=_("委员小组"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        verbose_name=_("专门委员会"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("集体提案召集人")
        verbose_name_plural = _("集体提案召集人")
        ordering = ["term_id", "body", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(body__in=ConvenedBody.values), name="convener_body"),
            models.CheckConstraint(
                condition=(
                    Q(
                        body=ConvenedBody.PARTY,
                        sector__isnull=True,
                        group__isnull=True,
                        special_committee__isnull=True,
                        organisation_name="",
                    )
                    & ~Q(party="")
                )
                | (
                    Q(
                        body=ConvenedBody.ORGANISATION,
                        party="",
                        sector__isnull=True,
                        group__isnull=True,
                        special_committee__isnull=True,
                    )
                    & ~Q(organisation_name="")
                )
                | Q(
                    body=ConvenedBody.SECTOR,
                    party="",
                    organisation_name="",
                    sector__isnull=False,
                    group__isnull=True,
                    special_committee__isnull=True,
                )
                | Q(
                    body=ConvenedBody.GROUP,
                    party="",
                    organisation_name="",
                    sector__isnull=True,
                    group__isnull=False,
                    special_committee__isnull=True,
                )
                | Q(
                    body=ConvenedBody.SPECIAL_COMMITTEE,
                    party="",
                    organisation_name="",
                    sector__isnull=True,
                    group__isnull=True,
                    special_committee__isnull=False,
                ),
                name="convener_one_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.member} · {self.body_name}"

    @property
    def body_name(self) -> str:
        """The name the collective proposal is filed in (e.g. 民盟, 经济界, 第一委员小组)."""
        if self.body == ConvenedBody.PARTY:
            return str(Party(self.party).label) if self.party in Party.values else self.party
        if self.body == ConvenedBody.ORGANISATION:
            return self.organisation_name
        target = self.sector or self.group or self.special_committee
        return str(target) if target is not None else ""
