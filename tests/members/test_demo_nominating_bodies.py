"""The members demo gives every planned membership a plausible 推荐单位 by its sector and party,
the same on every run, and fills it in on a roster seeded before memberships had one."""

from __future__ import annotations

import pytest

from apps.core.demo import DemoRun
from apps.core.registry import registry
from apps.members.demo import plan_committees
from apps.members.models import Membership

PARTY_SECTORS = {
    "中国国民党革命委员会": "民革济南市委",
    "中国民主同盟": "民盟济南市委",
    "中国民主建国会": "民建济南市委",
    "中国民主促进会": "民进济南市委",
    "中国农工民主党": "农工党济南市委",
    "中国致公党": "致公党济南市委",
    "九三学社": "九三学社济南市委",
}


def test_every_planned_membership_has_a_body_the_same_every_time():
    plans, again = plan_committees(), plan_committees()
    for code, rows in plans.items():
        assert all(plan.nominated_by for plan in rows), code
        assert all(len(plan.nominated_by) <= 120 for plan in rows)
        assert [p.nominated_by for p in again[code]] == [p.nominated_by for p in rows]
    bodies = {plan.nominated_by for plan in plans["jinan"]}
    assert {"中共济南市委统战部", "民盟济南市委", "市工商联"} <= bodies
    assert all("历下" in plan.nominated_by for plan in plans["lixia"])


def test_the_body_follows_the_sector_then_the_party():
    jinan = plan_committees()["jinan"]
    organisations = {"工商联": "市工商联", "共青团": "团市委", "侨联": "市侨联", "台联": "市台联"}
    organisations |= {"青联": "市青联", "总工会": "市总工会", "妇联": "市妇联", "科协": "市科协"}
    seen = set()
    for plan in jinan:
        if plan.sector in PARTY_SECTORS:
            rule, expected = "party sector", PARTY_SECTORS[plan.sector]
        elif plan.sector in organisations:
            rule, expected = "organisation", organisations[plan.sector]
        elif plan.party == "cdl":
            rule, expected = "民盟 elsewhere", "民盟济南市委"
        elif plan.party not in ("cpc", "nonparty", "masses"):
            rule, expected = "party elsewhere", plan.nominated_by
            assert plan.nominated_by.endswith(("济南市委", "济南市支部")), plan
        elif plan.sector == "经济界":
            rule, expected = "经济界", "市工商联"
        elif plan.sector == "科学技术界":
            rule, expected = "科学技术界", "市科协"
        else:
            rule, expected = "default", "中共济南市委统战部"
        assert plan.nominated_by == expected, (rule, plan)
        seen.add(rule)
    assert seen >= {"party sector", "organisation", "民盟 elsewhere", "经济界", "default"}
    personas = {plan.index: plan for plan in jinan}
    assert personas[0].nominated_by == "中共济南市委统战部"  # the chair, 中国共产党
    assert personas[8].nominated_by == "民建济南市委"  # 孙志刚, 民建
    assert personas[40].nominated_by == "民进济南市委"  # 林晓梅, 民进
    lixia = {plan.index: plan for plan in plan_committees()["lixia"]}
    assert lixia[12].nominated_by == "中共济南市历下区委统战部"  # 周雅琴, 无党派, 教育界


def test_drawing_the_body_reshuffles_nobody():
    """The body is a rule, not a draw: the people are those the demo always planned."""
    plans = plan_committees()
    assert plans["jinan"][40].name == "林晓梅" and plans["jinan"][40].username == "weiyuan"
    assert plans["lixia"][12].name == "周雅琴"


def _seed_members() -> None:
    run = DemoRun()
    for seeder in registry.seeders():
        if seeder.name in ("organisation", "accounts", "members"):
            seeder.seed(run)


@pytest.mark.django_db
def test_seeded_memberships_carry_their_body_and_a_reseed_fills_blank_ones():
    _seed_members()
    planned = {
        plan.id_number: plan.nominated_by for rows in plan_committees().values() for plan in rows
    }
    seeded = {m.member.id_number: m for m in Membership.objects.select_related("member")}
    assert len(seeded) == len(planned) == 240
    assert {key: m.nominated_by for key, m in seeded.items()} == planned

    # A roster seeded before 推荐单位 existed: blank ones are filled, a body set since is kept.
    first, second, *_ = seeded.values()
    Membership.objects.exclude(pk=second.pk).update(nominated_by="")
    Membership.objects.filter(pk=second.pk).update(nominated_by="市科协")
    _seed_members()
    again = {
        m.member.id_number: m.nominated_by for m in Membership.objects.select_related("member")
    }
    assert again[first.member.id_number] == planned[first.member.id_number]
    assert again[second.member.id_number] == "市科协"
    assert all(again[key] == planned[key] for key in again if key != second.member.id_number)
