import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.members.models import ContactDuty, ContactDutyKind, Membership, Party, Position
from apps.organisation.services import plenary_session_create
from tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def next_plenary(city_term):
    """第十四届第四次会议, opening in fifty days; proposals close three days before."""
    today = timezone.localdate()
    opening = today + dt.timedelta(days=50)
    deadline = timezone.make_aware(dt.datetime.combine(opening - dt.timedelta(days=3), dt.time(17)))
    return plenary_session_create(
        term=city_term,
        number=4,
        start_date=opening,
        end_date=opening + dt.timedelta(days=4),
        proposal_deadline=deadline,
    )


def _queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _more_members(committee, n: int = 5) -> None:
    for _ in range(n):
        MembershipFactory(member=MemberFactory(committee=committee, mobile=""))


def test_anonymous_visitor_is_redirected_to_sign_in(client, city):
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _member_rows(member_user, capture, n: int = 3) -> None:
    """More of what the member home lists: the member's own proposals and notifications."""
    from apps.notifications.services import notify
    from apps.proposals import services

    for index in range(n):
        services.proposal_draft_create(
            user=member_user, title=f"关于第{index}个问题的建议", grounds="情况", suggestions="建议"
        )
        with capture(execute=True):
            notify(recipient=member_user, key=f"test:extra:{index}", title=f"通知{index}", url="/")


def test_member_home_shows_todos_meetings_profile_and_duties(
    client,
    member_user,
    standing_user,
    next_plenary,
    special_committee,
    django_capture_on_commit_callbacks,
):
    membership = Membership.objects.get(member__user=member_user)
    membership.special_committees.add(special_committee)
    ContactDuty.objects.create(
        committee=membership.committee,
        term=membership.term,
        kind=ContactDutyKind.STANDING_MEMBER,
        contact=Membership.objects.get(member__user=standing_user),
        contacted=membership,
    )
    client.force_login(member_user)
    # One proposal and notice first, so the cards that list them run their queries once.
    _member_rows(member_user, django_capture_on_commit_callbacks, n=1)
    count, page = _queries(client, "/")
    assert "李红梅委员，您好" in page
    assert "完善个人资料" in page and "电子邮箱" in page
    assert "建议开启两步验证" in page
    assert "第十四届第四次会议提案征集中" in page  # the proposals app's to-do line
    assert "第十四届第四次会议" in page and "还有 47 天" in page
    assert "提案委员会" in page and "教育界" in page  # profile: special committee, sector
    assert "陈志强" in page and "常委联系委员" in page  # who contacts me
    assert "最新消息" in page
    # The count stays the same with more of what the page lists: the member's own proposals
    # and notifications, and more members on the roster.
    _member_rows(member_user, django_capture_on_commit_callbacks)
    _more_members(membership.committee)
    count_after, page = _queries(client, "/")
    assert "关于第2个问题的建议" in page and "通知2" in page
    assert count_after == count
    # Session, user, roles and permissions, the member's own cards (profile, duties, news,
    # sessions) and every registered app's cards and to-do lines, each a fixed few queries.
    # The duties app adds its 我的履职 card (score, progress, warnings); the ratings still due
    # read the member's proposal ids first (an indexed UNION), for the to-do and the card.
    assert count <= 35


def test_member_home_lists_unread_notifications(
    client, member_user, django_capture_on_commit_callbacks
):
    from apps.notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member_user, key="test:welcome", title="欢迎使用履职平台", url="/")
    client.force_login(member_user)
    page = client.get("/").content.decode()
    assert "欢迎使用履职平台" in page
    assert "条未读消息" in page  # 我的待办, from the notifications app's provider
    assert 'badge-unread fs-6">1<' not in page  # not urgent: a calm grey count
    assert 'text-bg-secondary fs-6">1<' in page


def test_member_todos_put_real_duties_first_with_their_deadlines(
    client, member_user, standing_user, next_plenary
):
    """A co-sign invitation waiting: the proposals app's line, marked urgent, before the
    profile and security suggestions."""
    from apps.members.models import Membership as MembershipModel
    from apps.proposals import services

    draft = services.proposal_draft_create(
        user=standing_user, title="关于托育的建议", grounds="情况", suggestions="建议"
    )
    services.cosigners_invite(
        user=standing_user,
        proposal_id=draft.pk,
        membership_ids=[MembershipModel.objects.get(member__user=member_user).pk],
    )
    client.force_login(member_user)
    page = client.get("/").content.decode()
    assert "联名提案邀请待答复" in page
    assert page.index("联名提案邀请待答复") < page.index("完善个人资料")
    assert page.index("联名提案邀请待答复") < page.index("建议开启两步验证")


def test_standing_member_home_lists_contacts_i_hold(
    client, standing_user, member_user, django_capture_on_commit_callbacks
):
    ContactDuty.objects.create(
        committee=standing_user.committee,
        term=Membership.objects.get(member__user=member_user).term,
        kind=ContactDutyKind.STANDING_MEMBER,
        contact=Membership.objects.get(member__user=standing_user),
        contacted=Membership.objects.get(member__user=member_user),
    )
    client.force_login(standing_user)
    _member_rows(standing_user, django_capture_on_commit_callbacks, n=1)
    count, page = _queries(client, "/")
    assert "陈志强常委，您好" in page
    assert "我负责联系" in page and "李红梅（教育界）" in page
    _member_rows(standing_user, django_capture_on_commit_callbacks)
    assert _queries(client, "/")[0] == count
    # The duties app adds its 我的履职 card (score, progress, warnings); the ratings still due
    # read the member's proposal ids first (an indexed UNION), for the to-do and the card.
    assert count <= 35


def test_leadership_home_shows_charts_with_text_alternatives(
    client, leader_user, member_user, standing_user, next_plenary
):
    client.force_login(leader_user)
    count, page = _queries(client, "/")
    assert "主席会议成员总览" in page
    assert 'data-chart="sectors"' in page and 'id="dashboard-data"' in page
    assert "echarts.min.js" in page and "查看数据表" in page
    assert "各界别委员人数：教育界 3 人" in page  # aria-label summary
    assert "第十四届第四次会议" in page
    # Links to the member home the leader also has.
    assert 'href="/home/member/"' in page
    cache.clear()
    _more_members(leader_user.committee, 8)
    cache.clear()
    assert _queries(client, "/")[0] == count
    assert count <= 28  # the leadership dashboard's card reads this year's snapshot (one query)
    assert "赵文华副主席，您好" in client.get("/home/member/").content.decode()


def test_leadership_aggregates_count_by_party_gender_and_position(
    leader_user, standing_user, member_user
):
    from apps.dashboards.selectors import membership_aggregates

    term = Membership.objects.get(member__user=leader_user).term
    data = membership_aggregates(committee_id=term.committee_id, term_id=term.pk)
    assert data["total"] == 3
    assert {row["name"]: row["value"] for row in data["parties"]} == {
        "中共": 1,
        "民盟": 1,
        "无党派": 1,
    }
    assert {row["name"]: row["value"] for row in data["genders"]} == {"男": 0, "女": 3}
    positions = {row["name"]: row["value"] for row in data["positions"]}
    assert (positions["副主席"], positions["常委"], positions["委员"]) == (1, 1, 1)
    assert data["summary"] == {"standing": 2, "non_cpc_percent": 67, "female_percent": 100}
    # Cached: a new member shows up only after the cache expires.
    MembershipFactory(member=MemberFactory(committee=term.committee), party=Party.CPC)
    assert membership_aggregates(committee_id=term.committee_id, term_id=term.pk)["total"] == 3


def test_liaison_home_shows_work_queues_with_real_numbers(client, liaison_user, member_user):
    MembershipFactory(member=MemberFactory(committee=liaison_user.committee, mobile=""))
    client.force_login(liaison_user)
    count, page = _queries(client, "/")
    assert "委员联络处工作台" in page
    assert "名委员尚未开通账户" in page and "个账户尚未激活" in page
    assert "名委员未登记手机号" in page and "最近的名册变动" in page
    assert '<span class="stat-number">1</span>' in page
    _more_members(liaison_user.committee)
    assert _queries(client, "/")[0] == count
    assert count <= 24


def test_proposal_office_home_shows_its_queues_and_committee_facts(
    client, proposal_staff_user, member_user, next_plenary
):
    from apps.proposals import services, workflow

    client.force_login(proposal_staff_user)
    count, page = _queries(client, "/")
    assert "提案委员会办公室工作台" in page
    assert "提案待审查" in page and "已立案待交办" in page  # the proposals app's queue tiles
    assert '<span class="stat-number">0</span>' in page
    assert "第十四届第四次会议" in page and "提案截止时间" in page
    # A submitted proposal is counted in the review tile; the count of queries stays.
    from apps.proposals.selectors import category_list

    category = category_list(committee=member_user.committee).first()
    draft = services.proposal_draft_create(
        user=member_user,
        title="关于托育的建议",
        grounds="情况",
        suggestions="建议",
        category_id=category.pk,
    )
    workflow.proposal_submit(user=member_user, proposal_id=draft.pk)
    count_after, page = _queries(client, "/")
    assert '<span class="stat-number">1</span>' in page
    assert count_after == count
    assert count <= 24


def test_unit_home_shows_empty_assignments_and_contacts(client, unit_user, proposal_staff_user):
    client.force_login(unit_user)
    count, page = _queries(client, "/")
    assert "目前没有需要办理的提案" in page
    assert "市教育局" in page and "政府" in page
    assert "周敏" in page  # proposal office contact
    assert count <= 24


def test_admin_home_counts_users_and_shows_recent_audit(client, admin_user, member_user):
    from apps.core.audit import audit_record

    audit_record(verb="role_change", actor=admin_user, obj=member_user)
    client.force_login(admin_user)
    count, page = _queries(client, "/")
    assert "系统管理" in page and "最近的审计事件" in page and "角色变更" in page
    assert "个账户已开启两步验证" in page
    assert count <= 24


def test_staff_who_is_also_standing_opens_on_the_office_home(
    client, proposal_staff_user, city, city_term
):
    from apps.sectors.models import Sector

    MembershipFactory(
        member=MemberFactory(committee=city, user=proposal_staff_user, name="周敏"),
        term=city_term,
        sector=Sector.objects.get(committee=city, name="经济界"),
        position=Position.STANDING,
    )
    client.force_login(proposal_staff_user)
    page = client.get("/").content.decode()
    assert "提案委员会办公室工作台" in page and 'aria-current="page"' in page
    assert 'href="/home/member/"' in page
    assert "周敏常委，您好" in client.get("/home/member/").content.decode()


def test_a_home_that_is_not_yours_is_not_found(client, member_user):
    client.force_login(member_user)
    assert client.get("/home/sysadmin/").status_code == 404
    assert client.get("/home/nonsense/").status_code == 404


def test_user_without_role_gets_a_helpful_page(client, city):
    from tests.factories import UserFactory

    client.force_login(UserFactory(committee=city))
    assert "您的账户尚未分配角色" in client.get("/").content.decode()
