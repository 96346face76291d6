"""The social-opinion report (社情民意信息), who is credited for it, its versions and files."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel
from apps.core.text.search import TokenGinIndex

from .config import OpinionCategory
from .liaison import ReportingUnit


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待筛选"
    RETURNED = "returned", "退回修改"
    DECLINED = "declined", "不予采用"
    ACCEPTED = "accepted", "编辑中"
    AWAITING_SIGNOFF = "awaiting_signoff", "待签发"
    SIGNED = "signed", "已签发"
    COMPILED = "compiled", "已编入期刊"
    REPORTED = "reported", "已报送"
    MERGED = "merged", "已合并"


class ReportSource(models.TextChoices):
    RECEPTION_DAY = "reception_day", "委员接待日"
    STUDIO = "studio", "委员工作室"
    RESEARCH = "research", "调研"
    INSPECTION = "inspection", "视察"
    OTHER = "other", "其他"


class ReportOrigin(models.TextChoices):
    MEMBER = "member", "委员个人"
    UNIT = "unit", "单位报送"
    STAFF = "staff", "机关编报"
    PROPOSAL = "proposal", "提案转来"


class OpinionReport(TimeStampedModel):
    """One report (一事一报). Its submitter edits it while a draft or after it is returned for
    revision; after that the workflow moves it. The text fields hold the current text (the
    editor's, once edited); every submitted and edited text is kept in `versions`.

    `merged_into` points at the report a duplicate was merged into (its submitters are credited
    there). `origin_proposal_id` is the proposal it was transferred from (apps.proposals; stored
    as an id, the apps do not import each other)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.ForeignKey(
        "organisation.Term",
        verbose_name="届",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(
        "报送方式", max_length=16, choices=ReportOrigin.choices, default=ReportOrigin.MEMBER
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    reporting_unit = models.ForeignKey(
        ReportingUnit,
        verbose_name="报送单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    title = models.CharField("标题", max_length=200, blank=True)
    situation = models.TextField("基本情况", blank=True)
    analysis = models.TextField("问题分析", blank=True)
    suggestion = models.TextField("意见建议", blank=True)
    category = models.ForeignKey(
        OpinionCategory,
        verbose_name="类别",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_urgent = models.BooleanField("急报", default=False)
    source = models.CharField(
        "信息来源", max_length=20, choices=ReportSource.choices, default=ReportSource.OTHER
    )
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    return_count = models.PositiveSmallIntegerField("退回修改次数", default=0)
    screened_at = models.DateTimeField("筛选时间", null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="筛选人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    screening_note = models.TextField("筛选意见", blank=True)
    edited_at = models.DateTimeField("编辑时间", null=True, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编辑",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signoff_requested_at = models.DateTimeField("送签时间", null=True, blank=True)
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    signoff_note = models.TextField("签发意见", blank=True)
    issue = models.ForeignKey(
        "opinions.BulletinIssue",
        verbose_name="编入期刊",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    issue_position = models.PositiveSmallIntegerField("期内顺序", default=0)
    reported_at = models.DateTimeField("报送时间", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并至",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    origin_proposal_id = models.PositiveIntegerField("来源提案", null=True, blank=True)
    origin_label = models.CharField("来源说明", max_length=120, blank=True)
    keyword_vector = models.JSONField("关键词向量", default=dict, blank=True)
    search_vector = SearchVectorField("检索向量", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "社情民意信息"
        verbose_name_plural = "社情民意信息"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="opinion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ReportSource.values), name="opinion_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=ReportOrigin.values), name="opinion_origin_valid"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="opinion_not_merged_into_self"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.MERGED) | Q(merged_into__isnull=False),
                name="opinion_merged_has_target",
            ),
            models.UniqueConstraint(
                fields=["origin_proposal_id"],
                condition=Q(origin_proposal_id__isnull=False),
                name="opinion_one_per_proposal",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "-submitted_at"], name="opinion_queue"),
            models.Index(fields=["created_by", "status"], name="opinion_creator"),
            models.Index(fields=["reporting_unit", "first_submitted_at"], name="opinion_unit"),
            models.Index(fields=["committee", "first_submitted_at"], name="opinion_submitted"),
            models.Index(fields=["issue", "issue_position"], name="opinion_issue_order"),
            TokenGinIndex(fields=["search_vector"], name="opinion_search_gin"),
        ]

    def __str__(self) -> str:
        return (self.title or f"社情民意草稿#{self.pk}")[:200]

    @property
    def body_text(self) -> str:
        return "\n".join(part for part in (self.situation, self.analysis, self.suggestion) if part)


class ContributorKind(models.TextChoices):
    FIRST = "first", "报送人"
    CO = "co", "联名"
    MERGED = "merged", "合并计入"


class Contributor(models.Model):
    """Who is credited for a report: its submitter (a member, or an organisation through its
    liaison, or the staff member who filed it), co-authors, and — after a merge — the
    submitters of the duplicates merged into it (`merged_from`)."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="信息", on_delete=models.CASCADE, related_name="contributors"
    )
    kind = models.CharField("署名方式", max_length=10, choices=ContributorKind.choices)
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name="委员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        ReportingUnit,
        verbose_name="报送单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账户",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_from = models.ForeignKey(
        OpinionReport,
        verbose_name="合并自",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField("署名顺序", default=0)

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["report_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContributorKind.values), name="contributor_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=False)
                | Q(unit__isnull=False)
                | Q(user__isnull=False),
                name="contributor_names_someone",
            ),
            models.UniqueConstraint(
                fields=["report", "membership"],
                condition=Q(membership__isnull=False),
                name="contributor_member_once",
            ),
            models.UniqueConstraint(
                fields=["report", "unit"],
                condition=Q(unit__isnull=False, membership__isnull=True),
                name="contributor_unit_once",
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "kind"], name="contributor_member"),
            models.Index(fields=["user"], name="contributor_user"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.get_kind_display()}"


class VersionKind(models.TextChoices):
    SUBMITTED = "submitted", "报送稿"
    RESUBMITTED = "resubmitted", "修改稿"
    EDITED = "edited", "编辑稿"


class ReportVersion(models.Model):
    """One text of a report as it stood: each submission, each resubmission after a return,
    each save of the editor. Never changed once written."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="信息", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("版本号")
    kind = models.CharField("类型", max_length=12, choices=VersionKind.choices)
    title = models.CharField("标题", max_length=200)
    situation = models.TextField("基本情况", blank=True)
    analysis = models.TextField("问题分析", blank=True)
    suggestion = models.TextField("意见建议", blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间")

    class Meta:
        verbose_name = "信息版本"
        verbose_name_plural = "信息版本"
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=VersionKind.values), name="report_version_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} 第{self.number}稿"


def attachment_upload_to(instance: models.Model, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    return f"opinions/attachments/{uuid.uuid4().hex}{ext}"


class ReportAttachment(models.Model):
    """A file attached to a report by its submitter while drafting or revising."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="信息", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "社情民意附件"
        verbose_name_plural = "社情民意附件"
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.original_name
