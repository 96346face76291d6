"""While reviewing, the office sees the similar-proposals panel (issue 3: "while drafting and
reviewing"), with a planted near-duplicate listed first."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EARLIER = {
    "title": "关于推进城市社区嵌入式养老服务的建议",
    "grounds": "我市老龄化程度持续加深，社区养老服务设施布局不均衡，嵌入式养老服务站点覆盖率低。",
    "suggestions": "一是在老旧小区配建嵌入式养老服务站；二是推广社区老年助餐；三是培育护理队伍。",
}
UNRELATED = {
    "title": "关于加强河湖生态治理的建议",
    "grounds": "部分河道水质反复，岸线管护责任不清，生态补水不足。",
    "suggestions": "一是落实河长制；二是实施生态补水；三是建设滨河绿道。",
}


def test_review_panel_loads_similar_proposals_with_the_near_duplicate_first(
    client, build, proposal_staff_user
):
    earlier = build.assigned(**EARLIER)
    build.assigned(**UNRELATED)
    submitted = build.submitted(
        title="关于加快发展社区嵌入式养老服务的建议",
        grounds="社区养老服务站点覆盖率低，嵌入式养老服务不足，居家老人助餐需求难以满足。",
        suggestions="一是配建嵌入式养老服务站；二是推广老年助餐。",
    )
    client.force_login(proposal_staff_user)
    detail = client.get(f"/proposals/{submitted.pk}/").content.decode()
    assert f'hx-get="/proposals/{submitted.pk}/similar/"' in detail
    response = client.get(f"/proposals/{submitted.pk}/similar/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    similar = response.context["similar"]
    assert similar and similar[0].title == earlier.title


def test_review_panel_hidden_once_accepted(client, build, proposal_staff_user):
    accepted = build.accepted(**EARLIER)
    client.force_login(proposal_staff_user)
    detail = client.get(f"/proposals/{accepted.pk}/").content.decode()
    assert f'hx-get="/proposals/{accepted.pk}/similar/"' not in detail
