"""The similar-proposals finder: a planted near-duplicate ranks first among many proposals, with
how it was handled; stored vectors only (the corpus is not re-segmented per request)."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.proposals import services, workflow
from apps.proposals.demo import THEMES, _text
from apps.proposals.models import Proposal
from apps.proposals.selectors import proposal_similar
from apps.proposals.selectors import similar as similar_module

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
# Decoys sharing part of the vocabulary: the planted one must still rank above them.
DECOYS = [
    {
        "title": "关于加快发展低空经济产业的建议",
        "grounds": (
            "低空经济是新质生产力的重要方向，我市通用航空产业基础薄弱，低空经济产业园建设滞后。"
        ),
        "suggestions": "一是出台低空经济产业扶持政策；二是建设通用机场；三是引进通用航空龙头企业。",
    },
    {
        "title": "关于完善农村快递物流配送体系的建议",
        "grounds": "偏远村庄快递末端配送成本高、时效差，乡镇快递网点经营困难，群众取件难。",
        "suggestions": "一是建设县乡村三级物流配送体系；二是推进快递进村；三是整合邮政和快递资源。",
    },
    {
        "title": "关于加强无人机飞行安全监管的建议",
        "grounds": "消费级无人机数量快速增长，黑飞现象时有发生，机场净空和重点区域安全存在隐患。",
        "suggestions": (
            "一是建立无人机实名登记制度；二是划定禁飞区；三是建设无人机飞行安全监管平台。"
        ),
    },
]
QUERY = {
    "title": "关于推进无人机物流配送试点发展低空经济的建议",
    "text": (
        "偏远山区村庄快递配送难、成本高，建议规划无人机起降点，简化无人机航线空域审批，"
        "在山区乡镇试点无人机物流配送，并加强无人机飞行安全监管。"
    ),
}


@pytest.fixture
def corpus(build, other_member_user, category):
    """55 accepted proposals over the demo themes, three decoys on neighbouring topics, and the
    planted one (assigned and replied)."""
    rng = random.Random(11)
    for index in range(55):
        text = _text(rng, THEMES[index % len(THEMES)])
        build.accepted(**text)
    for decoy in DECOYS:
        build.accepted(**decoy)
    planted = build.reply(build.assigned(**PLANTED))
    # Someone else's unfiled draft on the same topic: never shown to others.
    services.proposal_draft_create(user=other_member_user, category_id=category.pk, **PLANTED)
    return planted


def test_planted_near_duplicate_ranks_first_while_drafting(corpus, other_member_user, city):
    results = proposal_similar(user=other_member_user, committee=city, limit=5, **QUERY)
    assert results[0].proposal_id == corpus.pk
    assert 0.3 < results[0].score <= 1
    decoys = {d["title"] for d in DECOYS}
    assert decoys <= {r.title for r in results[1:]}  # found, but ranked below
    assert all(r.score <= results[0].score for r in results)
    first = results[0]
    assert first.number_label == corpus.number_label
    assert first.term_label == "第十四届"
    assert first.status == "replied" and first.status_label == "已办复"
    assert [(u.name, u.role) for u in first.units] == [("市教育局", "单办")]
    assert first.result_classes == ["A"]
    assert "市教育局（单办）" in first.handling_summary and "A类" in first.handling_summary
    assert Proposal.objects.filter(title=PLANTED["title"]).count() == 2  # the draft is hidden
    assert sum(1 for r in results if r.title == PLANTED["title"]) == 1


def test_planted_near_duplicate_ranks_first_while_reviewing(
    corpus, proposal_staff_user, city, build
):
    reviewed = build.submitted(title=QUERY["title"], grounds=QUERY["text"], suggestions="试点")
    results = proposal_similar(user=proposal_staff_user, committee=city, proposal=reviewed)
    assert results[0].proposal_id == corpus.pk
    assert reviewed.pk not in [r.proposal_id for r in results]


def test_sqlite_fallback_candidates(corpus, other_member_user, city, monkeypatch):
    monkeypatch.setattr(similar_module, "search_supported", lambda: False)
    results = proposal_similar(user=other_member_user, committee=city, **QUERY)
    assert results[0].proposal_id == corpus.pk


def test_corpus_is_not_resegmented(corpus, other_member_user, city, monkeypatch):
    import importlib

    keywords_module = importlib.import_module("apps.core.text.keywords")
    calls = []
    original = keywords_module.search_tokens
    monkeypatch.setattr(
        keywords_module, "search_tokens", lambda text: calls.append(text) or original(text)
    )
    proposal_similar(user=other_member_user, committee=city, **QUERY)
    assert len(calls) == 1  # the query text only


def test_fixed_number_of_queries(corpus, other_member_user, city):
    proposal_similar(user=other_member_user, committee=city, **QUERY)  # warm per-user caches
    with CaptureQueriesContext(connection) as few:
        proposal_similar(user=other_member_user, committee=city, limit=2, **QUERY)
    with CaptureQueriesContext(connection) as many:
        proposal_similar(user=other_member_user, committee=city, limit=20, **QUERY)
    assert len(few) == len(many) <= 6


def test_earlier_terms_are_included_later_ones_not(corpus, other_member_user, city, city_term):
    from tests.factories import TermFactory

    old = TermFactory(
        committee=city, number=13, is_current=False, start_date="2018-01-10", end_date="2023-01-09"
    )
    Proposal.objects.filter(pk=corpus.pk).update(term=old)
    results = proposal_similar(user=other_member_user, committee=city, **QUERY)
    assert results[0].proposal_id == corpus.pk and results[0].term_label == "第十三届"


def test_members_do_not_see_unaccepted_proposals_of_others(
    build, other_member_user, city, proposal_staff_user
):
    submitted = build.submitted(**PLANTED)
    assert proposal_similar(user=other_member_user, committee=city, **QUERY) == []  # not public
    results = proposal_similar(user=proposal_staff_user, committee=city, **QUERY)
    assert [r.proposal_id for r in results] == [submitted.pk]


def test_empty_query(other_member_user, city):
    assert proposal_similar(user=other_member_user, committee=city, text="的", title="") == []


def test_withdrawn_proposals_are_not_candidates(build, member_user, city):
    proposal = build.submitted(**PLANTED)
    workflow.proposal_withdraw(user=member_user, proposal_id=proposal.pk)
    assert proposal_similar(user=member_user, committee=city, **QUERY) == []


def test_reindex_command_rebuilds_vectors(build):
    from django.core.management import call_command

    proposal = build.accepted(**PLANTED)
    Proposal.objects.filter(pk=proposal.pk).update(keyword_vector={}, search_vector=None)
    call_command("proposals_reindex", verbosity=0)
    proposal.refresh_from_db()
    assert "无人机" in proposal.keyword_vector
    assert proposal.search_vector
