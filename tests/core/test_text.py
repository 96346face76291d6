"""apps.core.text: jieba wrapped once with the 政协 dictionary, stop words, keywords, vectors."""

from __future__ import annotations

import math
import threading

import pytest

from apps.core.text import (
    cosine,
    count_chars,
    keyword_vector,
    keywords,
    l2_normalise,
    search_text,
    search_tokens,
    segmenter,
    tokenize,
)


def test_domain_terms_stay_whole():
    tokens = tokenize("关于优化营商环境、发展新能源汽车和普惠托育的提案")
    assert "营商环境" in tokens
    assert "新能源汽车" in tokens
    assert "普惠托育" in tokens
    assert {"普惠托育", "托育"} <= set(search_tokens("普惠托育"))


def test_stop_words_punctuation_and_numbers_are_dropped():
    tokens = tokenize("关于进一步加强2026年全市养老服务工作的建议！！")
    assert "养老服务" in tokens
    for dropped in ("关于", "进一步", "加强", "的", "建议", "！", "2026", "全市", "工作"):
        assert dropped not in tokens


def test_single_characters_dropped_unless_meaningful():
    tokens = tokenize("水价和电价上涨，群众用水难")
    assert "水" in tokens or "水价" in tokens
    assert "和" not in tokens


def test_lowercase_and_full_width_latin():
    assert "gdp" in tokenize("ＧＤＰ增速")
    assert "5g" in tokenize("加快5G基站建设")


def test_search_tokens_include_sub_words():
    tokens = search_tokens("新能源汽车充电桩建设")
    assert {"新能源汽车", "新能源", "汽车", "充电桩"} <= set(tokens)
    assert search_text("新能源汽车") == " ".join(search_tokens("新能源汽车"))


def test_empty_text():
    assert tokenize("") == [] and tokenize(None) == []
    assert keywords("") == []
    assert keyword_vector("，。") == {}
    assert search_text("") == ""


def test_keywords_rank_specific_terms_first():
    text = "老旧小区加装电梯。老旧小区加装电梯难，居民出资难，审批难。"
    top = [word for word, _weight in keywords(text, k=3)]
    assert "加装电梯" in top or "电梯" in top
    assert len(keywords(text, k=2)) == 2


def test_keywords_accept_corpus_idf():
    scores = dict(keywords("托育 养老", idf={"托育": 10.0, "养老": 1.0}))
    assert scores["托育"] > scores["养老"]


def test_keyword_vector_is_unit_length():
    vector = keyword_vector("关于加快发展社区居家养老服务的建议，医养结合，养老机构")
    assert vector
    assert math.isclose(math.sqrt(sum(w * w for w in vector.values())), 1.0, abs_tol=1e-4)


def test_cosine():
    a = {"养老": 0.8, "托育": 0.6}
    assert cosine(a, a) == pytest.approx(1.0)
    assert cosine(a, {"交通": 1.0}) == 0.0
    assert cosine(a, {}) == 0.0 and cosine(None, a) == 0.0
    assert 0 < cosine(a, {"养老": 1.0}) < 1
    assert l2_normalise({"a": 3.0, "b": 4.0}) == {"a": 0.6, "b": 0.8}


def test_similar_texts_score_higher_than_unrelated():
    base = keyword_vector("关于加快发展社区居家养老服务的建议。社区养老服务设施不足，护理员短缺。")
    near = keyword_vector(
        "关于进一步发展居家社区养老服务的建议。养老服务设施覆盖不足，养老护理员短缺。"
    )
    far = keyword_vector("关于缓解城区交通拥堵的建议。早晚高峰主干道拥堵，停车难。")
    assert cosine(base, near) > 0.5 > cosine(base, far)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("关于 加强 托育。", 7),
        ("一二三\n四五\t六\u3000七", 7),
        ("GDP增长5%", 7),
        ("零宽\u200b字符", 4),
        ("（一）“托育”", 7),
    ],
)
def test_count_chars_counts_as_a_chinese_reader(text, expected):
    assert count_chars(text) == expected


def test_jieba_loads_once_across_threads(monkeypatch):
    monkeypatch.setattr(segmenter, "_tokenizer", None)
    results: list[list[str]] = []

    def run():
        results.append(tokenize("乡村振兴与数字经济"))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == results[0] for result in results)
    assert "乡村振兴" in results[0] and "数字经济" in results[0]


def test_gin_index_is_skipped_off_postgresql():
    from types import SimpleNamespace

    from apps.core.text.search import TokenGinIndex
    from apps.proposals.models import Proposal

    index = TokenGinIndex(fields=["search_vector"], name="x_gin")
    editor = SimpleNamespace(connection=SimpleNamespace(vendor="sqlite"))
    assert index.create_sql(Proposal, editor) == ""
    assert index.remove_sql(Proposal, editor) == ""
