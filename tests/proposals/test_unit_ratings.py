"""Per-unit ratings (issue 8): with 分办 and 主办 + 会办 each unit that answered is rated on its
own answer (process and result); the proposal's overall rating follows the committee's rule (the
lead unit's, 分办 the lowest; or the lowest); unit satisfaction figures count the units' own
ratings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.errors import ValidationFailed
from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    Evaluation,
    OverallRatingRule,
    ProposalSettings,
    ProposalStatus,
    UnitRating,
)
from apps.proposals.selectors import proposal_settings_for

from .conftest import db_snapshot, upload

pytestmark = pytest.mark.django_db

S, B, D = "satisfied", "basic", "dissatisfied"


def _answer(user, office, assignment: Assignment) -> None:
    workflow.assignment_receive(user=user, assignment_id=assignment.pk)
    reply = workflow.assignment_submit_reply(
        user=user,
        assignment_id=assignment.pk,
        text="经研究，已列入明年工作计划。",
        result_class="B",
        letter=upload("答复函.pdf"),
    )
    workflow.reply_approve(user=office, reply_id=reply.pk)


@pytest.fixture
def split(build, health_unit, other_unit_user):
    """A 分办 proposal answered by 市教育局 and 市卫健委 (both released): 已办复."""
    proposal = build.assigned(plan=[(build.unit_id, "split"), (health_unit.pk, "split")])
    build.reply(proposal)
    _answer(other_unit_user, build.office, proposal.assignments.get(handling_unit=health_unit))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REPLIED
    return proposal


@pytest.fixture
def lead_co(build, health_unit, other_unit_user):
    """主办 市教育局 + 会办 市卫健委 (who sent its views); the lead's answer released."""
    proposal = build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    co = proposal.assignments.get(handling_unit=health_unit)
    workflow.assignment_receive(user=other_unit_user, assignment_id=co.pk)
    workflow.assignment_submit_opinion(
        user=other_unit_user, assignment_id=co.pk, text="建议同步做好卫生保健人员配备。"
    )
    build.reply(proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REPLIED
    return proposal


def _units(proposal) -> dict[str, int]:
    return {
        a.handling_unit.name: a.pk
        for a in proposal.assignments.select_related("handling_unit").all()
    }


def _set_rule(proposal, rule: str) -> None:
    settings = proposal_settings_for(proposal.committee)
    ProposalSettings.objects.filter(pk=settings.pk).update(overall_rating_rule=rule)


# The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "ratings", "expected"),
    [
        (OverallRatingRule.LEAD, [("lead", S, B), ("co", D, D)], (S, B)),
        (OverallRatingRule.LEAD, [("co", D, D), ("lead", B, S)], (B, S)),
        (OverallRatingRule.LEAD, [("split", S, S), ("split", B, D)], (B, D)),  # no lead: lowest
        (OverallRatingRule.LOWEST, [("lead", S, S), ("co", B, S)], (B, S)),
        (OverallRatingRule.LOWEST, [("split", D, S), ("split", S, B)], (D, B)),
        (OverallRatingRule.LEAD, [("sole", B, B)], (B, B)),
    ],
)
def test_overall_rating_follows_the_rule(rule, ratings, expected):
    assert workflow.overall_rating(rule, ratings) == expected


def test_the_units_rated_are_those_that_answered(split, lead_co, build, health_unit):
    assert [a.handling_unit_id for a in workflow.rated_assignments(split)] == [
        build.unit_id,
        health_unit.pk,
    ]
    rated = workflow.rated_assignments(lead_co)
    assert [(a.handling_unit_id, a.role) for a in rated] == [
        (build.unit_id, AssignmentRole.LEAD),
        (health_unit.pk, AssignmentRole.CO),
    ]


def test_a_co_unit_that_sent_no_views_is_not_rated(build, health_unit):
    proposal = build.reply(build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")]))
    assert [a.handling_unit_id for a in workflow.rated_assignments(proposal)] == [build.unit_id]


# Rating -------------------------------------------------------------------------------------


def test_split_units_are_rated_each_and_the_overall_is_the_lowest(split, member_user):
    units = _units(split)
    evaluation = workflow.proposal_rate(
        user=member_user,
        proposal_id=split.pk,
        unit_ratings={units["市教育局"]: (S, S), units["市卫生健康委员会"]: (B, S)},
    )
    assert (evaluation.process_rating, evaluation.result_rating) == (B, S)
    rows = {
        r.handling_unit.name: (r.process_rating, r.result_rating)
        for r in UnitRating.objects.filter(evaluation=evaluation).select_related("handling_unit")
    }
    assert rows == {"市教育局": (S, S), "市卫生健康委员会": (B, S)}
    split.refresh_from_db()
    assert split.status == ProposalStatus.EVALUATED


def test_lead_co_under_the_lead_rule_takes_the_lead_units_rating(lead_co, member_user):
    units = _units(lead_co)
    evaluation = workflow.proposal_rate(
        user=member_user,
        proposal_id=lead_co.pk,
        unit_ratings={units["市教育局"]: (S, S), units["市卫生健康委员会"]: (D, D)},
    )
    assert (evaluation.process_rating, evaluation.result_rating) == (S, S)
    lead_co.refresh_from_db()
    assert lead_co.status == ProposalStatus.EVALUATED  # the co-unit's 不满意 is its own


def test_lead_co_under_the_lowest_rule_sends_it_back(lead_co, member_user):
    _set_rule(lead_co, OverallRatingRule.LOWEST)
    units = _units(lead_co)
    evaluation = workflow.proposal_rate(
        user=member_user,
        proposal_id=lead_co.pk,
        unit_ratings={units["市教育局"]: (S, S), units["市卫生健康委员会"]: (S, D)},
    )
    assert (evaluation.process_rating, evaluation.result_rating) == (S, D)
    lead_co.refresh_from_db()
    assert lead_co.status == ProposalStatus.REHANDLING  # the first proposer is not satisfied


def test_every_unit_must_be_rated_and_a_refusal_writes_nothing(split, member_user):
    units = _units(split)
    before = db_snapshot(Evaluation, UnitRating)
    with pytest.raises(ValidationFailed) as refused:
        workflow.proposal_rate(
            user=member_user, proposal_id=split.pk, unit_ratings={units["市教育局"]: (S, S)}
        )
    assert "市卫生健康委员会" in refused.value.message
    with pytest.raises(ValidationFailed):
        workflow.proposal_rate(
            user=member_user,
            proposal_id=split.pk,
            unit_ratings={units["市教育局"]: (S, S), units["市卫生健康委员会"]: (S, "great")},
        )
    assert db_snapshot(Evaluation, UnitRating) == before


def test_one_rating_for_the_whole_proposal_rates_each_unit_the_same(split, member_user):
    """An older caller (e.g. the app's API) rating the proposal as a whole."""
    evaluation = workflow.proposal_rate(
        user=member_user, proposal_id=split.pk, process_rating=B, result_rating=B
    )
    assert set(
        UnitRating.objects.filter(evaluation=evaluation).values_list(
            "process_rating", "result_rating"
        )
    ) == {(B, B)}
    assert UnitRating.objects.filter(evaluation=evaluation).count() == 2


def test_a_sole_unit_gets_the_proposers_rating(build, member_user):
    proposal = build.replied()
    evaluation = workflow.proposal_rate(
        user=member_user, proposal_id=proposal.pk, process_rating=S, result_rating=B
    )
    row = UnitRating.objects.get(evaluation=evaluation)
    assert (row.handling_unit_id, row.process_rating, row.result_rating) == (build.unit_id, S, B)


# Pages --------------------------------------------------------------------------------------


def test_the_rate_page_asks_for_each_unit(client, split, member_user):
    units = _units(split)
    client.force_login(member_user)
    url = reverse("proposals:rate", args=[split.pk])
    page = client.get(url).content.decode()
    assert "本提案由 2 个单位办理，请分别评价每个单位的答复" in page
    assert "以主办单位的评价为准（分办取最低）" in page
    for unit, pk in units.items():
        assert f'id="rate-unit-{pk}"' in page and f"{unit}（分办）：办理过程" in page
    assert 'name="process_rating"' not in page
    response = client.post(url, {f"unit_{units['市教育局']}_process": S})
    assert response.status_code == 422
    assert "请对市教育局的办理结果作出评价" in response.content.decode()
    assert not Evaluation.objects.filter(proposal=split).exists()
    response = client.post(
        url,
        {
            f"unit_{units['市教育局']}_process": S,
            f"unit_{units['市教育局']}_result": S,
            f"unit_{units['市卫生健康委员会']}_process": S,
            f"unit_{units['市卫生健康委员会']}_result": B,
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(proposal=split)
    assert (evaluation.process_rating, evaluation.result_rating) == (S, B)
    page = client.get(url).content.decode()
    assert "市卫生健康委员会（分办）：办理过程“满意”，办理结果“基本满意”" in page


def test_unit_satisfaction_comes_from_the_units_own_ratings(
    client, split, member_user, proposal_staff_user
):
    units = _units(split)
    workflow.proposal_rate(
        user=member_user,
        proposal_id=split.pk,
        unit_ratings={units["市教育局"]: (S, S), units["市卫生健康委员会"]: (S, D)},
    )
    ratings = UnitRating.objects.filter(evaluation__proposal=split).satisfaction_by_unit()
    assert ratings[split.assignments.get(handling_unit__name="市教育局").handling_unit_id] == {
        "rated": 1,
        S: 1,
        B: 0,
        D: 0,
    }
    client.force_login(proposal_staff_user)
    page = client.get(reverse("proposals:office_stats")).content.decode()
    table = page[page.index("按承办单位统计") :]
    health = table[table.index("市卫生健康委员会") :]
    health = health[: health.index("</tr>")]
    assert "1 人次 · 0%" in health and "不满意 1" in health
    education = table[table.index("市教育局") :]
    assert "1 人次 · 100%" in education[: education.index("</tr>")]


def test_the_rule_is_a_committee_setting(client, city, proposal_staff_user):
    client.force_login(proposal_staff_user)
    page = client.get(reverse("proposals:office_settings")).content.decode()
    assert "多个单位办理时的总体评价" in page and "取各单位中最低的评价" in page
    services.proposal_settings_update(
        user=proposal_staff_user,
        committee_id=city.pk,
        changes={"overall_rating_rule": OverallRatingRule.LOWEST},
    )
    assert proposal_settings_for(city).overall_rating_rule == OverallRatingRule.LOWEST
