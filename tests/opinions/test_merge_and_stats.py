"""Merging duplicates keeps every submitter's credit; the maintained statistics count by member,
sector, party, organisation, liaison and category; the duties app's selector reads them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import OutboxMessage
from apps.opinions import services, workflow
from apps.opinions.models import (
    Contributor,
    ContributorKind,
    OpinionStatRow,
    OpinionStatsState,
    ReportStatus,
    StatDimension,
)
from apps.opinions.selectors import opinion_member_summary, stats_rows, stats_state

from .conftest import membership_of

pytestmark = pytest.mark.django_db


def _year(report) -> int:
    return timezone.localtime(report.first_submitted_at).year


@pytest.fixture
def merged_pair(build, other_member_user):
    """李红梅's report (kept) and 王建国's duplicate merged into it."""
    kept = build.accepted()
    duplicate = build.submitted(user=other_member_user, title="关于加装电梯无人管护的问题")
    workflow.report_merge(user=build.editor, report_id=duplicate.pk, into_id=kept.pk)
    duplicate.refresh_from_db()
    return kept, duplicate


def test_merge_keeps_both_submitters_credit(merged_pair, member_user, other_member_user, client):
    kept, duplicate = merged_pair
    assert duplicate.status == ReportStatus.MERGED and duplicate.merged_into_id == kept.pk
    credits = {
        (c.kind, c.membership.member.user_id, c.merged_from_id)
        for c in Contributor.objects.filter(report=kept).select_related("membership__member")
    }
    assert credits == {
        (ContributorKind.FIRST, member_user.pk, None),
        (ContributorKind.MERGED, other_member_user.pk, duplicate.pk),
    }
    # The duplicate's submitter reads the kept report and is told of the merge.
    client.force_login(other_member_user)
    assert client.get(reverse("opinions:detail", args=[kept.pk])).status_code == 200
    assert OutboxMessage.objects.filter(
        key=f"opinion:{duplicate.pk}:merged:u{other_member_user.pk}"
    ).exists()


def test_outcomes_of_the_kept_report_reach_and_count_for_both(
    merged_pair, build, levels, member_user, other_member_user
):
    kept, _duplicate = merged_pair
    workflow.report_request_signoff(user=build.editor, report_id=kept.pk, signer_id=build.leader.pk)
    workflow.report_sign(user=build.leader, report_id=kept.pk)
    issue = services.issue_create(user=build.editor)
    services.issue_add_report(user=build.editor, issue_id=issue.pk, report_id=kept.pk)
    services.issue_publish(user=build.editor, issue_id=issue.pk)
    adoption = services.adoption_record(
        user=build.editor,
        report_id=kept.pk,
        level_id=levels["省政协采用"].pk,
        adopted_on=timezone.localdate(),
        publication="《山东政协信息》第8期",
    )
    services.instruction_record(
        user=build.editor,
        report_id=kept.pk,
        leader="张副省长",
        level="provincial",
        text="请省住建厅研究。",
        instructed_on=timezone.localdate(),
    )
    for user in (member_user, other_member_user):
        assert OutboxMessage.objects.filter(
            recipient=user, key=f"opinion:{kept.pk}:adoption:{adoption.pk}:u{user.pk}"
        ).exists()

    services.opinion_stats_refresh(committee_id=kept.committee_id, year=_year(kept))
    summary = opinion_member_summary(committee_id=kept.committee_id, year=_year(kept))
    for user in (member_user, other_member_user):
        line = summary[membership_of(user).pk]
        assert (line.submitted, line.used, line.adopted_upper, line.instructions) == (1, 1, 1, 1)
        assert line.adopted_at("省政协采用") == 1 and line.adopted_at("本级编发") == 1
    state = stats_state(committee_id=kept.committee_id, year=_year(kept))
    assert state is not None and not state.dirty
    assert state.funnel["received"] == 2  # both reports were received
    assert state.funnel["used"] == 1 and state.funnel["merged"] == 1
    total = OpinionStatRow.objects.get(dimension=StatDimension.TOTAL, year=_year(kept))
    assert (total.submitted, total.used, total.adopted_upper) == (2, 1, 1)


def test_statistics_by_every_dimension(build, liaison, unit, category, editor, levels):
    from apps.opinions.models import OpinionReport

    member_report = build.compiled()
    unit_report = services.report_draft_create(
        user=liaison,
        unit_id=unit.pk,
        title="关于小微企业贷款续贷难的情况反映",
        situation="多家小微企业反映续贷周期长。",
        suggestion="推广无还本续贷。",
        category_id=category.pk,
    )
    workflow.report_submit(user=liaison, report_id=unit_report.pk)
    year = _year(member_report)
    services.opinion_stats_refresh(committee_id=member_report.committee_id, year=year)
    committee_id = member_report.committee_id

    def line(dimension, key):
        return stats_rows(committee_id=committee_id, year=year, dimension=dimension).get(key=key)

    membership = membership_of(build.member)
    assert line(StatDimension.MEMBER, str(membership.pk)).used == 1
    assert line(StatDimension.SECTOR, str(membership.sector_id)).submitted == 1
    assert line(StatDimension.PARTY, membership.party).submitted == 1
    unit_line = line(StatDimension.UNIT, str(unit.pk))
    assert (unit_line.submitted, unit_line.used) == (1, 0)
    assert line(StatDimension.LIAISON, str(liaison.pk)).submitted == 1
    assert line(StatDimension.CATEGORY, str(category.pk)).submitted == 2
    assert OpinionReport.objects.filter(committee_id=committee_id).count() == 2


def test_services_mark_the_year_stale_and_the_task_refreshes_it(build):
    from apps.opinions.tasks import refresh_opinion_stats

    report = build.submitted()
    state = OpinionStatsState.objects.get(committee_id=report.committee_id, year=_year(report))
    assert state.dirty and state.refreshed_at is None
    assert refresh_opinion_stats() == 1
    state.refresh_from_db()
    assert not state.dirty and state.refreshed_at is not None
    workflow.report_accept(user=build.editor, report_id=report.pk)
    state.refresh_from_db()
    assert state.dirty
    assert refresh_opinion_stats() == 1 and refresh_opinion_stats() == 0


def test_the_statistics_page_reads_the_maintained_rows(client, build, editor):
    report = build.compiled()
    client.force_login(editor)
    page = client.get(reverse("opinions:stats")).content.decode()
    assert "暂无统计数据" in page  # not computed yet: the page does not aggregate itself
    response = client.post(reverse("opinions:stats_refresh"), {"year": _year(report)})
    assert response.status_code == 302
    page = client.get(reverse("opinions:stats")).content.decode()
    assert "数据更新于" in page and "李红梅" in page
