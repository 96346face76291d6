"""专题学习计划: the 委员联络处 plans the year's study items, records them held, and the
committee's members read the plan with its progress. Each allowed step proves its effect (row,
audit event); each refused one proves nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core.errors import NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.study import services
from apps.study.models import StudyPlanItem
from tests.proposals.conftest import db_snapshot

from .conftest import TODAY

pytestmark = pytest.mark.django_db
YEAR = TODAY.year


@pytest.fixture
def planned(liaison_user, frozen):
    """Three items of this year: January (held), February (past, not held), June."""
    january = services.plan_item_add(
        user=liaison_user, year=YEAR, month=1, topic="新任委员履职培训", form="training"
    )
    services.plan_item_done(
        user=liaison_user, item_id=january.pk, done_on=dt.date(YEAR, 1, 20), result="120人参加"
    )
    february = services.plan_item_add(
        user=liaison_user, year=YEAR, month=2, topic="学习全国两会精神", form="topic"
    )
    june = services.plan_item_add(
        user=liaison_user,
        year=YEAR,
        month=6,
        topic="读书月活动",
        form="reading",
        lead="学习和文史资料委员会",
    )
    return january, february, june


def test_the_office_plans_and_records_items_held(planned, liaison_user):
    january, february, _june = planned
    january.refresh_from_db()
    assert (january.done_on, january.result) == (dt.date(YEAR, 1, 20), "120人参加")
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="study_plan").values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["study_plan_add"] * 3 + ["study_plan_done"]
    services.plan_item_done(user=liaison_user, item_id=january.pk, done_on=None)
    january.refresh_from_db()
    assert january.done_on is None and january.result == ""
    services.plan_item_remove(user=liaison_user, item_id=february.pk)
    assert not StudyPlanItem.objects.filter(pk=february.pk).exists()
    assert AuditEvent.objects.filter(verb="study_plan_remove").count() == 1


def test_refusals_change_nothing(planned, liaison_user, member_user, district_office):
    january, _february, _june = planned
    before = db_snapshot(StudyPlanItem, AuditEvent)
    with pytest.raises(PermissionDenied):
        services.plan_item_add(user=member_user, year=YEAR, month=3, topic="某专题", form="topic")
    with pytest.raises(ValidationFailed, match="学习专题"):
        services.plan_item_add(user=liaison_user, year=YEAR, month=3, topic=" ", form="topic")
    with pytest.raises(ValidationFailed, match="学习形式"):
        services.plan_item_add(user=liaison_user, year=YEAR, month=3, topic="某专题", form="x")
    with pytest.raises(ValidationFailed, match="下一年"):
        services.plan_item_add(user=liaison_user, year=YEAR + 3, month=3, topic="某", form="topic")
    with pytest.raises(ValidationFailed, match="控制字符"):
        services.plan_item_add(
            user=liaison_user, year=YEAR, month=3, topic="某\x0b专题", form="topic"
        )
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.plan_item_done(
            user=liaison_user, item_id=january.pk, done_on=TODAY + dt.timedelta(days=1)
        )
    for outsider in (member_user, district_office):
        with pytest.raises(NotFound):
            services.plan_item_done(user=outsider, item_id=january.pk, done_on=TODAY)
        with pytest.raises(NotFound):
            services.plan_item_remove(user=outsider, item_id=january.pk)
    assert db_snapshot(StudyPlanItem, AuditEvent) == before


def test_members_read_the_plan_with_its_progress(
    client, planned, other_member_user, district_member_user, liaison_user
):
    client.force_login(other_member_user)
    page = client.get(reverse("study:plan")).content.decode()
    assert "已完成 1 / 3 项（33%）" in page
    assert "1 项已过计划月份尚未完成" in page  # February, today is 2 March
    assert (
        page.index("新任委员履职培训") < page.index("学习全国两会精神") < page.index("读书月活动")
    )
    assert "学习和文史资料委员会" in page and "1月20日已完成" in page
    empty = client.get(reverse("study:plan"), {"year": YEAR + 1}).content.decode()
    assert "尚未发布" in empty
    client.force_login(district_member_user)  # another committee's plan is not theirs
    assert "尚未发布" in client.get(reverse("study:plan")).content.decode()

    client.force_login(liaison_user)
    response = client.post(
        reverse("study:office_plan"),
        {"year": YEAR, "month": 9, "topic": "协商议政能力培训", "form": "training", "lead": ""},
    )
    assert response.status_code == 302
    assert StudyPlanItem.objects.filter(topic="协商议政能力培训", month=9, year=YEAR).exists()
    item = StudyPlanItem.objects.get(topic="读书月活动")
    prefix = f"item{item.pk}"
    done = client.post(
        reverse("study:office_plan_done", args=[item.pk]),
        {"year": YEAR, f"{prefix}-done_on": TODAY.isoformat(), f"{prefix}-result": "提前举办"},
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.done_on == TODAY and item.result == "提前举办"
    office = client.get(reverse("study:office_plan")).content.decode()
    assert "已完成 2 / 4 项" in office
