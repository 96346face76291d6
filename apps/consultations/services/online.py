"""码上商量: open a topic or meeting for online comments, take comments from anyone (rate
limited, honeypot), moderate them (approve / reject / hide with a reason, in bulk), count visits."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update
from apps.core.text import count_chars, keywords

from ..models import Comment, CommentStatus, Meeting, OnlineConsultation, PlanTopic, VisitDay
from ..permissions import can_schedule, current_membership
from ..selectors.config import consultation_settings_for

STAFF = "general_office"


class RateLimited(DomainError):
    """Too many comments from one address in a minute."""

    status = 429


def ip_digest(ip: str | None) -> str:
    """A keyed digest of the client address: enough to count and limit, not to identify."""
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def _require_staff(user: User, committee_id: int) -> None:
    if not can_schedule(user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以管理网上协商。"))


@transaction.atomic
def online_create(*, user: User, data: Mapping[str, Any]) -> OnlineConsultation:
    """Open a topic or meeting for online comments during a time window. Who: 会务 staff."""
    committee_id = user.committee_id
    if committee_id is None:
        raise PermissionDenied(_("只有会务办公室可以管理网上协商。"))
    _require_staff(user, committee_id)
    errors: dict[str, str] = {}
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        errors["title"] = _("请填写标题。")
    introduction = str(data.get("introduction") or "").strip()
    if not introduction:
        errors["introduction"] = _("请填写议题介绍。")
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if not isinstance(opens, dt.datetime) or not isinstance(closes, dt.datetime):
        errors["opens_at"] = _("请填写开始和截止时间。")
    elif closes <= opens:
        errors["closes_at"] = _("截止时间必须晚于开始时间。")
    meeting_id = data.get("meeting_id")
    if meeting_id and not Meeting.objects.filter(pk=meeting_id, committee_id=committee_id).exists():
        errors["meeting"] = _("所选会议不属于本政协组织。")
    topic_id = data.get("topic_id")
    if topic_id and not PlanTopic.objects.filter(pk=topic_id, committee_id=committee_id).exists():
        errors["topic"] = _("所选议题不属于本政协组织。")
    if errors or not isinstance(opens, dt.datetime) or not isinstance(closes, dt.datetime):
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    consultation = OnlineConsultation.objects.create(
        committee_id=committee_id,
        title=title[:150],
        introduction=introduction,
        opens_at=opens,
        closes_at=closes,
        meeting_id=meeting_id or None,
        topic_id=topic_id or None,
        created_by=user,
    )
    audit_record(
        verb="online_consultation_create",
        actor=user,
        obj=consultation,
        role=STAFF,
        data={"title": consultation.title},
    )
    return consultation


def online_is_open(consultation: OnlineConsultation) -> bool:
    now = clock.now()
    return consultation.opens_at <= now < consultation.closes_at


def online_visit(*, consultation: OnlineConsultation) -> None:
    """Count one visit (the total and the day's row; two UPDATEs, no lock held)."""
    day = timezone.localdate(clock.now())
    OnlineConsultation.objects.filter(pk=consultation.pk).update(visit_count=F("visit_count") + 1)
    updated = VisitDay.objects.filter(consultation=consultation, day=day).update(
        visits=F("visits") + 1
    )
    if not updated:
        row, created = VisitDay.objects.get_or_create(
            consultation=consultation, day=day, defaults={"visits": 1}
        )
        if not created:
            VisitDay.objects.filter(pk=row.pk).update(visits=F("visits") + 1)


@transaction.atomic
def comment_post(
    *,
    consultation_id: int,
    body: str,
    author_name: str = "",
    honeypot: str = "",
    ip: str | None = None,
    user: Any = None,
) -> Comment | None:
    """Leave a comment (anyone; a signed-in member's comment is labelled as a member's). Up to
    N characters (default 2,000) and N per minute per address (default 10); shown only after
    approval. A filled honeypot field (a script) is accepted silently and nothing is stored:
    returns None."""
    consultation = (
        OnlineConsultation.objects.select_related("committee").filter(pk=consultation_id).first()
    )
    if consultation is None:
        raise NotFound(_("未找到该网上协商。"))
    if not online_is_open(consultation):
        raise Conflict(_("本次网上协商不在征集时间内，感谢您的关注。"))
    if honeypot.strip():
        return None
    settings_row = consultation_settings_for(consultation.committee)
    body = (body or "").strip()
    refuse_control_characters({"body": (_("留言"), body), "author_name": (_("署名"), author_name)})
    length = count_chars(body)
    if not length:
        raise ValidationFailed(
            _("请填写留言内容。"), extra={"errors": {"body": _("请填写留言内容。")}}
        )
    if length > settings_row.comment_max_chars:
        message = _("留言不能超过%(limit)d字（现为%(count)d字）。") % {
            "limit": settings_row.comment_max_chars,
            "count": length,
        }
        raise ValidationFailed(message, extra={"errors": {"body": message}})
    digest = ip_digest(ip)
    if digest:
        since = clock.now() - dt.timedelta(minutes=1)
        recent = Comment.objects.filter(ip_hash=digest, created_at__gte=since).count()
        if recent >= settings_row.comment_rate_per_minute:
            raise RateLimited(_("留言过于频繁，请稍后再试。"))
    membership = None
    if getattr(user, "is_authenticated", False):
        found = current_membership(user)
        if found is not None and found.committee_id == consultation.committee_id:
            membership = found
    comment = Comment.objects.create(
        consultation=consultation,
        body=body,
        author_name=" ".join((author_name or "").split())[:40],
        membership=membership,
        ip_hash=digest,
        keywords=[word for word, _weight in keywords(body, 8)],
    )
    return comment


MODERATION = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "hide": CommentStatus.HIDDEN,
}


@transaction.atomic
def comments_moderate(
    *, user: User, consultation_id: int, comment_ids: Sequence[int], action: str, reason: str = ""
) -> int:
    """Approve, reject or hide comments (several at once); reject and hide need a reason,
    kept on each comment. Who: 会务 staff of the consultation's committee. Returns how many
    changed."""
    consultation = OnlineConsultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound(_("未找到该网上协商。"))
    _require_staff(user, consultation.committee_id)
    if action not in MODERATION:
        raise ValidationFailed(_("未知的审核操作。"))
    reason = " ".join((reason or "").split())[:200]
    if action != "approve" and not reason:
        raise ValidationFailed(
            _("不通过或隐藏留言时请填写理由。"), extra={"errors": {"reason": _("请填写理由。")}}
        )
    ids = sorted({int(pk) for pk in comment_ids})
    if not ids:
        raise ValidationFailed(_("请先选择要处理的留言。"))
    target = MODERATION[action]
    rows = (
        Comment.objects.select_for_update()
        .filter(consultation=consultation, pk__in=ids)
        .exclude(status=target)
    )
    changed = list(rows.values_list("pk", "status"))
    if not changed:
        return 0
    Comment.objects.filter(pk__in=[pk for pk, _status in changed]).update(
        status=target, moderated_by=user, moderated_at=clock.now(), moderation_reason=reason
    )
    audit_record(
        verb=f"online_comment_{action}",
        actor=user,
        obj=consultation,
        role=STAFF,
        to_state=target,
        data={"count": len(changed), "ids": [pk for pk, _status in changed][:50], "reason": reason},
    )
    return len(changed)


def online_update(*, user: User, consultation_id: int, closes_at: dt.datetime) -> None:
    """Change the closing time (staff)."""
    consultation = OnlineConsultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound(_("未找到该网上协商。"))
    _require_staff(user, consultation.committee_id)
    model_update(instance=consultation, data={"closes_at": closes_at}, validate=False)
