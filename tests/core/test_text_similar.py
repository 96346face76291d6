"""The one similar-text engine (apps.core.text): synonym groups folded, the title weighted,
document frequencies of the caller's own corpus kept as rows, candidates chosen by how specific
a term is, near-identical texts grouped."""

from __future__ import annotations

import math

import pytest

from apps.core.text import synonyms
from apps.core.text.corpus import (
    CorpusTerm,
    corpus_add,
    corpus_idf,
    corpus_rebuild,
    corpus_remove,
)
from apps.core.text.keywords import cosine
from apps.core.text.segmenter import search_tokens_marked
from apps.core.text.similar import Match, candidate_terms, group_near_identical, rank
from apps.core.text.vectors import FRAGMENT_WEIGHT, TITLE_WEIGHT, Idf, analyse, vector_of, weigh


@pytest.fixture
def all_sources():
    yield
    synonyms.use_sources(cilin=True, domain=True)


# ---------------------------------------------------------------------------------------------
# Synonyms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("共享单车", "互联网租赁自行车"),
        ("空巢老人", "独居老人"),
        ("断头路", "未贯通道路"),
        ("网约车", "网络预约出租汽车"),
    ],
)
def test_the_issue_s_pairs_fold_to_one_term(a, b):
    assert synonyms.canonical(a) == synonyms.canonical(b)


def test_cilin_folds_general_synonyms_and_leaves_ambiguous_words():
    """词林's "=" groups: 土豆 and 马铃薯, 电脑 and 计算机 are one term; a word of several senses
    is not folded, nor does a 词林 group join a domain group."""
    assert synonyms.canonical("土豆") == synonyms.canonical("马铃薯")
    assert synonyms.canonical("电脑") == synonyms.canonical("计算机")
    groups = synonyms.cilin_groups()
    assert len(groups) > 5000  # the extended edition, not a handful of hand-made lines
    senses: dict[str, int] = {}
    for group in groups:
        for word in group:
            senses[word] = senses.get(word, 0) + 1
    ambiguous = next(w for w, n in senses.items() if n > 1 and w not in synonyms.domain_words())
    assert synonyms.canonical(ambiguous) == ambiguous


def test_folding_is_idempotent():
    table = synonyms.table()
    assert all(table.get(name, name) == name for name in set(table.values()))


def test_sources_can_be_switched_off(all_sources):
    synonyms.use_sources(cilin=False, domain=True)
    assert synonyms.canonical("土豆") == "土豆"
    assert synonyms.canonical("独居老人") == "空巢老人"
    synonyms.use_sources(cilin=True, domain=False)
    assert synonyms.canonical("独居老人") != "空巢老人"
    assert synonyms.canonical("土豆") == synonyms.canonical("马铃薯")


def test_domain_phrases_stay_whole_for_folding():
    marked = search_tokens_marked("关于规范网络预约出租汽车经营服务的建议")
    assert ("网络预约出租汽车", True) in marked
    assert ("汽车", False) in marked  # a sub-word, kept for search, lightly weighted


# ---------------------------------------------------------------------------------------------
# Vectors


def test_title_words_weigh_more_and_sub_words_less():
    analysis = analyse(title="关于加强网约车监管的建议", body="网约车。")
    name = synonyms.canonical("网约车")
    assert analysis.features[name] == TITLE_WEIGHT + 1
    body_only = analyse(title="", body="新能源汽车")
    assert body_only.features["汽车"] == FRAGMENT_WEIGHT
    assert "汽车" in body_only.body_lexemes


def test_lexemes_carry_the_written_word_and_its_group_name():
    analysis = analyse(title="关于加强互联网租赁自行车管理的建议", body="")
    assert {"互联网租赁自行车", "共享单车"} <= set(analysis.title_lexemes)
    assert "共享单车" in analysis.terms


def _bike_texts() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    idf = Idf(documents=10)
    a = vector_of(
        title="关于规范共享单车停放的建议", body="共享单车乱停乱放，挤占人行道。", idf=idf
    )
    b = vector_of(
        title="关于加强互联网租赁自行车管理的建议", body="互联网租赁自行车停放无序。", idf=idf
    )
    c = vector_of(title="关于治理货车超限超载的建议", body="货车超限超载压坏道路。", idf=idf)
    return a, b, c


def test_synonymous_texts_are_close_unrelated_far(all_sources):
    a, b, c = _bike_texts()
    assert cosine(a, b) > 0.4 > 0.1 > cosine(a, c)
    synonyms.use_sources(cilin=False, domain=False)
    plain_a, plain_b, _c = _bike_texts()
    assert cosine(plain_a, plain_b) < cosine(a, b) / 2  # the folding is what brings them close


def test_corpus_frequencies_weigh_terms():
    """A term every document of the corpus holds weighs less than a rare one."""
    idf = Idf(documents=100, df={"建议": 100, "无人机": 1})
    vector = weigh({"建议": 1.0, "无人机": 1.0}, idf)
    assert vector["无人机"] > vector["建议"]
    assert math.isclose(math.sqrt(sum(w * w for w in vector.values())), 1.0, abs_tol=1e-5)
    assert idf("没见过") > idf("无人机") > idf("建议") >= 1.0


# ---------------------------------------------------------------------------------------------
# Candidates, ranking, grouping


def test_candidate_terms_skip_terms_too_common_for_the_budget():
    idf = Idf(documents=50000, df={"小区": 30000, "机制": 20000, "加装电梯": 300, "连廊": 5})
    vector = {"小区": 0.6, "机制": 0.5, "加装电梯": 0.4, "连廊": 0.3}
    assert candidate_terms(vector, idf, budget=4000) == ["加装电梯", "连廊"]
    assert candidate_terms({"小区": 1.0, "机制": 0.5}, idf, budget=100) == ["机制"]  # rarest


def test_rank_and_group_near_identical():
    query = {"a": 0.8, "b": 0.6}
    rows = [
        (1, {"a": 0.8, "b": 0.6}),
        (2, {"a": 0.8, "b": 0.6}),  # the same text filed again
        (3, {"a": 0.6, "c": 0.8}),
        (4, {"z": 1.0}),
    ]
    matches = rank(query, rows, min_score=0.05, limit=10)
    assert [m.pk for m in matches] == [2, 1, 3]  # ties: the newer first; 4 below the floor
    groups = group_near_identical(matches)
    assert [(g.lead.pk, [m.pk for m in g.same]) for g in groups] == [(2, [1]), (3, [])]
    assert group_near_identical([Match(5, 0.9, {"a": 1.0})])[0].same == []


# ---------------------------------------------------------------------------------------------
# The corpus statistics


@pytest.mark.django_db
def test_corpus_counts_follow_filing_and_withdrawal():
    corpus_add("t:1", ["无人机", "物流", "无人机"])
    corpus_add("t:1", ["无人机"])
    corpus_add("t:2", ["物流"])
    idf = corpus_idf("t:1", ["无人机", "物流", "托育"])
    assert idf.documents == 2
    assert dict(idf.df) == {"无人机": 2, "物流": 1}
    corpus_remove("t:1", ["无人机", "物流"])
    idf = corpus_idf("t:1", ["无人机", "物流"])
    assert (idf.documents, idf.frequency("无人机"), idf.frequency("物流")) == (1, 1, 0)
    assert corpus_idf("t:2", ["物流"]).frequency("物流") == 1  # another corpus untouched


@pytest.mark.django_db
def test_corpus_rebuild_replaces_the_counts():
    corpus_add("t:3", ["旧词"])
    idf = corpus_rebuild("t:3", [["托育", "普惠"], ["托育"]])
    assert idf.documents == 2 and idf.frequency("托育") == 2
    rows = dict(CorpusTerm.objects.filter(scope="t:3").values_list("term", "df"))
    assert rows == {"": 2, "托育": 2, "普惠": 1}
