"""Bad input on the pages — too long, a control character (U+000B), after the due date —
gets a Chinese message and changes nothing; never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.study.models import Compilation, Submission, TextRequest

from .conftest import DUE, NOW, at

pytestmark = pytest.mark.django_db


def _texts(request) -> list[tuple[str, str]]:
    return list(Submission.objects.filter(request=request).values_list("title", "body"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "长" * 101, "body": "正文"}, "不能超过100个字"),
        ({"title": "标题", "body": "第一段\x0b第二段"}, "控制字符"),
        ({"title": "标\x0b题", "body": "正文"}, "控制字符"),
    ],
)
@pytest.mark.parametrize("action", ["save", "submit"])
def test_bad_text_refused_on_the_write_page(client, build, member_user, data, message, action):
    request = build.request(member_user)
    client.force_login(member_user)
    url = reverse("study:write", args=[request.pk])
    client.post(url, {"title": "原标题", "body": "原正文", "action": "save"})
    before = _texts(request)
    response = client.post(url, {**data, "action": action})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _texts(request) == before == [("原标题", "原正文")]


def test_autosave_refuses_control_character(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    response = client.post(
        reverse("study:autosave", args=[request.pk]),
        {"title": "标题", "body": "正\x0b文"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "控制字符" in response.content.decode()
    assert _texts(request) == []


def test_autosave_saves_a_draft(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    response = client.post(
        reverse("study:autosave", args=[request.pk]),
        {"title": "标题", "body": "正文"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    assert _texts(request) == [("标题", "正文")]


def test_after_the_due_date_nothing_is_saved(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    url = reverse("study:write", args=[request.pk])
    client.post(url, {"title": "原标题", "body": "原正文", "action": "save"})
    with at(NOW + (DUE - NOW.date()) + dt.timedelta(days=1)):
        client.force_login(member_user)  # the session of ten days ago has expired
        page = client.get(url)
        assert "已过截止日期" in page.content.decode()
        for action in ("save", "submit"):
            response = client.post(url, {"title": "新", "body": "新", "action": action})
            assert response.status_code == 409
            assert "已过截止日期" in response.content.decode()
    assert _texts(request) == [("原标题", "原正文")]
    assert Submission.objects.get(request=request).status == "draft"


def test_empty_submission_refused_with_a_message(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    response = client.post(
        reverse("study:write", args=[request.pk]), {"title": "标题", "body": "", "action": "submit"}
    )
    assert response.status_code == 422
    assert "请填写正文" in response.content.decode()
    assert not Submission.objects.filter(request=request, status="submitted").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "征" * 151}, "不能超过150个字"),
        ({"title": "征\x0b集"}, "控制字符"),
        ({"due_date": "2026-03-01"}, "截止日期不能早于今天"),
        ({"scope": "sector"}, "请选择界别"),
        ({"due_date": "不是日期"}, "截止日期"),
    ],
)
def test_bad_request_refused(client, liaison_user, member_user, frozen, data, message):
    client.force_login(liaison_user)
    values = {"title": "征集", "kind": "reflection", "due_date": "2026-03-20", "scope": "all"}
    response = client.post(reverse("study:request_new"), {**values, **data})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TextRequest.objects.exists()


def test_bad_edit_refused(client, build, member_user, liaison_user):
    request = build.request(member_user)
    submission = build.submitted(request, member_user)
    client.force_login(liaison_user)
    url = reverse("study:submission", args=[submission.pk])
    for data, message in (
        ({"edited_title": "长" * 101, "edited_body": "正文"}, "不能超过100个字"),
        ({"edited_title": "标题", "edited_body": "正\x0b文"}, "控制字符"),
    ):
        response = client.post(url, data)
        assert response.status_code == 422
        assert message in response.content.decode()
    submission.refresh_from_db()
    assert (submission.edited_title, submission.edited_body, submission.edited_at) == ("", "", None)


def test_bad_compilation_refused(client, liaison_user, frozen):
    client.force_login(liaison_user)
    response = client.post(reverse("study:compilations"), {"title": "汇\x0b编"})
    assert response.status_code == 422
    assert "控制字符" in response.content.decode()
    assert not Compilation.objects.exists()


def test_unknown_export_format_is_404(client, liaison_user, frozen):
    from apps.study import services

    compilation = services.compilation_create(user=liaison_user, title="汇编")
    client.force_login(liaison_user)
    response = client.get(reverse("study:compilation_download", args=[compilation.pk, "exe"]))
    assert response.status_code == 404
