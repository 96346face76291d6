"""Counting text length the way a Chinese reader (and the 字数 of a word processor) counts it.

The rule: every character that is not whitespace counts as one — a Chinese character, a
punctuation mark (，。、“”), a Latin letter and a digit alike. Whitespace of any kind (spaces,
the full-width space U+3000, tabs, line breaks) and invisible format characters (zero-width
space and joiners, BOM) do not count. Text is NFC-normalised first, so a letter with a combining
accent counts once.
"""

from __future__ import annotations

import unicodedata

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def count_chars(text: str | None) -> int:
    """Length of `text` under the rule above; "关于 加强 托育。" counts 7."""
    if not text:
        return 0
    normalised = unicodedata.normalize("NFC", text)
    return sum(1 for ch in normalised if not ch.isspace() and ch not in _INVISIBLE)
