"""Proposal numbers: per plenary session for 大会提案, per year for 平时提案; no duplicates and
no gaps, even when two officers accept at the same moment (two threads, two connections)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.proposals import workflow
from apps.proposals.models import Proposal, ProposalNumberSeries, SessionType

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _accept_together(user, proposal_ids):
    """Run proposal_accept for each id in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(proposal_ids))
    errors: list[BaseException] = []

    def run(proposal_id):
        try:
            barrier.wait(timeout=10)
            workflow.proposal_accept(user=user, proposal_id=proposal_id)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in proposal_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_gives_consecutive_numbers(build, proposal_staff_user):
    proposals = [build.submitted(title=f"关于第{i}件事项的建议") for i in range(4)]
    _accept_together(proposal_staff_user, [p.pk for p in proposals])
    numbers = sorted(
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4]
    labels = set(Proposal.objects.values_list("number_label", flat=True))
    assert len(labels) == 4
    assert ProposalNumberSeries.objects.get().last_number == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_of_the_same_proposal_numbers_it_once(build, proposal_staff_user):
    proposal = build.submitted()
    _accept_together(proposal_staff_user, [proposal.pk, proposal.pk])
    proposal.refresh_from_db()
    assert proposal.number == 1
    assert ProposalNumberSeries.objects.get().last_number == 1
    assert AuditEvent.objects.filter(verb="proposal_accept").count() == 1


@pytest.mark.django_db
def test_rolled_back_acceptance_leaves_no_gap(build, proposal_staff_user):
    first, second = build.submitted(), build.submitted(title="关于另一事项的建议")
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.proposal_accept(user=proposal_staff_user, proposal_id=first.pk)
        raise RuntimeError("the page failed after accepting")
    workflow.proposal_accept(user=proposal_staff_user, proposal_id=second.pk)
    second.refresh_from_db()
    assert second.number == 1


@pytest.mark.django_db
def test_plenary_and_interim_series_are_separate(build, plenary, proposal_staff_user):
    # 2025-11-01 is within three months before the opening on 2026-01-12: 大会提案.
    with time_machine.travel(dt.datetime(2025, 11, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        plenary_one = build.accepted()
        plenary_two = build.accepted(title="关于义务教育课后服务的建议")
    # After the proposal deadline (2026-01-14 18:00): 平时提案 of 2026.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        interim = build.accepted(title="关于老旧小区加装电梯的建议")
    assert plenary_one.session_type == SessionType.PLENARY
    assert plenary_one.plenary_session_id == plenary.pk
    assert plenary_one.number_label == "十四届三次会议 第0001号"
    assert plenary_two.number_label == "十四届三次会议 第0002号"
    assert interim.session_type == SessionType.INTERIM
    assert interim.number_label == "2026年平时提案 第0001号"


@pytest.mark.django_db
def test_plenary_window_is_a_setting(build, plenary, proposal_staff_user):
    from apps.proposals.selectors import proposal_settings_for

    settings = proposal_settings_for(plenary.committee)
    settings.plenary_window_months = 1
    settings.save()
    with time_machine.travel(dt.datetime(2025, 11, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        proposal = build.submitted()
    assert proposal.session_type == SessionType.INTERIM
    assert timezone.localtime(proposal.submitted_at).year == 2025
