"""The statistics page shows the most submitted lines of each dimension and the count of all of
them; one dimension's every line on request (the .xlsx 通报 always has them all)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.opinions.models import OpinionStatRow, StatDimension
from apps.opinions.web.office.views import stats as stats_view

pytestmark = pytest.mark.django_db


def test_long_dimensions_show_their_top_lines_and_all_on_request(
    client, build, editor, other_member_user, monkeypatch
):
    first = build.compiled()
    build.compiled(user=other_member_user, title="关于规范小区电动自行车充电的建议")
    year = timezone.localtime(first.first_submitted_at).year
    client.force_login(editor)
    assert client.post(reverse("opinions:stats_refresh"), {"year": year}).status_code == 302
    members = OpinionStatRow.objects.filter(year=year, dimension=StatDimension.MEMBER)
    assert sorted(members.values_list("label", flat=True)) == ["李红梅", "王建国"]

    monkeypatch.setattr(stats_view, "SECTION_ROWS", 1)
    page = client.get(reverse("opinions:stats"), {"year": year}).content.decode()
    member_section = page.split('id="section-member"')[1].split("</section>")[0]
    assert "共 2 项" in member_section
    assert sum(name in member_section for name in ("李红梅", "王建国")) == 1
    assert "按报送数显示前 1 项（共 2 项）" in member_section
    assert f"?year={year}&amp;all=member" in member_section

    page = client.get(reverse("opinions:stats"), {"year": year, "all": "member"}).content.decode()
    member_section = page.split('id="section-member"')[1].split("</section>")[0]
    assert "李红梅" in member_section and "王建国" in member_section
    assert "显示全部" not in member_section
