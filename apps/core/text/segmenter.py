"""jieba, loaded lazily and once per process (thread-safe), with the 政协 user dictionary.

A private `jieba.Tokenizer` is used rather than jieba's global one, so no other code can change
our dictionary by accident. Loading takes about half a second (jieba caches its prefix dictionary
in the temp directory); afterwards segmentation only reads shared data and is thread-safe.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
USERDICT_PATH = HERE / "userdict.txt"
STOPWORDS_PATH = HERE / "stopwords.txt"

# Single characters that carry meaning on their own in proposals (水价, 用电, 房 …); every other
# single character (mostly particles and fragments) is dropped.
MEANINGFUL_SINGLE_CHARS = frozenset(
    "水电气热路桥医药粮油菜肉蛋奶米茶房车税费网林煤矿港河湖江海山田村镇街校园厕灯鱼猪牛羊碳氢铁钢"
)

# Frequency given to the synonym groups' words: high enough that jieba keeps a phrase whole.
_SYNONYM_FREQ = 20000

_lock = threading.Lock()
_tokenizer: Any = None


def _load_tokenizer() -> Any:
    global _tokenizer
    tokenizer = _tokenizer
    if tokenizer is not None:
        return tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            tokenizer.load_userdict(str(USERDICT_PATH))
            # The synonym groups' words stay whole (网络预约出租汽车, 未贯通道路), so they fold.
            from .synonyms import domain_words

            for word in domain_words():
                if len(word) > 1 and not tokenizer.FREQ.get(word):
                    tokenizer.add_word(word, freq=_SYNONYM_FREQ)
            _tokenizer = tokenizer
        return _tokenizer


@cache
def stop_words() -> frozenset[str]:
    """The stop-word list (stopwords.txt), lower-cased."""
    words: set[str] = set()
    for line in STOPWORDS_PATH.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            words.add(word)
    return frozenset(words)


def _normalise(text: str) -> str:
    # NFKC folds full-width Latin letters and digits (U+FF21 etc.) to their ASCII forms.
    return unicodedata.normalize("NFKC", text)


@cache
def _single_chars() -> frozenset[str]:
    """Single characters kept: the meaningful ones and those named in a synonym group (狗)."""
    from .synonyms import domain_words

    return MEANINGFUL_SINGLE_CHARS | frozenset(w for w in domain_words() if len(w) == 1)


def _keep(token: str, stops: frozenset[str]) -> str | None:
    word = token.strip().lower()
    if not word or not any(ch.isalnum() for ch in word):
        return None  # whitespace or punctuation
    if word in stops or word.isdigit():
        return None
    if len(word) == 1 and word not in _single_chars():
        return None
    return word


def tokenize(text: str | None) -> list[str]:
    """The words of `text` for matching and keywords, in order, repeats kept."""
    if not text:
        return []
    stops = stop_words()
    tokenizer = _load_tokenizer()
    result = []
    for token in tokenizer.cut(_normalise(text)):
        word = _keep(token, stops)
        if word is not None:
            result.append(word)
    return result


def search_tokens(text: str | None) -> list[str]:
    """Tokens in search granularity: long words also yield their dictionary sub-words, so a
    search for "汽车" finds "新能源汽车"."""
    if not text:
        return []
    stops = stop_words()
    tokenizer = _load_tokenizer()
    result = []
    for token in tokenizer.cut_for_search(_normalise(text)):
        word = _keep(token, stops)
        if word is not None:
            result.append(word)
    return result


def search_tokens_marked(text: str | None) -> list[tuple[str, bool]]:
    """`search_tokens(text)` with, for each token, whether it is a whole word (True) or a
    dictionary sub-word of a longer one (False: "汽车" inside "新能源汽车")."""
    if not text:
        return []
    stops = stop_words()
    tokenizer = _load_tokenizer()
    freq = tokenizer.FREQ
    result: list[tuple[str, bool]] = []
    for token in tokenizer.cut(_normalise(text)):
        if len(token) > 2:
            for size in (2, 3) if len(token) > 3 else (2,):
                for i in range(len(token) - size + 1):
                    gram = token[i : i + size]
                    if freq.get(gram):
                        sub = _keep(gram, stops)
                        if sub is not None:
                            result.append((sub, False))
        word = _keep(token, stops)
        if word is not None:
            result.append((word, True))
    return result


def search_text(text: str | None) -> str:
    """Space-joined search tokens, ready for ``to_tsvector('simple', …)``."""
    return " ".join(search_tokens(text))
