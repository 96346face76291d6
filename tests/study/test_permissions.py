"""The permission matrix over the pages: invited member, uninvited member, 委员联络处 of the
committee, staff of another committee, anonymous. An allowed cell proves the effect (a row
written, a state changed, an audit event); a denied cell proves nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.study import services
from apps.study.models import Compilation, RequestStatus, Submission

pytestmark = pytest.mark.django_db

PERSONAS = ("invited", "uninvited", "staff", "other_staff", "anonymous")


@dataclass
class World:
    request: Any
    submission: Any  # a submitted text by the invited member, on an own request
    open_request: Any  # a request the invited member has not written for yet
    compilation: Any
    users: dict[str, Any]


@pytest.fixture
def world(
    build,
    member_user,
    other_member_user,
    standing_user,
    liaison_user,
    district_office,
    district_member_user,
):
    done = build.request(member_user, standing_user, title="已交的征集")
    submission = build.submitted(done, standing_user)
    open_request = build.request(member_user, title="待写的征集")
    compilation = services.compilation_create(user=liaison_user, title="汇编一")
    return World(
        request=done,
        submission=submission,
        open_request=open_request,
        compilation=compilation,
        users={
            "invited": member_user,
            "uninvited": other_member_user,
            "staff": liaison_user,
            "other_staff": district_office,
            "anonymous": None,
        },
    )


def _client(client, world: World, persona: str):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login" in response["Location"]


# Reading pages --------------------------------------------------------------------------------

READS: dict[str, dict[str, int | str]] = {
    # page → persona → status (or "login")
    "mine": {
        "invited": 200,
        "uninvited": 200,
        "staff": 200,
        "other_staff": 200,
        "anonymous": "login",
    },
    "write": {
        "invited": 200,
        "uninvited": 404,
        "staff": 404,
        "other_staff": 404,
        "anonymous": "login",
    },
    "office": {
        "invited": 403,
        "uninvited": 403,
        "staff": 200,
        "other_staff": 200,
        "anonymous": "login",
    },
    "request": {
        "invited": 404,
        "uninvited": 404,
        "staff": 200,
        "other_staff": 404,
        "anonymous": "login",
    },
    "submission": {
        "invited": 404,
        "uninvited": 404,
        "staff": 200,
        "other_staff": 404,
        "anonymous": "login",
    },
    "compilation": {
        "invited": 404,
        "uninvited": 404,
        "staff": 200,
        "other_staff": 404,
        "anonymous": "login",
    },
    "docx": {
        "invited": 404,
        "uninvited": 404,
        "staff": 200,
        "other_staff": 404,
        "anonymous": "login",
    },
}


def _read_url(world: World, page: str) -> str:
    return {
        "mine": reverse("study:mine"),
        "write": reverse("study:write", args=[world.open_request.pk]),
        "office": reverse("study:office"),
        "request": reverse("study:request", args=[world.request.pk]),
        "submission": reverse("study:submission", args=[world.submission.pk]),
        "compilation": reverse("study:compilation", args=[world.compilation.pk]),
        "docx": reverse("study:compilation_download", args=[world.compilation.pk, "docx"]),
    }[page]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(READS))
def test_reading_pages(client, world, persona, page):
    response = _client(client, world, persona).get(_read_url(world, page))
    expected = READS[page][persona]
    if expected == "login":
        assert _login_redirect(response)
    else:
        assert response.status_code == expected
    body = response.content.decode() if response.status_code == 200 and page != "docx" else ""
    # Only the invited member's list shows the request; only the city's staff see its title.
    if page == "mine" and expected == 200:
        assert ("待写的征集" in body) == (persona == "invited")
    if page == "office" and expected == 200:
        assert ("已交的征集" in body) == (persona == "staff")


# Writes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    allowed: frozenset[str]
    effect: Callable[[World], Any]  # a value that changes only when the write happens


def _draft_effect(world: World) -> Any:
    return list(
        Submission.objects.filter(request=world.open_request).values_list("title", flat=True)
    )


WRITES: dict[str, Write] = {
    "save_draft": Write(
        url=lambda w: reverse("study:write", args=[w.open_request.pk]),
        data=lambda w: {"title": "我的心得", "body": "正文", "action": "save"},
        allowed=frozenset({"invited"}),
        effect=_draft_effect,
    ),
    "submit": Write(
        url=lambda w: reverse("study:write", args=[w.open_request.pk]),
        data=lambda w: {"title": "我的心得", "body": "正文", "action": "submit"},
        allowed=frozenset({"invited"}),
        effect=lambda w: list(
            Submission.objects.filter(request=w.open_request).values_list("status", flat=True)
        ),
    ),
    "close": Write(
        url=lambda w: reverse("study:request_close", args=[w.request.pk]),
        data=lambda w: {},
        allowed=frozenset({"staff"}),
        effect=lambda w: type(w.request).objects.get(pk=w.request.pk).status,
    ),
    "edit": Write(
        url=lambda w: reverse("study:submission", args=[w.submission.pk]),
        data=lambda w: {"edited_title": "编辑后", "edited_body": "编辑后正文"},
        allowed=frozenset({"staff"}),
        effect=lambda w: Submission.objects.get(pk=w.submission.pk).edited_body,
    ),
    "adopt": Write(
        url=lambda w: reverse("study:submission_adopt", args=[w.submission.pk]),
        data=lambda w: {"adopted": "1"},
        allowed=frozenset({"staff"}),
        effect=lambda w: Submission.objects.get(pk=w.submission.pk).adopted,
    ),
    "new_request": Write(
        url=lambda w: reverse("study:request_new"),
        data=lambda w: {
            "title": "新征集",
            "kind": "exchange",
            "due_date": "2026-03-20",
            "scope": "all",
        },
        allowed=frozenset({"staff", "other_staff"}),  # each in their own committee
        effect=lambda w: list(
            type(w.request).objects.filter(title="新征集").values_list("committee_id", flat=True)
        ),
    ),
    "order": Write(
        url=lambda w: reverse("study:compilation_order", args=[w.compilation.pk]),
        data=lambda w: {"op": "add", "submission": str(w.submission.pk)},
        allowed=frozenset({"staff"}),
        effect=lambda w: list(w.compilation.entries.values_list("submission_id", flat=True)),
    ),
    "new_compilation": Write(
        url=lambda w: reverse("study:compilations"),
        data=lambda w: {"title": "新汇编", "preface": ""},
        allowed=frozenset({"staff", "other_staff"}),
        effect=lambda w: list(
            Compilation.objects.filter(title="新汇编").values_list("committee_id", flat=True)
        ),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(WRITES))
def test_writes(client, world, persona, action, district):
    write = WRITES[action]
    before = write.effect(world)
    events = AuditEvent.objects.filter(verb__startswith="study_").count()
    response = _client(client, world, persona).post(write.url(world), write.data(world))
    after = write.effect(world)
    if persona in write.allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert after != before
        assert AuditEvent.objects.filter(verb__startswith="study_").count() > events
        if action in ("new_request", "new_compilation"):
            expected = world.users[persona].committee_id
            assert after == [expected]
    else:
        if persona == "anonymous":
            assert _login_redirect(response)
        else:
            assert response.status_code in (403, 404)
        assert after == before
        assert AuditEvent.objects.filter(verb__startswith="study_").count() == events


def test_close_changes_the_state(client, world, liaison_user):
    client.force_login(liaison_user)
    client.post(reverse("study:request_close", args=[world.request.pk]))
    world.request.refresh_from_db()
    assert world.request.status == RequestStatus.CLOSED
