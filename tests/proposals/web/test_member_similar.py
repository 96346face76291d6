"""The similar-proposals panel while drafting: a planted near-duplicate is listed first, with
its score as a percentage and how it was handled; the draft's own text drives it."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse

from apps.proposals import services
from apps.proposals.demo import THEMES, _text

pytestmark = pytest.mark.django_db

PLANTED = {
    "title": "关于开展低空经济无人机物流配送试点的建议",
    "grounds": (
        "低空经济是新质生产力的重要方向。我市山区乡镇快递末端配送成本高、时效差，"
        "无人机物流配送可以有效解决偏远村庄取件难问题，但起降点规划、空域审批和安全监管尚无规范。"
    ),
    "suggestions": (
        "一是编制低空物流起降点布局规划；二是协调空域管理部门简化无人机航线审批；"
        "三是选择山区乡镇开展无人机物流配送试点；四是建立无人机飞行安全监管平台。"
    ),
}
DECOYS = [
    {
        "title": "关于加快发展低空经济产业的建议",
        "grounds": "低空经济是新质生产力的重要方向，我市通用航空产业基础薄弱。",
        "suggestions": "一是出台低空经济产业扶持政策；二是建设通用机场。",
    },
    {
        "title": "关于完善农村快递物流配送体系的建议",
        "grounds": "偏远村庄快递末端配送成本高、时效差，群众取件难。",
        "suggestions": "一是建设县乡村三级物流配送体系；二是推进快递进村。",
    },
]
DRAFT = {
    "title": "关于推进无人机物流配送试点发展低空经济的建议",
    "grounds": (
        "偏远山区村庄快递配送难、成本高，建议规划无人机起降点，简化无人机航线空域审批，"
        "在山区乡镇试点无人机物流配送，并加强无人机飞行安全监管。"
    ),
    "suggestions": "试点无人机配送。",
}


@pytest.fixture
def planted(build):
    rng = random.Random(7)
    for index in range(12):
        build.accepted(**_text(rng, THEMES[index % len(THEMES)]))
    for decoy in DECOYS:
        build.accepted(**decoy)
    return build.reply(build.assigned(**PLANTED))


def _titles(html: str) -> list[str]:
    return re.findall(r'target="_blank" rel="noopener">([^<]+)<', html)


def test_similar_panel_lists_the_planted_near_duplicate_first(
    client, planted, other_member_user, category
):
    draft = services.proposal_draft_create(user=other_member_user, category_id=category.pk, **DRAFT)
    client.force_login(other_member_user)
    html = client.get(
        reverse("proposals:similar", args=[draft.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    titles = _titles(html)
    assert titles[0] == PLANTED["title"]
    assert {d["title"] for d in DECOYS} <= set(titles)
    first = html[: html.index(PLANTED["title"])]
    assert re.search(r"相似度 \d{2,3}%", first)
    after = html[html.index(PLANTED["title"]) :]
    assert "市教育局（单办） · A类" in after
    assert planted.number_label in html
    assert "第十四届" in after and "已办复" in after
    # The edit page shows the same panel on load.
    page = client.get(reverse("proposals:edit", args=[draft.pk])).content.decode()
    assert _titles(page)[0] == PLANTED["title"]
    assert 'hx-trigger="draftSaved from:body' in page


def test_similar_panel_follows_the_autosaved_text(client, planted, other_member_user, category):
    draft = services.proposal_draft_create(user=other_member_user, category_id=category.pk)
    client.force_login(other_member_user)
    url = reverse("proposals:similar", args=[draft.pk])
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "填写案由和正文后" in html
    response = client.post(
        reverse("proposals:autosave", args=[draft.pk]),
        {**DRAFT, "category": category.pk},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Trigger"] == "draftSaved"
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert _titles(html)[0] == PLANTED["title"]


def test_panel_folds_identical_proposals_and_shows_drafting_hints(
    client, planted, build, other_member_user, category
):
    copies = [build.accepted(**PLANTED) for _ in range(4)]
    draft = services.proposal_draft_create(
        user=other_member_user,
        category_id=category.pk,
        title="无人机物流配送试点",  # not in the 关于……的建议 form
        grounds=DRAFT["grounds"] * 3,
        suggestions="试点。",  # far under a fifth of the text
    )
    client.force_login(other_member_user)
    html = client.get(
        reverse("proposals:similar", args=[draft.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert sum(PLANTED["title"] in t for t in _titles(html)) == 5  # the lead row + 4 folded
    assert html.count(f">{PLANTED['title']}<") == 1  # one row
    assert "另有 4 件内容相同" in html
    assert html.index("另有 4 件内容相同") > html.index(PLANTED["title"])
    assert all(c.number_label in html for c in copies)
    hints = html[html.index('id="drafting-hints"') : html.index('id="similar-title"')]
    assert 'data-hint="title_form"' in hints and "关于……的建议" in hints
    assert 'data-hint="balance"' in hints and "具体建议只占正文的" in hints
    assert "不影响保存和提交" in hints


def test_no_hints_panel_for_a_well_formed_draft_or_a_filed_proposal(
    client, planted, other_member_user, proposal_staff_user, category
):
    draft = services.proposal_draft_create(
        user=other_member_user, category_id=category.pk, **PLANTED
    )
    client.force_login(other_member_user)
    url = reverse("proposals:similar", args=[draft.pk])
    assert 'id="drafting-hints"' not in client.get(url).content.decode()
    client.force_login(proposal_staff_user)
    filed = client.get(reverse("proposals:similar", args=[planted.pk])).content.decode()
    assert 'id="drafting-hints"' not in filed and 'id="similar-title"' in filed
