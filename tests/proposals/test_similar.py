"""The similar-proposals finder: a planted near-duplicate ranks first among many proposals, with
how it was handled; stored vectors only (the corpus is not re-segmented per request)."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.text import similar as engine
from apps.core.text import vectors
from apps.core.text.corpus import CorpusTerm
from apps.proposals import services, workflow
from apps.proposals.demo import THEMES, _text
from apps.proposals.models import Proposal
from apps.proposals.selectors import proposal_similar, proposal_unit_suggestions
from apps.proposals.selectors.similar import proposal_corpus_scope

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
    monkeypatch.setattr(engine, "search_supported", lambda: False)
    results = proposal_similar(user=other_member_user, committee=city, **QUERY)
    assert results[0].proposal_id == corpus.pk


def test_corpus_is_not_resegmented(corpus, other_member_user, city, monkeypatch):
    calls = []
    original = vectors.search_tokens_marked
    monkeypatch.setattr(
        vectors, "search_tokens_marked", lambda text: calls.append(text) or original(text)
    )
    proposal_similar(user=other_member_user, committee=city, **QUERY)
    assert calls == [QUERY["title"], QUERY["text"]]  # the query's title and text only


def test_fixed_number_of_queries(corpus, other_member_user, city, build, health_unit):
    """More similar proposals, handled by more units with more replies, cost no more queries."""
    proposal_similar(user=other_member_user, committee=city, **QUERY)  # warm per-user caches
    with CaptureQueriesContext(connection) as few:
        few_rows = proposal_similar(user=other_member_user, committee=city, limit=50, **QUERY)
    for index in range(3):  # similar, not near-identical (those would fold into one row)
        variant = {
            "title": f"{PLANTED['title']}（{index + 1}）",
            "grounds": DECOYS[index]["grounds"],
            "suggestions": DECOYS[index]["suggestions"],
        }
        build.reply(
            build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")], **variant)
        )
    with CaptureQueriesContext(connection) as many:
        many_rows = proposal_similar(user=other_member_user, committee=city, limit=50, **QUERY)
    assert len(many_rows) == len(few_rows) + 3
    assert sum(len(row.units) for row in many_rows) == sum(len(row.units) for row in few_rows) + 6
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


# ---------------------------------------------------------------------------------------------
# The committee's corpus, synonyms, near-identical rows, 智能交办

BIKE_A = {
    "title": "关于规范共享单车停放秩序的建议",
    "grounds": "地铁口、商圈周边共享单车乱停乱放、堆积如山，挤占人行道和盲道。",
    "suggestions": "一是实行共享单车投放总量控制；二是在轨道交通站点周边施划电子围栏停放区。",
}
BIKE_B = {
    "title": "关于加强互联网租赁自行车管理的建议",
    "text": "互联网租赁自行车停放无序，早晚高峰地铁站出入口车辆扎堆，占用步行空间。"
    "建议按考核结果调整运营企业的车辆配额，推广入栏结算，规范停车点位。",
}


def _corpus_counts(city) -> dict[str, int]:
    return dict(
        CorpusTerm.objects.filter(scope=proposal_corpus_scope(city.pk)).values_list("term", "df")
    )


def test_corpus_frequencies_follow_filing_and_withdrawal(build, member_user, city):
    draft = build.draft(**PLANTED)
    assert _corpus_counts(city) == {}  # a draft is not in the corpus
    workflow.proposal_submit(user=member_user, proposal_id=draft.pk)
    counts = _corpus_counts(city)
    assert counts[""] == 1 and counts["无人机"] == 1
    build.accepted(**DECOYS[2])  # 无人机 again, in another proposal
    assert _corpus_counts(city)["无人机"] == 2
    workflow.proposal_withdraw(user=member_user, proposal_id=draft.pk)
    counts = _corpus_counts(city)
    assert counts[""] == 1 and counts["无人机"] == 1 and counts["物流"] == 0


def test_the_same_matter_in_other_words_ranks_first(build, other_member_user, city):
    """共享单车 and 互联网租赁自行车 are one matter: found first, above proposals sharing words."""
    rng = random.Random(5)
    for index in range(20):
        build.accepted(**_text(rng, THEMES[index % len(THEMES)]))
    bike = build.accepted(**BIKE_A)
    build.accepted(  # shares 停放 / 车辆 / 停车 but is about cars
        title="关于规范共享汽车分时租赁发展的建议",
        grounds="共享汽车分时租赁网点少，车辆停放占用公共停车位，押金退还慢。",
        suggestions="一是合理规划分时租赁汽车专用停车位；二是规范押金管理。",
    )
    results = proposal_similar(user=other_member_user, committee=city, limit=3, **BIKE_B)
    assert results[0].proposal_id == bike.pk


def test_near_identical_proposals_fold_into_one_row(build, other_member_user, city):
    copies = [build.accepted(**PLANTED) for _ in range(5)]
    other = build.accepted(**DECOYS[2])
    results = proposal_similar(user=other_member_user, committee=city, **QUERY)
    ids = [r.proposal_id for r in results]
    assert ids[0] == copies[-1].pk  # the newest of the copies leads
    assert sorted(s.proposal_id for s in results[0].same) == sorted(c.pk for c in copies[:-1])
    assert other.pk in ids and not any(c.pk in ids for c in copies[:-1])


def test_unit_suggestions_follow_how_similar_proposals_were_assigned(
    build, proposal_staff_user, city, health_unit
):
    rng = random.Random(3)
    for _ in range(3):  # similar proposals, answered by 市教育局 (the builder's unit)
        build.assigned(**{**PLANTED, "title": PLANTED["title"] + str(rng.random())[:4]})
    build.assigned(plan=[(health_unit.pk, "sole")], **DECOYS[0])  # unrelated: 市卫健委
    new = build.submitted(title=QUERY["title"], grounds=QUERY["text"], suggestions="开展试点。")
    suggestions = proposal_unit_suggestions(user=proposal_staff_user, proposal=new)
    assert suggestions[0].name == "市教育局" and suggestions[0].unit_id == build.unit_id
    assert suggestions[0].count == 3 and suggestions[0].lead_count == 3
    assert suggestions[0].reason == "相似的 3 件提案由市教育局主办"
    assert suggestions[0].example_title.startswith(PLANTED["title"])
    assert all(s.unit_id != health_unit.pk for s in suggestions[:1])
    unrelated = build.submitted(title="关于城区道路积水治理的建议", grounds="暴雨积水。")
    assert proposal_unit_suggestions(user=proposal_staff_user, proposal=unrelated) == []


def test_unit_suggestions_fixed_number_of_queries(build, proposal_staff_user, city, health_unit):
    build.assigned(**PLANTED)
    new = build.submitted(title=QUERY["title"], grounds=QUERY["text"], suggestions="开展试点。")
    proposal_unit_suggestions(user=proposal_staff_user, proposal=new)
    with CaptureQueriesContext(connection) as few:
        proposal_unit_suggestions(user=proposal_staff_user, proposal=new)
    for index in range(3):
        build.assigned(
            plan=[(build.unit_id, "lead"), (health_unit.pk, "co")],
            **{**PLANTED, "title": f"{PLANTED['title']}（{index}）"},
        )
    with CaptureQueriesContext(connection) as many:
        assert proposal_unit_suggestions(user=proposal_staff_user, proposal=new)[0].count == 4
    assert len(few) == len(many)


def test_similar_eval_command_reaches_the_targets_and_leaves_nothing(build):
    from io import StringIO

    from django.core.management import call_command

    before = Proposal.objects.count()
    out = StringIO()
    call_command("similar_eval", large=0, demo=40, stdout=out)
    text = out.getvalue()
    alone = next(line for line in text.splitlines() if line.startswith("alone"))
    recall1, recall3 = (float(cell.rstrip("%")) for cell in alone.split()[2:4])
    assert recall1 >= 95.0 and recall3 == 100.0
    assert "智能交办 top-3 accuracy" in text
    assert (
        Proposal.objects.count() == before
        and not CorpusTerm.objects.filter(scope__startswith="proposals:")
        .exclude(scope=proposal_corpus_scope(build.category.committee_id))
        .exists()
    )
