"""The study API (/api/v1/study) for the mobile app: a member lists the requests they are
invited to, saves a draft and submits it, and reads 学习园地; bad input answers 422 in Chinese
with nothing stored; nobody reaches another member's text or another committee's reading."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.study import services
from apps.study.models import Submission, SubmissionStatus
from tests.proposals.conftest import db_snapshot

from .conftest import DUE, TEXT, at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/study"


def _put(client, url: str, payload: dict) -> object:
    return client.put(url, data=json.dumps(payload), content_type="application/json")


def test_a_member_writes_saves_and_submits_through_the_api(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    (row,) = client.get(f"{BASE}/requests").json()
    assert (row["id"], row["kind"]["label"], row["accepting"], row["text"]) == (
        request.pk,
        "心得体会",
        True,
        None,
    )
    saved = _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "心得", "body": TEXT})
    assert saved.status_code == 200
    assert saved.json()["text"]["status"] == {"value": "draft", "label": "草稿"}
    done = client.post(f"{BASE}/requests/{request.pk}/text/submit")
    assert done.status_code == 200
    assert done.json()["text"]["status"]["value"] == "submitted"
    text = Submission.objects.get(request=request)
    assert (text.status, text.title) == (SubmissionStatus.SUBMITTED, "心得")
    assert AuditEvent.objects.filter(
        verb="study_submission_submit", object_id=str(text.pk)
    ).exists()
    # Submitted: no more changes.
    again = _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "改", "body": "改"})
    assert again.status_code == 409 and "已提交" in again.json()["detail"]
    text.refresh_from_db()
    assert text.title == "心得"


def test_refusals_are_in_chinese_and_change_nothing(client, build, member_user, other_member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    study_events = AuditEvent.objects.filter(verb__startswith="study_submission")
    before = db_snapshot(Submission)
    empty = client.post(f"{BASE}/requests/{request.pk}/text/submit")
    assert empty.status_code == 404 and "草稿" in empty.json()["detail"]
    bad = _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "心\x0b得", "body": "正文"})
    assert bad.status_code == 422 and "控制字符" in bad.json()["detail"]
    long = _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "长" * 101, "body": "正文"})
    assert long.status_code == 422 and "不能超过" in long.json()["detail"]
    assert db_snapshot(Submission) == before and not study_events.exists()
    # Not invited: the request does not exist for them.
    client.force_login(other_member_user)
    assert client.get(f"{BASE}/requests").json() == []
    assert client.get(f"{BASE}/requests/{request.pk}").status_code == 404
    refused = _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "我", "body": "我"})
    assert refused.status_code == 404
    assert db_snapshot(Submission) == before and not study_events.exists()


def test_an_empty_draft_cannot_be_submitted(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "", "body": ""})
    response = client.post(f"{BASE}/requests/{request.pk}/text/submit")
    assert response.status_code == 422
    assert Submission.objects.get(request=request).status == SubmissionStatus.DRAFT


def test_after_the_due_date_writing_is_closed(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    later = timezone.make_aware(dt.datetime.combine(DUE + dt.timedelta(days=1), dt.time(9)))
    with at(later):
        client.force_login(member_user)  # days later: a fresh sign-in
        row = client.get(f"{BASE}/requests/{request.pk}").json()
        assert row["accepting"] is False and "截止" in row["closed_reason"]
        response = _put(client, f"{BASE}/requests/{request.pk}/text", {"title": "迟", "body": "迟"})
        assert response.status_code == 409
    assert not Submission.objects.filter(request=request).exists()


def test_reading_lists_what_was_issued_to_the_callers_committee(
    client, build, member_user, other_member_user, liaison_user, district_member_user
):
    request = build.request(member_user)
    text = build.submitted(request, member_user)
    compilation = services.compilation_create(user=liaison_user, title="学习心得汇编")
    services.compilation_set_entries(
        user=liaison_user, compilation_id=compilation.pk, submission_ids=[text.pk]
    )
    client.force_login(other_member_user)
    assert client.get(f"{BASE}/reading").json() == {"compilations": [], "articles": []}
    services.compilation_publish(user=liaison_user, compilation_id=compilation.pk)
    services.article_publish(user=liaison_user, submission_id=text.pk)

    reading = client.get(f"{BASE}/reading").json()
    (issued,) = reading["compilations"]
    assert (issued["title"], issued["texts"]) == ("学习心得汇编", 1)
    assert client.get(issued["pdf_url"]).content[:5] == b"%PDF-"
    (article,) = reading["articles"]
    assert article["body"] is None and article["author"].startswith("李红梅（")
    full = client.get(f"{BASE}/reading/articles/{text.pk}").json()
    assert full["body"] == TEXT and full["title"] == text.final_title

    client.force_login(district_member_user)
    assert client.get(f"{BASE}/reading/articles/{text.pk}").status_code == 404
    assert client.get(f"{BASE}/reading").json() == {"compilations": [], "articles": []}
