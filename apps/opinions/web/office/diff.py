"""A side-by-side comparison of two texts of a report, character by character — how a Chinese
reader sees an editor's changes (no spaces between words to split on). difflib over characters,
without its junk heuristic (common characters such as 的 must not be skipped)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from ...models import ReportVersion

FIELDS = (
    ("title", _("标题")),
    ("situation", _("基本情况")),
    ("analysis", _("问题分析")),
    ("suggestion", _("意见建议")),
)


@dataclass(frozen=True)
class Piece:
    kind: str  # "equal", "delete" (only on the left), "insert" (only on the right)
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    left: list[Piece]
    right: list[Piece]
    changed: bool
    deleted_chars: int
    inserted_chars: int


def text_diff(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """(left pieces, right pieces): the old text with its deletions marked, the new one with its
    insertions marked."""
    left: list[Piece] = []
    right: list[Piece] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(Piece("equal", old[i1:i2]))
            right.append(Piece("equal", new[j1:j2]))
            continue
        if i2 > i1:
            left.append(Piece("delete", old[i1:i2]))
        if j2 > j1:
            right.append(Piece("insert", new[j1:j2]))
    return left, right


def version_diff(older: ReportVersion, newer: ReportVersion) -> list[FieldDiff]:
    """Every text field of two versions, compared."""
    result = []
    for name, label in FIELDS:
        old, new = getattr(older, name) or "", getattr(newer, name) or ""
        if not old and not new:
            continue  # a part neither version has (问题分析 is optional)
        left, right = text_diff(old, new)
        result.append(
            FieldDiff(
                name=name,
                label=str(label),
                left=left,
                right=right,
                changed=old != new,
                deleted_chars=sum(len(p.text) for p in left if p.kind == "delete"),
                inserted_chars=sum(len(p.text) for p in right if p.kind == "insert"),
            )
        )
    return result
