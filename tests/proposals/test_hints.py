"""Drafting hints beside the similar panel: 关于……的建议, 一事一案, the balance of 情况与分析
and 具体建议, the length against the committee's limits. Hints only: a draft with every hint
still saves and submits."""

from __future__ import annotations

import random

import pytest

from apps.core.text.matters import passages
from apps.proposals import workflow
from apps.proposals.demo import THEMES, _text
from apps.proposals.models import ProposalSettings, ProposalStatus
from apps.proposals.selectors.hints import drafting_hints, proposal_drafting_hints

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "关于加强空巢老人关爱服务的建议",
    "grounds": (
        "随着子女外出工作和家庭小型化，我市空巢老人数量逐年增加。不少空巢老人身边无人照应，"
        "突发疾病不能及时发现，精神慰藉缺乏。"
    ),
    "suggestions": (
        "一是建立空巢老人信息台账，实行网格员定期上门探访制度；二是为空巢老人免费安装紧急呼叫"
        "和烟感报警设备；三是组织志愿者开展结对帮扶和精神关爱；四是鼓励子女常回家看看。"
    ),
}
OTHER_MATTER = {
    "grounds": "城区断头路四十余条，多因征地拆迁未完成而长期搁置，车辆绕行，高峰拥堵加剧。",
    "suggestions": (
        "五是开展断头路专项排查，制定三年打通计划；六是建立市区两级协调机制，集中攻坚征收拆迁。"
    ),
}


def _codes(city, **text):
    fields = {**GOOD, **text}
    return [hint.code for hint in drafting_hints(committee_id=city.pk, **fields)]


def test_a_well_formed_single_matter_draft_has_no_hint(city):
    assert _codes(city) == []


@pytest.mark.parametrize(
    ("title", "hinted"),
    [
        ("关于加强空巢老人关爱服务的建议", False),
        ("关于加强空巢老人关爱服务的提案", False),
        ("加强空巢老人关爱服务", True),
        ("关于空巢老人", True),
    ],
)
def test_title_in_the_guan_yu_de_jian_yi_form(city, title, hinted):
    assert ("title_form" in _codes(city, title=title)) is hinted


def test_one_matter_per_proposal(build, city):
    """With the committee's corpus (words every proposal uses link nothing)."""
    rng = random.Random(4)
    for index in range(8):
        build.accepted(**_text(rng, THEMES[index % len(THEMES)]))
    mixed = {
        "grounds": GOOD["grounds"] + OTHER_MATTER["grounds"],
        "suggestions": GOOD["suggestions"] + OTHER_MATTER["suggestions"],
    }
    hints = drafting_hints(committee_id=city.pk, title=GOOD["title"], **mixed)
    hint = next(h for h in hints if h.code == "one_matter")
    assert "断头路" in hint.message and "另行提出" in hint.message
    assert "one_matter" not in _codes(city)


def test_passages_are_sentences_and_numbered_items():
    text = "一是建立空巢老人台账；二是定期上门探访。（三）安装紧急呼叫设备\n4. 组织志愿者结对帮扶"
    text += "；五是好"
    assert passages(text) == [
        "建立空巢老人台账",
        "定期上门探访",
        "安装紧急呼叫设备",
        "组织志愿者结对帮扶",
    ]


def test_balance_of_analysis_and_suggestions(city):
    long_grounds = GOOD["grounds"] * 4
    hints = drafting_hints(
        committee_id=city.pk, title=GOOD["title"], grounds=long_grounds, suggestions="加强关爱。"
    )
    balance = next(h for h in hints if h.code == "balance")
    assert "具体建议只占正文的" in balance.message
    hints = drafting_hints(
        committee_id=city.pk,
        title=GOOD["title"],
        grounds="空巢老人多。",
        suggestions=GOOD["suggestions"] * 3,
    )
    assert "情况与分析只占正文的" in next(h for h in hints if h.code == "balance").message
    # Too little written to judge.
    assert "balance" not in _codes(city, grounds="空巢老人多。", suggestions="加强关爱。")


def test_length_against_the_committee_limit(city):
    ProposalSettings.objects.update_or_create(
        committee=city, defaults={"body_max_chars": 100, "title_max_chars": 20}
    )
    body = len(GOOD["grounds"]) + len(GOOD["suggestions"])
    assert body > 100
    messages = [
        h.message for h in drafting_hints(committee_id=city.pk, **GOOD) if h.code == "length"
    ]
    assert any("超过本会 100 字的上限" in m for m in messages)
    ProposalSettings.objects.filter(committee=city).update(body_max_chars=body + 5)
    messages = [
        h.message for h in drafting_hints(committee_id=city.pk, **GOOD) if h.code == "length"
    ]
    assert any("接近本会" in m for m in messages)
    ProposalSettings.objects.filter(committee=city).update(body_max_chars=5000)
    assert "length" not in _codes(city)
    assert "length" in _codes(city, title="关于" + "加强空巢老人关爱服务" * 3 + "的建议")


def test_hints_never_block_submission(build, member_user, city):
    draft = build.draft(title="空巢老人", grounds=GOOD["grounds"] * 4, suggestions="加强关爱。")
    assert {h.code for h in proposal_drafting_hints(proposal=draft)} >= {"title_form", "balance"}
    submitted = workflow.proposal_submit(user=member_user, proposal_id=draft.pk)
    assert submitted.status == ProposalStatus.SUBMITTED
