"""The proposal itself, its number series, co-signers and attachments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.text.search import TokenGinIndex

from .config import ProposalCategory


class ProposalKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人提案")
    JOINT = "joint", _("联名提案")
    COLLECTIVE = "collective", _("集体提案")


class SessionType(models.TextChoices):
    PLENARY = "plenary", _("大会提案")
    INTERIM = "interim", _("平时提案")


class CollectiveSponsor(models.TextChoices):
    PARTY = "party", _("民主党派")
    ORGANISATION = "organisation", _("人民团体")
    SECTOR = "sector", _("界别")
    GROUP = "group", _("委员小组")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    WITHDRAWN = "withdrawn", _("已撤回")
    ACCEPTED = "accepted", _("已立案")
    REJECTED = "rejected", _("不立案")
    TRANSFER_PENDING = "transfer_pending", _("待转交（征求同意）")
    TRANSFERRED = "transferred", _("已转交")
    MERGED = "merged", _("已并案")
    ASSIGNED = "assigned", _("已交办")
    REPLIED = "replied", _("已办复")
    REHANDLING = "rehandling", _("重新办理")
    EVALUATED = "evaluated", _("已评价")
    CLOSED = "closed", _("办结")


class RejectionReason(models.TextChoices):
    STATE_SECRET = "state_secret", _("涉及国家秘密")
    LITIGATION = "litigation", _("涉及诉讼或司法裁决")
    PRIVATE = "private", _("个人或家庭私事")
    PROMOTION = "promotion", _("宣传推介产品")
    NAMING_PERSONS = "naming_persons", _("指名道姓批评")
    PARTY_INTERNAL = "party_internal", _("党派团体内部事务")
    ACADEMIC = "academic", _("纯学术探讨")
    EMPTY = "empty", _("内容空泛")
    OTHER = "other", _("其他")


class TransferTarget(models.TextChoices):
    SOCIAL_OPINION = "social_opinion", _("社情民意信息")
    SUGGESTION = "suggestion", _("意见建议")


class SupervisionMode(models.TextChoices):
    SUPERVISE = "supervise", _("督办")
    LEAD = "lead", _("领办")


class ExcellentStatus(models.TextChoices):
    NONE = "", "—"
    NOMINATED = "nominated", _("已推荐")
    SELECTED = "selected", _("优秀提案")
    NOT_SELECTED = "not_selected", _("未评选")


class Proposal(TimeStampedModel):
    """One proposal (一事一案). Edited by its authors only while a draft; after that the
    workflow moves it. `merged_into` points at the lead proposal of a 并案; the lead's replies
    reach and are rated by every merged proposal's proposers.
    """

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.ForeignKey(
        "organisation.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="+"
    )
    plenary_session = models.ForeignKey(
        "organisation.PlenarySession",
        verbose_name=_("全体会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("提案类型"), max_length=16, choices=ProposalKind.choices, default=ProposalKind.INDIVIDUAL
    )
    session_type = models.CharField(
        _("提案性质"),
        max_length=16,
        choices=SessionType.choices,
        blank=True,
        help_text=_("提交时按全体会议征集期确定。"),
    )
    collective_sponsor = models.CharField(
        _("集体提案单位类型"), max_length=20, choices=CollectiveSponsor.choices, blank=True
    )
    collective_in_name_of = models.CharField(_("集体提案署名"), max_length=100, blank=True)
    first_proposer = models.ForeignKey(
        "members.Membership",
        verbose_name=_("第一提案人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_first",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("案由"), max_length=200, blank=True)
    grounds = models.TextField(_("情况与分析"), blank=True)
    suggestions = models.TextField(_("具体建议"), blank=True)
    category = models.ForeignKey(
        ProposalCategory,
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    number_series = models.CharField(_("编号序列"), max_length=40, blank=True)
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    number_label = models.CharField(_("提案号"), max_length=60, blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(_("审查意见"), blank=True)
    rejection_reason = models.CharField(
        _("不立案理由"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    transfer_to = models.CharField(
        _("转交为"), max_length=20, choices=TransferTarget.choices, blank=True
    )
    transfer_answered_at = models.DateTimeField(_("提案人答复转交时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入提案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    handling_round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("办复时间"), null=True, blank=True)
    rating_due = models.DateField(_("评价截止日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supervision_mode = models.CharField(
        _("督办方式"), max_length=16, choices=SupervisionMode.choices, blank=True
    )
    excellent_status = models.CharField(
        _("优秀提案"), max_length=16, choices=ExcellentStatus.choices, blank=True, default=""
    )
    excellent_year = models.PositiveSmallIntegerField(_("评选年度"), null=True, blank=True)
    excellent_note = models.CharField(_("推荐理由"), max_length=300, blank=True)
    keyword_vector = models.JSONField(_("关键词向量"), default=dict, blank=True)
    search_vector = SearchVectorField(_("检索向量"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), name="proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(session_type__in=[*SessionType.values, ""]),
                name="proposal_session_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(rejection_reason__in=[*RejectionReason.values, ""]),
                name="proposal_rejection_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(transfer_to__in=[*TransferTarget.values, ""]),
                name="proposal_transfer_to_valid",
            ),
            models.CheckConstraint(
                condition=Q(supervision_mode__in=[*SupervisionMode.values, ""]),
                name="proposal_supervision_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(excellent_status__in=ExcellentStatus.values),
                name="proposal_excellent_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=ProposalKind.COLLECTIVE) | Q(first_proposer__isnull=False),
                name="proposal_first_proposer_unless_collective",
            ),
            models.CheckConstraint(
                condition=Q(handling_round__in=[1, 2]), name="proposal_handling_round"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="proposal_not_merged_into_self"
            ),
            models.UniqueConstraint(
                fields=["committee", "number_series", "number"],
                condition=Q(number__isnull=False),
                name="proposal_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "-submitted_at"], name="proposal_queue"),
            models.Index(fields=["committee", "term", "status"], name="proposal_term_status"),
            models.Index(fields=["created_by", "status"], name="proposal_creator"),
            models.Index(fields=["status", "rating_due"], name="proposal_rating_due"),
            models.Index(
                fields=["committee", "is_key"], condition=Q(is_key=True), name="proposal_key"
            ),
            TokenGinIndex(fields=["search_vector"], name="proposal_search_gin"),
        ]

    def __str__(self) -> str:
        label = self.number_label or _("草稿#%(id)s") % {"id": self.pk}
        return f"{label} {self.title}"[:200]

    @property
    def body_text(self) -> str:
        return f"{self.grounds}\n{self.suggestions}"

    @property
    def is_collective(self) -> bool:
        return self.kind == ProposalKind.COLLECTIVE


class ProposalNumberSeries(models.Model):
    """The last number issued in one series: per plenary session, or 平时提案 per year."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.CharField(_("序列"), max_length=40)
    last_number = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("提案编号序列")
        verbose_name_plural = _("提案编号序列")
        constraints = [
            models.UniqueConstraint(fields=["committee", "key"], name="proposal_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.key}: {self.last_number}"


class CosignerStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回邀请")


class Cosigner(TimeStampedModel):
    """A member invited by the first proposer to co-sign (附议) a joint proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="cosigners"
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("附议委员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CosignerStatus.choices, default=CosignerStatus.INVITED
    )
    sort_order = models.PositiveSmallIntegerField(_("署名顺序"), default=0)
    invited_at = models.DateTimeField(_("邀请时间"))
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附议人")
        verbose_name_plural = _("附议人")
        ordering = ["proposal_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "membership"], name="cosigner_unique"),
            models.CheckConstraint(
                condition=Q(status__in=CosignerStatus.values), name="cosigner_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "status"], name="cosigner_inbox"),
            models.Index(fields=["status", "invited_at"], name="cosigner_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_status_display()}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    return f"proposals/attachments/{uuid.uuid4().hex}{ext}"


def reply_upload_to(instance: models.Model, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    return f"proposals/replies/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    """A file attached to a proposal by its authors while drafting."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案附件")
        verbose_name_plural = _("提案附件")
        ordering = ["proposal_id", "id"]

    def __str__(self) -> str:
        return self.original_name
