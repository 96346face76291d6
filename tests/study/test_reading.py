"""学习园地: the 委员联络处 issues (印发) a compilation and publishes texts as 履职思考 articles;
the committee's members read them (page, Word, PDF); nobody else sees them, and nothing is
visible before it is issued or after it is withdrawn. Each allowed step proves its effect (state,
audit event, notice); each refused one proves nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.errors import NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.study import services
from apps.study.models import Compilation, Submission
from tests.proposals.conftest import db_snapshot

pytestmark = pytest.mark.django_db

WATCHED = (Compilation, Submission, AuditEvent, OutboxMessage)


@pytest.fixture
def issued(build, member_user, other_member_user, liaison_user):
    """A compilation with 李红梅's text (edited by the office) and 王建国's, not yet issued."""
    request = build.request(member_user, other_member_user)
    first = build.submitted(request, member_user)
    services.submission_edit(
        user=liaison_user,
        submission_id=first.pk,
        edited_title="把握性质定位　提升履职本领（编辑稿）",
        edited_body="编辑后的第一段。\n编辑后的第二段。",
    )
    second = build.submitted(request, other_member_user, title="在学习中提升协商能力")
    compilation = services.compilation_create(
        user=liaison_user, title="新任委员培训班学习心得汇编", preface="编者按第一段。"
    )
    services.compilation_set_entries(
        user=liaison_user, compilation_id=compilation.pk, submission_ids=[second.pk, first.pk]
    )
    return compilation, first, second


def test_issuing_a_compilation_opens_it_to_the_committees_members(
    client, issued, liaison_user, member_user, other_member_user
):
    compilation, _first, _second = issued
    url = reverse("study:reading_compilation", args=[compilation.pk])
    client.force_login(other_member_user)
    assert client.get(url).status_code == 404  # not issued yet
    assert "新任委员培训班" not in client.get(reverse("study:reading")).content.decode()

    services.compilation_publish(user=liaison_user, compilation_id=compilation.pk)
    compilation.refresh_from_db()
    assert compilation.published_at is not None
    assert AuditEvent.objects.filter(
        verb="study_compilation_publish", object_id=str(compilation.pk)
    ).exists()
    told = set(
        OutboxMessage.objects.filter(
            key__startswith=f"study:compilation:{compilation.pk}:published"
        ).values_list("recipient_id", flat=True)
    )
    assert told == {member_user.pk, other_member_user.pk}  # the authors

    page = client.get(url).content.decode()
    assert page.index("在学习中提升协商能力") < page.index("把握性质定位　提升履职本领（编辑稿）")
    assert "编辑后的第二段。" in page and "编者按第一段。" in page
    assert "李红梅（市政协委员" in page
    listing = client.get(reverse("study:reading")).content.decode()
    assert "新任委员培训班学习心得汇编" in listing and "共2篇" in listing
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF-")):
        response = client.get(
            reverse("study:reading_compilation_download", args=[compilation.pk, fmt])
        )
        assert response.status_code == 200 and response.content[: len(magic)] == magic
    assert (
        client.get(
            reverse("study:reading_compilation_download", args=[compilation.pk, "exe"])
        ).status_code
        == 404
    )

    services.compilation_publish(user=liaison_user, compilation_id=compilation.pk, publish=False)
    assert client.get(url).status_code == 404  # withdrawn
    assert AuditEvent.objects.filter(verb="study_compilation_withdraw").count() == 1


def test_only_the_committees_readers_see_it(
    client, issued, liaison_user, district_member_user, district_office
):
    compilation, _first, _second = issued
    services.compilation_publish(user=liaison_user, compilation_id=compilation.pk)
    url = reverse("study:reading_compilation", args=[compilation.pk])
    client.force_login(liaison_user)  # the office reads its own committee's
    assert client.get(url).status_code == 200
    for outsider in (district_member_user, district_office):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert "新任委员培训班" not in client.get(reverse("study:reading")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in


def test_refused_publishing_changes_nothing(issued, liaison_user, member_user, district_office):
    compilation, first, _second = issued
    empty = services.compilation_create(user=liaison_user, title="空汇编")
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match="还没有编入材料"):
        services.compilation_publish(user=liaison_user, compilation_id=empty.pk)
    for outsider in (member_user, district_office):
        with pytest.raises((NotFound, PermissionDenied)):
            services.compilation_publish(user=outsider, compilation_id=compilation.pk)
        with pytest.raises((NotFound, PermissionDenied)):
            services.article_publish(user=outsider, submission_id=first.pk)
    assert db_snapshot(*WATCHED) == before


def test_a_published_article_is_read_in_its_edited_version(
    client, issued, liaison_user, member_user, other_member_user
):
    _compilation, first, _second = issued
    url = reverse("study:reading_article", args=[first.pk])
    client.force_login(other_member_user)
    assert client.get(url).status_code == 404

    services.article_publish(user=liaison_user, submission_id=first.pk)
    first.refresh_from_db()
    assert first.article_published_at is not None
    assert AuditEvent.objects.filter(verb="study_article_publish", object_id=str(first.pk)).exists()
    notice = OutboxMessage.objects.get(key=f"study:article:{first.pk}:published:u{member_user.pk}")
    assert notice.url == url
    page = client.get(url).content.decode()
    assert "把握性质定位　提升履职本领（编辑稿）" in page and "编辑后的第一段。" in page
    assert "通过参加这次新任委员培训班" not in page  # the original stays with the office
    assert "把握性质定位" in client.get(reverse("study:reading")).content.decode()

    again = services.article_publish(user=liaison_user, submission_id=first.pk)
    assert again.article_published_at == first.article_published_at  # no-op, no second event
    assert AuditEvent.objects.filter(verb="study_article_publish").count() == 1
    services.article_publish(user=liaison_user, submission_id=first.pk, publish=False)
    assert client.get(url).status_code == 404


def test_the_office_pages_offer_the_buttons(client, issued, liaison_user):
    compilation, first, _second = issued
    client.force_login(liaison_user)
    response = client.post(
        reverse("study:compilation_publish", args=[compilation.pk]), {"publish": "1"}
    )
    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.published_at is not None
    page = client.get(reverse("study:compilation", args=[compilation.pk])).content.decode()
    assert "撤回印发" in page and "已印发" in page
    response = client.post(reverse("study:article_publish", args=[first.pk]), {"publish": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.article_published_at is not None
    assert (
        "撤下履职思考" in client.get(reverse("study:submission", args=[first.pk])).content.decode()
    )


def test_the_reading_list_costs_the_same_whatever_it_shows(
    client, build, member_user, other_member_user, liaison_user, django_assert_max_num_queries
):
    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            request = build.request(member_user, other_member_user, title=f"征集{index}")
            text = build.submitted(request, member_user, title=f"文章{index}")
            services.article_publish(user=liaison_user, submission_id=text.pk)
            compilation = services.compilation_create(user=liaison_user, title=f"汇编{index}")
            services.compilation_set_entries(
                user=liaison_user, compilation_id=compilation.pk, submission_ids=[text.pk]
            )
            services.compilation_publish(user=liaison_user, compilation_id=compilation.pk)

    def count() -> int:
        url = reverse("study:reading")
        client.get(url)
        with django_assert_max_num_queries(20) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    client.force_login(other_member_user)
    add(1, 0)
    few = count()
    add(5, 1)
    many = count()
    assert many == few
    page = client.get(reverse("study:reading")).content.decode()
    assert "文章5" in page and "汇编5" in page
