"""The leadership dashboard's maintained figures (apps.dashboards.leadership) against a
computation from scratch: after any sequence of changes to the records, every figure of every
slice equals the number of records its drill-down list shows (plain queries written apart from
the refresh's tally), the slices partition the committee the way their definitions say, and a
second refresh changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from apps.dashboards.leadership.compute import compute_year, percent
from apps.dashboards.leadership.drill import Scope, drill_for
from apps.dashboards.leadership.services import snapshot_refresh
from apps.dashboards.models import LeadershipSnapshot, SliceKind
from apps.members.models import Membership, MembershipStatus
from apps.opinions.models import Instruction
from apps.proposals.models import Proposal, ProposalKind

from .leadership_world import TODAY, YEAR, World, figure_checks


@pytest.fixture(autouse=True)
def _mid_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


def _snapshots(committee) -> list[LeadershipSnapshot]:
    return list(LeadershipSnapshot.objects.filter(committee=committee, year=YEAR))


def _check_against_drill_down(committee, step: int) -> None:
    for snapshot in _snapshots(committee):
        scope = Scope(
            committee_id=committee.pk,
            year=YEAR,
            slice_kind=snapshot.slice_kind,
            slice_key=snapshot.slice_key,
            today=TODAY.date(),
        )
        for label, value, key in figure_checks(snapshot.figures):
            found = drill_for(scope, key).count()
            assert found == value, f"step {step}, {snapshot.label}, {label}: {value} ≠ {found}"
        used = drill_for(scope, "opinions.used").items
        instructions = Instruction.objects.filter(report__in=used).count()
        assert snapshot.figures["opinions"]["instructions"] == instructions
        members = Membership.objects.filter(
            committee=committee, term__is_current=True, status=MembershipStatus.ACTIVE
        )
        assert snapshot.figures["members"] == members.filter(_in_slice(scope)).count()
        part = snapshot.figures["study"]["participation"]
        settled = (
            drill_for(scope, "study.attendance.all.invited").count()
            - drill_for(scope, "study.attendance.all.unsettled").count()
        )
        attended = drill_for(scope, "study.attendance.all.attended").count()
        assert part["rate"] == percent(attended, settled), snapshot.label


def _in_slice(scope: Scope) -> Q:
    if scope.slice_kind == SliceKind.SECTOR:
        return Q(sector_id=int(scope.slice_key))
    if scope.slice_kind == SliceKind.PARTY:
        return Q(party=scope.slice_key)
    if scope.slice_kind == SliceKind.SPECIAL:
        return Q(special_committees=int(scope.slice_key))
    return Q()


@pytest.mark.parametrize("seed", [3, 11])
def test_figures_equal_the_records_behind_them_after_random_changes(city, city_term, seed):
    world = World.build(city, city_term, seed=seed)
    for step in range(4):
        for _change in range(30):
            world.random_change()
        snapshot_refresh(committee_id=city.pk, year=YEAR)
        _check_against_drill_down(city, step)


def _study_total(committee) -> int:
    study = LeadershipSnapshot.objects.get(
        committee=committee, year=YEAR, slice_kind=SliceKind.ALL
    ).figures["study"]
    return (
        study["sessions"]
        + study["participation"]["invited"]
        + study["texts"]["submitted"]
        + study["texts"]["compiled"]
        + study["reading"]["checkins"]
    )


@pytest.mark.parametrize("seed", [7, 19])
def test_study_figures_equal_their_records_after_random_study_changes(city, city_term, seed):
    """Courses held, cancelled or attended by hand, texts submitted, adopted and compiled,
    reading check-ins — with members moving between slices in between."""
    world = World.build(city, city_term, seed=seed, members=8)
    changes = [*World.STUDY_CHANGES, "move_member", "add_member", "change_attendance"]
    for step in range(3):
        for _change in range(12):
            getattr(world, world.pick(changes))()
        snapshot_refresh(committee_id=city.pk, year=YEAR)
        _check_against_drill_down(city, step)
    assert _study_total(city) > 0  # the checks above were not about nothing


def _compute_queries(committee) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute_year(committee_id=committee.pk, year=YEAR, today=TODAY.date())
    return len(ctx.captured_queries)


def test_the_refresh_reads_study_rows_in_a_fixed_number_of_queries(city, city_term):
    world = World.build(city, city_term, seed=23, members=6)
    world.add_course()
    world.add_texts()
    world.add_checkin()
    before = _compute_queries(city)
    for _round in range(4):
        world.add_course()
        world.add_texts()
        world.compile_texts()
        world.adopt_text()
        world.add_checkin()
        world.add_member()
    assert _compute_queries(city) == before
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    assert _study_total(city) > 0


def test_sectors_and_parties_partition_the_members_proposals(city, city_term):
    world = World.build(city, city_term, seed=5)
    for _change in range(40):
        world.add_proposal()
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    rows = _snapshots(city)
    everyone = next(row for row in rows if row.slice_kind == SliceKind.ALL)
    collective = (
        drill_for(Scope(committee_id=city.pk, year=YEAR, today=TODAY.date()), "proposals.received")
        .items.filter(kind=ProposalKind.COLLECTIVE)
        .count()
    )
    for kind in (SliceKind.SECTOR, SliceKind.PARTY):
        total = sum(row.figures["proposals"]["received"] for row in rows if row.slice_kind == kind)
        assert total + collective == everyone.figures["proposals"]["received"]
    assert everyone.figures["proposals"]["received"] > 0
    assert Proposal.objects.filter(committee=city).count() == 40


def test_a_second_refresh_changes_nothing_but_the_time(city, city_term):
    world = World.build(city, city_term, seed=9)
    for _change in range(60):
        world.random_change()
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    first = {(r.slice_kind, r.slice_key): r.figures for r in _snapshots(city)}
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    second = {(r.slice_kind, r.slice_key): r.figures for r in _snapshots(city)}
    assert first == second
    assert len(first) == LeadershipSnapshot.objects.filter(committee=city, year=YEAR).count()
