"""Before a run: signed-in sessions and API tokens for the benchmark's people, the targets'
URLs, the check-in meeting and the plenary-burst drafts, written as one JSON file for bench/run,
wrk and locust.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.prepare --out var/fixtures.json

Sessions are made the way Django's login makes them (user id, backend, session hash, plus the
idle-timeout stamp) in the production session store, so no request pays for a password hash.
Everything this step writes is bench-only and is replaced on the next run: sessions and tokens
named "bench", the meeting titled BENCH_MEETING, the drafts titled BENCH_TITLE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH_MEETING = "【基准测试】全体会议签到"
BENCH_TITLE = "【基准测试】"
BENCH_COURSE = "【基准测试】委员培训班"
SEARCH_TERM = "养老"
SIMILAR_TEXT = (
    "近年来我省老旧小区加装电梯和社区养老服务设施建设取得进展，但资金筹措难、协调难问题突出。"
    "建议建立财政补贴和公积金提取支持机制，推动完整社区建设，补齐养老托育停车等配套设施。"
)


def session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from apps.accounts.middleware import IDLE_SESSION_KEY

    # The configured session store (database today; the cache if phase 2 moves sessions there).
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[IDLE_SESSION_KEY] = time.time()
    store.create()
    assert store.session_key is not None
    return store.session_key


def api_token(user: Any) -> str:
    from apps.accounts.services.tokens import api_token_create

    _row, raw = api_token_create(user=user, name="bench")
    return raw


def clear_previous() -> None:
    from apps.accounts.models import ApiToken
    from apps.consultations.models import Invitation, Meeting
    from apps.proposals.models import Proposal

    ApiToken.objects.filter(name="bench").delete()
    meetings = Meeting.objects.filter(title=BENCH_MEETING)
    Invitation.objects.filter(meeting__in=meetings).delete()
    meetings.delete()
    drafts = Proposal.objects.filter(title__startswith=BENCH_TITLE)
    from apps.proposals.models import Cosigner

    Cosigner.objects.filter(proposal__in=drafts).delete()
    drafts.filter(status="draft").delete()
    from apps.consultations.models import Course

    courses = Course.objects.filter(title=BENCH_COURSE)
    sessions = Meeting.objects.filter(course_session__course__in=courses)
    Invitation.objects.filter(meeting__in=sessions).delete()
    sessions.delete()
    courses.delete()


def people(committee: Any) -> dict[str, Any]:
    """The benchmark's personas in `committee` (the province: the largest data)."""
    from django.db.models import Count, Q

    from apps.accounts.models import User
    from apps.members.models import Membership
    from apps.proposals.models import Assignment, Proposal

    term_members = Membership.objects.filter(
        committee=committee, term__is_current=True, status="active"
    )
    # The member: the busiest proposer of the current term who also has a draft.
    busiest = (
        Proposal.objects.filter(committee=committee, first_proposer__in=term_members)
        .values("first_proposer")
        .annotate(n=Count("id"), drafts=Count("id", filter=Q(status="draft")))
        .filter(drafts__gt=0)
        .order_by("-n")
        .first()
    )
    if busiest is None:
        busiest = (
            Proposal.objects.filter(committee=committee, first_proposer__in=term_members)
            .values("first_proposer")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
    member = Membership.objects.select_related("member__user").get(pk=busiest["first_proposer"])
    unit_id = (
        Assignment.objects.filter(committee=committee)
        .values("handling_unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["handling_unit"]
    )
    staff = User.objects.filter(committee=committee, member__isnull=True)
    return {
        "member": member.member.user,
        "membership": member,
        "office": staff.filter(groups__name="proposal_office").order_by("id").first(),
        "opinion": staff.filter(groups__name="opinion_office").order_by("id").first(),
        "general": staff.filter(groups__name="general_office").order_by("id").first(),
        "liaison": staff.filter(groups__name="liaison_office").order_by("id").first(),
        "unit": staff.filter(handling_unit_id=unit_id).first(),
        "leader": User.objects.filter(
            member__memberships__position="chair", member__committee=committee
        ).first(),
    }


def course_fixture(who: dict[str, Any], sessions: int = 6) -> int:
    """A published course for the member's sector (the audience of a real 界别 course), run by
    the 委员联络处, with `sessions` sessions ahead; its id."""
    from django.utils import timezone

    from apps.consultations.services import courses as course_services
    from apps.consultations.workflow import courses as course_workflow

    liaison = who["liaison"]
    course = course_services.course_create(
        user=liaison,
        data={"kind": "training", "title": BENCH_COURSE, "pass_sessions": sessions - 1},
        rules=[("sector", who["membership"].sector_id)],
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    for n in range(sessions):
        at = start + dt.timedelta(days=n)
        course_services.course_session_add(
            user=liaison,
            course_id=course.pk,
            data={
                "title": f"{BENCH_COURSE}第{n + 1}讲",
                "kind": "lecture",
                "teacher": "授课老师",
                "starts_at": at,
                "ends_at": at + dt.timedelta(hours=2),
            },
        )
    course_workflow.course_publish(user=liaison, course_id=course.pk)
    return course.pk


def targets(committee: Any, who: dict[str, Any]) -> list[dict[str, Any]]:
    """Each page and endpoint of issue 9 (and 10, 11) with the persona that opens it."""
    from apps.consultations.models import Meeting
    from apps.members.models import Membership
    from apps.proposals.models import Assignment, Proposal
    from apps.proposals.services import proposal_draft_create

    member = who["member"]
    mine = list(
        Proposal.objects.filter(first_proposer=who["membership"])
        .exclude(status="draft")
        .order_by("-submitted_at")
        .values_list("id", flat=True)[:8]
    )
    draft = Proposal.objects.filter(first_proposer=who["membership"], status="draft").first()
    if draft is None:
        draft = proposal_draft_create(
            user=member, title=f"{BENCH_TITLE}关于加快推进老旧小区改造的建议", grounds=SIMILAR_TEXT
        )
    closed = (
        list(
            Proposal.objects.filter(first_proposer=who["membership"], status="closed").values_list(
                "id", flat=True
            )[:4]
        )
        or mine[:2]
    )
    assignments = list(
        Assignment.objects.filter(handling_unit_id=who["unit"].handling_unit_id)
        .order_by("-assigned_at")
        .values_list("id", flat=True)[:6]
    )
    sector_id, party = (
        Membership.objects.filter(committee=committee, term__is_current=True)
        .values_list("sector_id", "party")
        .first()
    )
    meeting = Meeting.objects.filter(invitations__user=member).order_by("-starts_at").first()
    course = course_fixture(who)
    q = f"q={quote(SEARCH_TERM)}"
    t: list[tuple[str, str, str, list[str]]] = [
        # (name, persona, kind, paths) — kind: hot (≥ 40 % of the floor), page (≥ 25 %),
        # leadership (≥ 40 %, maintained aggregates), search (p95 < 100 ms), pdf (< 1 s).
        ("member home", "member", "hot", ["/"]),
        ("我的提案", "member", "page", ["/proposals/"]),
        ("proposal detail", "member", "hot", [f"/proposals/{pk}/" for pk in mine]),
        ("office review queue", "office", "page", ["/proposals/office/review/"]),
        ("office all proposals", "office", "page", ["/proposals/office/proposals/"]),
        ("office all proposals ?q=养老", "office", "search", [f"/proposals/office/proposals/?{q}"]),
        ("assignment board", "office", "page", ["/proposals/office/assign/"]),
        ("office statistics", "office", "leadership", ["/proposals/office/stats/"]),
        ("unit list", "unit", "hot", ["/proposals/unit/"]),
        ("unit assignment detail", "unit", "page",
         [f"/proposals/assignments/{a}/" for a in assignments]),
        ("leadership home", "leader", "leadership", ["/"]),
        ("重点提案", "leader", "leadership", ["/proposals/key/"]),
        ("roster with filters", "office", "page",
         [f"/members/?sector={sector_id}&party={party}", f"/members/?{q}&party={party}"]),
        ("similar panel (draft)", "member", "search", [f"/proposals/{draft.pk}/similar/"]),
        ("API proposals/mine", "member", "page", ["/api/v1/proposals/mine"]),
        ("API proposal detail", "member", "page", [f"/api/v1/proposals/{pk}" for pk in mine]),
        ("API similar", "member", "search", [f"/api/v1/proposals/{draft.pk}/similar"]),
        ("API unit assignments", "unit", "page", ["/api/v1/proposals/unit"]),
        ("API notifications", "member", "page", ["/api/v1/notifications"]),
        ("API members", "office", "page", ["/api/v1/members"]),
        ("API my meetings", "member", "page", ["/api/v1/consultations/meetings"]),
        ("API my opinions", "member", "page", ["/api/v1/opinions/mine"]),
        ("proposal PDF", "member", "pdf", [f"/proposals/{pk}/pdf/" for pk in closed]),
        ("我的会议", "member", "page", ["/consultations/"]),
        ("meeting detail", "member", "page",
         [f"/consultations/meetings/{meeting.pk}/" if meeting else "/consultations/"]),
        ("consultations office", "general", "page", ["/consultations/office/"]),
        ("我的社情民意", "member", "page", ["/opinions/"]),
        ("opinion screening queue", "opinion", "page", ["/opinions/office/queue/screen/"]),
        ("opinion statistics", "opinion", "leadership", ["/opinions/stats/"]),
        ("我的履职", "member", "page", ["/duties/"]),
        ("履职档案", "member", "page", ["/duties/archive/"]),
        ("年度履职报告 (mine)", "member", "page", ["/annual-reports/mine/"]),
        ("duty scores (office)", "liaison", "leadership", ["/duties/scores/"]),
        ("filing queue", "liaison", "page", ["/duties/office/queue/"]),
        ("duty warnings", "liaison", "page", ["/duties/warnings/"]),
        ("leadership dashboard", "leader", "leadership", ["/leadership/"]),
        ("学习材料 (member)", "member", "page", ["/study/"]),
        ("学习园地", "member", "page", ["/study/reading/"]),
        ("读书群组", "member", "page", ["/study/groups/"]),
        ("专题学习计划", "member", "page", ["/study/plan/"]),
        ("reading groups (office)", "liaison", "page", ["/study/office/groups/"]),
        ("API my study requests", "member", "page", ["/api/v1/study/requests"]),
        ("API study reading", "member", "page", ["/api/v1/study/reading"]),
        ("study office", "liaison", "page", ["/study/office/"]),
        ("study compilations", "liaison", "page", ["/study/office/compilations/"]),
        ("我的学习培训", "member", "page", ["/consultations/courses/"]),
        ("course (member)", "member", "page", [f"/consultations/courses/{course}/"]),
        ("API my courses", "member", "page", ["/api/v1/consultations/courses"]),
        ("学习培训班 (office)", "liaison", "page", ["/consultations/courses/office/"]),
        ("course with attendance grid", "liaison", "page", [f"/consultations/courses/{course}/"]),
        ("联系制度", "liaison", "page", ["/members/contact-duties/"]),
        ("集体提案召集人", "liaison", "page", ["/members/conveners/"]),
    ]  # fmt: skip
    return [{"name": n, "persona": p, "kind": k, "paths": paths} for n, p, k, paths in t]


def checkin_fixture(committee: Any, who: dict[str, Any], count: int) -> dict[str, Any]:
    """A plenary meeting in progress with `count` invited members of the committee, their API
    tokens, and the screen's QR tokens for the next 20 minutes."""
    from django.utils import timezone

    from apps.consultations import checkin
    from apps.consultations.models import Invitation, Meeting, MeetingForm
    from apps.consultations.selectors import consultation_settings_for
    from apps.members.models import Membership

    now = timezone.now()
    form = MeetingForm.objects.filter(committee=committee, name="全体会议").first()
    meeting = Meeting.objects.create(
        committee=committee,
        form=form,
        title=BENCH_MEETING,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=3),
        organiser=who["general"],
        status="in_progress",
        notice_sent_at=now - dt.timedelta(days=20),
        started_at=now - dt.timedelta(minutes=5),
    )
    memberships = list(
        Membership.objects.filter(committee=committee, term__is_current=True, status="active")
        .select_related("member__user")
        .order_by("id")[:count]
    )
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            committee=committee,
            membership=m,
            user=m.member.user,
            source="all",
            answer="attend",
        )
        for m in memberships
    )
    rotation = consultation_settings_for(committee.pk).checkin_rotation_seconds
    first = checkin.period(now, rotation)
    slots = {str(s): checkin.token_for(meeting, s) for s in range(first, first + 1200 // rotation)}
    return {
        "meeting_id": meeting.pk,
        "rotation": rotation,
        "slots": slots,
        "tokens": [api_token(m.member.user) for m in memberships],
    }


def burst_fixture(committee: Any, who: dict[str, Any], count: int) -> dict[str, Any]:
    """`count` members of the committee for the plenary burst, each with an API token; a fifth
    of them own a joint draft with one invited co-signer (another burst member, who answers
    during the burst); the proposal office's sessions that accept what comes in."""
    from django.utils import timezone

    from apps.members.models import Membership
    from apps.organisation.models import PlenarySession
    from apps.proposals.models import Cosigner, ProposalCategory
    from apps.proposals.services import proposal_draft_create
    from bench.textbank import Composer, themes

    term = committee.terms.get(is_current=True)
    today = timezone.localdate()
    # The plenary season: the next session opens within three months, so what is filed now is
    # a 大会提案 numbered in that session's series.
    if not PlenarySession.objects.filter(term=term, start_date__gt=today).exists():
        number = (PlenarySession.objects.filter(term=term).order_by("-number").first()).number + 1
        opening = today + dt.timedelta(days=40)
        PlenarySession.objects.create(
            committee=committee,
            term=term,
            number=number,
            start_date=opening,
            end_date=opening + dt.timedelta(days=4),
            proposal_deadline=timezone.now() + dt.timedelta(days=42),
        )
    memberships = list(
        Membership.objects.filter(committee=committee, term=term, status="active")
        .select_related("member__user")
        .order_by("-id")[:count]
    )
    category = ProposalCategory.objects.filter(committee=committee, is_active=True).first()
    people_out = [
        {"token": api_token(m.member.user), "membership": m.pk, "answer": [], "joint": None}
        for m in memberships
    ]
    rng = random.Random(9)
    step = max(1, min(50, len(people_out) // 4))
    for i in range(0, len(people_out) if len(people_out) > 1 else 0, 5):
        owner, invitee = people_out[i], people_out[(i + step) % len(people_out)]
        draft = proposal_draft_create(
            user=memberships[i].member.user,
            kind="joint",
            title=f"{BENCH_TITLE}关于完善社区嵌入式养老服务的建议",
            grounds=SIMILAR_TEXT,
            suggestions="一是建立补贴机制。二是完善配套设施。三是加强人才队伍建设。",
            category_id=category.pk if category else None,
        )
        cosigner = Cosigner.objects.create(
            proposal=draft,
            membership_id=invitee["membership"],
            invited_at=timezone.now(),
            sort_order=1,
        )
        owner["joint"] = draft.pk
        invitee["answer"].append(cosigner.pk)
    rng.shuffle(people_out)
    composer = Composer(rng, committee.short_name, "省")
    texts = []
    for i in range(len(people_out)):
        title, grounds, suggestions = composer.proposal(themes()[i % len(themes())])
        texts.append((f"{BENCH_TITLE}{title}"[:60], grounds, suggestions))
    office = committee_staff(committee, "proposal_office")
    return {
        "committee_id": committee.pk,
        "category_id": category.pk if category else None,
        "members": people_out,
        "texts": texts,
        "office": [{"session": session_cookie(u)} for u in office],
    }


def committee_staff(committee: Any, role: str) -> list[Any]:
    from apps.accounts.models import User

    return list(User.objects.filter(committee=committee, groups__name=role).order_by("id"))


def soak_fixture(committee: Any, who: dict[str, Any], sizes: dict[str, int]) -> dict[str, Any]:
    """Sessions for the soak's people: many members (with their own proposals), the proposal
    office, units with their assignments, leaders, the opinion office."""
    from apps.accounts.models import User
    from apps.members.models import Membership
    from apps.proposals.models import Assignment, Proposal

    members = []
    for m in (
        Membership.objects.filter(committee=committee, term__is_current=True, status="active")
        .select_related("member__user")
        .order_by("?")[: sizes["member"]]
    ):
        own = list(
            Proposal.objects.filter(first_proposer=m).exclude(status="draft")
            .values_list("id", flat=True)[:5]
        )  # fmt: skip
        members.append({"session": session_cookie(m.member.user), "proposals": own})
    units = []
    for u in User.objects.filter(committee=committee, handling_unit__isnull=False).order_by("?")[
        : sizes["unit"]
    ]:
        own = list(
            Assignment.objects.filter(handling_unit_id=u.handling_unit_id)
            .order_by("-assigned_at").values_list("id", flat=True)[:5]
        )  # fmt: skip
        units.append({"session": session_cookie(u), "assignments": own})
    recent = list(
        Proposal.objects.filter(committee=committee)
        .exclude(status="draft")
        .order_by("-submitted_at")
        .values_list("id", flat=True)[:200]
    )
    leaders = User.objects.filter(
        member__committee=committee,
        member__memberships__position__in=("chair", "vice_chair", "secretary_general"),
    ).distinct()

    def sessions(users: Any) -> list[dict[str, str]]:
        return [{"session": session_cookie(u)} for u in users]

    return {
        "member": members,
        "office": sessions(committee_staff(committee, "proposal_office")),
        "unit": units,
        "leader": sessions(leaders[: sizes["leader"]]),
        "opinion": sessions(committee_staff(committee, "opinion_office")),
        "recent_proposals": recent,
        "search_terms": ["养老", "老旧小区", "托育", "营商环境", "电梯", "乡村振兴", "停车"],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--checkin", type=int, default=700)
    parser.add_argument("--burst", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import transaction

    from apps.organisation.models import Committee

    with transaction.atomic():
        clear_previous()
        committee = Committee.objects.get(level="province")
        who = people(committee)
        data = {
            "committee": committee.name,
            "csrf": secrets.token_hex(16),  # a 32-character CSRF secret, sent as cookie and header
            "sessions": {role: session_cookie(user) for role, user in who.items()
                         if role != "membership"},
            "tokens": {"member": api_token(who["member"])},
            "targets": targets(committee, who),
            "checkin": checkin_fixture(committee, who, args.checkin),
            "burst": burst_fixture(committee, who, args.burst),
            "soak": soak_fixture(committee, who, {"member": 300, "unit": 30, "leader": 8}),
        }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
