"""Demo seeder of the study app on 济南市政协: a closed request (新任委员培训班学习心得) with
eight submitted 心得体会, one of them edited and all adopted, compiled into 第1期 of the year's
汇编, issued to the members (学习园地) with the edited text published as a 履职思考 article; and
an open request (研讨发言) due in ten days, two texts in, the member persona's and a few others'
still due; a reading group (委员读书群) the member persona convenes, with this month's book and a
week of 读书打卡. Walked through the real services "as of" past dates (apps.core.clock); texts come
from study.toml; looked up by title, so a second run creates nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo import DemoRun, load_data
from apps.members.models import Membership, MembershipStatus
from apps.organisation.models import Committee

from .. import services, workflow
from ..models import InviteeScope, TextRequest

DATA = "study.toml"


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _user(membership: Membership) -> User:
    user = membership.member.user
    assert user is not None  # the roster query asks for members with accounts
    return user


def seed(run: DemoRun) -> None:
    data = load_data(__file__, DATA)
    committee = Committee.objects.filter(code=data["committee"]).first()
    office = User.objects.filter(username=data["office"]).first()
    if committee is None or office is None:
        return
    current = Membership.objects.filter(
        committee=committee,
        term__is_current=True,
        status=MembershipStatus.ACTIVE,
        member__user__isnull=False,
        member__user__is_active=True,
    ).select_related("member__user")
    persona = current.filter(member__user__username=data["persona"]).first()
    others = list(current.exclude(member__user__username=data["persona"]).order_by("id")[:40])
    texts = data["texts"]
    seminar_texts = data["seminar_texts"]
    if len(others) < len(texts) + 6 + len(seminar_texts):
        return
    seminar_writers = others[len(texts) + 6 :][: len(seminar_texts)]
    with transaction.atomic():
        # The spring seminar's speeches first (their volume is the year's 第1期), then the
        # training course's reflections (第2期, issued with a 履职思考 article).
        made = _closed(run, data["seminar"], office, seminar_writers, seminar_texts)
        made += _closed(run, data["closed"], office, others[: len(texts)], texts, article=True)
        made += _open(run, data, office, persona, others[len(texts) :][:6], texts)
        if persona is not None:
            _reading_group(run, office, persona, others[-8:])
        _plan(run, office)
    run.created(_("学习材料征集"), made)
    from apps.notifications.demo import outbox_settle
    from apps.notifications.models import OutboxMessage

    outbox_settle(OutboxMessage.objects.filter(kind="study", deliveries__status="pending"))
    run.note(
        _(
            "委员联络处 %(office)s：发起学习心得征集、编辑和采用、编印汇编（导出 Word / PDF）、"
            "印发到学习园地；委员在“学习园地”阅读汇编和履职思考文章。"
        )
        % {"office": office.username}
    )


def _closed(
    run: DemoRun,
    spec: dict[str, Any],
    office: User,
    writers: list[Membership],
    texts: list[dict[str, str]],
    *,
    article: bool = False,
) -> int:
    """A closed request: every writer's text submitted, all adopted (the first one edited
    when `article`, and published as a 履职思考 article), compiled into a volume and issued."""
    if TextRequest.objects.filter(
        committee_id=office.committee_id or 0, title=spec["title"]
    ).exists():
        return 0
    start = clock.today() - dt.timedelta(days=int(spec["days_ago"]))
    due = start + dt.timedelta(days=int(spec["due_after"]))
    with clock.at(_moment(start, 9)):
        request = services.request_create(
            user=office,
            title=spec["title"],
            kind=spec["kind"],
            description=spec["description"],
            due_date=due,
            scope=InviteeScope.PICKED,
            membership_ids=[m.pk for m in writers],
        )
    submission_ids = []
    for index, (membership, text) in enumerate(zip(writers, texts, strict=False)):
        with clock.at(_moment(start + dt.timedelta(days=2 + index % 8), 20)):
            submission = services.submission_save_and_submit(
                user=_user(membership),
                request_id=request.pk,
                title=text["title"],
                body=text["body"],
            )
        submission_ids.append(submission.pk)
    with clock.at(_moment(due + dt.timedelta(days=1))):
        workflow.request_close(user=office, request_id=request.pk)
        if article:
            first = texts[0]
            services.submission_edit(
                user=office,
                submission_id=submission_ids[0],
                edited_title=first["title"],
                edited_body=first["body"].replace("作为一名新任委员，", "作为一名新任委员，我深感"),
            )
        for pk in submission_ids:
            services.submission_set_adopted(user=office, submission_id=pk, adopted=True)
    with clock.at(_moment(due + dt.timedelta(days=3))):
        compilation = services.compilation_create(
            user=office, title=spec["compilation_title"], preface=spec["compilation_preface"]
        )
        services.compilation_set_entries(
            user=office, compilation_id=compilation.pk, submission_ids=submission_ids
        )
    with clock.at(_moment(due + dt.timedelta(days=5))):
        services.compilation_publish(user=office, compilation_id=compilation.pk)
        if article:
            services.article_publish(user=office, submission_id=submission_ids[0])
    run.created(_("学习材料"), len(submission_ids))
    run.created(_("学习材料汇编"))
    return 1


def _open(
    run: DemoRun,
    data: dict[str, Any],
    office: User,
    persona: Membership | None,
    invited: list[Membership],
    texts: list[dict[str, str]],
) -> int:
    spec = data["open"]
    if TextRequest.objects.filter(
        committee_id=office.committee_id or 0, title=spec["title"]
    ).exists():
        return 0
    everyone = ([persona] if persona is not None else []) + invited
    request = services.request_create(
        user=office,
        title=spec["title"],
        kind=spec["kind"],
        description=spec["description"],
        due_date=clock.today() + dt.timedelta(days=int(spec["due_in"])),
        scope=InviteeScope.PICKED,
        membership_ids=[m.pk for m in everyone],
    )
    for membership, text in zip(invited[: int(spec["submitted"])], texts[-2:], strict=False):
        services.submission_save_and_submit(
            user=_user(membership),
            request_id=request.pk,
            title=text["title"],
            body=text["body"],
        )
    return 1


READING_NOTES = (
    ("第一章", "读到“中国式现代化是人口规模巨大的现代化”，联想到养老托育的供给。"),
    ("第二章", ""),
    ("第三章", "共同富裕一章值得在界别小组再讨论。"),
)


# The group's books of the past year, oldest first (30 days each), before this month's.
PAST_BOOKS = (
    ("乡土中国", "费孝通"),
    ("人民政协史话", ""),
    ("习近平新时代中国特色社会主义思想学习纲要", ""),
    ("之江新语", "习近平"),
    ("平凡的世界", "路遥"),
    ("论中国共产党历史", ""),
    ("基层治理现代化", ""),
    ("人世间", "梁晓声"),
    ("共同富裕", ""),
    ("红岩", "罗广斌、杨益言"),
    ("中国式协商民主", ""),
)
BOOK_DAYS = 30
PAST_NOTE = "读完了，摘录了几段准备在月末的读书分享会上交流。"


def _reading_group(
    run: DemoRun, office: User, persona: Membership, readers: list[Membership]
) -> None:
    """书香政协: the member persona convenes 委员读书群 with eight others, started a year ago:
    a book a month (eleven read before this month's), check-ins through the year (about
    weekly for five readers), the month's 读书分享会 announced (a second run finds the group
    and adds nothing)."""
    from ..models import ReadingGroup

    if ReadingGroup.objects.filter(committee_id=persona.committee_id, name="委员读书群").exists():
        return
    today = clock.today()
    start = today - dt.timedelta(days=6)  # this month's book
    first = start - dt.timedelta(days=BOOK_DAYS * len(PAST_BOOKS))
    with clock.at(_moment(first, 9)):
        group = services.reading_group_create(
            user=office,
            name="委员读书群",
            convener_id=persona.pk,
            membership_ids=[m.pk for m in readers],
            description="每月共读一本书，读书打卡，月末线上读书分享。",
        )
        periods = []
        for index, (title, author) in enumerate(PAST_BOOKS):
            begins = first + dt.timedelta(days=BOOK_DAYS * index)
            services.reading_book_add(
                user=office,
                group_id=group.pk,
                title=title,
                author=author,
                starts_on=begins,
                ends_on=begins + dt.timedelta(days=BOOK_DAYS - 1),
            )
            periods.append(begins)
        services.reading_book_add(
            user=office,
            group_id=group.pk,
            title="中国式现代化",
            author="人民出版社",
            starts_on=start,
            ends_on=start + dt.timedelta(days=30),
        )
    # A year of check-ins: about once a week per reader in each past book, daily this week.
    for begins in periods:
        for offset, reader in enumerate(readers[:5]):
            for week in range(4):
                day = begins + dt.timedelta(days=week * 7 + (offset * 2) % 7)
                with clock.at(_moment(day, 21)):
                    services.reading_checkin(
                        user=_user(reader),
                        group_id=group.pk,
                        progress=f"第{week * 3 + 1}至{week * 3 + 3}章",
                        note=PAST_NOTE if week == 3 and offset < 2 else "",
                    )
    for offset, reader in enumerate(readers[:5]):
        for n in range(offset % 3, 5):
            progress, note = READING_NOTES[n % len(READING_NOTES)]
            with clock.at(_moment(start + dt.timedelta(days=n), 21)):
                services.reading_checkin(
                    user=_user(reader), group_id=group.pk, progress=progress, note=note
                )
    # The month's 读书分享会, announced to the group (run by the meetings app).
    sharing_at = _moment(today + dt.timedelta(days=10), 15)
    sharing = services.reading_sharing_arrange(
        user=office,
        group_id=group.pk,
        title="《中国式现代化》读书分享会",
        starts_at=sharing_at,
        ends_at=sharing_at + dt.timedelta(hours=2),
        location_note="市政协机关二楼书香政协阅览室",
        description="三位委员交流读书体会，每人10分钟；其他委员自由发言。",
    )
    # Its notices (the course's, the session's) start delivered, like every demo notice.
    from django.db.models import Q

    from apps.notifications.demo import outbox_settle
    from apps.notifications.models import OutboxMessage

    outbox_settle(
        OutboxMessage.objects.filter(
            Q(key__startswith=f"course:{sharing.course_id}:")
            | Q(key__startswith=f"meeting:{sharing.meeting_id}:"),
            deliveries__status="pending",
        )
    )
    run.created(_("读书群组"))


PLAN = (
    (1, "新任委员履职能力培训", "training", "委员联络处", "全体新任委员参加，结业交流12篇心得"),
    (3, "学习贯彻全国两会精神专题学习", "topic", "委员联络处", "主席会议成员领学，委员分组交流"),
    (4, "“书香政协”读书月活动", "reading", "学习和文史资料委员会", ""),
    (6, "协商议政能力专题研讨班", "seminar", "委员联络处", ""),
    (9, "赴延安干部学院专题培训", "training", "委员联络处", ""),
)


def _plan(run: DemoRun, office: User) -> None:
    """This year's 专题学习计划: five items, those of months already past recorded held."""
    from ..models import StudyPlanItem

    today = clock.today()
    committee_id = office.committee_id
    if committee_id is None:
        return
    if StudyPlanItem.objects.filter(committee_id=committee_id, year=today.year).exists():
        return
    for month, topic, form, lead, result in PLAN:
        item = services.plan_item_add(
            user=office, year=today.year, month=month, topic=topic, form=form, lead=lead
        )
        if month < today.month and result:
            services.plan_item_done(
                user=office,
                item_id=item.pk,
                done_on=dt.date(today.year, month, 20),
                result=result,
            )
    run.created(_("专题学习计划事项"), len(PLAN))
