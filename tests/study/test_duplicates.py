"""The editor's near-duplicate flag: a passage copied from another member's text is shown on
the staff page with the other text named; unrelated texts raise no flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.study.selectors import submission_shared_texts

pytestmark = pytest.mark.django_db

COPIED = (
    "培训中，老委员们分享了撰写提案、参加协商的经验，让我认识到履职不是挂名，"
    "而是要真正沉下心来调查研究，多到基层听取群众意见"
)
ORIGINAL = (
    "通过参加这次新任委员培训班，我对人民政协的性质定位有了更加深刻的认识。\n"
    + COPIED
    + "。\n我将以这次培训为新起点，珍惜委员荣誉，增强履职本领。"
)
COPY = (
    "这次培训内容丰富，使我对政协工作从陌生走向熟悉，我来自教育界。\n"
    + COPIED
    + "。\n今后要围绕课后服务和青少年心理健康开展调研，用数据说话。"
)
UNRELATED = (
    "农业农村工作是我长期关注的领域，今后将围绕乡村振兴和特色产业发展深入乡镇调研。\n"
    "同时积极参加委员工作室活动，面对面倾听农民群众的呼声和期盼。"
)


def test_copied_passage_is_flagged(
    client, build, member_user, other_member_user, standing_user, liaison_user
):
    request = build.request(member_user, other_member_user, standing_user)
    original = build.submitted(request, member_user, "把握性质定位　提升履职本领", ORIGINAL)
    copy = build.submitted(request, other_member_user, "珍惜委员身份　做到履职尽责", COPY)
    unrelated = build.submitted(request, standing_user, "担当新使命　展现新作为", UNRELATED)

    copy.refresh_from_db()
    shared = submission_shared_texts(submission=copy)
    assert [item.other.pk for item in shared] == [original.pk]
    assert shared[0].passages == [COPIED]

    unrelated.refresh_from_db()
    assert submission_shared_texts(submission=unrelated) == []

    client.force_login(liaison_user)
    page = client.get(reverse("study:submission", args=[copy.pk])).content.decode()
    assert "疑似雷同" in page
    assert f"<mark>{COPIED}</mark>" in page
    assert "李红梅" in page
    quiet = client.get(reverse("study:submission", args=[unrelated.pk])).content.decode()
    assert "疑似雷同" not in quiet
