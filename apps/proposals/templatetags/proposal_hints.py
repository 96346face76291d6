"""`{% proposal_drafting_hints proposal as hints %}`: the drafting hints of a draft's saved text
(apps.proposals.selectors.hints), for the panel beside the similar proposals. The panel is
rendered both with the edit page and on its own after each autosave, by views that do not
need to know about the hints."""

from __future__ import annotations

from django import template

from ..models import Proposal
from ..selectors.hints import DraftHint, proposal_drafting_hints

register = template.Library()


@register.simple_tag
def drafting_hints_of(proposal: Proposal) -> list[DraftHint]:
    return proposal_drafting_hints(proposal=proposal)
