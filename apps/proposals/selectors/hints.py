"""Drafting hints shown beside the similar-proposals panel: advice, never a rule — nothing here
blocks saving or submitting (the submission's own checks are in workflow.guards).

- 案由 in the 关于……的建议 form;
- 一事一案: the text may raise more than one matter (apps.core.text.matters);
- the balance of 情况与分析 and 具体建议 (the suggestions under a fifth of the text, or the
  analysis missing);
- the length against the committee's limits (over, or close to, the limit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.text.counting import count_chars
from apps.core.text.matters import other_matters

from ..models import Proposal
from .config import proposal_settings_for
from .similar import proposal_idf

TITLE_FORM = re.compile(r"^关于.+的(建议|提案)$")
SUGGESTIONS_MIN_SHARE = 0.2
GROUNDS_MIN_SHARE = 0.2
BALANCE_FROM = 200  # characters written before the balance is judged
NEAR_LIMIT = 0.9


@dataclass(frozen=True)
class DraftHint:
    code: str  # title_form / one_matter / balance / length
    message: str


def drafting_hints(
    *,
    committee_id: int,
    title: str,
    grounds: str,
    suggestions: str,
    proposal: Proposal | None = None,
) -> list[DraftHint]:
    """The hints for a draft's text (see the module docstring), in the order of the form."""
    settings = proposal_settings_for(proposal.committee if proposal is not None else committee_id)
    hints: list[DraftHint] = []
    title = (title or "").strip()
    if title and not TITLE_FORM.match(title):
        hints.append(
            DraftHint(
                "title_form",
                _("案由一般写成“关于……的建议”，如“关于加强农村留守儿童关爱保护的建议”。"),
            )
        )
    if title and count_chars(title) > settings.title_max_chars:
        hints.append(
            DraftHint(
                "length",
                _("案由有 %(n)d 字，超过 %(max)d 字的上限，请精简。")
                % {"n": count_chars(title), "max": settings.title_max_chars},
            )
        )
    matters = other_matters(
        title=title,
        grounds=grounds or "",
        suggestions=suggestions or "",
        idf_for=lambda terms: proposal_idf(committee_id, terms),
    )
    if matters:
        hints.append(
            DraftHint(
                "one_matter",
                _(
                    "一事一案：正文中“%(excerpt)s”等内容似乎与案由不是同一件事。"
                    "如是另一事项，建议另行提出一件提案。"
                )
                % {"excerpt": matters[0].excerpt},
            )
        )
    grounds_chars, suggestions_chars = count_chars(grounds or ""), count_chars(suggestions or "")
    body = grounds_chars + suggestions_chars
    if body >= BALANCE_FROM:
        if suggestions_chars < body * SUGGESTIONS_MIN_SHARE:
            hints.append(
                DraftHint(
                    "balance",
                    _(
                        "具体建议只占正文的 %(share)d%%：提案重在建议，"
                        "建议写明由谁、做什么、怎么做。"
                    )
                    % {"share": round(100 * suggestions_chars / body)},
                )
            )
        elif grounds_chars < body * GROUNDS_MIN_SHARE:
            hints.append(
                DraftHint(
                    "balance",
                    _("情况与分析只占正文的 %(share)d%%：建议补充现状、问题和原因，让建议有依据。")
                    % {"share": round(100 * grounds_chars / body)},
                )
            )
    limit = settings.body_max_chars
    if body > limit:
        hints.append(
            DraftHint(
                "length",
                _("正文有 %(n)d 字，超过本会 %(max)d 字的上限；更多材料可作为附件上传。")
                % {"n": body, "max": limit},
            )
        )
    elif body >= limit * NEAR_LIMIT:
        hints.append(
            DraftHint(
                "length",
                _("正文已写 %(n)d 字，接近本会 %(max)d 字的上限。") % {"n": body, "max": limit},
            )
        )
    return hints


def proposal_drafting_hints(*, proposal: Proposal) -> list[DraftHint]:
    """`drafting_hints` of a proposal's saved text."""
    return drafting_hints(
        committee_id=proposal.committee_id,
        title=proposal.title,
        grounds=proposal.grounds,
        suggestions=proposal.suggestions,
        proposal=proposal,
    )
