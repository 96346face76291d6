"""我的提案 after rating (issue 8): once the member has rated the answer, their lists say 已评价
— even while a co-signer may still rate and the proposal as a whole stays 已办复."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.proposals import workflow
from apps.proposals.models import ProposalStatus

pytestmark = pytest.mark.django_db


def _status_cell(page: str, title: str) -> str:
    row = page[page.index(title) :]
    row = row[: row.index("</tr>")]
    found = re.search(r'<span class="badge [^"]*fs-6">([^<]+)</span>', row)
    assert found, row
    return found.group(1)


@pytest.fixture
def replied_joint(build, cosigner_user):
    proposal = build.assigned(cosigners=[cosigner_user], title="关于完善社区托育服务体系的建议")
    return build.reply(proposal)


def _rate(user, proposal) -> None:
    workflow.proposal_rate(
        user=user, proposal_id=proposal.pk, process_rating="satisfied", result_rating="satisfied"
    )


def test_my_list_says_rated_once_i_rated(client, replied_joint, member_user, cosigner_user):
    client.force_login(member_user)
    mine = reverse("proposals:mine")
    assert _status_cell(client.get(mine).content.decode(), replied_joint.title) == "已办复"
    _rate(member_user, replied_joint)
    replied_joint.refresh_from_db()
    assert replied_joint.status == ProposalStatus.REPLIED  # the co-signer may still rate
    assert _status_cell(client.get(mine).content.decode(), replied_joint.title) == "已评价"
    # The co-signer has not rated: for them it still waits.
    client.force_login(cosigner_user)
    assert _status_cell(client.get(mine).content.decode(), replied_joint.title) == "已办复"
    _rate(cosigner_user, replied_joint)
    assert _status_cell(client.get(mine).content.decode(), replied_joint.title) == "已评价"


def test_the_home_card_says_rated_too(client, replied_joint, member_user):
    _rate(member_user, replied_joint)
    client.force_login(member_user)
    page = client.get("/").content.decode()
    card = page[page.index("最近的提案") :]
    item = card[card.index(replied_joint.title) :]
    item = item[: item.index("</li>")]
    assert "已评价" in item and "已办复" not in item


def test_the_list_keeps_a_fixed_number_of_queries(client, build, member_user):
    client.force_login(member_user)
    mine = reverse("proposals:mine")
    first = build.reply(build.assigned(title="关于第一件的建议"))
    _rate(member_user, first)
    client.get(mine)  # the first request also saves the session
    with CaptureQueriesContext(connection) as few:
        client.get(mine)
    for index in range(3):
        replied = build.reply(build.assigned(title=f"关于第{index}件又一件的建议"))
        _rate(member_user, replied)
    client.get(mine)
    with CaptureQueriesContext(connection) as many:
        page = client.get(mine).content.decode()
    assert page.count("已评价") >= 4
    assert len(many) == len(few)
