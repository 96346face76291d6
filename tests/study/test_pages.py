"""The pages working together: the member's home (card and 我的待办), the menu entries, the
compilation builder's buttons (编入 / 上移 / 下移 / 移出) and the request page's two lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.study import services
from apps.study.models import CompilationEntry

pytestmark = pytest.mark.django_db


def test_member_home_lists_the_text_due(client, build, member_user):
    build.request(member_user, title="两会精神研讨发言征集")
    client.force_login(member_user)
    page = client.get(reverse("home")).content.decode()
    assert "学习材料待提交" in page
    assert reverse("study:mine") in page
    assert "我的学习材料" in page  # the menu entry


def test_submitted_text_leaves_the_to_do_list(client, build, member_user):
    request = build.request(member_user)
    build.submitted(request, member_user)
    client.force_login(member_user)
    assert "学习材料待提交" not in client.get(reverse("home")).content.decode()


def test_staff_menu_and_request_page(client, build, member_user, other_member_user, liaison_user):
    request = build.request(member_user, other_member_user)
    build.submitted(request, member_user, title="我的学习体会")
    client.force_login(liaison_user)
    assert reverse("study:office") in client.get(reverse("home")).content.decode()
    page = client.get(reverse("study:request", args=[request.pk])).content.decode()
    assert "已提交（1）" in page and "未提交（1）" in page
    assert "我的学习体会" in page and "王建国" in page


def test_member_write_page_submits(client, build, member_user):
    request = build.request(member_user)
    client.force_login(member_user)
    url = reverse("study:write", args=[request.pk])
    assert 'for="id_title"' in client.get(url).content.decode()
    response = client.post(url, {"title": "学习体会", "body": "正文内容。", "action": "submit"})
    assert response.status_code == 302
    listing = client.get(reverse("study:mine")).content.decode()
    assert "已提交" in listing


def test_builder_buttons_order_the_texts(
    client, build, member_user, other_member_user, standing_user, liaison_user
):
    request = build.request(member_user, other_member_user, standing_user)
    a = build.submitted(request, member_user, title="甲")
    b = build.submitted(request, other_member_user, title="乙")
    c = build.submitted(request, standing_user, title="丙")
    compilation = services.compilation_create(user=liaison_user, title="汇编")
    client.force_login(liaison_user)
    url = reverse("study:compilation_order", args=[compilation.pk])

    def order() -> list[int]:
        return list(
            CompilationEntry.objects.filter(compilation=compilation)
            .order_by("position")
            .values_list("submission_id", flat=True)
        )

    for text in (a, b, c):
        client.post(url, {"op": "add", "submission": text.pk})
    assert order() == [a.pk, b.pk, c.pk]
    client.post(url, {"op": "up", "submission": c.pk})
    assert order() == [a.pk, c.pk, b.pk]
    client.post(url, {"op": "down", "submission": a.pk})
    assert order() == [c.pk, a.pk, b.pk]
    client.post(url, {"op": "remove", "submission": a.pk})
    assert order() == [c.pk, b.pk]
    client.post(url, {"order": [b.pk, c.pk]})
    assert order() == [b.pk, c.pk]
    page = client.get(reverse("study:compilation", args=[compilation.pk])).content.decode()
    assert page.index("乙") < page.index("丙")
    assert "下载 Word" in page and "下载 PDF" in page


def test_member_sees_their_text_in_a_compilation(client, build, member_user, liaison_user):
    request = build.request(member_user)
    text = build.submitted(request, member_user, title="我的学习体会")
    services.submission_set_adopted(user=liaison_user, submission_id=text.pk, adopted=True)
    compilation = services.compilation_create(user=liaison_user, title="学习心得汇编")
    services.compilation_set_entries(
        user=liaison_user, compilation_id=compilation.pk, submission_ids=[text.pk]
    )
    client.force_login(member_user)
    page = client.get(reverse("study:mine")).content.decode()
    assert "已采用" in page
    assert "已编入《学习心得汇编》（2026年第1期）" in page


def test_staff_forms_render_with_labels(client, member_user, liaison_user, frozen):
    client.force_login(liaison_user)
    new = client.get(reverse("study:request_new")).content.decode()
    for field in ("id_title", "id_due_date", "id_meeting", "id_sector", "id_description"):
        assert f'for="{field}"' in new
    assert "李红梅（教育界）" in new  # the current members to pick from
    listing = client.get(reverse("study:compilations")).content.decode()
    assert 'for="id_title"' in listing and 'for="id_preface"' in listing
