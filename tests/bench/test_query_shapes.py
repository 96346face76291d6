"""Issue 9 fixes of the proposals' query shapes, checked for correctness (speed is bench/run's):
「我的提案」 as a UNION of indexed lookups, visibility as a direct predicate, the list index, and
lists that leave the long texts out while the detail page loads them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.proposals import services
from apps.proposals.models import Proposal
from apps.proposals.selectors import proposal_get_for_user, proposal_list_mine
from apps.proposals.selectors.office import OfficeListFilter, proposal_office_list
from apps.proposals.selectors.visibility import (
    LIST_DEFERRED,
    authored_q,
    cosigned_q,
    proposal_queryset_visible_to,
)
from tests.proposals.conftest import Builder, membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(build, member_user, cosigner_user, other_member_user, leader_user, proposal_staff_user):
    """Proposals touching 李红梅 (member_user) in every way "mine" reads, and some that do not."""
    other = Builder(
        member=other_member_user,
        office=build.office,
        unit=build.unit,
        category=build.category,
        unit_id=build.unit_id,
    )
    leader = Builder(
        member=leader_user,
        office=build.office,
        unit=build.unit,
        category=build.category,
        unit_id=build.unit_id,
    )
    rows = {
        "own draft": build.draft(title="关于本人草稿的建议"),
        "own submitted": build.submitted(title="关于本人已提交的建议"),
        "own assigned": build.assigned(title="关于本人已交办的建议"),
        "others draft": other.draft(title="关于他人草稿的建议"),
        "others accepted": other.accepted(title="关于他人已立案的建议"),
        "others submitted": other.submitted(title="关于他人已提交的建议"),
        "leader draft": leader.draft(title="关于领导草稿的建议"),
        "invited": other.draft(title="关于邀请附议的建议"),
        "declined": other.draft(title="关于谢绝附议的建议"),
        "filed for her": other.draft(title="关于代为填报的建议"),
        "filed by her": build.draft(title="关于她代他人填报的建议"),
    }
    mine = membership_of(member_user)
    for name in ("invited", "declined"):
        services.cosigners_invite(
            user=other_member_user, proposal_id=rows[name].pk, membership_ids=[mine.pk]
        )
    declined = rows["declined"].cosigners.get(membership=mine)
    services.cosigner_decline(user=member_user, cosigner_id=declined.pk)
    # first proposer without having filed it, and filed without being its first proposer
    Proposal.objects.filter(pk=rows["filed for her"].pk).update(first_proposer=mine)
    Proposal.objects.filter(pk=rows["filed by her"].pk).update(
        first_proposer=membership_of(other_member_user)
    )
    return {name: p.pk for name, p in rows.items()}


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_mine_is_what_she_authored_and_co_signs(cast, member_user):
    expected = {
        cast[n]
        for n in (
            "own draft",
            "own submitted",
            "own assigned",
            "invited",
            "filed for her",
            "filed by her",
        )
    }
    assert _ids(proposal_list_mine(user=member_user)) == expected
    assert _ids(proposal_list_mine(user=member_user, include_cosigned=False)) == expected - {
        cast["invited"]
    }
    # the same rows as the OR across joins it replaces
    old = Proposal.objects.filter(authored_q(member_user) | cosigned_q(member_user))
    assert _ids(proposal_list_mine(user=member_user)) == _ids(old)


def test_mine_reads_the_ids_in_one_union_then_the_rows_by_key(cast, member_user):
    with CaptureQueriesContext(connection) as queries:
        rows = list(proposal_list_mine(user=member_user).filter(status="draft"))
    assert {p.pk for p in rows} == {
        cast[n] for n in ("own draft", "invited", "filed for her", "filed by her")
    }
    ids_sql = queries[0]["sql"]
    list_sql = next(
        q["sql"] for q in queries if 'ORDER BY "proposals_proposal"."updated_at"' in q["sql"]
    )
    assert ids_sql.count(" UNION ") == 2 and " OR " not in ids_sql
    assert " OR " not in list_sql and "EXISTS" not in list_sql


VISIBLE = {
    # persona: the cast rows it sees
    "proposal_staff_user": {
        "own submitted",
        "own assigned",
        "others accepted",
        "others submitted",
    },
    "leader_user": {
        "own submitted",
        "own assigned",
        "others accepted",
        "others submitted",
        "leader draft",
    },
    "member_user": {
        "own draft",
        "own submitted",
        "own assigned",
        "others accepted",
        "invited",
        "filed for her",
        "filed by her",
    },
    "unit_user": {"own assigned"},
}


@pytest.mark.parametrize(("persona", "names"), list(VISIBLE.items()))
def test_visibility_is_a_direct_predicate_with_the_same_rows(request, cast, persona, names):
    user = request.getfixturevalue(persona)
    assert _ids(proposal_queryset_visible_to(user)) == {cast[n] for n in names}
    sql = str(proposal_queryset_visible_to(user).query)
    assert "EXISTS" not in sql  # personal and unit parts are `id IN (…)`, not correlated


def test_lists_defer_the_long_texts_and_the_detail_loads_them(cast, proposal_staff_user):
    rows = list(proposal_office_list(user=proposal_staff_user, filters=OfficeListFilter()))
    assert rows
    for row in rows:
        assert {"grounds", "suggestions", "search_vector"} <= row.get_deferred_fields()
        assert set(LIST_DEFERRED) <= row.get_deferred_fields()
    proposal = proposal_get_for_user(user=proposal_staff_user, proposal_id=cast["own assigned"])
    with CaptureQueriesContext(connection) as queries:
        texts = (proposal.title, proposal.grounds, proposal.suggestions, proposal.review_note)
    assert len(queries) == 0
    assert texts[1].startswith("近年来我市婴幼儿照护需求快速增长")


def test_the_list_order_index_exists():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "proposals_proposal")
    index = constraints["proposal_list_order"]
    assert index["index"] and not index["unique"]
    assert index["columns"] == ["committee_id", "term_id", "submitted_at", "id"]
    assert index["orders"] == ["ASC", "ASC", "DESC", "DESC"]


def test_personal_part_ignores_other_committees_rows(cast, member_user, district_member_user):
    # the district member has nothing in the city: mine and visibility stay empty for them
    assert _ids(proposal_list_mine(user=district_member_user)) == set()
    assert _ids(proposal_queryset_visible_to(district_member_user)) == set()
