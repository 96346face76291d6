"""Submitting (issue 8): the draft is checked first; the confirmation (提交后不能再修改…) comes
only when the submission can succeed, and nothing is submitted before it is confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.proposals.models import Proposal, ProposalStatus

from .conftest import db_state, new_audit_verbs

pytestmark = pytest.mark.django_db

WARNING = "提交后不能再修改"


def _form(proposal: Proposal, **changes: str) -> dict[str, str]:
    data = {
        "title": proposal.title,
        "grounds": proposal.grounds,
        "suggestions": proposal.suggestions,
        "category": str(proposal.category_id or ""),
    }
    data.update(changes)
    return data


def test_the_submit_button_asks_nothing_before_the_check(client, build, member_user):
    proposal = build.draft(grounds="")
    client.force_login(member_user)
    page = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    button = page[page.index('value="submit"') - 120 : page.index('value="submit"') + 200]
    assert "data-confirm" not in button
    assert WARNING not in page


def test_an_incomplete_draft_shows_what_is_missing_and_no_confirmation(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _form(proposal, suggestions="  ", action="submit"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "具体建议" in page
    assert WARNING not in page and 'id="confirm-submit"' not in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_a_complete_draft_is_saved_checked_and_confirmed_before_it_is_submitted(
    client, build, member_user
):
    proposal = build.draft()
    client.force_login(member_user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        _form(proposal, title="关于完善社区托育服务体系的建议", action="submit"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    confirm = page[page.index('id="confirm-submit"') :]
    confirm = confirm[: confirm.index("</section>")]
    assert "检查通过" in confirm and WARNING in confirm
    assert f'action="{reverse("proposals:submit", args=[proposal.pk])}"' in confirm
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT  # nothing submitted yet
    assert proposal.title == "关于完善社区托育服务体系的建议"  # but the text is saved
    response = client.post(reverse("proposals:submit", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_checking_writes_no_submission_event(client, build, member_user):
    proposal = build.draft()
    client.force_login(member_user)
    before = db_state()
    client.post(reverse("proposals:edit", args=[proposal.pk]), _form(proposal, action="submit"))
    assert not [verb for verb in new_audit_verbs(before) if "submit" in verb]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT and proposal.submitted_at is None


def test_the_detail_page_confirms_only_a_draft_that_can_be_submitted(client, build, member_user):
    incomplete = build.draft(suggestions="")
    complete = build.draft(title="关于加强校园周边交通安全的建议")
    client.force_login(member_user)
    page = client.get(reverse("proposals:detail", args=[incomplete.pk])).content.decode()
    assert WARNING not in page and "暂不能提交" in page
    page = client.get(reverse("proposals:detail", args=[complete.pk])).content.decode()
    assert f'data-confirm="{WARNING}' in page
