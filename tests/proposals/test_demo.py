"""The demo seeder builds proposals in every state through the real workflow, and is safe to run
twice."""

from __future__ import annotations

import pytest

from apps.core.models import AuditEvent
from apps.proposals.demo import seed_proposals
from apps.proposals.labels import AUDIT_VERB_LABELS
from apps.proposals.models import Evaluation, Proposal, ProposalStatus
from tests.factories import MemberFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(city, city_term, leader_user):
    from apps.sectors.models import Sector

    sector = Sector.objects.filter(committee=city).first()
    for index in range(8):
        user = UserFactory(username=f"demo{index}", committee=city)
        member = MemberFactory(committee=city, user=user)
        MembershipFactory(member=member, committee=city, term=city_term, sector=sector)


def test_seed_covers_every_state_and_is_idempotent(city, city_term, roster, roles_seeded):
    created = seed_proposals(committee=city, term=city_term, count=110, rng_seed=7)
    assert created == 110
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == set(ProposalStatus.values)
    assert Evaluation.objects.exists()
    numbers = list(Proposal.objects.exclude(number=None).values_list("number_series", "number"))
    assert len(numbers) == len(set(numbers))
    assert seed_proposals(committee=city, term=city_term, count=110, rng_seed=7) == 0
    assert Proposal.objects.count() == 110
    # Every audit verb the workflow wrote has a label for the audit log page.
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    proposal_verbs = {v for v in verbs if v.startswith(("proposal_", "assignment_"))}
    assert proposal_verbs <= set(AUDIT_VERB_LABELS)
